"""Business calendars and the business-time arithmetic of docs/design.md ("SLA clock semantics").

Everything works on POSIX seconds internally; the public methods take and return time-zone-aware
datetimes. Open time is computed per local date ("day") and cached: a day's open time is the set of
instants whose wall-clock reading lies inside one of that weekday's intervals (an interval that crosses
midnight belongs to the day it starts on), minus the whole day when it is a holiday, minus closures.
The day cache is in day_cache.py, the explanations in explain.py, days and times of day in days.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from frappe_support.sla.day_cache import OpenDays
from frappe_support.sla.days import (
	BUSINESS_HOURS,
	CALENDAR_HOURS,
	NEAR_DAYS,
	as_date,
	check_target,
	compile_closures,
	compile_weekly,
	day_number,
)
from frappe_support.sla.errors import CalendarError, _
from frappe_support.sla.explain import Explaining
from frappe_support.sla.zone import DAY, Zone

_STRETCH_DAYS = 15  # an open stretch longer than about two weeks counts as never closing


class BusinessCalendar(OpenDays, Explaining):
	"""Open hours of a support calendar and the business-time arithmetic over them.

	weekly: {weekday: [(start, end), ...]} with Monday = 0; an end at or before its start crosses
	midnight; ("00:00", "24:00") or ("00:00", "00:00") is the whole day.
	holidays: local dates that are closed all day. closures: (from, to[, reason]) aware datetimes.
	"""

	def __init__(
		self,
		timezone: str,
		weekly: Mapping[int, Sequence[tuple[object, object]]] | None = None,
		holidays: Iterable[date | str] = (),
		closures: Iterable[Sequence[object]] = (),
		always_open: bool = False,
	):
		self.zone = Zone(timezone)
		self.timezone = self.zone.name
		self.always_open = bool(always_open)
		self._template = compile_weekly(
			{d: [("00:00", "24:00")] for d in range(7)} if always_open else weekly
		)
		self._nominal = [sum(e - s for s, e in self._template[w]) for w in range(7)]
		self._week_secs = sum(self._nominal)
		self._sec_pref = [0]
		self._biz_pref = [0]
		for i in range(14):
			self._sec_pref.append(self._sec_pref[-1] + self._nominal[i % 7])
			self._biz_pref.append(self._biz_pref[-1] + (1 if self._nominal[i % 7] else 0))
		self._holiday_days = sorted({day_number(as_date(h)) for h in holidays})
		self._holiday_set = frozenset(self._holiday_days)
		self._closures, self._closure_reasons = compile_closures(closures)
		self._closure_starts = [c[0] for c in self._closures]
		self._days: dict[int, tuple] = {}
		self._nth: dict[tuple[int, int], int] = {}  # (owner, n) -> the n-th business day after owner
		self._ex_years: tuple[int, int] | None = None
		self._ex_days: list[int] = []
		self._ex_sec_pref: list[float] = [0.0]
		self._ex_biz_pref: list[int] = [0]

	# -- instants ------------------------------------------------------------------------------------
	def _open_at_or_after(self, u: float) -> tuple[float, int]:
		"""(first open instant >= u, the day that owns it)."""
		days = self._days
		d = self.zone.local_day(u) - 2
		limit = d + 3660 + len(self._holiday_days)
		while d < limit:
			best = None
			for day in (d, d + 1, d + 2, d + 3, d + 4):
				r = days.get(day)
				if r is None:
					r = self.open_day(day)
				for a, b in r[0]:
					if b > u:
						if a <= u:
							return u, day  # open at u: nothing is earlier, and intervals do not overlap
						if best is None or a < best[0]:
							best = (a, day)
						break
			if best is not None:
				return best
			d += 3
		raise CalendarError(
			_("The calendar has no open time in the ten years after {0}."), self.format_instant(u)
		)

	def _seconds_between(self, a: float, b: float) -> float:
		if b <= a:
			return 0.0
		zone = self.zone
		da, db = zone.local_day(a), zone.local_day(b)
		total = 0.0
		if db - da <= NEAR_DAYS:
			edges = range(da - 2, db + 2)
		else:
			edges = (*range(da - 2, da + 3), *range(db - 3, db + 2))
			total += self._range_seconds(da + 3, db - 3)
		days = self._days
		for d in edges:
			r = days.get(d)
			if r is None:
				r = self.open_day(d)
			for x, y in r[0]:
				if x < a:
					x = a
				if y > b:
					y = b
				if x < y:
					total += y - x
		return total

	def _add_seconds(self, start: float, seconds: float) -> float:
		"""The earliest instant T with B(start, T) = seconds."""
		if seconds <= 0:
			return start
		acc = 0.0
		cursor = start
		zone = self.zone
		if seconds > 2 * self._week_secs:
			cursor, acc = self._jump(start, seconds)
		days = self._days
		ahead = 3  # days looked at past the cursor's: 3 at first (short targets), then a week at a time
		while True:
			# Open time in [cursor, horizon) belongs to days dw - 2 .. dw + ahead - 1, and nothing later
			# lies before the horizon.
			dw = zone.local_day(cursor)
			horizon = zone.first_instant((dw + ahead) * DAY)
			chunks = []
			for d in range(dw - 2, dw + ahead):
				r = days.get(d)
				if r is None:
					r = self.open_day(d)
				for x, y in r[0]:
					if x < cursor:
						x = cursor
					if y > horizon:
						y = horizon
					if x < y:
						chunks.append((x, y))
			if len(chunks) > 1:
				chunks.sort()
			for x, y in chunks:
				if acc + (y - x) >= seconds:
					return x + (seconds - acc)
				acc += y - x
			cursor = horizon
			ahead = 7

	def _jump(self, start: float, seconds: float) -> tuple[float, float]:
		"""A day boundary W with B(start, W) < seconds, a few days before the answer.

		With base = B(start, W0), W0 the start of day d0 + 3, every open second in [W0, Wj) belongs to one
		of the days d0 + 2 .. j - 1, so U(j) = base + open seconds of those whole days bounds B(start, Wj)
		from above. The largest j with U(j) < seconds is found by bisection over whole-day sums (whole weeks
		plus the sorted exception days), so the cost grows with log(target), not with the target.
		"""
		zone = self.zone
		d0 = zone.local_day(start)
		w0 = zone.first_instant((d0 + 3) * DAY)
		base = self._seconds_between(start, w0)
		if base >= seconds:
			return start, 0.0

		def upper(j: int) -> float:
			return base + self._range_seconds(d0 + 2, j)

		lo = d0 + 3  # upper(lo) may still be >= seconds: then W0 itself is returned
		if upper(lo) >= seconds:
			return w0, base
		step = max(int((seconds - base) / (self._week_secs / 7)), 7)
		hi = lo + step
		while upper(hi) < seconds:
			lo, hi = hi, hi + step
			step *= 2
		while hi - lo > 1:
			mid = (lo + hi) // 2
			if upper(mid) < seconds:
				lo = mid
			else:
				hi = mid
		w = zone.first_instant(lo * DAY)
		return w, self._seconds_between(start, w)

	def _business_days_deadline(self, start: float, owner: int, n: int) -> float:
		zone = self.zone
		end_day = self._nth_business_day(owner, n)
		c = zone.first_instant(zone.local(start) + (end_day - owner) * DAY)
		if c <= start:
			return start
		# The earliest T with B(start, T) = B(start, c) is the last open instant in (start, c]: walk back
		# from c's day (at least to dc - 2, and two days past the first day with one, since a repeated hour
		# can interleave neighbouring days) to the day owning start.
		dc = zone.local_day(c)
		best = found = None
		days = self._days
		for d in range(dc + 1, min(dc - 2, zone.local_day(start) - 2) - 1, -1):
			if found is not None and d < found - 2 and d < dc - 2:
				break
			r = days.get(d)
			if r is None:
				r = self.open_day(d)
			for x, y in r[0]:
				if x < c and y > start:
					t = y if y < c else c
					if best is None or t > best:
						best = t
			if found is None and best is not None:
				found = d
		if best is not None:
			return best
		return self._add_seconds(start, self._seconds_between(start, c))

	# -- public API ----------------------------------------------------------------------------------
	def _instant(self, t: datetime) -> float:
		if not isinstance(t, datetime) or t.tzinfo is None or t.utcoffset() is None:
			raise CalendarError(_("{0} has no time zone: pass a time-zone-aware datetime."), t)
		return t.timestamp()

	def _dt(self, u: float) -> datetime:
		return datetime.fromtimestamp(u, self.zone.tz)

	def format_instant(self, u: float) -> str:
		"""POSIX instant u as the calendar's local time, as the SLA explanations show it."""
		return self._dt(u).strftime("%a %Y-%m-%d %H:%M %Z")

	def clock_start(self, t: datetime) -> datetime:
		"""t itself when the calendar is open at t, else the next opening."""
		return self._dt(self._open_at_or_after(self._instant(t))[0])

	def is_open(self, t: datetime) -> bool:
		u = self._instant(t)
		return self._open_at_or_after(u)[0] == u

	def next_change(self, t: datetime) -> datetime | None:
		"""The next instant after t at which the calendar opens (closed at t) or closes (open at t); None when
		it stays open for the next two weeks (a 24x7 calendar)."""
		u = self._instant(t)
		start = self._open_at_or_after(u)[0]
		if start > u:
			return self._dt(start)
		end = self._open_until(u)
		return None if end is None else self._dt(end)

	def _open_until(self, u: float) -> float | None:
		"""The end of the open stretch containing u (intervals that touch are one stretch)."""
		d = self.zone.local_day(u)
		end = u
		for day in range(d - 2, d + _STRETCH_DAYS):
			for a, b in self.open_day(day)[0]:
				if a > end:
					return end
				if b > end:
					end = b
		return None

	def business_seconds(self, a: datetime, b: datetime) -> float:
		"""Open seconds in [a, b); 0 when b <= a."""
		return self._seconds_between(self._instant(a), self._instant(b))

	def add_seconds(self, t: datetime, seconds: float) -> datetime:
		"""The earliest instant T with business_seconds(t, T) == seconds (t when seconds is 0)."""
		if seconds < 0:
			raise CalendarError(_("A business-time amount cannot be negative ({0})."), seconds)
		return self._dt(self._add_seconds(self._instant(t), seconds))

	def add(self, t: datetime, amount: float, unit: str) -> datetime:
		"""The deadline `amount` `unit` after t (docs/design.md, "SLA clock semantics")."""
		u = self._instant(t)
		amount = check_target(amount, unit)
		if unit == CALENDAR_HOURS:
			return self._dt(u + amount * 3600)
		start, owner = self._open_at_or_after(u)
		if unit == BUSINESS_HOURS:
			return self._dt(self._add_seconds(start, amount * 3600))
		return self._dt(self._business_days_deadline(start, owner, int(amount)))

	def target_seconds(self, t: datetime, amount: float, unit: str) -> float:
		"""The target measured in this calendar's business seconds from t (elapsed seconds for calendar hours)."""
		amount = check_target(amount, unit)
		if unit == CALENDAR_HOURS:
			return amount * 3600.0
		if unit == BUSINESS_HOURS:
			return amount * 3600.0
		return self.business_seconds(t, self.add(t, amount, unit))


