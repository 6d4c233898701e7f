// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Support Site", {
	setup(frm) {
		frm.set_query("contract", () => ({
			filters: { docstatus: 1, ...(frm.doc.customer ? { customer: frm.doc.customer } : {}) },
		}));
	},
	customer(frm) {
		// the customer's only active contract; with several the user chooses
		if (!frm.doc.customer || frm.doc.contract) return;
		frappe
			.xcall("frappe_support.sites.picking.customer_contract", { customer: frm.doc.customer })
			.then((contract) => contract && frm.set_value("contract", contract));
	},
	refresh(frm) {
		if (frm.is_new()) return;
		// the headline block appends: a second refresh of the same form (after a save) would show it twice
		frm.dashboard.clear_headline();
		if (frm.doc.last_upgraded_on) {
			const days = frappe.datetime.get_day_diff(frappe.datetime.now_date(), frm.doc.last_upgraded_on);
			frm.dashboard.set_headline(
				__("Last upgraded {0} days ago.", [days]),
				days > 28 ? "orange" : "green"
			);
		} else {
			frm.dashboard.set_headline(__("No completed upgrade on record."), "orange");
		}
		frm.add_custom_button(__("Book Upgrade"), () =>
			frappe.new_doc("Upgrade Schedule", { site: frm.doc.name, contract: frm.doc.contract })
		);
		if (frm.perm[1] && frm.perm[1].write && frm.doc.api_key) {
			frm.add_custom_button(__("Probe Now"), () =>
				frm.call({ method: "probe", doc: frm.doc, freeze: true }).then(() => frm.reload_doc())
			);
		}
		frm.add_custom_button(__("Exposures"), () =>
			frappe.set_route("List", "Advisory Exposure", { site: frm.doc.name })
		);
		if (frm.perm[0] && frm.perm[0].write && frm.doc.monitor_uptime) {
			frm.add_custom_button(__("Check Uptime Now"), () =>
				frm.call({ method: "check_uptime", doc: frm.doc, freeze: true }).then((r) => {
					const m = r.message;
					frappe.show_alert({
						message: m.up
							? __("Up: answered in {0} ms.", [m.ms])
							: __("Down: {0}.", [frappe.utils.escape_html(m.reason)]),
						indicator: m.up ? "green" : "red",
					});
					frm.reload_doc();
				})
			);
		}
		frm.add_custom_button(__("Downtimes"), () =>
			frappe.set_route("List", "Support Site Downtime", { site: frm.doc.name })
		);
		frm.trigger("show_uptime");
		frm.trigger("show_health");
		frm.add_custom_button(
			__("Scaling Issue"),
			() =>
				frappe.new_doc("Support Issue", {
					site: frm.doc.name,
					customer: frm.doc.customer,
					category: "Scaling",
					topic: "Bottleneck Identification",
				}),
			__("Raise")
		);
	},
	show_health(frm) {
		const field = frm.get_field("health_html");
		frappe
			.xcall("frappe_support.sites.health.site_health", { site: frm.doc.name })
			.then((h) => field.$wrapper.html(health_html(h)));
	},
	show_uptime(frm) {
		const field = frm.get_field("uptime_strip");
		frappe
			.xcall("frappe_support.sites.uptime_view.site_uptime", { site: frm.doc.name })
			.then((u) => field.$wrapper.html(uptime_html(u)));
	},
});

const UPTIME_COLOURS = { up: "#30a66d", down: "#e24c4c", planned: "#ecad4b", unwatched: "#e2e6e9" };

function uptime_html(u) {
	const percent =
		u.percent === null
			? __("not watched this month")
			: __("{0} % up in {1}", [u.percent.toFixed(3), u.month]);
	const cells = u.cells
		.map((c) => {
			const what = {
				up: __("up"),
				down: __("down {0} min", [c.down_minutes]),
				planned: __("planned downtime (upgrade window)"),
				unwatched: __("not checked"),
			}[c.state];
			const title = frappe.utils.escape_html(`${c.label}: ${what}`);
			return `<span class="uptime-cell" data-state="${c.state}" title="${title}"
				style="flex:1 1 0;min-width:1px;height:24px;background:${UPTIME_COLOURS[c.state]}"></span>`;
		})
		.join("");
	const outages = __("{0} outages, {1} min down this month (times in {2})", [
		u.outages,
		u.down_minutes,
		u.zone,
	]);
	return `<div class="uptime-strip">
		<div class="text-muted small">${__("Last 7 days, an hour a cell")}</div>
		<div style="display:flex;gap:1px;margin:4px 0">${cells}</div>
		<div><b class="uptime-percent">${frappe.utils.escape_html(percent)}</b>
			<span class="text-muted small"> · ${frappe.utils.escape_html(outages)}</span></div>
	</div>`;
}

function health_html(h) {
	const esc = frappe.utils.escape_html;
	const l = h.latest || {};
	if (!Object.keys(l).length)
		return `<div class="text-muted small">${__(
			"No health reported yet: the customer site's connector sends it with its versions, hourly."
		)}</div>`;
	const figure = (label, value, unit) =>
		`<tr><td>${label}</td><td class="text-right">${value == null ? "" : esc(String(value))} ${unit || ""}</td></tr>`;
	const over = (h.over || []).length
		? `<div class="indicator-pill orange">${__("Over thresholds: {0}", [esc(h.over.join(", "))])}</div>`
		: "";
	const tables = (l.largest_tables || [])
		.slice(0, 5)
		.map((t) => `${esc(t.table)} ${esc(String(t.size_mb))} MB`)
		.join(", ");
	const trend = (h.trend || [])
		.map(
			(m) => `<tr><td>${esc(m.month)}</td>
				<td class="text-right">${m.db_size_mb == null ? "" : m.db_size_mb}</td>
				<td class="text-right">${m.growth_mb == null ? "" : (m.growth_mb > 0 ? "+" : "") + m.growth_mb}</td>
				<td class="text-right">${m.errors_per_day == null ? "" : m.errors_per_day}</td></tr>`
		)
		.join("");
	return `<div class="site-health">
		${over}
		${
			h.reported_on
				? `<div class="text-muted small">${__("Reported {0}", [frappe_support.user_time(h.reported_on)])}</div>`
				: ""
		}
		<table class="table table-sm small site-health-latest">
			${figure(__("Database"), l.db_size_mb, "MB")}
			${figure(__("Errors in 24 hours"), l.errors_24h)}
			${figure(__("Jobs waiting"), l.pending_jobs)}
			${figure(__("Failed jobs"), l.failed_jobs)}
			${figure(__("Scheduler"), l.scheduler)}
			${figure(__("Emails failed (7 days)"), l.emails_failed)}
			${figure(__("Files"), l.files_mb, "MB")}
		</table>
		<div class="small">${__("Largest tables")}: ${tables}</div>
		<table class="table table-sm small site-health-trend">
			<thead><tr><th>${__("Month")}</th><th class="text-right">${__("Database (MB)")}</th>
			<th class="text-right">${__("Growth (MB)")}</th><th class="text-right">${__("Errors a Day")}</th></tr></thead>
			<tbody>${trend}</tbody>
		</table>
	</div>`;
}
