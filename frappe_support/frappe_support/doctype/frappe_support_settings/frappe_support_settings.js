// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Frappe Support Settings", {
	setup(frm) {
		frm.set_query("sender_account", () => ({ filters: { enable_outgoing: 1 } }));
	},
	refresh(frm) {
		if (frm.doc.site_mode === "Customer Site" && !frm.is_dirty()) {
			frm.add_custom_button(__("Open Support Desk"), () => frappe.set_route("connector-desk"));
			frm.add_custom_button(__("Test Connection"), () =>
				frappe
					.xcall("frappe_support.connector.desk.test_connection")
					.then((answer) => {
						frm.reload_doc();
						if (!answer.connected) {
							frappe.msgprint({
								title: answer.title,
								message: frappe.utils.escape_html(answer.message),
								indicator: "red",
							});
							return;
						}
						frappe.show_alert({
							message: __("Connected as {0} for {1}", [
								answer.user,
								(answer.customers || []).join(", "),
							]),
							indicator: "green",
						});
					})
			);
		}
	},
});
