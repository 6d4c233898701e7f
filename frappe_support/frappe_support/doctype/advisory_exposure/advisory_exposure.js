// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Advisory Exposure", {
	refresh(frm) {
		if (["Affected", "Unknown"].includes(frm.doc.status) && !frm.doc.acknowledged_on) {
			frm.add_custom_button(__("Acknowledge"), () =>
				frm.call("acknowledge").then(() => frm.reload_doc())
			).addClass("btn-primary");
		}
		if (frm.doc.status === "Affected" && frm.doc.fixed_version && frm.perm[0] && frm.perm[0].write) {
			frm.add_custom_button(__("Book the Fix"), () => frm.trigger("book_fix"));
		}
		if (frm.doc.upgrade_schedule) {
			frm.add_custom_button(__("Open the Upgrade"), () =>
				frappe.set_route("Form", "Upgrade Schedule", frm.doc.upgrade_schedule)
			);
		}
	},
	book_fix(frm) {
		const zone = (frappe.boot.time_zone && frappe.boot.time_zone.user) || "";
		frappe_support.book_fix_dialog({
			plan: () => frm.call("fix_plan").then((r) => r.message),
			book: (start) => frm.call("book_fix", { window_start: start }).then((r) => r.message),
			when: (value) => `${frappe_support.user_time(value)} (${zone})`,
			on_booked: (upgrade) => {
				frappe.show_alert({ message: __("Fix booked: upgrade {0}", [upgrade]), indicator: "green" });
				frm.reload_doc();
			},
		});
	},
});
