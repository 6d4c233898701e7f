frappe.listview_settings["Advisory Exposure"] = {
	add_fields: ["status", "acknowledged_on"],
	get_indicator(doc) {
		const colors = {
			Affected: "red",
			Unknown: "orange",
			"Not Affected": "green",
			Patched: "green",
			Withdrawn: "gray",
		};
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
