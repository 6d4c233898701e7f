"""The live countdown: business time left, whether it is ticking, and when the calendar next opens or closes,
against the brute-force oracle on random calendars (sla_oracle.py), and on hand-checked office hours."""

from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import assume, given, note, settings
from hypothesis import strategies as st
from sla_oracle import DAY, MINUTE, Oracle, OracleLimit
from sla_strategies import SLOW, aware, describe, engine, examples, german_office
from test_sla_properties import scenario

from frappe_support.sla import BusinessCalendar, countdown

NY = ZoneInfo("America/New_York")
OFFICE = {d: [("09:00", "17:00")] for d in range(5)}
SEARCH_DAYS = 12


def oracle_next_change(oracle: Oracle, t: int) -> int | None:
	"""The first minute after t whose open/closed state differs from t's, within SEARCH_DAYS."""
	state = oracle.is_open(t)
	u = t + MINUTE
	while u < t + SEARCH_DAYS * DAY:
		if oracle.is_open(u) != state:
			return u
		u += MINUTE
	return None


@settings(max_examples=examples(80), deadline=None, suppress_health_check=SLOW)
@given(case=scenario(), data=st.data())
def test_next_change_matches_oracle(case, data):
	spec, t = case
	note(describe(spec, t))
	cal = engine(spec)
	oracle = Oracle(spec, t, limit_days=SEARCH_DAYS + 2)
	try:
		expect = oracle_next_change(oracle, t)
	except OracleLimit:
		assume(False)
	got = cal.next_change(aware(t, spec, as_utc=data.draw(st.booleans(), label="utc")))
	if expect is not None:
		assert got is not None and got.timestamp() == expect
	else:
		assert got is None or got.timestamp() >= t + SEARCH_DAYS * DAY


@settings(max_examples=examples(80), deadline=None, suppress_health_check=SLOW)
@given(case=scenario(), data=st.data())
def test_countdown_matches_oracle_and_ticks_only_while_open(case, data):
	spec, t = case
	note(describe(spec, t))
	cal = engine(spec)
	oracle = Oracle(spec, t, limit_days=SEARCH_DAYS + 2)
	deadline = t + MINUTE * data.draw(st.integers(-3 * 1440, 6 * 1440), label="deadline (minutes from now)")
	now_dt, deadline_dt = aware(t, spec, as_utc=False), aware(deadline, spec, as_utc=True)
	try:
		expect = (
			oracle.business_seconds(t, deadline) if deadline > t else -oracle.business_seconds(deadline, t)
		)
		running = oracle.is_open(t)
	except OracleLimit:
		assume(False)
	c = countdown(cal, now_dt, deadline_dt)
	assert c.remaining == expect
	assert c.running == running
	# Until the calendar next opens or closes, the countdown moves one second per second when running and
	# stands still otherwise.
	span = (c.changes_at.timestamp() - t) // MINUTE if c.changes_at else 3 * 1440
	k = data.draw(st.integers(0, int(min(span, 3 * 1440))), label="minutes later")
	later = countdown(
		cal, aware(t + k * MINUTE, spec, as_utc=False), deadline_dt
	)  # not wall-clock arithmetic
	assert later.remaining == c.remaining - (k * MINUTE if c.running else 0)


def at(*args) -> datetime:
	return datetime(*args, tzinfo=NY)


def test_office_hours_countdown():
	cal = BusinessCalendar("America/New_York", OFFICE)
	deadline = at(2025, 6, 10, 13, 0)  # Tue 13:00
	# Mon 15:40: 1 h 20 min today, 4 h tomorrow; ticking until 17:00.
	c = countdown(cal, at(2025, 6, 9, 15, 40), deadline)
	assert (c.remaining, c.running, c.changes_at) == (5 * 3600 + 20 * 60, True, at(2025, 6, 9, 17, 0))
	# Mon 20:00: closed, 4 h left, still until Tue 09:00.
	c = countdown(cal, at(2025, 6, 9, 20, 0), deadline)
	assert (c.remaining, c.running, c.changes_at) == (4 * 3600, False, at(2025, 6, 10, 9, 0))
	# Wed 10:30: overdue by Tue 13:00-17:00 and Wed 09:00-10:30, 5 h 30 min.
	c = countdown(cal, at(2025, 6, 11, 10, 30), deadline)
	assert (c.remaining, c.running) == (-(5 * 3600 + 30 * 60), True)
	# Fri 17:00 is closed; the next change is Mon 09:00.
	assert cal.next_change(at(2025, 6, 13, 17, 0)) == at(2025, 6, 16, 9, 0)


def test_holidays_and_touching_intervals():
	cal = engine(german_office())
	# Thursday 2025-05-29 is Ascension Day in the shared German office calendar: Wed 17:00 -> Fri 09:00.
	berlin = ZoneInfo("Europe/Berlin")
	assert cal.next_change(datetime(2025, 5, 28, 17, 0, tzinfo=berlin)) == datetime(
		2025, 5, 30, 9, 0, tzinfo=berlin
	)
	night = BusinessCalendar("UTC", {0: [("18:00", "00:00")], 1: [("00:00", "06:00")]})
	utc = ZoneInfo("UTC")
	# Monday evening and Tuesday morning touch at midnight: one stretch, closing Tue 06:00.
	assert night.next_change(datetime(2025, 6, 9, 20, 0, tzinfo=utc)) == datetime(
		2025, 6, 10, 6, 0, tzinfo=utc
	)


def test_always_open_never_changes():
	cal = BusinessCalendar("UTC", always_open=True)
	c = countdown(cal, at(2025, 6, 9, 15, 0), at(2025, 6, 9, 18, 0))
	assert (c.remaining, c.running, c.changes_at) == (3 * 3600, True, None)
