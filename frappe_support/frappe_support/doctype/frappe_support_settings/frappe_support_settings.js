// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Frappe Support Settings", {
	setup(frm) {
		frm.set_query("sender_account", () => ({ filters: { enable_outgoing: 1 } }));
	},
});