def _clock_key(value: object) -> object:
	"""A time of day as part of a cache key, kept as given: str() would turn timedelta(hours=24), Frappe's
	24:00, into "1 day, 0:00:00"."""
	return value if isinstance(value, (str, time, timedelta)) else str(value)


@lru_cache(maxsize=64)
def _cached(key: tuple) -> BusinessCalendar:
	tz, weekly, holidays, closures, always_open = key
	return BusinessCalendar(
		timezone=tz, weekly=dict(weekly), holidays=holidays, closures=closures, always_open=always_open
	)


def get_calendar(
	timezone: str,
	weekly: Mapping[int, Sequence[tuple[object, object]]] | None = None,
	holidays: Iterable[date | str] = (),
	closures: Iterable[Sequence[object]] = (),
	always_open: bool = False,
) -> BusinessCalendar:
	"""A compiled calendar for these settings, shared with every caller that passes the same ones."""
	key = (
		timezone,
		tuple(
			sorted(
				(int(k), tuple((_clock_key(s), _clock_key(e)) for s, e in v))
				for k, v in (weekly or {}).items()
			)
		),
		tuple(sorted(as_date(h) for h in holidays)),
		tuple(tuple(c) for c in closures),
		bool(always_open),
	)
	return _cached(key)


def elapsed_calendar(tz: str = "UTC") -> BusinessCalendar:
	"""A 24x7 calendar: business time equals elapsed time (used to measure Calendar Hours targets)."""
	return get_calendar(tz, always_open=True)
