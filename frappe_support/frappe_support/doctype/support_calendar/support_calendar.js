// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Support Calendar", {
	onload(frm) {
		frappe.xcall("frappe.core.doctype.user.user.get_timezones").then((r) => {
			frappe_support.set_autocomplete_options(frm, "timezone", r.timezones || r);
		});
	},
});
