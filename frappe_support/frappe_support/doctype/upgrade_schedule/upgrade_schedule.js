// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

// Picking the site fills what the server would fill on save (contract, customer) and offers the site's
// apps, each with the version it runs; "Find Free Window" proposes the windows the customer API offers.
// A saved upgrade's status moves only through "Set Status" (the field is read-only then), so the allowed
// steps are the ones offered.
frappe.ui.form.on("Upgrade Schedule", {
	setup(frm) {
		// Support Engineers and Support Managers monitor upgrades
		frm.set_query("engineer", () => ({ query: "frappe_support.upgrades.booking.engineer_query" }));
		frm.set_query("contract", () => ({ filters: { docstatus: 1 } }));
	},
	refresh(frm) {
		frm.trigger("load_site");
		frm.trigger("free_window_button");
		frm.trigger("status_buttons");
	},
	site(frm) {
		frm.trigger("load_site").then(() => {
			const site = frm.site_defaults;
			if (!site) return;
			frm.set_value("contract", site.contract || "");
			frm.set_value("customer", site.customer || "");
			frm.trigger("offer_apps");
			frm.trigger("free_window_button");
		});
	},
	free_window_button(frm) {
		if (frm.doc.site && ["Requested", "Scheduled"].includes(frm.doc.status) && frm.perm[0].write) {
			frm.add_custom_button(__("Find Free Window"), () => frm.trigger("find_free_window"));
		}
	},
	load_site(frm) {
		frm.site_defaults = null;
		if (!frm.doc.site) return Promise.resolve();
		return frappe
			.xcall("frappe_support.sites.picking.site_defaults", { site: frm.doc.site })
			.then((site) => {
				frm.site_defaults = site;
				const names = site.apps.map((a) => a.app_name);
				frm.fields_dict.apps.grid.update_docfield_property("app_name", "options", names);
			});
	},
	offer_apps(frm) {
		// a new upgrade of the site: a row per installed app, from the version it runs; the engineer
		// fills the versions to go to and removes the apps that stay
		const filled = (frm.doc.apps || []).filter((r) => r.app_name);
		if (filled.length || !frm.site_defaults) return;
		frm.clear_table("apps");
		frm.site_defaults.apps.forEach((a) =>
			frm.add_child("apps", { app_name: a.app_name, from_version: a.version })
		);
		frm.refresh_field("apps");
	},
	find_free_window(frm) {
		frappe.xcall("frappe_support.upgrades.reminders.free_windows", { site: frm.doc.site }).then((slots) => {
			if (!slots.length) {
				frappe.msgprint(__("No free upgrade window was found in the coming weeks."));
				return;
			}
			const dialog = new frappe.ui.Dialog({
				title: __("Find Free Window"),
				fields: [
					frappe_support.window_field(
						slots,
						(s) =>
							`${frappe_support.user_time(s.window_start)} – ` +
							`${frappe_support.user_time(s.window_end)} · ${s.engineer}`
					),
				],
				primary_action_label: __("Use Window"),
				primary_action: ({ slot }) => {
					const s = slots[Number(slot)];
					frm.set_value({
						window_start: s.window_start,
						window_end: s.window_end,
						engineer: s.engineer,
					});
					dialog.hide();
				},
			});
			dialog.show();
		});
	},
	status_buttons(frm) {
		const next = {
			Requested: ["Scheduled", "Cancelled"],
			Scheduled: ["In Progress", "Cancelled"],
			"In Progress": ["Completed", "Failed", "Rolled Back"],
			Failed: ["Rolled Back", "Scheduled"],
		}[frm.doc.status];
		if (frm.is_new() || !next || !frm.perm[0].write) return;
		next.forEach((status) =>
			frm.add_custom_button(
				__(status),
				() => {
					if (status === "Failed" && !frm.doc.outcome_category) {
						frappe.msgprint(__("Choose the Outcome Category first."));
						return;
					}
					frm.set_value("status", status);
					frm.save();
				},
				__("Set Status")
			)
		);
	},
});

frappe.ui.form.on("Upgrade Schedule App", {
	app_name(frm, cdt, cdn) {
		// the version the site runs, as the server fills it on save
		const row = locals[cdt][cdn];
		const app = ((frm.site_defaults && frm.site_defaults.apps) || []).find(
			(a) => a.app_name === (row.app_name || "").trim().toLowerCase()
		);
		if (app && !row.from_version) frappe.model.set_value(cdt, cdn, "from_version", app.version);
	},
});
