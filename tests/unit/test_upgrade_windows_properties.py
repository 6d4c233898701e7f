"""free_slots and check_window against a brute-force oracle on random calendars, access windows and bookings.

The oracle walks the minute grid: a minute is bookable when the SLA oracle (sla_oracle.Oracle, straight
from the calendar rules with zoneinfo) says the calendar is open and the minute's wall-clock reading lies in
one of the access windows, which the oracle reads from their raw (days, start, end) form itself (not from
the parser): a window belongs to the date it starts on, an end at or before the start is the next day.
Every boundary (calendar, closures, clock changes, access windows, bookings) is on the minute grid, so the
minute walk is exact. Candidate starts: a bookable minute whose previous minute is not, or a bookable
minute whose wall-clock reading is a multiple of the step after local midnight. The engine's answers must
equal the oracle's exactly. Calendars, zones (Europe/Berlin, Asia/Kolkata, America/New_York, UTC,
Australia/Lord_Howe) and start instants (often near a clock change) come from sla_strategies.
SLA_HYPOTHESIS_SCALE=10 runs ten times as many examples.
"""

from datetime import timedelta

from hypothesis import assume, given, note, settings
from hypothesis import strategies as st
from sla_oracle import DAY, MINUTE, Oracle, OracleLimit
from sla_strategies import SLOW, ZONES, aware, calendar_in_zone, describe, engine, examples, start_instants

from frappe_support.upgrades.access import AccessWindow, parse_access_window
from frappe_support.upgrades.slots import free_slots
from frappe_support.upgrades.windows import check_window

NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ENGINEERS = ("ana", "ben", "cy")
QUARTER = 15 * MINUTE


# -- random inputs ------------------------------------------------------------------------------------------
@st.composite
def raw_windows(draw) -> list[tuple[frozenset[int], int, int]]:
	"""0 to 3 access windows (days, start minute, end minute) on the quarter-hour grid; end <= start means
	the next day (and 00:00-00:00 the whole day)."""
	out = []
	for _k in range(draw(st.integers(0, 3))):
		days = frozenset(draw(st.sets(st.integers(0, 6), min_size=1)))
		s = draw(st.integers(0, 95))
		e = draw(st.integers(0, 96))
		if e == s and s:
			e = (s + draw(st.integers(1, 95))) % 96  # the parser rejects 10:00-10:00
		out.append((days, 15 * s, 15 * e))
	return out


def write_window(draw, days: frozenset[int], s: int, e: int) -> str:
	"""One window as a user might type it: a list of day names (full or short, any case), then the times."""
	names = []
	for d in sorted(days):
		name = draw(st.sampled_from([NAMES[d], NAMES[d][:3]]))
		names.append(draw(st.sampled_from([name, name.lower(), name.upper()])))
	sep = draw(st.sampled_from([",", ", ", " and ", " & "]))
	end = "24:00" if e == 1440 else f"{e // 60:02d}:{e % 60:02d}"
	return f"{sep.join(names)} {s // 60:02d}:{s % 60:02d}{draw(st.sampled_from(['-', ' - ', ' to ']))}{end}"


@st.composite
def access_text(draw) -> tuple[list, str]:
	raw = draw(raw_windows())
	parts = [write_window(draw, *w) for w in raw]
	tail = draw(st.sampled_from(["", " via bastion", " (VPN)"]))
	return raw, draw(st.sampled_from(["; ", "\n"])).join(parts) + (tail if parts else "")


@st.composite
def bookings(draw, near: int) -> dict[str, list[tuple[int, int]]]:
	"""Engineers with up to four bookings each (quarter-hour grid, some touching, some overlapping)."""
	names = draw(st.lists(st.sampled_from(ENGINEERS), min_size=1, max_size=3, unique=True))
	out = {}
	for name in names:
		spans = draw(st.lists(st.tuples(st.integers(-96, 3 * 96), st.integers(0, 64)), max_size=5))
		out[name] = [(near + QUARTER * k, near + QUARTER * (k + n)) for k, n in spans]
	return out


@st.composite
def scenario(draw):
	zone = draw(st.sampled_from(ZONES))
	t = draw(start_instants(zone))
	spec = draw(calendar_in_zone(zone, t, max_closures=2))
	raw, text = draw(access_text())
	return spec, t, raw, text, draw(bookings(t))


