frappe.listview_settings["Advisory Exposure"] = {
	add_fields: ["status", "acknowledged_on"],
	get_indicator(doc) {
		const colors = frappe_support.EXPOSURE_COLORS;
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
