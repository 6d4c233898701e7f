"""The engine against the brute-force oracle (sla_oracle.py) on random calendars, and algebraic properties.

Random calendars: a zone among Europe/Berlin, Asia/Kolkata, America/New_York, UTC and Australia/Lord_Howe
(30-minute changes); non-overlapping weekly intervals on a 15-minute grid (some overnight, some across
Sunday -> Monday, some touching, some whole days, sometimes 24x7); random holidays; random closures on a
minute grid. Start instants are on the minute grid, often in the week before a clock change.
SLA_HYPOTHESIS_SCALE=10 runs ten times as many examples.
"""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from hypothesis import assume, given, note, settings
from hypothesis import strategies as st
from sla_oracle import DAY, MINUTE, Oracle, OracleLimit, first_instant_reading, local_reading
from sla_strategies import (
	SLOW,
	ZONES,
	aware,
	calendar_in_zone,
	day_of,
	describe,
	engine,
	examples,
	german_office,
	start_instants,
	weekly_open_seconds,
)

from frappe_support.sla import BUSINESS_DAYS, BUSINESS_HOURS, CALENDAR_HOURS


def ts(value) -> float:
	return value.timestamp()


@st.composite
def scenario(draw, max_closures: int = 3):
	zone = draw(st.sampled_from(ZONES))
	t = draw(start_instants(zone))
	spec = draw(calendar_in_zone(zone, t, max_closures))
	return spec, t


