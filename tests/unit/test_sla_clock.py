"""SLA clocks with pauses (frappe_support/sla/clock.py): by hand, and against the oracle.

Paused spans consume no business time; the deadline is the earliest instant at which the unpaused business
time since the clock start reaches the target, at-risk the same for 75 % (a setting) of it. Calendar: Europe/
Berlin, Mon-Fri 09:00-17:00; 2025-06-09 is a Monday.
"""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, note, settings
from hypothesis import strategies as st
from sla_oracle import MINUTE, Oracle, OracleLimit
from sla_strategies import (
	SLOW,
	ZONES,
	aware,
	calendar_in_zone,
	describe,
	engine,
	examples,
	start_instants,
	weekly_open_seconds,
)

from frappe_support.sla import (
	BUSINESS_DAYS,
	BUSINESS_HOURS,
	CALENDAR_HOURS,
	BusinessCalendar,
	CalendarError,
	Pause,
	consumed,
	explain_clock,
	instant_after,
	run_clock,
)

BERLIN = ZoneInfo("Europe/Berlin")
H = 3600


def berlin(month, day, hour, minute=0):
	return datetime(2025, month, day, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def office():
	return BusinessCalendar("Europe/Berlin", {d: [("09:00", "17:00")] for d in range(5)})


def test_open_pause_has_no_deadline(office):
	# Mon 10:00, 8 BH, paused from 17:00 on: 7 h consumed, at-risk (6 h) at 16:00, no deadline yet.
	result = run_clock(office, berlin(6, 9, 10), 8, BUSINESS_HOURS, [Pause(berlin(6, 9, 17))])
	assert result.deadline is None
	assert result.at_risk == berlin(6, 9, 16)
	# Paused from 12:00 on: only 2 h consumed, neither instant is known.
	result = run_clock(office, berlin(6, 9, 10), 8, BUSINESS_HOURS, [Pause(berlin(6, 9, 12))])
	assert result.deadline is None and result.at_risk is None
	assert consumed(office, berlin(6, 9, 10), berlin(6, 12, 12), [Pause(berlin(6, 9, 12))]) == 2 * H


def test_pause_outside_hours_credits_nothing(office):
	weekend = Pause(berlin(6, 7, 8), berlin(6, 9, 8, 30))
	assert run_clock(office, berlin(6, 6, 16, 30), 8, BUSINESS_HOURS, [weekend]).deadline == berlin(
		6, 9, 16, 30
	)


def test_pause_before_or_over_the_start(office):
	# Raised Sat 10:00, paused Sat 10-12: the clock starts Mon 09:00 anyway.
	saturday = Pause(berlin(6, 7, 10), berlin(6, 7, 12))
	assert run_clock(office, berlin(6, 7, 10), 8, BUSINESS_HOURS, [saturday]).deadline == berlin(6, 9, 17)
	# Raised Mon 10:00 with a pause from 09:00 to 11:00: the clock runs from 11:00: 6 h Mon, 2 h Tue.
	over_start = Pause(berlin(6, 9, 9), berlin(6, 9, 11))
	assert run_clock(office, berlin(6, 9, 10), 8, BUSINESS_HOURS, [over_start]).deadline == berlin(6, 10, 11)


def test_several_pauses(office):
	# Mon 10:00 + 8 BH; paused 11-12 and 14-15: Monday gives 7 - 2 = 5 h, Tuesday 09:00-12:00 the rest.
	pauses = [Pause(berlin(6, 9, 14), berlin(6, 9, 15)), Pause(berlin(6, 9, 11), berlin(6, 9, 12))]
	assert run_clock(office, berlin(6, 9, 10), 8, BUSINESS_HOURS, pauses).deadline == berlin(6, 10, 12)
	assert consumed(office, berlin(6, 9, 10), berlin(6, 9, 17), pauses) == 5 * H


def test_overlapping_pauses_count_once(office):
	# Pauses 11-13 and 12-14 cover 11-14 (3 h): Monday gives 4 h, Tuesday 09:00-13:00.
	pauses = [Pause(berlin(6, 9, 11), berlin(6, 9, 13)), Pause(berlin(6, 9, 12), berlin(6, 9, 14))]
	assert run_clock(office, berlin(6, 9, 10), 8, BUSINESS_HOURS, pauses).deadline == berlin(6, 10, 13)
	assert consumed(office, berlin(6, 9, 10), berlin(6, 9, 17), pauses) == 4 * H
	# A pause inside another changes nothing.
	nested = [Pause(berlin(6, 9, 11), berlin(6, 9, 14)), Pause(berlin(6, 9, 12), berlin(6, 9, 13))]
	assert consumed(office, berlin(6, 9, 10), berlin(6, 9, 17), nested) == 4 * H
	# An open pause that starts inside a closed one keeps the clock stopped from 11:00 on.
	open_inside = [Pause(berlin(6, 9, 11), berlin(6, 9, 13)), Pause(berlin(6, 9, 12))]
	assert run_clock(office, berlin(6, 9, 10), 8, BUSINESS_HOURS, open_inside).deadline is None
	assert consumed(office, berlin(6, 9, 10), berlin(6, 10, 17), open_inside) == 1 * H


def test_pause_ending_in_the_repeated_hour():
	# Europe/Berlin, 10-26: 03:00 CEST (01:00 UTC) becomes 02:00 CET. Start 02:50 CEST (00:50 UTC), paused
	# until 02:20 CET (01:20 UTC), given in the calendar's zone (fold=1): on a wall clock the pause ends
	# "before" it starts, in time it lasts 30 minutes. 1 BH on a 24x7 calendar: 01:20 UTC + 1 h.
	cal = BusinessCalendar("Europe/Berlin", always_open=True)
	start = datetime(2025, 10, 26, 0, 50, tzinfo=timezone.utc).astimezone(BERLIN)
	resume = datetime(2025, 10, 26, 1, 20, tzinfo=timezone.utc).astimezone(BERLIN)
	assert resume.fold == 1 and resume.hour == 2 and start.hour == 2
	pause = Pause(start, resume)
	result = run_clock(cal, start, 1, BUSINESS_HOURS, [pause])
	assert result.deadline.timestamp() == datetime(2025, 10, 26, 2, 20, tzinfo=timezone.utc).timestamp()
	now = datetime(2025, 10, 26, 2, 30, tzinfo=timezone.utc)
	assert consumed(cal, start, now, [pause]) == 70 * 60  # 100 minutes, 30 of them paused
	# An open pause from 02:20 CET (fold=1, 01:20 UTC) on: 30 minutes ran before it, no deadline yet.
	assert run_clock(cal, start, 1, BUSINESS_HOURS, [Pause(resume)]).deadline is None


def test_empty_or_inverted_pauses_are_ignored(office):
	pauses = [Pause(berlin(6, 9, 11), berlin(6, 9, 11)), Pause(berlin(6, 9, 12), berlin(6, 9, 11))]
	assert run_clock(office, berlin(6, 9, 10), 8, BUSINESS_HOURS, pauses).deadline == berlin(6, 10, 10)


def test_pause_over_closing_credits_open_time_only(office):
	# Paused Mon 16:00 to Tue 10:00 credits 2 h (16-17, 09-10): Mon 10:00 + 8 BH = Tue 12:00.
	pause = Pause(berlin(6, 9, 16), berlin(6, 10, 10))
	assert run_clock(office, berlin(6, 9, 10), 8, BUSINESS_HOURS, [pause]).deadline == berlin(6, 10, 12)


def test_business_days_with_a_pause(office):
	# Mon 09:00 + 4 BD = 32 business hours; a pause all of Tuesday moves the deadline to Fri 17:00.
	pause = Pause(berlin(6, 10, 9), berlin(6, 11, 9))
	result = run_clock(office, berlin(6, 9, 9), 4, BUSINESS_DAYS, [pause])
	assert result.target_seconds == 32 * H
	assert result.deadline == berlin(6, 13, 17)


def test_calendar_hours_with_a_pause():
	cal = BusinessCalendar("Europe/Berlin", {d: [("09:00", "17:00")] for d in range(5)})
	# Sat 03-29 12:00 CET + 24 CH paused 13:00-14:00: 25 elapsed hours later = Sun 14:00 CEST.
	pause = Pause(datetime(2025, 3, 29, 13, tzinfo=BERLIN), datetime(2025, 3, 29, 14, tzinfo=BERLIN))
	result = run_clock(cal, datetime(2025, 3, 29, 12, tzinfo=BERLIN), 24, CALENDAR_HOURS, [pause])
	assert result.start == datetime(2025, 3, 29, 12, tzinfo=BERLIN)  # no waiting for an opening
	assert result.deadline == datetime(2025, 3, 30, 14, tzinfo=BERLIN)
	# At risk after 18 elapsed hours (+1 h paused): Sun 08:00 CEST.
	assert result.at_risk == datetime(2025, 3, 30, 8, tzinfo=BERLIN)


def test_at_risk_share(office):
	assert run_clock(office, berlin(6, 9, 9), 8, BUSINESS_HOURS, at_risk_fraction=1).at_risk == berlin(
		6, 9, 17
	)
	assert run_clock(office, berlin(6, 9, 9), 8, BUSINESS_HOURS, at_risk_fraction=0.5).at_risk == berlin(
		6, 9, 13
	)
	for bad in (0, -0.5, 1.5):
		with pytest.raises(CalendarError, match="at-risk"):
			run_clock(office, berlin(6, 9, 9), 8, BUSINESS_HOURS, at_risk_fraction=bad)


def test_instant_after_zero_and_plain(office):
	assert instant_after(office, berlin(6, 9, 10), 0) == berlin(6, 9, 10)
	assert instant_after(office, berlin(6, 9, 10), 7 * H) == berlin(6, 9, 17)


def test_explain_clock_lists_pauses(office):
	pause = Pause(berlin(6, 9, 12), berlin(6, 11, 10), "Waiting for Customer")
	lines = explain_clock(office, berlin(6, 9, 10), 8, BUSINESS_HOURS, [pause])
	text = "\n".join(lines)
	assert "Waiting for Customer" in text
	assert "14.0 business hours credited" in text  # Mon 12-17 (5 h) + Tue (8 h) + Wed 09-10 (1 h)
	assert lines[-1] == "Deadline after pauses: Wed 2025-06-11 16:00 CEST."
	lines = explain_clock(office, berlin(6, 9, 10), 8, BUSINESS_HOURS, [Pause(berlin(6, 9, 12))])
	assert lines[-1] == "Deadline after pauses: not set while paused."


# -- against the oracle ---------------------------------------------------------------------------------
@st.composite
def pauses_near(draw, t: int):
	out = []
	for offset, length in draw(
		st.lists(st.tuples(st.integers(-1440, 10 * 1440), st.integers(-60, 3 * 1440)), max_size=4)
	):
		out.append((t + MINUTE * offset, t + MINUTE * (offset + length)))
	if draw(st.integers(0, 4)) == 0:
		out.append((t + MINUTE * draw(st.integers(-60, 10 * 1440)), None))
	return out


@settings(max_examples=examples(80), deadline=None, suppress_health_check=SLOW)
@given(data=st.data())
def test_clock_matches_oracle(data):
	zone = data.draw(st.sampled_from(ZONES))
	t = data.draw(start_instants(zone))
	spec = data.draw(calendar_in_zone(zone, t, max_closures=2))
	raw = data.draw(pauses_near(t), label="pauses")
	unit = data.draw(st.sampled_from([BUSINESS_HOURS, BUSINESS_DAYS, CALENDAR_HOURS]))
	weekly = weekly_open_seconds(spec)
	if unit == BUSINESS_DAYS:
		amount = data.draw(st.integers(0, 4))
	elif unit == BUSINESS_HOURS:
		amount = data.draw(st.integers(0, max(1, min(80, 2 * weekly // 900)))) / 4
	else:
		amount = data.draw(st.integers(0, 160)) / 4
	share = data.draw(st.sampled_from([0.75, 0.5, 0.9, 1.0]))
	note(describe(spec, t))
	cal = engine(spec)
	oracle = Oracle(spec, t, limit_days=100)
	elapsed = unit == CALENDAR_HOURS
	live = [(a, b) for a, b in raw if b is None or b > a]  # empty and inverted pauses mean nothing
	try:
		start = t if elapsed else oracle.clock_start(t)
		seconds = (
			oracle.business_seconds(start, oracle.add(t, amount, unit))
			if unit == BUSINESS_DAYS
			else amount * H
		)
		deadline = oracle.instant_after(start, seconds, live, elapsed)
		at_risk = oracle.instant_after(start, seconds * share, live, elapsed)
		now = t + MINUTE * data.draw(st.integers(0, 12 * 1440))
		used = oracle.consumed(start, now, live)
	except OracleLimit:
		assume(False)
	pauses = [Pause(aware(a, spec, True), None if b is None else aware(b, spec, False)) for a, b in raw]
	result = run_clock(cal, aware(t, spec, False), amount, unit, pauses, at_risk_fraction=share)
	assert result.start.timestamp() == start
	assert result.target_seconds == seconds
	assert (result.deadline and result.deadline.timestamp()) == deadline
	assert (result.at_risk and result.at_risk.timestamp()) == at_risk
	if not elapsed:
		assert consumed(cal, result.start, aware(now, spec, True), pauses) == used
