// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Upgrade Schedule", {
	setup(frm) {
		// Support Engineers and Support Managers monitor upgrades
		frm.set_query("engineer", () => ({ query: "frappe_support.upgrades.booking.engineer_query" }));
		frm.set_query("contract", () => ({ filters: { docstatus: 1 } }));
	},
	refresh(frm) {
		const next = {
			Requested: ["Scheduled", "Cancelled"],
			Scheduled: ["In Progress", "Cancelled"],
			"In Progress": ["Completed", "Failed", "Rolled Back"],
			Failed: ["Rolled Back", "Scheduled"],
		}[frm.doc.status];
		if (frm.is_new() || !next || !frm.perm[0].write) return;
		next.forEach((status) =>
			frm.add_custom_button(
				__(status),
				() => {
					if (status === "Failed" && !frm.doc.outcome_category) {
						frappe.msgprint(__("Choose the Outcome Category first."));
						return;
					}
					frm.set_value("status", status);
					frm.save();
				},
				__("Set Status")
			)
		);
	},
});