# -- the oracle ---------------------------------------------------------------------------------------------
def in_access(oracle: Oracle, raw: list, u: int) -> bool:
	if not raw:
		return True
	reading = oracle.reading[oracle._index(u)]  # wall-clock minutes since 1970-01-01 00:00
	for day in (reading // 1440, reading // 1440 - 1):
		minute = reading - day * 1440
		weekday = (day + 3) % 7  # 1970-01-01 was a Thursday
		for days, s, e in raw:
			end = e if e > s else e + 1440
			if weekday in days and s <= minute < end:
				return True
	return False


def bookable(oracle: Oracle, raw: list, u: int) -> bool:
	return oracle.is_open(u) and in_access(oracle, raw, u)


def overlaps(busy: list[tuple[int, int]], a: int, b: int) -> list[tuple[int, int]]:
	return sorted((s, e) for s, e in busy if s < e and s < b and e > a)


def oracle_slots(oracle, raw, a, length, engineers, count, step, horizon_days):
	horizon = a + horizon_days * DAY
	first = a - MINUTE
	flags = [bookable(oracle, raw, u) for u in range(first, horizon + length, MINUTE)]
	prefix = [0]
	for f in flags:
		prefix.append(prefix[-1] + f)
	k = length // MINUTE
	out = []
	for u in range(a, horizon, MINUTE):
		i = (u - first) // MINUTE
		if not flags[i]:
			continue
		reading = oracle.reading[oracle._index(u)]
		if flags[i - 1] and reading % 1440 % step:
			continue  # neither the start of bookable time nor a step boundary
		if prefix[i + k] - prefix[i] != k:
			continue
		for name in sorted(engineers):
			if not overlaps(engineers[name], u, u + length):
				out.append((u, u + length, name))
				break
		if len(out) == count:
			break
	return out


# -- properties ---------------------------------------------------------------------------------------------
@settings(max_examples=examples(60), deadline=None, suppress_health_check=SLOW)
@given(case=scenario(), data=st.data())
def test_free_slots_match_the_oracle(case, data):
	spec, t, raw, text, engineers = case
	now = data.draw(st.none() | st.integers(-96, 8).map(lambda q: t + QUARTER * q), label="now")
	lead = data.draw(st.integers(0, 32), label="lead quarters") / 4
	length = QUARTER * data.draw(st.integers(1, 16), label="length quarters")
	step = data.draw(st.sampled_from([15, 30, 45, 50, 60, 90]), label="step")
	horizon_days = data.draw(st.integers(1, 3), label="horizon days")
	count = data.draw(st.integers(1, 4), label="count")
	note(describe(spec, t))
	note(f"access {text!r}; engineers {engineers}")
	cal = engine(spec)
	access = parse_access_window(text)
	oracle = Oracle(spec, min(t, now if now is not None else t), limit_days=25)
	try:
		a = t if now is None else max(t, oracle.add_business_hours(now, lead))
		expected = oracle_slots(oracle, raw, a, length, engineers, count, step, horizon_days)
	except OracleLimit:
		assume(False)
	busy = {
		name: [(aware(s, spec, True), aware(e, spec, False)) for s, e in spans]
		for name, spans in engineers.items()
	}
	slots = free_slots(
		cal,
		after=aware(t, spec, data.draw(st.booleans(), label="after in utc")),
		duration=timedelta(seconds=length),
		engineers=busy,
		access=access,
		lead_hours=lead,
		now=None if now is None else aware(now, spec, True),
		count=count,
		step_minutes=step,
		horizon_days=horizon_days,
	)
	got = [(s.timestamp(), e.timestamp(), who) for s, e, who in slots]
	assert got == expected
	for s, e, who in slots:
		assert (
			check_window(
				cal,
				s,
				e,
				now=aware(t, spec, True) if now is None else aware(now, spec, True),
				lead_hours=0 if now is None else lead,
				access=access,
				busy=busy[who],
			)
			== []
		)


@settings(max_examples=examples(80), deadline=None, suppress_health_check=SLOW)
@given(case=scenario(), data=st.data())
def test_check_window_matches_the_oracle(case, data):
	spec, t, raw, text, _engineers = case
	cal = engine(spec)
	a = t + QUARTER * data.draw(st.integers(-8, 3 * 96), label="start quarters")
	if data.draw(st.booleans(), label="start where the calendar opens"):
		# Inputs only: the oracle below decides what is expected.
		a = int(cal.clock_start(aware(a, spec, True)).timestamp())
	if data.draw(st.integers(0, 5), label="empty window") == 3:
		b = a - MINUTE * data.draw(st.integers(0, 60), label="minutes back")
	else:
		b = a + MINUTE * data.draw(st.integers(1, 8 * 60), label="length minutes")
	now = a - QUARTER * data.draw(st.integers(-16, 8 * 96), label="now quarters before start")
	lead = data.draw(st.integers(0, 40), label="lead quarters") / 4
	# Bookings around the window, some touching it at either end.
	busy = data.draw(
		st.lists(
			st.one_of(
				st.tuples(st.integers(-16, 32), st.integers(0, 32)).map(
					lambda kn: (a + QUARTER * kn[0], a + QUARTER * (kn[0] + kn[1]))
				),
				st.integers(1, 8).map(lambda n: (a - QUARTER * n, a)),
				st.integers(1, 8).map(lambda n: (b, b + QUARTER * n)),
			),
			max_size=4,
		),
		label="busy",
	)
	note(describe(spec, t))
	note(f"access {text!r}; window {a}..{b}; now {now}; busy {busy}")
	oracle = Oracle(spec, min(a, now), limit_days=40)
	try:
		expected = []
		if b <= a:
			expected.append(("not_after_start", {}))
		else:
			closed = next((u for u in range(a, b, MINUTE) if not oracle.is_open(u)), None)
			if closed is not None:
				expected.append(("outside_open_time", {"closed_at": closed}))
			if raw:
				outside = next((u for u in range(a, b, MINUTE) if not in_access(oracle, raw, u)), None)
				if outside is not None:
					expected.append(("outside_access", {"closed_at": outside}))
		earliest = oracle.add_business_hours(now, lead)
	except OracleLimit:
		assume(False)
	if a < earliest:
		expected.append(("too_soon", {"earliest": earliest}))
	hits = overlaps(busy, a, b) if b > a else []
	if hits:
		expected.append(("engineer_busy", {"start": hits[0][0], "end": hits[0][1]}))
	problems = check_window(
		cal,
		aware(a, spec, data.draw(st.booleans(), label="start in utc")),
		aware(b, spec, True),
		now=aware(now, spec, False),
		lead_hours=lead,
		access=parse_access_window(text),
		busy=[(aware(s, spec, True), aware(e, spec, False)) for s, e in busy],
	)
	got = [(p.code, {k: v.timestamp() for k, v in p.detail.items()}) for p in problems]
	assert got == expected


@settings(max_examples=examples(30), deadline=None, suppress_health_check=SLOW)
@given(case=scenario(), data=st.data())
def test_slots_over_a_month_are_bookable_and_in_order(case, data):
	"""Engine only, so longer searches are affordable: every slot passes check_window, starts are distinct,
	ascending, at or after the search start and before the horizon."""
	spec, t, _raw, text, engineers = case
	cal = engine(spec)
	length = QUARTER * data.draw(st.integers(1, 24), label="length quarters")
	count = data.draw(st.integers(1, 40), label="count")
	step = data.draw(st.sampled_from([15, 30, 60]), label="step")
	busy = {
		name: [(aware(s, spec, True), aware(e, spec, True)) for s, e in spans]
		for name, spans in engineers.items()
	}
	after = aware(t, spec, False)
	access = parse_access_window(text)
	slots = free_slots(
		cal,
		after=after,
		duration=timedelta(seconds=length),
		engineers=busy,
		access=access,
		count=count,
		step_minutes=step,
		horizon_days=28,
	)
	assert len(slots) <= count
	starts = [s.timestamp() for s, _e, _w in slots]
	assert starts == sorted(set(starts))
	assert all(t <= s < t + 28 * DAY for s in starts)
	for s, e, who in slots:
		assert e.timestamp() - s.timestamp() == length  # (e - s of one tzinfo is wall-clock time: PEP 495)
		assert check_window(cal, s, e, now=after, lead_hours=0, access=access, busy=busy[who]) == []


@settings(max_examples=examples(200), deadline=None)
@given(
	days=st.sets(st.integers(0, 6), min_size=1),
	start=st.integers(0, 95),
	length=st.integers(1, 96),
)
def test_describe_round_trips(days, start, length):
	if length == 96 and start:
		length = 95  # only 00:00-24:00 lasts a whole day
	window = AccessWindow(frozenset(days), start * QUARTER, (start + length) * QUARTER)
	assert parse_access_window(window.describe()) == (window,)
