// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Security Advisory", {
	refresh(frm) {
		if (frm.is_new() || !frm.perm[0].write) return;
		if (frm.doc.status !== "Published") {
			frm.add_custom_button(__("Publish"), () =>
				frappe.confirm(
					__("Publish this advisory? Every covered site is matched and affected contract holders are told."),
					() => frm.call("publish").then(() => frm.reload_doc())
				)
			).addClass("btn-primary");
		} else {
			frm.add_custom_button(__("Withdraw"), () =>
				frappe.confirm(
					__("Withdraw this advisory? Open exposures are closed and the holders who were told are told again."),
					() => frm.call("withdraw").then(() => frm.reload_doc())
				)
			);
		}
		if (frm.doc.status !== "Draft") {
			frm.add_custom_button(__("Exposures"), () =>
				frappe.set_route("List", "Advisory Exposure", { advisory: frm.doc.name })
			);
		}
	},
});
