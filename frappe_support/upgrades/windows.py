"""Checks of a proposed upgrade window: the rules of docs/design.md ("Upgrade windows").

Pure Python, no Frappe. Instants are POSIX seconds internally; the public functions take and return
time-zone-aware datetimes (returned ones in the calendar's zone).

- A contract's remote-access window (`frappe_support.upgrades.access`) is read on the support calendar's
  own wall clock; on a daylight-saving day it covers the real time whose wall-clock reading lies inside it
  (01:00-04:00 is two real hours on the spring day, four on the autumn day).
- A window may be booked when it lies entirely inside the calendar's open time and the access window,
  starts no earlier than the notice period (business hours from now) allows, and overlaps none of the
  engineer's other bookings (half-open intervals: touching is fine).
- Free slots are found by `frappe_support.upgrades.slots`.

Messages are translatable templates, marked with `_` as in `frappe_support.sla.errors`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from frappe_support.sla.calendar import BusinessCalendar
from frappe_support.sla.days import BUSINESS_HOURS, weekday_of
from frappe_support.sla.errors import _
from frappe_support.sla.zone import DAY, Zone, merge_intervals
from frappe_support.upgrades.access import AccessWindow, WindowError, parse_access_window

__all__ = [
	"PROBLEM_MESSAGES",
	"Problem",
	"bookable",
	"check_window",
	"instant",
	"lead_hours_of",
	"merged_busy",
	"window_tuple",
]


# -- problems with a proposed window ---------------------------------------------------------------------
NOT_AFTER_START = "not_after_start"
OUTSIDE_OPEN_TIME = "outside_open_time"
OUTSIDE_ACCESS = "outside_access"
TOO_SOON = "too_soon"
ENGINEER_BUSY = "engineer_busy"

PROBLEM_MESSAGES = {
	NOT_AFTER_START: _("The upgrade window must end after it starts: correct the end."),
	OUTSIDE_OPEN_TIME: _(
		"The upgrade window is outside the support calendar's open hours from {0}: choose a window "
		"inside open hours."
	),
	OUTSIDE_ACCESS: _(
		"The upgrade window leaves the contract's remote-access window at {0}: choose a time inside it."
	),
	TOO_SOON: _("The upgrade window starts too soon: with the notice period, the earliest start is {0}."),
	ENGINEER_BUSY: _("The engineer is already booked from {0} to {1}: choose another time or engineer."),
}
_PROBLEM_ARGS = {
	NOT_AFTER_START: (),
	OUTSIDE_OPEN_TIME: ("closed_at",),
	OUTSIDE_ACCESS: ("closed_at",),
	TOO_SOON: ("earliest",),
	ENGINEER_BUSY: ("start", "end"),
}


def _default_format(value: object) -> str:
	if isinstance(value, datetime):
		return value.strftime("%a %Y-%m-%d %H:%M %Z").strip()
	return str(value)


@dataclass(frozen=True)
class Problem:
	"""One rule a proposed window breaks: `code` (see PROBLEM_MESSAGES) and `detail` (instants)."""

	code: str
	detail: dict = field(default_factory=dict)

	@property
	def template(self) -> str:
		return PROBLEM_MESSAGES[self.code]

	def args(self, format_datetime=None) -> tuple[str, ...]:
		fmt = format_datetime or _default_format
		return tuple(fmt(self.detail[key]) for key in _PROBLEM_ARGS[self.code])

	def translated(self, translate, format_datetime=None) -> str:
		"""The message in the user's language: `translated(frappe._, frappe.utils.format_datetime)`."""
		return translate(self.template).format(*self.args(format_datetime))

	@property
	def message(self) -> str:
		return self.template.format(*self.args())


# -- intervals -----------------------------------------------------------------------------------------
def instant(value: object, what: str) -> float:
	if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
		raise WindowError(_("The {0} {1} has no time zone: pass a time-zone-aware datetime."), what, value)
	return value.timestamp()


def window_tuple(access: object) -> tuple[AccessWindow, ...]:
	if access is None:
		return ()
	if isinstance(access, str):
		return parse_access_window(access)
	if isinstance(access, AccessWindow):
		return (access,)
	out = tuple(access)
	for window in out:
		if not isinstance(window, AccessWindow):
			raise WindowError(
				_("{0} is not an access window: read the contract's text with parse_access_window."), window
			)
	return out


def lead_hours_of(lead_hours: object) -> float:
	try:
		value = float(lead_hours)
	except (TypeError, ValueError):
		value = -1.0
	if not math.isfinite(value) or value < 0:
		raise WindowError(
			_("The notice period {0} must be zero or a positive number of business hours."), lead_hours
		)
	return value


def _open_intervals(cal: BusinessCalendar, a: float, b: float) -> list[tuple[float, float]]:
	"""The calendar's open time in [a, b) as sorted, disjoint, non-touching intervals.

	Read from the calendar's per-day open time (holidays, closures and clock changes applied), over the
	same days `business_seconds` sums: an interval belongs to a local day at most two days before its end.
	"""
	zone = cal.zone
	days = range(zone.local_day(a) - 2, zone.local_day(b) + 2)
	return _clip_merge((chunk for d in days for chunk in cal.open_day(d)[0]), a, b)


