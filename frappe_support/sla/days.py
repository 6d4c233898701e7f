"""Local day numbers, times of day and the compiled weekly hours and closures of a business calendar.

A day is a local date counted from 1970-01-01; a time of day is seconds after midnight. Pure Python.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

from frappe_support.sla.errors import CalendarError, _
from frappe_support.sla.zone import DAY, merge_intervals

BUSINESS_HOURS = "Business Hours"
BUSINESS_DAYS = "Business Days"
CALENDAR_HOURS = "Calendar Hours"
UNITS = (BUSINESS_HOURS, BUSINESS_DAYS, CALENDAR_HOURS)

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
NEAR_DAYS = 8  # spans shorter than this many days are walked day by day
DAY_CACHE_LIMIT = 50_000
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def day_number(d: date) -> int:
	return d.toordinal() - _EPOCH_ORDINAL


def day_date(n: int) -> date:
	return date.fromordinal(n + _EPOCH_ORDINAL)


def weekday_of(n: int) -> int:
	"""The weekday (Monday 0) of local day number n (days since 1970-01-01, a Thursday)."""
	return (n + 3) % 7


def parse_clock(value: object, *, is_end: bool = False) -> int:
	"""Seconds after midnight of "HH:MM", "HH:MM:SS", a time or a timedelta ("24:00" only as an end)."""
	if isinstance(value, timedelta):
		seconds = value.total_seconds()
	elif isinstance(value, time):
		seconds = value.hour * 3600 + value.minute * 60 + value.second
	elif isinstance(value, str):
		parts = value.strip().split(":")
		if not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
			raise CalendarError(_("{0} is not a time of day: write it as HH:MM, for example 09:00."), value)
		h, m = int(parts[0]), int(parts[1])
		s = int(parts[2]) if len(parts) == 3 else 0
		if m > 59 or s > 59:
			raise CalendarError(_("{0} is not a time of day: write it as HH:MM, for example 09:00."), value)
		seconds = h * 3600 + m * 60 + s
	else:
		raise CalendarError(_("{0} is not a time of day: write it as HH:MM, for example 09:00."), value)
	if seconds != int(seconds) or seconds < 0 or seconds > DAY or (seconds == DAY and not is_end):
		raise CalendarError(
			_("{0} is not a time of day between 00:00 and 24:00 (24:00 only ends an interval)."), value
		)
	return int(seconds)


def fmt_clock(seconds: int) -> str:
	"""Seconds after midnight as HH:MM, or HH:MM:SS when the seconds are not zero."""
	h, rest = divmod(int(seconds), 3600)
	m, s = divmod(rest, 60)
	return f"{h:02d}:{m:02d}:{s:02d}" if s else f"{h:02d}:{m:02d}"


def compile_weekly(weekly) -> list[tuple[tuple[int, int], ...]]:
	if not weekly:
		raise CalendarError(
			_("The calendar has no open hours: add at least one weekly interval or switch on 24x7.")
		)
	template: list[list[tuple[int, int]]] = [[] for _d in range(7)]
	for key, intervals in weekly.items():
		try:
			weekday = int(key)
		except (TypeError, ValueError):
			weekday = -1
		if not 0 <= weekday <= 6:
			raise CalendarError(_("{0} is not a weekday: use 0 (Monday) to 6 (Sunday)."), key)
		for interval in intervals or ():
			start, end = interval[0], interval[1]
			s = parse_clock(start)
			e = parse_clock(end, is_end=True)
			if e == s:
				if s != 0:
					raise CalendarError(
						_(
							"The interval {0} to {1} on {2} starts and ends at the same time: "
							"use 00:00 to 24:00 for a whole day, or correct the end."
						),
						fmt_clock(s),
						fmt_clock(e),
						WEEKDAY_NAMES[weekday],
					)
				e = DAY
			elif e < s:
				e += DAY  # crosses midnight, belongs to the day it starts on
			template[weekday].append((s, e))
	flat = sorted((w * DAY + s, w * DAY + e, w) for w in range(7) for s, e in template[w])
	if not flat:
		raise CalendarError(
			_("The calendar has no open hours: add at least one weekly interval or switch on 24x7.")
		)
	for (s1, e1, w1), (s2, _e2, w2) in zip(
		flat, [*flat[1:], (flat[0][0] + 7 * DAY, 0, flat[0][2])], strict=True
	):
		if e1 > s2:
			raise CalendarError(
				_("Two open intervals overlap ({0} and {1}): make them end before the next one starts."),
				f"{WEEKDAY_NAMES[w1]} {fmt_clock(s1 % DAY)}-{fmt_clock(e1 % DAY or DAY)}",
				f"{WEEKDAY_NAMES[w2]} {fmt_clock(s2 % DAY)}",
			)
	return [tuple(sorted(day)) for day in template]


def compile_closures(closures) -> tuple[list[tuple[float, float]], list[tuple[float, float, str]]]:
	raw, reasons = [], []
	for closure in closures or ():
		start, end = closure[0], closure[1]
		reason = str(closure[2]) if len(closure) > 2 and closure[2] else ""
		for value in (start, end):
			if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
				raise CalendarError(
					_("The closure from {0} to {1} needs time-zone-aware start and end datetimes."),
					start,
					end,
				)
		a, b = start.timestamp(), end.timestamp()
		if b <= a:
			raise CalendarError(
				_("The closure from {0} to {1} ends before it starts: swap or correct the times."),
				start,
				end,
			)
		raw.append((a, b))
		reasons.append((a, b, reason))
	return merge_intervals(sorted(raw)), sorted(reasons)


def check_target(amount: object, unit: str) -> float:
	"""The amount as a number, or a CalendarError saying what is wrong with the target."""
	if unit not in UNITS:
		raise CalendarError(
			_("{0} is not a target unit: use Business Hours, Business Days or Calendar Hours."), unit
		)
	try:
		value = float(amount)
	except (TypeError, ValueError):
		raise CalendarError(_("The target {0} is not a number."), amount)
	if not math.isfinite(value) or value < 0:
		raise CalendarError(_("The target {0} must be zero or a positive number."), amount)
	if unit == BUSINESS_DAYS and value != int(value):
		raise CalendarError(_("A Business Days target must be a whole number of days, not {0}."), amount)
	return value


def as_date(value: date | str) -> date:
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	try:
		return date.fromisoformat(str(value))
	except ValueError:
		raise CalendarError(_("The holiday {0} is not a date: write it as YYYY-MM-DD."), value)
