// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

// Sorted by the next deadline, soonest first, issues without one last (the hidden Due Order field); by
// default the open issues on a contract. The indicator is the SLA state, the Next Deadline column says
// how far away it is.
frappe.listview_settings["Support Issue"] = {
	add_fields: ["sla_state", "status", "priority", "next_deadline", "paused_since"],
	// what needs work: open, on a contract (Not Covered issues are one click away, in the sidebar)
	filters: [
		["status", "in", ["Open", "Replied"]],
		["sla_state", "!=", "Not Covered"],
	],
	get_indicator(doc) {
		const colors = frappe_support.SLA_COLORS;
		if (doc.status === "Closed") return [__("Closed"), "gray", "status,=,Closed"];
		return [
			__(doc.sla_state || doc.status),
			colors[doc.sla_state] || "blue",
			"sla_state,=," + doc.sla_state,
		];
	},
	formatters: {
		next_deadline(value, df, doc) {
			if (!value) {
				return doc.paused_since
					? `<span class="text-muted">${__("paused")}</span>`
					: `<span class="text-muted">${__("none")}</span>`;
			}
			const overdue = value < frappe.datetime.system_datetime();
			const when = frappe.datetime.convert_to_user_tz(value, false).fromNow();
			return `<span class="${overdue ? "text-danger" : ""}" title="${frappe.datetime.str_to_user(
				value
			)}">${when}</span>`;
		},
	},
};
