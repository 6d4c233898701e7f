"""UTC offsets of an IANA time zone as a sorted list of transitions.

Instants are POSIX seconds (float or int); a *local* value is the naive wall-clock reading expressed as
seconds since 1970-01-01 00:00 (as if it were UTC). Transitions are found once per year, by sampling the
offset weekly and bisecting to the second, and kept for the life of the object.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from frappe_support.sla.errors import CalendarError, _

DAY = 86400
WEEK = 7 * DAY
# No zone is more than 14 h from UTC; 26 h gives room for a day boundary on either side.
MAX_SHIFT = 26 * 3600
_YEAR_LO = -62135596800 + DAY  # 0001-01-02, the first instant every zone can express
_YEAR_HI = 253402300799 - DAY  # 9999-12-30


def _year_start(year: int) -> int:
	return int(datetime(year, 1, 1, tzinfo=timezone.utc).timestamp())


def _year_of(u: float) -> int:
	u = min(max(u, _YEAR_LO), _YEAR_HI)
	return datetime.fromtimestamp(u, timezone.utc).year


class Zone:
	"""Offsets of one IANA zone, extended lazily a year at a time."""

	__slots__ = ("_hi", "_lo", "name", "offs", "trans", "tz")

	def __init__(self, name: str):
		if not isinstance(name, str) or not name.strip():
			raise CalendarError(_("The time zone is missing: choose an IANA zone such as Europe/Berlin."))
		try:
			self.tz = ZoneInfo(name.strip())
		except (ZoneInfoNotFoundError, ValueError, OSError):
			raise CalendarError(
				_("{0} is not a known IANA time zone: choose one such as Europe/Berlin or Asia/Kolkata."),
				name,
			)
		self.name = name.strip()
		self.trans: list[int] = []  # trans[0] is the start of the covered range, not a real transition
		self.offs: list[int] = []  # offs[i] holds from trans[i] to trans[i + 1]
		self._lo = self._hi = 0

	# -- offsets -------------------------------------------------------------------------------------
	def _offset_now(self, u: int) -> int:
		return int(datetime.fromtimestamp(u, self.tz).utcoffset().total_seconds())

	def _scan(self, lo: int, hi: int) -> tuple[list[int], list[int]]:
		"""Transitions in [lo, hi): weekly samples, each change bisected to the second."""
		trans, offs = [lo], [self._offset_now(lo)]
		prev_u, prev_o = lo, offs[0]
		u = lo
		while u < hi:
			u = min(u + WEEK, hi)
			o = self._offset_now(u)
			if o != prev_o:
				a, b = prev_u, u  # offset at a is prev_o, at b is o
				while b - a > 1:
					m = (a + b) // 2
					if self._offset_now(m) == prev_o:
						a = m
					else:
						b = m
				trans.append(b)
				offs.append(o)
				prev_o = o
			prev_u = u
		return trans, offs

	def cover(self, u: float) -> None:
		"""Make sure the year of `u` and the years either side are known."""
		if self.trans and self._lo + MAX_SHIFT <= u < self._hi - MAX_SHIFT:
			return
		year = _year_of(u)
		lo = _year_start(max(year - 1, 1))
		hi = _year_start(min(year + 2, 9999))
		if self.trans:
			lo, hi = min(lo, self._lo), max(hi, self._hi)
		self.trans, self.offs = self._scan(lo, hi)
		self._lo, self._hi = lo, hi

	def offset(self, u: float) -> int:
		if not (self._lo + MAX_SHIFT <= u < self._hi - MAX_SHIFT):
			self.cover(u)
		return self.offs[bisect_right(self.trans, u) - 1]

	def local(self, u: float) -> float:
		"""The wall-clock reading at instant u, as naive seconds."""
		return u + self.offset(u)

	def local_day(self, u: float) -> int:
		"""The local date of instant u, as days since 1970-01-01."""
		return int((u + self.offset(u)) // DAY)

	# -- local wall-clock readings to instants -------------------------------------------------------
	def first_instant(self, n: float) -> float:
		"""The first instant at which the wall clock reads `n` or later.

		A reading that occurs twice (autumn) gives its first occurrence; a reading the spring change skips
		gives the instant of the change.
		"""
		self.cover(n - MAX_SHIFT)
		self.cover(n + MAX_SHIFT)
		trans, offs = self.trans, self.offs
		k = bisect_right(trans, n - MAX_SHIFT) - 1
		last = len(trans) - 1
		while True:
			o = offs[k]
			if k == last or trans[k + 1] + o > n:
				return max(trans[k], n - o)
			k += 1

	def preimage(self, a: float, b: float) -> list[tuple[float, float]]:
		"""The instants whose wall-clock reading lies in [a, b), as sorted disjoint intervals."""
		self.cover(a - MAX_SHIFT)
		self.cover(b + MAX_SHIFT)
		trans, offs = self.trans, self.offs
		k = bisect_right(trans, a - MAX_SHIFT) - 1
		last = len(trans) - 1
		if k == last or trans[k + 1] > b + MAX_SHIFT:  # no change anywhere near: the common case
			o = offs[k]
			return [(a - o, b - o)]
		pieces = []
		while k <= last:
			t0 = trans[k]
			if t0 > b + MAX_SHIFT:
				break
			t1 = trans[k + 1] if k < last else float("inf")
			o = offs[k]
			x, y = max(t0, a - o), min(t1, b - o)
			if x < y:
				pieces.append((x, y))
			k += 1
		pieces.sort()
		return merge_intervals(pieces)

	def transitions_between(self, a: float, b: float) -> list[tuple[int, int, int]]:
		"""(instant, offset before, offset after) of every change in [a, b)."""
		self.cover(a)
		self.cover(b)
		out = []
		for i in range(1, len(self.trans)):
			if a <= self.trans[i] < b:
				out.append((self.trans[i], self.offs[i - 1], self.offs[i]))
		return out

	def to_datetime(self, u: float) -> datetime:
		return datetime.fromtimestamp(u, self.tz)


def merge_intervals(pieces: list[tuple[float, float]]) -> list[tuple[float, float]]:
	"""Sorted (from, to) pieces with the overlapping and touching ones joined."""
	out: list[tuple[float, float]] = []
	for x, y in pieces:
		if out and x <= out[-1][1]:
			if y > out[-1][1]:
				out[-1] = (out[-1][0], y)
		else:
			out.append((x, y))
	return out
