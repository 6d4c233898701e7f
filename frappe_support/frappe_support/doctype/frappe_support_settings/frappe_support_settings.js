// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Frappe Support Settings", {
	setup(frm) {
		frm.set_query("sender_account", () => ({ filters: { enable_outgoing: 1 } }));
	},
	refresh(frm) {
		// a site that never ran the setup wizard reads every time as Asia/Kolkata: say it first
		frm.dashboard.clear_headline();
		(frm.doc.__onload?.time_zone_problems || []).forEach((p) =>
			frm.dashboard.set_headline(
				`<div class="time-zone-problem">${frappe.utils.escape_html(p.problem)} ${frappe.utils.escape_html(
					p.fix
				)}</div>`,
				"red"
			)
		);
		frm.add_custom_button(__("Run Doctor"), () => frappe_support_doctor(frm));
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

// the doctor's checks (frappe_support.doctor), as `bench --site S frappe-support doctor` prints them
function frappe_support_doctor(frm) {
	frappe.xcall("frappe_support.doctor.run_doctor").then((results) => {
		const found = results.reduce((n, r) => n + r.problems.length, 0);
		const rows = results.map(doctor_rows).join("");
		frappe.msgprint({
			title: found ? __("{0} problem(s) found", [found]) : __("No problems found"),
			indicator: found ? "red" : "green",
			wide: true,
			message: `<table class="table table-bordered doctor-report">${rows}</table>`,
		});
	});
}

function doctor_rows(result) {
	const esc = frappe.utils.escape_html;
	const label = esc(result.label);
	if (!result.problems.length) {
		const ok = `<span class="indicator-pill green">${esc(__("OK"))}</span>`;
		return `<tr><td>${ok}</td><td>${label}</td><td></td></tr>`;
	}
	const pill = `<span class="indicator-pill red">${esc(__("Problem"))}</span>`;
	const fix = esc(__("Fix:"));
	return result.problems
		.map((p) => {
			const how = `<div class="text-muted small">${fix} ${esc(p.fix)}</div>`;
			return `<tr><td>${pill}</td><td>${label}</td><td>${esc(p.problem)}${how}</td></tr>`;
		})
		.join("");
}
