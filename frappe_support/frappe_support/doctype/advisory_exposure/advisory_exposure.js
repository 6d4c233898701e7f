// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Advisory Exposure", {
	refresh(frm) {
		if (["Affected", "Unknown"].includes(frm.doc.status) && !frm.doc.acknowledged_on) {
			frm.add_custom_button(__("Acknowledge"), () =>
				frm.call("acknowledge").then(() => frm.reload_doc())
			).addClass("btn-primary");
		}
	},
});
