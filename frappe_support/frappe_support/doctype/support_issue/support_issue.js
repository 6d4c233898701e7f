// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

// The form's SLA panel: a live countdown per clock in business time, and the SLA log as a timeline (why
// each deadline is where it is: the Explain Deadline button, both clocks). The server says how many business seconds are left, whether the
// contract's calendar is open now and when it next opens or closes; between two answers the panel
// counts down by itself, and asks again when the calendar opens or closes.
// The shared helpers (frappe_support.format_duration, user_time, the colours) are in
// public/js/frappe_support.js.
frappe_support.SlaPanel = class SlaPanel {
	constructor(frm) {
		this.frm = frm;
		this.timer = null;
	}

	refresh() {
		this.stop();
		const frm = this.frm;
		if (frm.is_new()) return;
		frappe
			.xcall("frappe_support.issues.panel.get_sla_panel", { name: frm.doc.name })
			.then((panel) => {
				if (frm.doc.name !== this.name_when_asked) return;
				this.panel = panel;
				this.fetched_at = Date.now();
				this.render();
				this.start();
			});
		this.name_when_asked = frm.doc.name;
	}

	start() {
		if (!(this.panel.clocks || []).some((c) => c.running || c.changes_in)) return;
		this.timer = setInterval(() => this.tick(), 10 * 1000);
		const next = Math.min(
			...this.panel.clocks.filter((c) => c.changes_in).map((c) => c.changes_in)
		);
		// the calendar opens or closes: ask the server again
		if (isFinite(next) && next < 7 * 86400) {
			this.change_timer = setTimeout(() => this.refresh(), (next + 1) * 1000);
		}
	}

	stop() {
		clearInterval(this.timer);
		clearTimeout(this.change_timer);
		this.timer = this.change_timer = null;
	}

	tick() {
		if (!document.body.contains(this.frm.fields_dict.sla_panel.$wrapper[0])) {
			this.stop(); // the form was left
			return;
		}
		this.render_clocks();
	}

	remaining(clock) {
		const elapsed = (Date.now() - this.fetched_at) / 1000;
		return clock.running ? clock.remaining - elapsed : clock.remaining;
	}

	render() {
		const $panel = this.frm.fields_dict.sla_panel.$wrapper;
		$panel.html(`
			<div class="sla-panel">
				<div class="sla-clocks"></div>
			</div>`);
		this.render_clocks();
		this.render_timeline(this.frm.fields_dict.sla_timeline.$wrapper);
	}

	render_clocks() {
		const panel = this.panel;
		const $clocks = this.frm.fields_dict.sla_panel.$wrapper.find(".sla-clocks");
		if (panel.state === "Not Covered") {
			$clocks.html(
				`<div class="sla-clock text-muted">${__("Not covered by the contract: {0}", [
					frappe.utils.escape_html(panel.coverage_note || ""),
				])}</div>`
			);
			return;
		}
		$clocks.html(panel.clocks.map((clock) => this.clock_html(clock)).join(""));
	}

	clock_html(clock) {
		let color, text;
		if (clock.finished) {
			color = clock.met ? "green" : "red";
			text = clock.met
				? __("Resolved {0}, within the deadline {1}", [
						frappe_support.user_time(clock.resolved_on),
						frappe_support.user_time(clock.deadline),
				  ])
				: __("Resolved {0}, after the deadline {1}", [
						frappe_support.user_time(clock.resolved_on),
						frappe_support.user_time(clock.deadline),
				  ]);
		} else if (clock.paused && !clock.deadline) {
			color = "orange";
			text = __("Paused since {0}: {1} of support time left when it resumes", [
				frappe_support.user_time(clock.paused_since),
				frappe_support.format_duration(clock.remaining),
			]);
		} else {
			const left = this.remaining(clock);
			const at_risk = clock.at_risk_on && frappe.datetime.system_datetime() >= clock.at_risk_on;
			color = left <= 0 ? "red" : at_risk ? "yellow" : "blue";
			text =
				left > 0
					? __("Due in {0} of support time, {1}", [
							frappe_support.format_duration(left),
							frappe_support.user_time(clock.deadline),
					  ])
					: __("Overdue by {0} of support time, since {1}", [
							frappe_support.format_duration(left),
							frappe_support.user_time(clock.deadline),
					  ]);
			if (!clock.running && left > 0) {
				text += " · " + __("the clock stands still outside support hours");
			} else if (clock.paused) {
				text += " · " + __("paused");
			}
		}
		const remaining = clock.finished ? "" : Math.round(this.remaining(clock));
		return `<div class="sla-clock" data-clock="${clock.clock}" data-remaining="${remaining}">
			<span class="indicator-pill ${color}">${frappe.utils.escape_html(clock.label)}</span>
			<span class="sla-countdown">${frappe.utils.escape_html(text)}</span>
		</div>`;
	}

	render_timeline($wrapper) {
		const rows = this.panel.log || [];
		if (!rows.length) {
			$wrapper.html(`<div class="text-muted small">${__("No SLA events yet.")}</div>`);
			return;
		}
		const colors = frappe_support.SLA_EVENT_COLORS;
		// the log's clock column in words (stored "Both": an event of both clocks)
		const clock_words = {
			Response: __("First response"),
			Resolution: __("Resolution"),
			Both: __("First response and resolution"),
		};
		const items = rows
			.map((row) => {
				const used =
					row.consumed_hours || row.consumed_hours === 0
						? __("{0} business hours used", [row.consumed_hours])
						: "";
				const deadline = row.deadline
					? __("deadline {0}", [frappe_support.user_time(row.deadline)])
					: "";
				const facts = [clock_words[row.clock] || __(row.clock), used, deadline]
					.filter(Boolean)
					.join(" · ");
				return `<div class="sla-event" style="display: flex; gap: var(--margin-md); padding: 6px 0; border-bottom: 1px solid var(--border-color)">
					<div style="min-width: 10em" class="text-muted small">${frappe_support.user_time(row.at)}</div>
					<div style="min-width: 9em"><span class="indicator-pill ${
						colors[row.event] || "gray"
					}">${__(row.event)}</span></div>
					<div class="small">${frappe.utils.escape_html(row.note || "")}
						<div class="text-muted">${frappe.utils.escape_html(facts)}</div></div>
				</div>`;
			})
			.join("");
		$wrapper.html(`<div class="sla-timeline">${items}</div>`);
	}
};