def _clip_merge(chunks: Iterable[tuple[float, float]], a: float, b: float) -> list[tuple[float, float]]:
	"""The parts of these intervals inside [a, b), sorted and merged."""
	return merge_intervals(sorted((max(x, a), min(y, b)) for x, y in chunks if max(x, a) < min(y, b)))


def _access_intervals(
	zone: Zone, access: tuple[AccessWindow, ...], a: float, b: float
) -> list[tuple[float, float]]:
	"""The instants in [a, b) whose wall-clock reading lies in one of the windows, merged."""

	def chunks():
		for d in range(zone.local_day(a) - 2, zone.local_day(b) + 2):
			for window in access:
				if weekday_of(d) in window.days:
					yield from zone.preimage(d * DAY + window.start, d * DAY + window.end)

	return _clip_merge(chunks(), a, b)


def _intersect(p: list[tuple[float, float]], q: list[tuple[float, float]]) -> list[tuple[float, float]]:
	out, i, j = [], 0, 0
	while i < len(p) and j < len(q):
		x, y = max(p[i][0], q[j][0]), min(p[i][1], q[j][1])
		if x < y:
			out.append((x, y))
		if p[i][1] < q[j][1]:
			i += 1
		else:
			j += 1
	return out


def bookable(cal: BusinessCalendar, access: tuple[AccessWindow, ...], a: float, b: float):
	opened = _open_intervals(cal, a, b)
	if not access or not opened:
		return opened
	return _intersect(opened, _access_intervals(cal.zone, access, a, b))


def _first_outside(intervals: list[tuple[float, float]], a: float, b: float) -> float | None:
	"""The first instant of [a, b) in none of the (merged, clipped) intervals, None when there is none."""
	if not intervals or intervals[0][0] > a:
		return a
	if intervals[0][1] < b:
		return intervals[0][1]
	return None


def merged_busy(busy: Iterable[Sequence[datetime]]) -> tuple[list[float], list[float]]:
	"""Merged busy intervals as (starts, ends); empty or reversed intervals are dropped."""
	raw = []
	for interval in busy or ():
		s, e = instant(interval[0], "booking start"), instant(interval[1], "booking end")
		if s < e:
			raw.append((s, e))
	merged = merge_intervals(sorted(raw))
	return [s for s, _e in merged], [e for _s, e in merged]


# -- check_window ----------------------------------------------------------------------------------------
def check_window(
	cal: BusinessCalendar,
	start: datetime,
	end: datetime,
	*,
	now: datetime,
	lead_hours: float,
	access: tuple[AccessWindow, ...],
	busy: Sequence[tuple[datetime, datetime]] = (),
) -> list[Problem]:
	"""Every rule the window [start, end) breaks, in a fixed order; [] when it may be booked.

	not_after_start: end <= start. outside_open_time {"closed_at"}: the first instant of [start, end)
	outside the calendar's open time. outside_access {"closed_at"}: the first instant outside the access
	windows (none when `access` is ()). too_soon {"earliest"}: start is before now + lead_hours business
	hours (`cal.add`, so the clock starts at the next opening). engineer_busy {"start", "end"}: the
	earliest-starting booking in `busy` that overlaps [start, end) (touching is fine), as passed in.
	An empty window breaks no rule about its inside, only the first and the notice period.
	"""
	a, b = instant(start, "window start"), instant(end, "window end")
	instant(now, "current time")
	lead = lead_hours_of(lead_hours)
	access = window_tuple(access)
	tz = cal.zone.tz
	problems = []
	if b <= a:
		problems.append(Problem(NOT_AFTER_START, {}))
	else:
		opened = _open_intervals(cal, a, b)
		closed = _first_outside(opened, a, b)
		if closed is not None:
			problems.append(Problem(OUTSIDE_OPEN_TIME, {"closed_at": datetime.fromtimestamp(closed, tz)}))
		if access:
			outside = _first_outside(_access_intervals(cal.zone, access, a, b), a, b)
			if outside is not None:
				problems.append(Problem(OUTSIDE_ACCESS, {"closed_at": datetime.fromtimestamp(outside, tz)}))
	earliest = cal.add(now, lead, BUSINESS_HOURS)
	if a < earliest.timestamp():
		problems.append(Problem(TOO_SOON, {"earliest": earliest}))
	if b > a:
		overlapping = []
		for interval in busy or ():
			s, e = instant(interval[0], "booking start"), instant(interval[1], "booking end")
			if s < b and e > a and s < e:
				overlapping.append((s, e, interval))
		if overlapping:
			_s, _e, first = min(overlapping, key=lambda o: (o[0], o[1]))
			problems.append(Problem(ENGINEER_BUSY, {"start": first[0], "end": first[1]}))
	return problems
