"""Booking upgrade windows: remote-access windows, checks of a proposed window, and free slots.

Pure Python, no Frappe. Instants are POSIX seconds internally; the public functions take and return
time-zone-aware datetimes (returned ones in the calendar's zone).

- A contract's remote-access window is free text ("Mon-Fri 10:00-12:00 via bastion"); it is read on the
  support calendar's own wall clock, like the calendar's open hours: a window that crosses midnight
  belongs to the day it starts on, and on a daylight-saving day it covers the real time whose wall-clock
  reading lies inside it (01:00-04:00 is two real hours on the spring day, four on the autumn day).
- A window may be booked when it lies entirely inside the calendar's open time and the access window,
  starts no earlier than the notice period (business hours from now) allows, and overlaps none of the
  engineer's other bookings (half-open intervals: touching is fine).
- Free slots start at the start of a bookable stretch of time (open time inside the access window) or on
  a `step_minutes` boundary of the calendar's wall clock, earliest first.

Messages are translatable templates, marked with `_` as in `frappe_support.sla.errors`.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import pairwise

from frappe_support.sla.calendar import BUSINESS_HOURS, BusinessCalendar, weekday_of
from frappe_support.sla.errors import CalendarError, _
from frappe_support.sla.zone import DAY, Zone, merge_intervals

__all__ = [
	"PROBLEM_MESSAGES",
	"AccessWindow",
	"Problem",
	"WindowError",
	"check_window",
	"free_slots",
	"parse_access_window",
]

DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOW_TO = "Mon-Fri 10:00-12:00"
_BLOCK = 7 * DAY  # free_slots computes bookable time a week at a time


class WindowError(CalendarError):
	"""An access window, booking or search the module cannot work with. The message says how to fix it.

	A CalendarError: `template` is the English message with {0}-style placeholders (marked for
	translation), `args_` its arguments; `translated(frappe._)` gives the user's language.
	"""


# -- access windows ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AccessWindow:
	"""Remote access allowed on `days` (0 = Monday) from `start` to `end`, seconds after local midnight.

	`end` counts from the midnight of the day the window starts on, so it is always after `start`: an
	end past midnight is above 86400 (Fri 22:00-02:00 is start 79200, end 93600 and covers Saturday
	00:00-02:00). 00:00-24:00 is start 0, end 86400. `describe()` writes it back as text.
	"""

	days: frozenset[int]
	start: int
	end: int

	def __post_init__(self):
		days = frozenset(self.days)
		object.__setattr__(self, "days", days)
		if not days or not all(isinstance(d, int) and 0 <= d <= 6 for d in days):
			raise WindowError(
				_("An access window needs days from 0 (Monday) to 6 (Sunday), not {0}."), self.days
			)
		whole = self.start == 0 and self.end == DAY
		if not (0 <= self.start < DAY and self.start < self.end and (self.end - self.start < DAY or whole)):
			raise WindowError(
				_(
					"An access window from {0} to {1} seconds after midnight is not a time range: write it like {2}."
				),
				self.start,
				self.end,
				HOW_TO,
			)

	def describe(self) -> str:
		"""The window as text that `parse_access_window` reads back, e.g. "Fri-Mon 22:00-02:00"."""
		end = "24:00" if self.end == DAY else _fmt_clock(self.end % DAY)
		return f"{_describe_days(self.days)} {_fmt_clock(self.start)}-{end}"

	def __str__(self) -> str:
		return self.describe()


def _fmt_clock(seconds: int) -> str:
	h, rest = divmod(int(seconds), 3600)
	m, s = divmod(rest, 60)
	return f"{h:02d}:{m:02d}:{s:02d}" if s else f"{h:02d}:{m:02d}"


def _describe_days(days: frozenset[int]) -> str:
	if len(days) == 7:
		return "daily"
	first = 0  # Monday, or where the run through Monday starts ("Sun-Tue")
	while first in days and (first - 1) % 7 in days:
		first = (first - 1) % 7
	parts, k = [], 0
	while k < 7:
		d = (first + k) % 7
		if d not in days:
			k += 1
			continue
		run = 1
		while k + run < 7 and (first + k + run) % 7 in days:
			run += 1
		parts.append(DAY_ABBR[d] if run == 1 else f"{DAY_ABBR[d]}-{DAY_ABBR[(d + run - 1) % 7]}")
		k += run
	return ",".join(parts)


_DAY_NAMES = {
	**{name: i for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
	**{
		name: i
		for i, name in enumerate(
			("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
		)
	},
	"tues": 1,
	"weds": 2,
	"thur": 3,
	"thurs": 3,
}
_DAY = r"\b(?:" + "|".join(sorted(_DAY_NAMES, key=len, reverse=True)) + r")\b"
_SEP = r"\s*(?:-|\u2013|\u2014|\bto\b|\buntil\b|\btill\b|\bthrough\b|\bthru\b)\s*"
_TIME = r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])"
_TOKEN = re.compile(
	"|".join(
		(
			rf"(?P<times>{_TIME}{_SEP}{_TIME})",
			rf"(?P<time>{_TIME})",
			rf"(?P<dayrange>{_DAY}{_SEP}{_DAY})",
			rf"(?P<day>{_DAY})",
			r"(?P<always>\b24\s*[x/]\s*7\b)",
			r"(?P<daily>\bdaily\b|\bevery\s*day\b|\ball\s+days\b)",
			r"(?P<weekdays>\bweek\s*days?\b|\bworking\s+days\b)",
			r"(?P<weekends>\bweek\s*ends?\b)",
			r"(?P<allday>\ball[\s-]*day\b|\bwhole\s+day\b|\baround\s+the\s+clock\b)",
		)
	),
	re.IGNORECASE,
)
_TIME_RE = re.compile(_TIME)
_DAY_RE = re.compile(_DAY, re.IGNORECASE)
_PARTS = re.compile(r"[;\n\r]+")
ALL_DAYS = frozenset(range(7))


def parse_access_window(text: str | None) -> tuple[AccessWindow, ...]:
	"""The access windows written in `text`; () (no restriction) for empty text.

	Parts are separated by ";" or new lines; in a part, days then times ("Mon-Fri 09:00-12:00, 13:00-17:00",
	"Tue,Thu 20:00-23:00", "Sat 10:00-14:00 and Sun 10:00-12:00") or times then days ("10:00-12:00
	Mon-Fri"). Days: Mon..Sun or full names, ranges (wrapping "Fri-Mon"), lists, daily / every day /
	weekdays / weekends, and 24x7. Other words are ignored ("via bastion"), but a part with days and no
	times, times and no days, or a time that is not one raises WindowError, and so does text with nothing
	readable at all: a misread restriction is worse than a question.
	"""
	if text is None:
		return ()
	return _parse(str(text))


@lru_cache(maxsize=512)
def _parse(text: str) -> tuple[AccessWindow, ...]:
	if not text.strip():
		return ()
	windows: dict[AccessWindow, None] = {}
	for part in _PARTS.split(text):
		for window in _parse_part(part):
			windows[window] = None
	if not windows:
		raise WindowError(
			_(
				'The remote-access window "{0}" has no days and times that can be read: write it like {1}, '
				"with several parts separated by semicolons (Mon-Fri 09:00-18:00; Sat 10:00-14:00)."
			),
			text.strip(),
			HOW_TO,
		)
	return tuple(windows)


def _parse_part(part: str) -> list[AccessWindow]:
	runs: list[tuple[str, list, list[str]]] = []  # (kind "D" or "T", values, texts) of consecutive tokens

	def add(kind: str, value, token: str) -> None:
		if runs and runs[-1][0] == kind:
			runs[-1][1].append(value)
			runs[-1][2].append(token)
		else:
			runs.append((kind, [value], [token]))

	for m in _TOKEN.finditer(part):
		kind, token = m.lastgroup, m.group()
		if kind == "times":
			a, b = _TIME_RE.findall(token)
			add("T", _time_range(a, b, token), token)
		elif kind == "time":
			raise WindowError(
				_("{0} in the remote-access window needs a start and an end: write it like {1}."),
				token,
				HOW_TO,
			)
		elif kind == "dayrange":
			first, last = (_DAY_NAMES[name.lower()] for name in _DAY_RE.findall(token))
			add("D", frozenset((first + k) % 7 for k in range((last - first) % 7 + 1)), token)
		elif kind == "day":
			add("D", frozenset({_DAY_NAMES[token.lower()]}), token)
		elif kind == "daily":
			add("D", ALL_DAYS, token)
		elif kind == "weekdays":
			add("D", frozenset(range(5)), token)
		elif kind == "weekends":
			add("D", frozenset({5, 6}), token)
		elif kind == "allday":
			add("T", (0, DAY), token)
		else:  # 24x7
			add("D", ALL_DAYS, token)
			add("T", (0, DAY), token)
	# Runs alternate between days and times; pair them in the order the part starts with.
	windows = []
	for i in range(0, len(runs) - 1, 2):
		first, second = runs[i], runs[i + 1]
		days_run, times_run = (first, second) if first[0] == "D" else (second, first)
		days = frozenset().union(*days_run[1])
		for start, end in times_run[1]:
			windows.append(AccessWindow(days, start, end))
	if len(runs) % 2:
		kind, _values, texts = runs[-1]
		if kind == "D":
			raise WindowError(
				_("The days {0} in the remote-access window have no times: add them, like {1}."),
				" ".join(texts),
				HOW_TO,
			)
		raise WindowError(
			_("The times {0} in the remote-access window have no days: add them, like {1}."),
			", ".join(texts),
			HOW_TO,
		)
	return windows


def _clock(text: str, token: str, *, is_end: bool) -> int:
	h, m, *rest = (int(p) for p in text.split(":"))
	s = rest[0] if rest else 0
	seconds = h * 3600 + m * 60 + s
	if m > 59 or s > 59 or seconds > DAY or (seconds == DAY and not is_end):
		raise WindowError(
			_(
				"{0} in the remote-access window is not a time range: use times from 00:00 to 24:00 "
				"(24:00 only as an end), like {1}."
			),
			token,
			HOW_TO,
		)
	return seconds


def _time_range(a: str, b: str, token: str) -> tuple[int, int]:
	start, end = _clock(a, token, is_end=False), _clock(b, token, is_end=True)
	if end == start:
		if start:
			raise WindowError(
				_(
					"The remote-access window {0} starts and ends at the same time: use 00:00-24:00 for a "
					"whole day, or correct the end."
				),
				token,
			)
		end = DAY
	elif end < start:
		end += DAY  # crosses midnight: belongs to the day it starts on
	return start, end


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
def _instant(value: object, what: str) -> float:
	if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
		raise WindowError(_("The {0} {1} has no time zone: pass a time-zone-aware datetime."), what, value)
	return value.timestamp()


def _access_tuple(access: object) -> tuple[AccessWindow, ...]:
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


def _lead(lead_hours: object) -> float:
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


def _bookable(cal: BusinessCalendar, access: tuple[AccessWindow, ...], a: float, b: float):
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


def _busy_list(busy: Iterable[Sequence[datetime]]) -> tuple[list[float], list[float]]:
	"""Merged busy intervals as (starts, ends); empty or reversed intervals are dropped."""
	raw = []
	for interval in busy or ():
		s, e = _instant(interval[0], "booking start"), _instant(interval[1], "booking end")
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
	a, b = _instant(start, "window start"), _instant(end, "window end")
	_instant(now, "current time")
	lead = _lead(lead_hours)
	access = _access_tuple(access)
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
			s, e = _instant(interval[0], "booking start"), _instant(interval[1], "booking end")
			if s < b and e > a and s < e:
				overlapping.append((s, e, interval))
		if overlapping:
			_s, _e, first = min(overlapping, key=lambda o: (o[0], o[1]))
			problems.append(Problem(ENGINEER_BUSY, {"start": first[0], "end": first[1]}))
	return problems


# -- free_slots -------------------------------------------------------------------------------------------
def _bookable_stream(
	cal: BusinessCalendar, access: tuple[AccessWindow, ...], a: float, limit: float
) -> Iterator[tuple[float, float]]:
	"""Bookable time in [a, limit) as merged intervals, in order, computed a week at a time; an interval
	that reaches a week's edge is held back until the next week shows whether it goes on."""
	carry = None
	lo = a
	while lo < limit:
		hi = min(lo + _BLOCK, limit)
		for x, y in _bookable(cal, access, lo, hi):
			if carry is not None:
				if x == carry[1]:
					carry = (carry[0], y)
					continue
				yield carry
			carry = (x, y)
		if carry is not None and carry[1] < hi:
			yield carry
			carry = None
		lo = hi
	if carry is not None:
		yield carry


def _step_boundaries(zone: Zone, lo: float, hi: float, step: int) -> Iterator[float]:
	"""Instants in [lo, hi), ascending, whose wall-clock reading is a whole multiple of `step` seconds after
	local midnight (counted afresh each day). A repeated hour gives its boundaries twice, a skipped one none."""
	edges = [lo, *(t for t, _o1, _o2 in zone.transitions_between(lo, hi) if t > lo), hi]
	for p, q in pairwise(edges):
		o = zone.offset(p)
		r0, r1 = p + o, q + o  # readings of this constant-offset segment
		midnight = math.floor(r0 / DAY) * DAY
		while midnight < r1:
			k = max(0, math.ceil((r0 - midnight) / step))
			r = midnight + k * step
			while r < midnight + DAY and r < r1:
				yield r - o
				r += step
			midnight += DAY


def free_slots(
	cal: BusinessCalendar,
	*,
	after: datetime,
	duration: timedelta,
	engineers: Mapping[str, Sequence[tuple[datetime, datetime]]],
	access: tuple[AccessWindow, ...] = (),
	lead_hours: float = 0,
	now: datetime | None = None,
	count: int = 3,
	step_minutes: int = 30,
	horizon_days: int = 28,
) -> list[tuple[datetime, datetime, str]]:
	"""The first `count` windows (start, end, engineer) of length `duration` that check_window accepts.

	Starts are at or after `after` (and after the notice period from `now`, when `now` is given) and before
	that point + horizon_days x 24 h. Candidate starts are the starts of bookable stretches (open time inside
	the access window) and the `step_minutes` boundaries of the calendar's wall clock; each start is
	returned once, with the alphabetically first engineer who is free for the whole window. Fewer than
	`count` when the horizon runs out.
	"""
	u_after = _instant(after, "search start")
	if not isinstance(duration, timedelta) or duration <= timedelta(0):
		raise WindowError(_("The upgrade window's length must be a positive duration, not {0}."), duration)
	if isinstance(step_minutes, bool) or not isinstance(step_minutes, int) or not 1 <= step_minutes <= 1440:
		raise WindowError(_("The step between start times must be 1 to 1440 minutes, not {0}."), step_minutes)
	if not isinstance(horizon_days, (int, float)) or not math.isfinite(horizon_days) or horizon_days < 0:
		raise WindowError(
			_("The search horizon must be zero or a positive number of days, not {0}."), horizon_days
		)
	access = _access_tuple(access)
	lead = _lead(lead_hours)
	a = u_after
	if now is not None:
		_instant(now, "current time")
		a = max(a, cal.add(now, lead, BUSINESS_HOURS).timestamp())
	if count <= 0 or not engineers:
		return []
	staff = [(name, *_busy_list(engineers[name])) for name in sorted(engineers)]
	length = duration.total_seconds()
	horizon = a + horizon_days * DAY
	step = step_minutes * 60
	zone, tz = cal.zone, cal.zone.tz
	# Bookable time that runs on from before `a` does not start at `a`.
	before = _bookable(cal, access, a - DAY, a)
	continues = bool(before) and before[-1][1] == a
	out: list[tuple[datetime, datetime, str]] = []
	resume = a  # no engineer is free for a window starting before this
	for x, y in _bookable_stream(cal, access, a, horizon + length):
		if x >= horizon:
			break
		if max(x, resume) + length > y:
			continue
		first = None if (x == a and continues) else x
		candidates = _candidates(zone, first, max(x, resume), y, step)
		while True:
			s = next(candidates, None)
			if s is None or s >= horizon or s + length > y:
				break
			if s < resume:  # every engineer is busy until `resume`: skip the starts before it
				candidates = _candidates(zone, first, resume, y, step)
				continue
			e = s + length
			blocked_until = math.inf
			for name, starts, ends in staff:
				i = bisect_right(ends, s)  # the first booking that ends after s
				if i < len(starts) and starts[i] < e:
					blocked_until = min(blocked_until, ends[i])
					continue
				out.append((datetime.fromtimestamp(s, tz), datetime.fromtimestamp(e, tz), name))
				if len(out) >= count:
					return out
				break
			else:
				resume = blocked_until
	return out


def _candidates(zone: Zone, first: float | None, lo: float, hi: float, step: int) -> Iterator[float]:
	"""Candidate starts in [lo, hi), ascending: `first` (a bookable stretch's start) and the wall-clock
	step boundaries."""
	if first is not None and first < lo:
		first = None
	if first is not None:
		yield first
	for s in _step_boundaries(zone, lo, hi, step):
		if first is None or s > first:
			yield s