frappe.ui.form.on("Support Issue", {
	setup(frm) {
		// set here, not on a change of customer, so an existing issue's pickers are filtered too
		frm.set_query("site", () => ({ filters: frm.doc.customer ? { customer: frm.doc.customer } : {} }));
		frm.set_query("contract", () => ({
			filters: { docstatus: 1, ...(frm.doc.customer ? { customer: frm.doc.customer } : {}) },
		}));
	},
	refresh(frm) {
		frm.trigger("set_topic_options");
		frm.sla_panel = frm.sla_panel || new frappe_support.SlaPanel(frm);
		frm.sla_panel.refresh();
		if (!frm.is_new() && frm.doc.sla_state && frm.doc.sla_state !== "Not Covered") {
			frm.add_custom_button(__("Explain Deadline"), () => frm.trigger("explain_deadline"));
		}
	},
	site(frm) {
		// the site's customer and contract, as the server fills them on save
		if (!frm.doc.site) return;
		frappe
			.xcall("frappe_support.sites.picking.site_defaults", { site: frm.doc.site })
			.then((site) => {
				if (site.customer) frm.set_value("customer", site.customer);
				if (site.contract) frm.set_value("contract", site.contract);
			});
	},
	customer(frm) {
		// the customer's only active contract; with several the user chooses
		if (!frm.doc.customer || frm.doc.site) return;
		frappe
			.xcall("frappe_support.sites.picking.customer_contract", { customer: frm.doc.customer })
			.then((contract) => contract && frm.set_value("contract", contract));
	},
	category(frm) {
		frm.set_value("topic", "");
		frm.trigger("set_topic_options");
	},
	set_topic_options(frm) {
		if (!frm.doc.category) return;
		frappe
			.xcall("frappe_support.issues.coverage.get_topics", { category: frm.doc.category })
			.then((topics) => frappe_support.set_autocomplete_options(frm, "topic", topics));
	},
	explain_deadline(frm) {
		frappe
			.xcall("frappe_support.frappe_support.doctype.support_issue.support_issue.explain_deadline", {
				name: frm.doc.name,
			})
			.then((sections) => {
				const esc = frappe.utils.escape_html;
				frappe.msgprint({
					title: __("How the deadlines were reached"),
					message: sections
						.map(
							(s) => `<div class="sla-why-section"><strong>${esc(s.label)}</strong><ul>${s.lines
								.map((l) => `<li>${esc(l)}</li>`)
								.join("")}</ul></div>`
						)
						.join(""),
					indicator: "blue",
				});
			});
	},
});
