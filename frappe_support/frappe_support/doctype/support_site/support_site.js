// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Support Site", {
	setup(frm) {
		frm.set_query("contract", () => ({
			filters: { docstatus: 1, ...(frm.doc.customer ? { customer: frm.doc.customer } : {}) },
		}));
	},
	refresh(frm) {
		if (frm.is_new()) return;
		if (frm.doc.last_upgraded_on) {
			const days = frappe.datetime.get_day_diff(frappe.datetime.now_date(), frm.doc.last_upgraded_on);
			frm.dashboard.set_headline(
				__("Last upgraded {0} days ago.", [days]),
				days > 28 ? "orange" : "green"
			);
		} else {
			frm.dashboard.set_headline(__("No completed upgrade on record."), "orange");
		}
		frm.add_custom_button(__("Book Upgrade"), () =>
			frappe.new_doc("Upgrade Schedule", { site: frm.doc.name, contract: frm.doc.contract })
		);
		if (frm.perm[1] && frm.perm[1].write && frm.doc.api_key) {
			frm.add_custom_button(__("Probe Now"), () =>
				frm.call({ method: "probe", doc: frm.doc, freeze: true }).then(() => frm.reload_doc())
			);
		}
		frm.add_custom_button(__("Exposures"), () =>
			frappe.set_route("List", "Advisory Exposure", { site: frm.doc.name })
		);
	},
});
