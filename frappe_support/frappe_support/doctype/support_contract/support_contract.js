// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Support Contract", {
	setup(frm) {
		frm.set_query("contact", "holders", () => ({
			query: "frappe.contacts.doctype.contact.contact.contact_query",
			filters: { link_doctype: "Customer", link_name: frm.doc.customer },
		}));
	},
	onload(frm) {
		// a new contract starts with the settings' default plan and calendar
		if (!frm.is_new() || (frm.doc.plan && frm.doc.calendar)) return;
		frappe
			.xcall("frappe_support.frappe_support.doctype.support_contract.support_contract.contract_defaults")
			.then((defaults) =>
				Object.entries(defaults).forEach(
					([field, value]) => value && !frm.doc[field] && frm.set_value(field, value)
				)
			);
	},
	refresh(frm) {
		if (frm.doc.docstatus === 1) {
			frm.add_custom_button(__("SLA Statement"), () => frm.trigger("sla_statement"));
		}
		if (frm.doc.docstatus === 1 && frappe.model.can_create("Support Contract")) {
			frm.add_custom_button(__("Renew"), () => {
				frappe
					.xcall("frappe_support.contracts.lifecycle.make_renewal", { source_name: frm.doc.name })
					.then((name) => frappe.set_route("Form", "Support Contract", name));
			});
		}
	},
	sla_statement(frm) {
		// the PDF of one calendar month, in the time zone of the contract's calendar
		const last = moment().subtract(1, "months");
		frappe.prompt(
			[
				{
					fieldname: "month",
					fieldtype: "Data",
					label: __("Month (YYYY-MM)"),
					reqd: 1,
					default: last.format("YYYY-MM"),
				},
			],
			({ month }) => {
				const args = new URLSearchParams({
					doctype: frm.doc.doctype,
					name: frm.doc.name,
					format: "SLA Statement",
					no_letterhead: 0,
					month: month.trim(),
				});
				window.open(`/api/method/frappe.utils.print_format.download_pdf?${args}`);
			},
			__("SLA Statement"),
			__("Download PDF")
		);
	},
});