# -- engine == oracle ---------------------------------------------------------------------------------
@settings(max_examples=examples(150), deadline=None, suppress_health_check=SLOW)
@given(case=scenario(), data=st.data())
def test_engine_matches_oracle(case, data):
	spec, t = case
	note(describe(spec, t))
	cal = engine(spec)
	oracle = Oracle(spec, t, limit_days=100)
	weekly = weekly_open_seconds(spec)
	# Quarter hours up to 30 h, and no more than two weeks of nominal open time.
	bh = data.draw(st.integers(0, max(1, min(120, 2 * weekly // 900))), label="bh quarters") / 4
	bd = data.draw(st.integers(0, 6), label="bd")
	ch = data.draw(st.integers(0, 200), label="ch quarters") / 4
	other = t + MINUTE * data.draw(st.integers(-2 * 1440, 20 * 1440), label="other instant (minutes)")
	start = aware(t, spec, as_utc=data.draw(st.booleans(), label="utc"))
	try:
		expect_start = oracle.clock_start(t)
		expect_bh = oracle.add(t, bh, BUSINESS_HOURS)
		expect_bd = oracle.add(t, bd, BUSINESS_DAYS)
		_s, owner, e, c = oracle.business_days_parts(t, bd)
		expect_b = oracle.business_seconds(min(t, other), max(t, other))
		days = [day_of(start.astimezone(ZoneInfo(spec.timezone)).date()) + k for k in range(-1, 8)]
		expect_days = [oracle.is_business_day(d) for d in days]
	except OracleLimit:
		assume(False)
	note(f"oracle: start {expect_start}, bh {expect_bh}, bd {expect_bd} (owner {owner}, e {e}, c {c})")

	assert ts(cal.clock_start(start)) == expect_start
	assert cal.is_open(start) == (expect_start == t)
	assert ts(cal.add(start, bh, BUSINESS_HOURS)) == expect_bh
	assert ts(cal.add(start, bd, BUSINESS_DAYS)) == expect_bd
	assert ts(cal.add(start, ch, CALENDAR_HOURS)) == oracle.add(t, ch, CALENDAR_HOURS)
	lo, hi = sorted((start, aware(other, spec, as_utc=True)))
	assert cal.business_seconds(lo, hi) == expect_b
	assert [cal.is_business_day(date(1970, 1, 1) + timedelta(days=d)) for d in days] == expect_days
	# The targets in business seconds (what the clock stores) agree as well.
	assert cal.target_seconds(aware(expect_start, spec, True), bd, BUSINESS_DAYS) == oracle.business_seconds(
		expect_start, expect_bd
	)


# -- algebra, engine only (fast, so long spans are affordable) -------------------------------------------
@settings(max_examples=examples(150), deadline=None, suppress_health_check=SLOW)
@given(case=scenario(), data=st.data())
def test_business_time_is_additive(case, data):
	"""B(a, b) + B(b, c) = B(a, c), over spans short (day by day) and long (whole weeks plus exceptions)."""
	spec, a = case
	cal = engine(spec)
	b = a + MINUTE * data.draw(st.integers(0, 400 * 1440))
	c = b + MINUTE * data.draw(st.integers(0, 400 * 1440))
	ua = data.draw(st.booleans())
	A, Bx, C = aware(a, spec, ua), aware(b, spec, not ua), aware(c, spec, ua)
	assert cal.business_seconds(A, Bx) + cal.business_seconds(Bx, C) == cal.business_seconds(A, C)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=SLOW)
@given(case=scenario(), span_days=st.integers(9, 120))
def test_long_spans_equal_the_sum_of_short_ones(case, span_days):
	"""The whole-week path of B agrees with summing 3-day slices (each computed day by day)."""
	spec, a = case
	cal = engine(spec)
	end = a + span_days * DAY
	total, u = 0, a
	while u < end:
		v = min(u + 3 * DAY, end)
		total += cal.business_seconds(aware(u, spec, True), aware(v, spec, True))
		u = v
	assert cal.business_seconds(aware(a, spec, True), aware(end, spec, False)) == total


@settings(max_examples=examples(150), deadline=None, suppress_health_check=SLOW)
@given(case=scenario(), data=st.data())
def test_add_then_measure_returns_the_amount(case, data):
	"""T = add_seconds(s, X) has B(s, T) = X and is the earliest such instant (the minute before it is
	open), for short and long (whole-week jump) amounts."""
	spec, s = case
	cal = engine(spec)
	weekly = weekly_open_seconds(spec)
	minutes = data.draw(st.one_of(st.integers(0, 3000), st.integers(0, 2000 * 60)), label="minutes")
	minutes = min(minutes, 60 * weekly // 60)  # at most 60 weeks of nominal open time
	start = aware(s, spec, data.draw(st.booleans()))
	end = cal.add_seconds(start, minutes * MINUTE)
	assert cal.business_seconds(start, end) == minutes * MINUTE
	if minutes:
		assert cal.business_seconds(aware(int(ts(end)) - MINUTE, spec, True), end) == MINUTE
	else:
		assert ts(end) == ts(start)  # (== between zones is False in a repeated hour: PEP 495)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=SLOW)
@given(case=scenario(), data=st.data())
def test_long_business_hours_equal_chained_short_ones(case, data):
	"""add(t, X) with X beyond two weeks (the jump path) = chaining pieces of at most a week (day by day)."""
	spec, t = case
	cal = engine(spec)
	weekly = weekly_open_seconds(spec)
	pieces = data.draw(st.integers(3, 12), label="pieces")
	piece = (data.draw(st.integers(1, max(1, weekly // 900)), label="piece quarters")) * 900
	start = cal.clock_start(aware(t, spec, True))
	chained = start
	for _k in range(pieces):
		chained = cal.add_seconds(chained, piece)
	assert cal.add_seconds(start, pieces * piece) == chained


@settings(max_examples=examples(40), deadline=None, suppress_health_check=SLOW)
@given(case=scenario(), n=st.one_of(st.integers(20, 80), st.integers(250, 320)))
def test_long_business_days_follow_the_definition(case, n):
	"""N business days with N large (range counting and whole weeks) = the definition walked day by day:
	e = the N-th date after the owner that is a business day, c from the wall clock (zoneinfo), and the
	deadline is the earliest T with B(s, T) = B(s, c)."""
	spec, t = case
	cal = engine(spec)
	tz = ZoneInfo(spec.timezone)
	oracle = Oracle(spec, t)  # only its per-instant owner rule is used: no window is computed
	s = int(ts(cal.clock_start(aware(t, spec, True))))
	owner = oracle.owner_at(s)
	assert owner is not None
	e = owner
	for _k in range(n):
		e += 1
		while not cal.is_business_day(date(1970, 1, 1) + timedelta(days=e)):
			e += 1
	reading = local_reading(tz, s)
	c = first_instant_reading(tz, reading + timedelta(days=e - owner))
	deadline = cal.add(aware(t, spec, False), n, BUSINESS_DAYS)
	start = aware(s, spec, True)
	assert cal.business_seconds(start, deadline) == cal.business_seconds(start, aware(c, spec, True))
	assert ts(deadline) <= c
	if ts(deadline) > s:
		assert cal.business_seconds(aware(int(ts(deadline)) - MINUTE, spec, True), deadline) == MINUTE


def test_long_targets_against_the_oracle():
	"""300 BD and 2000 BH over a year of German holidays and closures, against the minute-by-minute oracle."""
	spec = german_office()
	cal = engine(spec)
	starts = [
		int(ts(aware(0, spec, True).replace(year=2025, month=1, day=2, hour=10, minute=17))),
		int(ts(aware(0, spec, True).replace(year=2025, month=3, day=28, hour=16, minute=0))),
	]
	oracle = Oracle(spec, starts[0], limit_days=540)
	for t in starts:
		start = aware(t, spec, True)
		assert ts(cal.add(start, 300, BUSINESS_DAYS)) == oracle.add(t, 300, BUSINESS_DAYS)
		assert ts(cal.add(start, 2000, BUSINESS_HOURS)) == oracle.add(t, 2000, BUSINESS_HOURS)
		assert ts(cal.add(start, 45, BUSINESS_DAYS)) == oracle.add(t, 45, BUSINESS_DAYS)
		end = t + 400 * DAY
		assert cal.business_seconds(start, aware(end, spec, True)) == oracle.business_seconds(t, end)
