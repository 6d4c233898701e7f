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
		// business seconds as "1 d 2 h 5 min", to the minute
		seconds = Math.max(Math.round(Math.abs(seconds) / 60), 0) * 60;
		const days = Math.floor(seconds / 86400);
		const hours = Math.floor((seconds % 86400) / 3600);
		const minutes = Math.floor((seconds % 3600) / 60);
		if (days) return __("{0} d {1} h {2} min", [days, hours, minutes]);
		if (hours) return __("{0} h {1} min", [hours, minutes]);
		return __("{0} min", [minutes]);
	},

	user_time(value) {
		// a stored (system time zone) datetime, in the desk user's own time zone
		if (!value) return "";
		return frappe.datetime.convert_to_user_tz(value, false).format("ddd D MMM HH:mm");
	},

	escape(value) {
		const div = document.createElement("div");
		div.textContent = value == null ? "" : String(value);
		return div.innerHTML;
	},
});
