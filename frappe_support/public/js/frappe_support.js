// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

// What the app's pages share: the colours of SLA states, SLA events and exposures, durations in support
// time, and times in the reader's own zone. Loaded on every desk page (hooks.py app_include_js) and
// inlined into the support portal's pages, so there is one copy of each.
window.frappe_support = window.frappe_support || {};

Object.assign(window.frappe_support, {
	SLA_COLORS: {
		Running: "blue",
		Paused: "orange",
		"At Risk": "yellow",
		Met: "green",
		Breached: "red",
		"Not Covered": "gray",
	},

	SLA_EVENT_COLORS: {
		Started: "blue",
		Responded: "green",
		Paused: "orange",
		Resumed: "blue",
		Reopened: "orange",
		"At Risk": "yellow",
		Breached: "red",
		Met: "green",
		Escalated: "red",
		"Not Covered": "gray",
	},

	EXPOSURE_COLORS: {
		Affected: "red",
		Unknown: "orange",
		"Not Affected": "green",
		Patched: "green",
		Withdrawn: "gray",
	},

	format_duration(seconds) {
		// business seconds as "32 h", "8 h 30 min" or "45 min", to the minute: support time has no days,
		// a calendar's working day is not 24 h (the server's copy: frappe_support/sla/durations.py)
		const total = Math.floor(Math.abs(seconds) / 60 + 0.5);
		const hours = Math.floor(total / 60);
		const minutes = total % 60;
		if (hours && minutes) return __("{0} h {1} min", [hours, minutes]);
		if (hours) return __("{0} h", [hours]);
		return __("{0} min", [minutes]);
	},

	shown_state(sla_state, clock) {
		// [label, colour] of an issue's SLA state on a list: a due clock that stands still only because
		// the calendar is closed (the server's `off_hours`) reads "Off Hours", not "Running"
		if (sla_state === "Running" && clock && clock.off_hours) return [__("Off Hours"), "gray"];
		return [__(sla_state || ""), frappe_support.SLA_COLORS[sla_state] || "gray"];
	},

	clock_words(clock, short) {
		// an SLA clock's {remaining (business seconds; negative: overdue), running, paused} in words, as the
		// form and the customer site's desk write it; `short` for a list's narrow column
		const time = frappe_support.format_duration(clock.remaining);
		if (clock.remaining < 0) {
			return short ? __("{0} overdue", [time]) : __("overdue by {0} of support time", [time]);
		}
		const left = short ? __("{0} left", [time]) : __("{0} of support time left", [time]);
		if (clock.paused) return left + " · " + __("paused");
		if (clock.running) return left;
		return left + " · " + (short ? __("stopped") : __("clock stopped until support hours"));
	},

	user_time(value) {
		// a stored (system time zone) datetime, in the desk user's own time zone, with that zone's name
		if (!value) return "";
		return frappe.datetime.convert_to_user_tz(value, false).format("ddd D MMM HH:mm z").trim();
	},

	set_autocomplete_options(frm, fieldname, options) {
		// Frappe's Autocomplete reads its options once, when its input is made: a list that arrives later
		// (from the server) must be handed to the control too, or it suggests nothing
		frm.set_df_property(fieldname, "options", options);
		const control = frm.fields_dict[fieldname];
		if (control && control.set_data) control.set_data(options);
	},

	window_field(slots, label_of) {
		// the Select of a dialog that offers free upgrade windows: value = the slot's index
		return {
			fieldname: "slot",
			fieldtype: "Select",
			label: __("Window"),
			reqd: 1,
			default: "0",
			options: slots.map((s, i) => ({ value: String(i), label: label_of(s) })),
		};
	},

	escape(value) {
		const div = document.createElement("div");
		div.textContent = value == null ? "" : String(value);
		return div.innerHTML;
	},

	book_fix_dialog({ plan, book, when, on_booked }) {
		// "Book the Fix" of an exposure on a desk (the provider's, or the customer site's connector page):
		// `plan()` gives the fix plan (app, versions, free windows or the site's open upgrade), `book(start)`
		// books it; `when(iso or stored)` writes a time with its zone.
		const esc = frappe_support.escape;
		return plan().then((p) => {
			if (p.booked) {
				frappe.msgprint(__("The fix is booked already: upgrade {0}.", [esc(p.booked)]));
				return;
			}
			const what = __("Upgrade {0} on {1} from {2} to {3}.", [
				esc(p.app_name),
				esc(p.site),
				esc(p.from_version || "?"),
				esc(p.to_version),
			]);
			if (!p.open_upgrade && !p.slots.length) {
				frappe.msgprint(what + " " + __("No free upgrade window was found in the coming weeks."));
				return;
			}
			const fields = [{ fieldname: "what", fieldtype: "HTML", options: `<p>${what}</p>` }];
			if (p.open_upgrade) {
				fields.push({
					fieldname: "joins",
					fieldtype: "HTML",
					options: `<p class="text-muted">${__(
						"The site already has upgrade {0} open: the fix is added to it.",
						[esc(p.open_upgrade)]
					)}</p>`,
				});
			} else {
				fields.push(
					frappe_support.window_field(
						p.slots,
						(s) => `${when(s.start)} – ${when(s.end)}` + (s.engineer ? " · " + s.engineer : "")
					)
				);
			}
			const dialog = new frappe.ui.Dialog({
				title: __("Book the Fix"),
				fields,
				primary_action_label: __("Book"),
				primary_action: (values) => {
					const slot = p.open_upgrade ? null : p.slots[Number(values.slot)];
					dialog.disable_primary_action();
					// frm.call answers with a jQuery Deferred: a Promise from here on; a refusal was shown already
					Promise.resolve(book(slot ? slot.start : null)).then(
						(answer) => {
							dialog.hide();
							on_booked(answer);
						},
						() => dialog.enable_primary_action()
					);
				},
			});
			dialog.show();
			return dialog;
		});
	},
});
