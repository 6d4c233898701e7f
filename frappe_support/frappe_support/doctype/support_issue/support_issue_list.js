// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

// Sorted by the next deadline, soonest first, issues without one last (the hidden Due Order field); by
// default the open issues on a contract. The indicator is the SLA state; the Next Deadline column says
// how much support time is left before it, as the form, the portal and the emails do (one server call
// for the page's issues). An issue whose clock stands still now (the calendar is closed) says so instead
// of "Running".
frappe.listview_settings["Support Issue"] = {
	add_fields: ["sla_state", "status", "priority", "next_deadline", "paused_since"],
	// what needs work: open, on a contract (Not Covered issues are one click away, in the sidebar)
	filters: [
		["status", "in", ["Open", "Replied"]],
		["sla_state", "!=", "Not Covered"],
	],
	get_indicator(doc) {
		const colors = frappe_support.SLA_COLORS;
		if (doc.status === "Closed") return [__("Closed"), "gray", "status,=,Closed"];
		return [
			__(doc.sla_state || doc.status),
			colors[doc.sla_state] || "blue",
			"sla_state,=," + doc.sla_state,
		];
	},
	formatters: {
		next_deadline(value, df, doc) {
			if (!value) {
				return doc.paused_since
					? `<span class="text-muted">${__("paused")}</span>`
					: `<span class="text-muted">${__("none")}</span>`;
			}
			// filled in support time by refresh(); until then (and on hover) the deadline itself
			return `<span class="fs-list-clock" data-name="${frappe.utils.escape_html(
				doc.name
			)}" title="${frappe.utils.escape_html(frappe_support.user_time(value))}">${frappe_support.user_time(
				value
			)}</span>`;
		},
	},
	refresh(listview) {
		const names = (listview.data || []).filter((d) => d.next_deadline).map((d) => d.name);
		if (!names.length) return;
		frappe
			.xcall("frappe_support.issues.panel.list_clocks", { names })
			.then((clocks) => frappe_support.show_list_clocks(listview, clocks));
	},
};

frappe_support.show_list_clocks = function (listview, clocks) {
	Object.entries(clocks).forEach(([name, clock]) => {
		if (!clock) return;
		const $clock = listview.$result.find(`.fs-list-clock[data-name="${CSS.escape(name)}"]`);
		$clock
			.text(frappe_support.clock_words(clock, true))
			.attr("title", frappe_support.clock_words(clock) + " · " + $clock.attr("title"))
			.toggleClass("text-danger", clock.remaining < 0);
		$clock.attr("data-remaining", clock.remaining).attr("data-running", clock.running ? 1 : 0);
		const doc = (listview.data || []).find((d) => d.name === name);
		if (!doc || !clock.off_hours || doc.status === "Closed") return;
		// the clock stands still: not "Running", whatever the stored state says
		const [label, color] = frappe_support.shown_state(doc.sla_state, clock);
		const $row = listview.$result.find(`.list-row-checkbox[data-name="${CSS.escape(name)}"]`);
		const $pill = $row.closest(".list-row").find(".indicator-pill").first();
		$pill.text(label).removeClass(frappe_support.SLA_COLORS[doc.sla_state] || "blue").addClass(color);
	});
};
