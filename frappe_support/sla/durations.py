"""Support time in words: the one way the app writes how much support time is left or overdue.

Support time is measured on the contract's calendar, so a "day" of it is whatever the calendar's working
day is (8 hours on most, 24 on a 24x7 one). Writing 32 support hours as "1 d 8 h" would read them as
wall-clock days, so durations are hours and minutes only: "32 h", "8 h 30 min", "45 min". The desk's and
the portal's copy is `frappe_support.format_duration` in public/js/frappe_support.js; a browser test keeps
the two equal.
"""

from __future__ import annotations

from frappe_support.sla.errors import _


def support_minutes(seconds: float) -> int:
	"""The duration to the nearest minute, without its sign (overdue by, or left)."""
	return int(abs(seconds) / 60 + 0.5)


def format_support_time(seconds: float, translate=None) -> str:
	"""Business seconds as "32 h", "8 h 30 min" or "45 min"."""
	tr = translate or _
	hours, minutes = divmod(support_minutes(seconds), 60)
	if hours and minutes:
		return tr("{0} h {1} min").format(hours, minutes)
	if hours:
		return tr("{0} h").format(hours)
	return tr("{0} min").format(minutes)
