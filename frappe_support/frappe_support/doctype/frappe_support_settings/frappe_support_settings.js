// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

// frappe.ui.form.on("Frappe Support Settings", {
// 	refresh(frm) {

// 	},
// });
