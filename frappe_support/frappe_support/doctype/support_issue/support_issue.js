// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Support Issue", {
	refresh(frm) {
		frm.trigger("set_topic_options");
		if (!frm.is_new() && frm.doc.sla_state && frm.doc.sla_state !== "Not Covered") {
			frm.add_custom_button(__("Explain Deadline"), () => frm.trigger("explain_deadline"));
		}
		if (frm.doc.sla_state === "Not Covered") {
			frm.dashboard.set_headline_alert(
				`<div class="text-muted">${__("Not covered by the contract: {0}", [
					frappe.utils.escape_html(frm.doc.coverage_note || ""),
				])}</div>`
			);
		}
	},
	category(frm) {
		frm.set_value("topic", "");
		frm.trigger("set_topic_options");
	},
	customer(frm) {
		frm.set_query("site", () => ({ filters: { customer: frm.doc.customer } }));
		frm.set_query("contract", () => ({
			filters: { customer: frm.doc.customer, docstatus: 1 },
		}));
	},
	set_topic_options(frm) {
		if (!frm.doc.category) return;
		frappe
			.xcall("frappe_support.support.coverage.get_topics", { category: frm.doc.category })
			.then((topics) => frm.set_df_property("topic", "options", topics));
	},
	explain_deadline(frm) {
		frappe
			.xcall("frappe_support.frappe_support.doctype.support_issue.support_issue.explain_deadline", {
				name: frm.doc.name,
			})
			.then((lines) => {
				frappe.msgprint({
					title: __("How the deadline was reached"),
					message: `<ul>${lines
						.map((l) => `<li>${frappe.utils.escape_html(l)}</li>`)
						.join("")}</ul>`,
					indicator: "blue",
				});
			});
	},
});
