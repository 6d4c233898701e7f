// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

// On a customer site: an Error Log is raised to the support provider as a Bug issue, its traceback
// attached with secrets redacted (frappe_support.connector.error_report).
frappe.ui.form.on("Error Log", {
	refresh(frm) {
		const mode = frappe.boot.frappe_support && frappe.boot.frappe_support.site_mode;
		if (mode !== "Customer Site" || !frappe.model.can_read("Support Outbox")) return;
		frm.add_custom_button(__("Report to Support"), () => {
			frappe.prompt(
				[
					{
						fieldname: "description",
						fieldtype: "Small Text",
						label: __("What were you doing when it happened?"),
					},
				],
				({ description }) =>
					frappe
						.xcall("frappe_support.connector.error_report.report_error", {
							name: frm.doc.name,
							description,
						})
						.then((r) =>
							frappe.show_alert({
								message: __("Sent to your support provider as a {0} priority issue", [
									__(r.priority),
								]),
								indicator: "green",
							})
						),
				__("Report to Support"),
				__("Send")
			);
		});
	},
});
