"""A brute-force reference for docs/design.md "SLA clock semantics", independent of the engine.

It steps minute by minute in UTC and decides, for every minute, whether the calendar is open, straight from
the rules, with `zoneinfo` for wall-clock readings:

- open at u iff u is inside no closure and some local date d (the wall-clock date at u, or the day before,
  for intervals crossing midnight) is not a holiday and has a weekly interval (s, e) for d's weekday with
  d + s <= naive wall-clock reading at u < d + e (e <= s ends the next day; 00:00-24:00 and 00:00-00:00
  are the whole day). That d *owns* the minute.
- B(a, b) = seconds of open minutes in [a, b); clock_start(t) = the first open minute at or after t;
- Business Hours: the earliest T with B(clock_start(t), T) = N h;
- Business Days: s = clock_start(t); owner = the date owning s; e = the N-th date after owner that owns
  open time; c = the first instant whose wall-clock reading is at least e's midnight + (reading of s -
  owner's midnight); the deadline is the earliest T with B(s, T) = B(s, c);
- Calendar Hours: t + N h of elapsed time.

Every instant handed in and out is POSIX seconds on the minute grid, so every answer is exact. The
calendar's interval bounds, closures and the zones' offset changes all fall on whole minutes, so a minute
is open or closed as a whole. Minutes are computed lazily from `origin - 3 days` onwards, up to `limit_days`
after the origin (OracleLimit beyond that).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

MINUTE = 60
HOUR = 3600
DAY = 86400
_EPOCH = date(1970, 1, 1)


class OracleLimit(Exception):
	"""The answer lies beyond the window the oracle is allowed to compute."""


@dataclass
class Spec:
	"""A calendar as the user enters it (the same values are passed to the engine)."""

	timezone: str
	weekly: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
	holidays: list[date] = field(default_factory=list)
	closures: list[tuple[datetime, datetime, str]] = field(default_factory=list)
	always_open: bool = False


def _minutes(text: str) -> int:
	h, m = text.split(":")[:2]
	return int(h) * 60 + int(m)


def local_reading(tz: ZoneInfo, u: int) -> datetime:
	"""The naive wall-clock reading at instant u."""
	return datetime.fromtimestamp(u, timezone.utc).astimezone(tz).replace(tzinfo=None)


def first_instant_reading(tz: ZoneInfo, naive: datetime) -> int:
	"""The first instant (minute grid) at which the wall clock of tz reads `naive` or later."""
	# No zone is 15 h ahead of UTC: u reads less than `naive`. Skip quarter hours whose end still reads
	# 2 h short (a clock change moves a reading by at most an hour), then walk a minute at a time.
	u = int(naive.replace(tzinfo=timezone.utc).timestamp()) - 15 * HOUR
	while local_reading(tz, u + 15 * MINUTE) < naive - timedelta(hours=2):
		u += 15 * MINUTE
	while local_reading(tz, u) < naive:
		u += MINUTE
	return u


class Oracle:
	def __init__(self, spec: Spec, origin: int, limit_days: int = 120):
		assert origin % MINUTE == 0
		self.tz = ZoneInfo(spec.timezone)
		self.rules: list[list[tuple[int, int]]] = [[] for _w in range(7)]  # minutes after the date's midnight
		weekly = {w: [("00:00", "24:00")] for w in range(7)} if spec.always_open else spec.weekly
		for w, intervals in weekly.items():
			for s_text, e_text in intervals:
				s, e = _minutes(s_text), _minutes(e_text)
				if e <= s:
					e += 1440  # ends the next day (00:00-00:00 is the whole day)
				self.rules[int(w)].append((s, e))
		self.holidays = {(h - _EPOCH).days for h in spec.holidays}
		self.closures = sorted((int(a.timestamp()), int(b.timestamp())) for a, b, *_r in spec.closures)
		self.t0 = origin - 3 * DAY
		self.t_max = origin + limit_days * DAY
		self._day_rules: dict[int, list[tuple[int, int]]] = {}
		self.owner: list[int | None] = []  # per minute: the date owning it, None when closed
		self.reading: list[int] = []  # per minute: the wall-clock reading at its start
		self.prefix = [0]  # prefix[i] = open minutes among the first i minutes
		self.owned: dict[int, int] = {}  # date -> open minutes it owns

	# -- the per-minute rule ----------------------------------------------------------------------------
	# Readings are naive wall-clock minutes since 1970-01-01 00:00; a date is days since 1970-01-01.
	def _rules_of(self, day: int) -> list[tuple[int, int]]:
		"""The intervals date `day` owns: its weekday's, none on a holiday."""
		rules = self._day_rules.get(day)
		if rules is None:
			d = _EPOCH + timedelta(days=day)
			rules = [] if day in self.holidays else self.rules[d.weekday()]
			self._day_rules[day] = rules
		return rules

	def _owner_at(self, u: int, reading: int) -> int | None:
		for a, b in self.closures:
			if a <= u < b:
				return None
		today = reading // 1440
		for day in (today, today - 1):
			minutes = reading - day * 1440
			for s, e in self._rules_of(day):
				if s <= minutes < e:
					return day
		return None

	def _reading(self, u: int) -> int:
		naive = local_reading(self.tz, u)
		return (naive - datetime(1970, 1, 1)) // timedelta(minutes=1)

	def _extend_to(self, u_end: int) -> None:
		"""Compute every minute starting before u_end."""
		if u_end > self.t_max:
			raise OracleLimit(u_end)
		u = self.t0 + MINUTE * len(self.owner)
		while u < u_end:
			# Offsets are read once per hour, and per minute only in an hour where they change.
			first = self._reading(u)
			steady = self._reading(u + HOUR - MINUTE) - first == 59
			for i in range(60):
				reading = first + i if steady else self._reading(u)
				who = self._owner_at(u, reading)
				self.owner.append(who)
				self.reading.append(reading)
				self.prefix.append(self.prefix[-1] + (who is not None))
				if who is not None:
					self.owned[who] = self.owned.get(who, 0) + 1
				u += MINUTE

	def _index(self, u: int) -> int:
		assert u % MINUTE == 0 and u >= self.t0, u
		i = (u - self.t0) // MINUTE
		if i >= len(self.owner):
			self._extend_to(u + 2 * DAY)
		return i

	# -- the quantities of docs/design.md ----------------------------------------------------------------------
	def is_open(self, u: int) -> bool:
		return self.owner[self._index(u)] is not None

	def business_seconds(self, a: int, b: int) -> int:
		if b <= a:
			return 0
		i, j = self._index(a), self._index(b)
		return MINUTE * (self.prefix[j] - self.prefix[i])

	def clock_start(self, t: int) -> int:
		i = self._index(t)
		while True:
			if i >= len(self.owner):
				self._extend_to(self.t0 + MINUTE * i + 7 * DAY)
			if self.owner[i] is not None:
				return self.t0 + MINUTE * i
			i += 1

	def add_seconds(self, s: int, seconds: int) -> int:
		"""The earliest T >= s with B(s, T) = seconds."""
		assert seconds % MINUTE == 0 and seconds >= 0
		i = self._index(s)
		goal = self.prefix[i] + seconds // MINUTE
		while self.prefix[-1] < goal:
			self._extend_to(self.t0 + MINUTE * len(self.owner) + 7 * DAY)
		return self.t0 + MINUTE * bisect_left(self.prefix, goal, lo=i)

	def add_business_hours(self, t: int, hours: float) -> int:
		return self.add_seconds(self.clock_start(t), round(hours * HOUR))

	def add_calendar_hours(self, t: int, hours: float) -> int:
		return t + round(hours * HOUR)

	def _complete_through(self, day: int) -> None:
		"""Make sure every minute a date can own (readings up to 2 days after its midnight) is computed."""
		self._extend_to(max(self.t0 + MINUTE * len(self.owner), day * DAY + 3 * DAY))

	def is_business_day(self, day: int) -> bool:
		"""Whether the date (days since 1970-01-01) owns open time after holidays and closures."""
		self._complete_through(day)
		return self.owned.get(day, 0) > 0

	def business_days_parts(self, t: int, n: int) -> tuple[int, int, int, int]:
		"""(s, owner, e, c) of an N business days target from t; dates as days since 1970-01-01."""
		s = self.clock_start(t)
		owner = self.owner[self._index(s)]
		e = owner
		for _k in range(n):
			e += 1
			while not self.is_business_day(e):
				e += 1
		target = e * 1440 + (self.reading[self._index(s)] - owner * 1440)
		return s, owner, e, self.first_reading_at_least(target)

	def first_reading_at_least(self, target: int) -> int:
		"""The first instant whose wall-clock reading (minutes) is `target` or later."""
		# No zone is 26 h or more ahead of UTC: earlier instants read less than the target.
		i = max(0, (target * MINUTE - 26 * HOUR - self.t0) // MINUTE)
		while True:
			if i >= len(self.owner):
				self._extend_to(self.t0 + MINUTE * i + 2 * DAY)
			if self.reading[i] >= target:
				return self.t0 + MINUTE * i
			i += 1

	def add_business_days(self, t: int, n: int) -> int:
		s, _owner, _e, c = self.business_days_parts(t, n)
		return self.add_seconds(s, self.business_seconds(s, c))

	def add(self, t: int, amount: float, unit: str) -> int:
		if unit == "Business Hours":
			return self.add_business_hours(t, amount)
		if unit == "Business Days":
			return self.add_business_days(t, int(amount))
		if unit == "Calendar Hours":
			return self.add_calendar_hours(t, amount)
		raise ValueError(unit)

	# -- pauses -----------------------------------------------------------------------------------------
	def instant_after(
		self, start: int, seconds: float, pauses: list[tuple[int, int | None]], elapsed: bool = False
	) -> float | None:
		"""The earliest T at which open (any, when `elapsed`), unpaused time since start adds up to
		`seconds`; None when an open-ended pause begins first. Pauses are (from, to or None) on the minute
		grid; `seconds` need not be whole minutes (an at-risk share), the answer is exact anyway."""
		assert start % MINUTE == 0
		need, u = seconds, start
		while need > 0:
			pause = next((p for p in pauses if p[0] <= u and (p[1] is None or u < p[1])), None)
			if pause is not None:
				if pause[1] is None:
					return None
			elif elapsed or self.is_open(u):
				if need <= MINUTE:
					return u + need
				need -= MINUTE
			u += MINUTE
		return u

	def consumed(self, start: int, now: int, pauses: list[tuple[int, int | None]]) -> int:
		"""Open, unpaused seconds in [start, now)."""
		total = 0
		for u in range(start, now, MINUTE):
			if self.is_open(u) and not any(p0 <= u and (p1 is None or u < p1) for p0, p1 in pauses):
				total += MINUTE
		return total

	# -- single instants, without computing a window ----------------------------------------------------
	def owner_at(self, u: int) -> int | None:
		"""The date (days since 1970-01-01) owning instant u, None when the calendar is closed at u."""
		return self._owner_at(u, self._reading(u))
