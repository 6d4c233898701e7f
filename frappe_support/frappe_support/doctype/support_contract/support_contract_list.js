frappe.listview_settings["Support Contract"] = {
	add_fields: ["status"],
	get_indicator(doc) {
		const colors = { Draft: "red", Upcoming: "blue", Active: "green", Expired: "gray", Cancelled: "red" };
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
