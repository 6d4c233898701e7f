frappe.listview_settings["Support Issue"] = {
	add_fields: ["sla_state", "status", "priority", "resolution_by"],
	get_indicator(doc) {
		const colors = {
			Running: "blue",
			Paused: "orange",
			"At Risk": "yellow",
			Met: "green",
			Breached: "red",
			"Not Covered": "gray",
		};
		if (doc.status === "Closed") return [__("Closed"), "gray", "status,=,Closed"];
		return [__(doc.sla_state || doc.status), colors[doc.sla_state] || "blue", "sla_state,=," + doc.sla_state];
	},
};
