// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Support Contract", {
	setup(frm) {
		frm.set_query("contact", "holders", () => ({
			query: "frappe.contacts.doctype.contact.contact.contact_query",
			filters: { link_doctype: "Customer", link_name: frm.doc.customer },
		}));
	},
	refresh(frm) {
		if (frm.doc.docstatus === 1 && frappe.model.can_create("Support Contract")) {
			frm.add_custom_button(__("Renew"), () => {
				frappe
					.xcall("frappe_support.support.contracts.make_renewal", { source_name: frm.doc.name })
					.then((name) => frappe.set_route("Form", "Support Contract", name));
			});
		}
	},
});
