// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

const EXPOSURE_COLORS = frappe_support.EXPOSURE_COLORS; // public/js/frappe_support.js

// What the matching job is doing (queued, running, done at ...), with a warning when no worker will run
// it; the job announces its start and end on the advisory's realtime room, and the form follows.
const MATCHING_WORDS = {
	queued: (at) => [__("Matching queued at {0}: the covered sites are not matched yet.", [at]), "blue"],
	running: (at) => [__("Matching running since {0}.", [at]), "blue"],
	done: (at) => [__("Matching done at {0}.", [at]), "green"],
	failed: (at) => [
		__("Matching failed at {0}: see the Error Log; the catch-up runs it again within 15 minutes.", [at]),
		"red",
	],
	lost: () => [__("Matching is not queued: the catch-up queues it again within 15 minutes."), "orange"],
	unreachable: () => [
		__("The background job queue cannot be reached, so matching cannot run: start its Redis."),
		"red",
	],
};

frappe.ui.form.on("Security Advisory", {
	setup(frm) {
		// once per form: the same form shows one advisory after another
		frappe.realtime.on("frappe_support_advisory_matching", (data) => {
			if (!frm.doc || data.advisory !== frm.doc.name) return;
			if (data.state === "done") frm.reload_doc();
			else frm.trigger("show_matching");
		});
	},
	refresh(frm) {
		frm.trigger("show_matching");
		frm.trigger("show_exposures");
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
	show_matching(frm) {
		if (frm.is_new() || frm.doc.status === "Draft") return;
		frappe
			.xcall("frappe_support.advisories.progress.matching_state", { advisory: frm.doc.name })
			.then((m) => {
				frm.matching_state = m.state;
				const words = MATCHING_WORDS[m.state];
				frm.dashboard.clear_headline();
				if (!words) return;
				const [text, color] = words(frappe_support.user_time(m.at));
				const warning = m.warning
					? `<div class="matching-warning text-danger">${frappe.utils.escape_html(m.warning)}</div>`
					: "";
				frm.dashboard.set_headline(
					`<div class="matching-state" data-state="${m.state}">${frappe.utils.escape_html(
						text
					)}</div>${warning}`,
					m.warning ? "orange" : color
				);
				frm.trigger("show_exposures");
			});
	},
	show_exposures(frm) {
		// The sites this advisory reached, as the user may see them (a customer sees only their own).
		const $wrapper = frm.fields_dict.exposures_html.$wrapper;
		if (frm.is_new() || frm.doc.status === "Draft") {
			$wrapper.empty();
			return;
		}
		frappe.db
			.get_list("Advisory Exposure", {
				filters: { advisory: frm.doc.name },
				fields: [
					"name",
					"site",
					"customer",
					"status",
					"app_name",
					"installed_version",
					"fixed_version",
					"acknowledged_on",
					"upgrade_schedule",
				],
				order_by: "status asc, customer asc, site asc",
				limit: 500,
			})
			.then((rows) => {
				const upgrades = rows.map((r) => r.upgrade_schedule).filter(Boolean);
				if (!upgrades.length) return [rows, {}];
				return frappe.db
					.get_list("Upgrade Schedule", {
						filters: { name: ["in", upgrades] },
						fields: ["name", "status", "window_start"],
						limit: 500,
					})
					.then((found) => [rows, Object.fromEntries(found.map((u) => [u.name, u]))]);
			})
			.then(([rows, upgrades]) => {
				if (!rows.length) {
					const matched = frm.doc.status !== "Published" || frm.matching_state === "done";
					$wrapper.html(
						`<div class="text-muted small">${
							matched
								? __("No covered site is or was exposed to this advisory.")
								: __("No exposure yet: the covered sites are matched once the matching job runs.")
						}</div>`
					);
					return;
				}
				const counts = {};
				rows.forEach((r) => (counts[r.status] = (counts[r.status] || 0) + 1));
				const summary = Object.keys(counts)
					.map(
						(status) =>
							`<span class="indicator-pill ${EXPOSURE_COLORS[status] || "gray"}">${__(
								status
							)}: ${counts[status]}</span>`
					)
					.join(" ");
				const esc = frappe.utils.escape_html;
				const body = rows
					.map(
						(r) => `<tr>
							<td><a href="/app/advisory-exposure/${encodeURIComponent(r.name)}">${esc(r.site)}</a></td>
							<td>${esc(r.customer || "")}</td>
							<td><span class="indicator-pill ${EXPOSURE_COLORS[r.status] || "gray"}">${__(
								r.status
							)}</span></td>
							<td>${esc(r.app_name || "")}</td>
							<td>${esc(r.installed_version || "")}</td>
							<td>${esc(r.fixed_version || "")}</td>
							<td>${frappe_support.user_time(r.acknowledged_on)}</td>
							<td class="exposure-fix">${fix_cell(r, upgrades[r.upgrade_schedule])}</td>
						</tr>`
					)
					.join("");
				$wrapper.html(`
					<div class="advisory-exposures">
						<div style="margin-bottom: var(--margin-sm)">${summary}</div>
						<table class="table table-bordered table-sm small">
							<thead><tr>
								<th>${__("Site")}</th><th>${__("Customer")}</th><th>${__("Status")}</th>
								<th>${__("App")}</th><th>${__("Installed Version")}</th>
								<th>${__("Fixed In")}</th><th>${__("Acknowledged On")}</th><th>${__("Fix")}</th>
							</tr></thead>
							<tbody>${body}</tbody>
						</table>
					</div>`);
			});
	},
});

function fix_cell(exposure, upgrade) {
	// per site: the fix booked (its upgrade and window), done (the upgrade completed), or nothing yet
	if (!exposure.upgrade_schedule) return "";
	const link = `<a href="/app/upgrade-schedule/${encodeURIComponent(exposure.upgrade_schedule)}">${frappe.utils.escape_html(
		exposure.upgrade_schedule
	)}</a>`;
	if (!upgrade) return link;
	if (upgrade.status === "Completed")
		return `<span class="indicator-pill green">${__("Done")}</span> ${link}`;
	if (["Requested", "Scheduled", "In Progress"].includes(upgrade.status))
		return `<span class="indicator-pill blue">${__("Booked")}</span> ${link} ${frappe_support.user_time(
			upgrade.window_start
		)}`;
	return `<span class="indicator-pill orange">${__(upgrade.status)}</span> ${link}`;
}
