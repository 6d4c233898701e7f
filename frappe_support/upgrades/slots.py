"""Free upgrade windows: the earliest starts that `check_window` accepts, for any of several engineers.

Pure Python, no Frappe. Free slots start at the start of a bookable stretch of time (open time inside the
access window) or on a `step_minutes` boundary of the calendar's wall clock, earliest first
(docs/design.md, "Upgrade windows").
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from itertools import pairwise

from frappe_support.sla.calendar import BusinessCalendar
from frappe_support.sla.days import BUSINESS_HOURS
from frappe_support.sla.errors import _
from frappe_support.sla.zone import DAY, Zone
from frappe_support.upgrades.access import AccessWindow, WindowError
from frappe_support.upgrades.windows import bookable, instant, lead_hours_of, merged_busy, window_tuple

__all__ = ["free_slots"]

_BLOCK = 7 * DAY  # free_slots computes bookable time a week at a time
_Slot = tuple[datetime, datetime, str]
_Staff = list[tuple[str, list[float], list[float]]]  # (engineer, busy starts, busy ends)


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
) -> list[_Slot]:
	"""The first `count` windows (start, end, engineer) of length `duration` that check_window accepts.

	Starts are at or after `after` (and after the notice period from `now`, when `now` is given) and before
	that point + horizon_days x 24 h. Candidate starts are the starts of bookable stretches (open time inside
	the access window) and the `step_minutes` boundaries of the calendar's wall clock; each start is
	returned once, with the alphabetically first engineer who is free for the whole window. Fewer than
	`count` when the horizon runs out.
	"""
	u_after = instant(after, "search start")
	_check_search(duration, step_minutes, horizon_days)
	access = window_tuple(access)
	lead = lead_hours_of(lead_hours)
	a = u_after
	if now is not None:
		instant(now, "current time")
		a = max(a, cal.add(now, lead, BUSINESS_HOURS).timestamp())
	if count <= 0 or not engineers:
		return []
	staff = [(name, *merged_busy(engineers[name])) for name in sorted(engineers)]
	search = _Search(cal, staff, duration.total_seconds(), step_minutes * 60, count)
	return search.run(access, a, a + horizon_days * DAY)


def _check_search(duration: object, step_minutes: object, horizon_days: object) -> None:
	if not isinstance(duration, timedelta) or duration <= timedelta(0):
		raise WindowError(_("The upgrade window's length must be a positive duration, not {0}."), duration)
	if isinstance(step_minutes, bool) or not isinstance(step_minutes, int) or not 1 <= step_minutes <= 1440:
		raise WindowError(_("The step between start times must be 1 to 1440 minutes, not {0}."), step_minutes)
	if not isinstance(horizon_days, (int, float)) or not math.isfinite(horizon_days) or horizon_days < 0:
		raise WindowError(
			_("The search horizon must be zero or a positive number of days, not {0}."), horizon_days
		)


class _Search:
	"""One free_slots search: walks the bookable stretches and, in each, the candidate starts."""

	def __init__(self, cal: BusinessCalendar, staff: _Staff, length: float, step: int, count: int):
		self.cal, self.zone, self.tz = cal, cal.zone, cal.zone.tz
		self.staff, self.length, self.step, self.count = staff, length, step, count
		self.out: list[_Slot] = []
		self.resume = -math.inf  # no engineer is free for a window starting before this

	def run(self, access: tuple[AccessWindow, ...], a: float, horizon: float) -> list[_Slot]:
		# Bookable time that runs on from before `a` does not start at `a`.
		before = bookable(self.cal, access, a - DAY, a)
		continues = bool(before) and before[-1][1] == a
		self.resume = a
		for x, y in _bookable_stream(self.cal, access, a, horizon + self.length):
			if x >= horizon:
				break
			if max(x, self.resume) + self.length > y:
				continue
			self._stretch(None if (x == a and continues) else x, x, y, horizon)
			if len(self.out) >= self.count:
				break
		return self.out

	def _stretch(self, first: float | None, x: float, y: float, horizon: float) -> None:
		"""The free windows starting inside the bookable stretch [x, y)."""
		candidates = _candidates(self.zone, first, max(x, self.resume), y, self.step)
		while True:
			s = next(candidates, None)
			if s is None or s >= horizon or s + self.length > y:
				return
			if s < self.resume:  # every engineer is busy until `resume`: skip the starts before it
				candidates = _candidates(self.zone, first, self.resume, y, self.step)
				continue
			if self._book_first_free(s) and len(self.out) >= self.count:
				return

	def _book_first_free(self, s: float) -> bool:
		"""Add (s, s + length, first free engineer); else move `resume` to when one could be free."""
		e = s + self.length
		blocked_until = math.inf
		for name, starts, ends in self.staff:
			i = bisect_right(ends, s)  # the first booking that ends after s
			if i < len(starts) and starts[i] < e:
				blocked_until = min(blocked_until, ends[i])
				continue
			self.out.append((datetime.fromtimestamp(s, self.tz), datetime.fromtimestamp(e, self.tz), name))
			return True
		self.resume = blocked_until
		return False


def _bookable_stream(
	cal: BusinessCalendar, access: tuple[AccessWindow, ...], a: float, limit: float
) -> Iterator[tuple[float, float]]:
	"""Bookable time in [a, limit) as merged intervals, in order, computed a week at a time; an interval
	that reaches a week's edge is held back until the next week shows whether it goes on."""
	carry = None
	lo = a
	while lo < limit:
		hi = min(lo + _BLOCK, limit)
		for x, y in bookable(cal, access, lo, hi):
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
