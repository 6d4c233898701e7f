"""The open time of each local day, cached, and sums over whole days (docs/design.md, "SLA clock semantics").

Long spans are summed per whole week plus a sorted list of the days that differ from their weekday's usual
hours (holidays, closures, daylight-saving changes), so cost does not grow with the span.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date

from frappe_support.sla.days import DAY_CACHE_LIMIT, NEAR_DAYS, day_date, day_number
from frappe_support.sla.zone import DAY, merge_intervals

_EMPTY: tuple = ((), 0.0)


class OpenDays:
	"""The day cache of a BusinessCalendar, which sets the compiled template, holidays and closures."""

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
		if len(self._days) >= DAY_CACHE_LIMIT:
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
		return float(self._range_sum(d1, d2, seconds=True))

	def _range_business_days(self, d1: int, d2: int) -> int:
		"""How many of the days d1 <= d < d2 have open time."""
		return int(self._range_sum(d1, d2, seconds=False))

	def _range_sum(self, d1: int, d2: int, seconds: bool) -> float:
		"""Whole weeks from the weekly template, the remainder from its prefix sums, plus what the exception
		days in [d1, d2) differ by."""
		if d2 <= d1:
			return 0
		self._ensure_exceptions(d1, d2)
		if seconds:
			per_week, pref, ex_pref = self._week_secs, self._sec_pref, self._ex_sec_pref
		else:
			per_week, pref, ex_pref = self._biz_pref[7], self._biz_pref, self._ex_biz_pref
		weeks, rem = divmod(d2 - d1, 7)
		w = (d1 + 3) % 7
		i, j = bisect_left(self._ex_days, d1), bisect_left(self._ex_days, d2)
		return weeks * per_week + pref[w + rem] - pref[w] + ex_pref[j] - ex_pref[i]

	def _nth_business_day(self, owner: int, n: int) -> int:
		if n <= 0:
			return owner
		found = self._nth.get((owner, n))
		if found is None:
			found = self._find_nth_business_day(owner, n)
			if len(self._nth) >= DAY_CACHE_LIMIT:
				self._nth.clear()
			self._nth[owner, n] = found
		return found

	def _find_nth_business_day(self, owner: int, n: int) -> int:
		if n <= 3 * NEAR_DAYS:
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
