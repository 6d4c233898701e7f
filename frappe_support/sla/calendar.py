"""Business calendars and the business-time arithmetic of docs/design.md ("SLA clock semantics").

Everything works on POSIX seconds internally; the public methods take and return time-zone-aware
datetimes. Open time is computed per local date ("day") and cached: a day's open time is the set of
instants whose wall-clock reading lies inside one of that weekday's intervals (an interval that crosses
midnight belongs to the day it starts on), minus the whole day when it is a holiday, minus closures.
Long spans are summed per whole week plus a sorted list of the days that differ from their weekday's
usual hours (holidays, closures, daylight-saving changes), so cost does not grow with the target.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from frappe_support.sla.errors import CalendarError, _
from frappe_support.sla.zone import DAY, Zone, merge_intervals

BUSINESS_HOURS = "Business Hours"
BUSINESS_DAYS = "Business Days"
CALENDAR_HOURS = "Calendar Hours"
UNITS = (BUSINESS_HOURS, BUSINESS_DAYS, CALENDAR_HOURS)

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_EMPTY: tuple = ((), 0.0)
_NEAR_DAYS = 8  # spans shorter than this many days are walked day by day
_DAY_CACHE_LIMIT = 50_000
_STRETCH_DAYS = 15  # an open stretch longer than about two weeks counts as never closing
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


def _fmt_clock(seconds: int) -> str:
	return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


class BusinessCalendar:
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
		self._template = self._compile_weekly(
			{d: [("00:00", "24:00")] for d in range(7)} if always_open else weekly
		)
		self._nominal = [sum(e - s for s, e in self._template[w]) for w in range(7)]
		self._week_secs = sum(self._nominal)
		self._sec_pref = [0]
		self._biz_pref = [0]
		for i in range(14):
			self._sec_pref.append(self._sec_pref[-1] + self._nominal[i % 7])
			self._biz_pref.append(self._biz_pref[-1] + (1 if self._nominal[i % 7] else 0))
		self._holiday_days = sorted({day_number(_as_date(h)) for h in holidays})
		self._holiday_set = frozenset(self._holiday_days)
		self._closures, self._closure_reasons = self._compile_closures(closures)
		self._closure_starts = [c[0] for c in self._closures]
		self._days: dict[int, tuple] = {}
		self._nth: dict[tuple[int, int], int] = {}  # (owner, n) -> the n-th business day after owner
		self._ex_years: tuple[int, int] | None = None
		self._ex_days: list[int] = []
		self._ex_sec_pref: list[float] = [0.0]
		self._ex_biz_pref: list[int] = [0]

	# -- construction --------------------------------------------------------------------------------
	@staticmethod
	def _compile_weekly(weekly) -> list[tuple[tuple[int, int], ...]]:
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
							_fmt_clock(s),
							_fmt_clock(e),
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
					f"{WEEKDAY_NAMES[w1]} {_fmt_clock(s1 % DAY)}-{_fmt_clock(e1 % DAY or DAY)}",
					f"{WEEKDAY_NAMES[w2]} {_fmt_clock(s2 % DAY)}",
				)
		return [tuple(sorted(day)) for day in template]

	@staticmethod
	def _compile_closures(closures) -> tuple[list[tuple[float, float]], list[tuple[float, float, str]]]:
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

	# -- days ----------------------------------------------------------------------------------------
	def open_day(self, d: int) -> tuple:
		"""(open intervals as sorted (from, to) instants, open seconds) of local day d."""
		r = self._days.get(d)
		if r is not None:
			return r
		intervals = self._template[(d + 3) % 7]
		if not intervals or d in self._holiday_set:
			r = _EMPTY
		else:
			base = d * DAY
			chunks: list[tuple[float, float]] = []
			for s, e in intervals:
				chunks.extend(self.zone.preimage(base + s, base + e))
			if len(chunks) > 1:
				chunks = merge_intervals(sorted(chunks))
			if self._closures:
				chunks = self._cut_closures(chunks)
			r = (tuple(chunks), float(sum(b - a for a, b in chunks)))
		if len(self._days) >= _DAY_CACHE_LIMIT:
			self._days.clear()
		self._days[d] = r
		return r

	def _cut_closures(self, chunks):
		out = []
		closures, starts = self._closures, self._closure_starts
		for a, b in chunks:
			i = max(bisect_right(starts, a) - 1, 0)
			while a < b and i < len(closures):
				c0, c1 = closures[i]
				if c0 >= b:
					break
				if c1 > a:
					if c0 > a:
						out.append((a, c0))
					a = max(a, c1)
				i += 1
			if a < b:
				out.append((a, b))
		return out

	def is_business_day(self, d: date) -> bool:
		return self.open_day(day_number(d))[1] > 0

	# -- exceptions: days whose open time differs from their weekday's usual hours ---------------------
	def _ensure_exceptions(self, d1: int, d2: int) -> None:
		y1, y2 = day_date(max(d1, -700000)).year, day_date(min(d2, 2900000)).year
		if self._ex_years and self._ex_years[0] <= y1 and y2 <= self._ex_years[1]:
			return
		if self._ex_years:
			y1, y2 = min(y1, self._ex_years[0]), max(y2, self._ex_years[1])
		y1, y2 = y1 - 1, y2 + 1
		lo, hi = day_number(date(y1, 1, 1)), day_number(date(y2, 12, 31))
		candidates = set(self._holiday_days)
		for a, b in self._closures:
			candidates.update(range(self.zone.local_day(a) - 2, self.zone.local_day(b) + 1))
		zone = self.zone
		zone.cover(lo * DAY)
		zone.cover(hi * DAY)
		for u, _o1, _o2 in zone.transitions_between(lo * DAY - DAY, hi * DAY + DAY):
			ld = zone.local_day(u)
			candidates.update((ld - 2, ld - 1, ld, ld + 1))
		days, secs, bizs = [], [0.0], [0]
		for d in sorted(candidates):
			w = (d + 3) % 7
			actual = self.open_day(d)[1]
			ds = actual - self._nominal[w]
			db = (1 if actual > 0 else 0) - (1 if self._nominal[w] else 0)
			if ds or db:
				days.append(d)
				secs.append(secs[-1] + ds)
				bizs.append(bizs[-1] + db)
		self._ex_years = (y1, y2)
		self._ex_days, self._ex_sec_pref, self._ex_biz_pref = days, secs, bizs

	def _range_seconds(self, d1: int, d2: int) -> float:
		"""Open seconds of the whole days d1 <= d < d2."""
		if d2 <= d1:
			return 0.0
		self._ensure_exceptions(d1, d2)
		weeks, rem = divmod(d2 - d1, 7)
		w = (d1 + 3) % 7
		total = weeks * self._week_secs + self._sec_pref[w + rem] - self._sec_pref[w]
		i, j = bisect_left(self._ex_days, d1), bisect_left(self._ex_days, d2)
		return total + self._ex_sec_pref[j] - self._ex_sec_pref[i]

	def _range_business_days(self, d1: int, d2: int) -> int:
		"""How many of the days d1 <= d < d2 have open time."""
		if d2 <= d1:
			return 0
		self._ensure_exceptions(d1, d2)
		weeks, rem = divmod(d2 - d1, 7)
		w = (d1 + 3) % 7
		count = weeks * self._biz_pref[7] + self._biz_pref[w + rem] - self._biz_pref[w]
		i, j = bisect_left(self._ex_days, d1), bisect_left(self._ex_days, d2)
		return count + self._ex_biz_pref[j] - self._ex_biz_pref[i]

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
		if db - da <= _NEAR_DAYS:
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

	def _nth_business_day(self, owner: int, n: int) -> int:
		if n <= 0:
			return owner
		found = self._nth.get((owner, n))
		if found is None:
			found = self._find_nth_business_day(owner, n)
			if len(self._nth) >= _DAY_CACHE_LIMIT:
				self._nth.clear()
			self._nth[owner, n] = found
		return found

	def _find_nth_business_day(self, owner: int, n: int) -> int:
		if n <= 3 * _NEAR_DAYS:
			days = self._days
			d = owner
			while n:
				d += 1
				r = days.get(d)
				if r is None:
					r = self.open_day(d)
				if r[1] > 0:
					n -= 1
			return d
		per_week = self._biz_pref[7]
		lo = owner
		hi = owner + (n // per_week + 2) * 7
		while self._range_business_days(owner + 1, hi + 1) < n:
			lo, hi = hi, hi + (hi - owner)
		while hi - lo > 1:
			mid = (lo + hi) // 2
			if self._range_business_days(owner + 1, mid + 1) >= n:
				hi = mid
			else:
				lo = mid
		return hi

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

	def explain(self, t: datetime, amount: float, unit: str, translate=None) -> list[str]:
		"""How the deadline of `amount` `unit` after t is reached, in plain words."""
		tr = translate or _
		u = self._instant(t)
		amount = check_target(amount, unit)
		deadline = self.add(t, amount, unit).timestamp()
		lines = [tr("Calendar: {0}, time zone {1}.").format(self.describe(), self.timezone)]
		if unit == CALENDAR_HOURS:
			lines.append(
				tr("Started at {0}; calendar hours run around the clock.").format(self.format_instant(u))
			)
			lines.append(tr("Target: {0} calendar hours of elapsed time.").format(_num(amount)))
		else:
			start, owner = self._open_at_or_after(u)
			if start == u:
				lines.append(tr("Started at {0}, inside business hours.").format(self.format_instant(u)))
			else:
				lines.append(
					tr(
						"Raised at {0}, outside business hours: the clock starts at the next opening, {1}."
					).format(self.format_instant(u), self.format_instant(start))
				)
			if unit == BUSINESS_HOURS:
				lines.append(tr("Target: {0} business hours.").format(_num(amount)))
			else:
				end_day = self._nth_business_day(owner, int(amount))
				lines.append(
					tr(
						"Target: {0} business days: business day {0} after {1} is {2}; the same time of day "
						"there gives {3} business hours."
					).format(
						_num(amount),
						day_date(owner).isoformat(),
						day_date(end_day).isoformat(),
						_num(round(self._seconds_between(start, deadline) / 3600, 2)),
					)
				)
			lines.extend(self._skipped(start, deadline, tr))
		lines.append(tr("Deadline: {0}.").format(self.format_instant(deadline)))
		return lines

	def _skipped(self, start: float, end: float, tr) -> list[str]:
		lines = []
		d1, d2 = self.zone.local_day(start), self.zone.local_day(end)
		for d in self._holiday_days[
			bisect_left(self._holiday_days, d1) : bisect_right(self._holiday_days, d2)
		]:
			if self._nominal[(d + 3) % 7]:
				lines.append(tr("Skipped holiday {0}.").format(day_date(d).isoformat()))
		for a, b, reason in self._closure_reasons:
			if a < end and b > start:
				lines.append(
					tr("Skipped closure from {0} to {1}{2}.").format(
						self.format_instant(a), self.format_instant(b), (": " + reason) if reason else ""
					)
				)
		for when, before, after in self.zone.transitions_between(start, end):
			lines.append(
				tr("Crossed a clock change at {0} (UTC offset {1} to {2}).").format(
					self.format_instant(when), _offset(before), _offset(after)
				)
			)
		return lines

	def describe(self) -> str:
		if self.always_open:
			return "24x7"
		parts = []
		for w in range(7):
			if self._template[w]:
				spans = ", ".join(
					f"{_fmt_clock(s)}-{_fmt_clock(e % DAY or DAY)}" for s, e in self._template[w]
				)
				parts.append(f"{WEEKDAY_NAMES[w][:3]} {spans}")
		return "; ".join(parts)


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


def _as_date(value: date | str) -> date:
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	try:
		return date.fromisoformat(str(value))
	except ValueError:
		raise CalendarError(_("The holiday {0} is not a date: write it as YYYY-MM-DD."), value)


def _num(value: float) -> str:
	return str(int(value)) if value == int(value) else str(value)


def _offset(seconds: int) -> str:
	sign = "+" if seconds >= 0 else "-"
	seconds = abs(seconds)
	return f"{sign}{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


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
		tuple(sorted(_as_date(h) for h in holidays)),
		tuple(tuple(c) for c in closures),
		bool(always_open),
	)
	return _cached(key)


def elapsed_calendar(tz: str = "UTC") -> BusinessCalendar:
	"""A 24x7 calendar: business time equals elapsed time (used to measure Calendar Hours targets)."""
	return get_calendar(tz, always_open=True)
