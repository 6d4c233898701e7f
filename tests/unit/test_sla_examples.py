"""The public examples of docs/design.md ("SLA clock semantics") and the other everyday cases, by hand.

Calendar: Europe/Berlin, Monday to Friday 09:00-17:00 (8 business hours a day). 2025-06-06 is a Friday;
June is summer time (UTC+2) throughout, so no clock change is involved here (see test_sla_dst.py).
"""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from frappe_support.sla import (
	BUSINESS_DAYS,
	BUSINESS_HOURS,
	CALENDAR_HOURS,
	BusinessCalendar,
	Pause,
	consumed,
	get_calendar,
	run_clock,
)

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = {d: [("09:00", "17:00")] for d in range(5)}


def berlin(month, day, hour, minute=0):
	return datetime(2025, month, day, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def office():
	return BusinessCalendar("Europe/Berlin", OFFICE)


def test_fixture_dates():
	assert date(2025, 6, 6).strftime("%A") == "Friday"
	assert date(2025, 6, 2).strftime("%A") == "Monday"


# -- the table of docs/design.md ---------------------------------------------------------------------------
@pytest.mark.parametrize(
	"start, amount, unit, deadline",
	[
		# Fri 16:30-17:00 (0.5 h) + Mon 09:00-16:30 (7.5 h) = 8 h.
		(berlin(6, 6, 16, 30), 8, BUSINESS_HOURS, berlin(6, 9, 16, 30)),
		# Owner Fri; 4th business day after it is Thu 06-12; c = Thu 16:30, which is open: deadline = c.
		(berlin(6, 6, 16, 30), 4, BUSINESS_DAYS, berlin(6, 12, 16, 30)),
		# Raised after closing: the clock starts Mon 09:00; 8 h later is Mon 17:00 (closing, not Tue 09:00).
		(berlin(6, 6, 17, 30), 8, BUSINESS_HOURS, berlin(6, 9, 17)),
		# Raised on Saturday: same clock start, same deadline.
		(berlin(6, 7, 10), 8, BUSINESS_HOURS, berlin(6, 9, 17)),
		# Mon 09:00 + 8 BH ends exactly at closing: the closing instant.
		(berlin(6, 2, 9), 8, BUSINESS_HOURS, berlin(6, 2, 17)),
		# Mon 09:00 + 4 BD: c = Fri 09:00; B(start, c) = 4 x 8 h, reached at Thu 17:00.
		(berlin(6, 2, 9), 4, BUSINESS_DAYS, berlin(6, 5, 17)),
		# Mon 10:00 + 4 BD: c = Fri 10:00 is open, so the deadline is c itself.
		(berlin(6, 2, 10), 4, BUSINESS_DAYS, berlin(6, 6, 10)),
		# Raised Sat 10:00 + 1 BD: clock starts Mon 09:00 (owner Mon), c = Tue 09:00, deadline Mon 17:00.
		(berlin(6, 7, 10), 1, BUSINESS_DAYS, berlin(6, 9, 17)),
		# Raised at Fri 17:00 (closing instant, closed): starts Mon 09:00.
		(berlin(6, 6, 17), 1, BUSINESS_HOURS, berlin(6, 9, 10)),
		# Calendar hours ignore the calendar: 24 h of elapsed time, even on a weekend.
		(berlin(6, 6, 16, 30), 24, CALENDAR_HOURS, berlin(6, 7, 16, 30)),
		(berlin(6, 7, 10), 1.5, CALENDAR_HOURS, berlin(6, 7, 11, 30)),
		# Zero targets: the clock start.
		(berlin(6, 7, 10), 0, BUSINESS_HOURS, berlin(6, 9, 9)),
		(berlin(6, 6, 12), 0, BUSINESS_DAYS, berlin(6, 6, 12)),
		# Fractional hours: Fri 16:45 + 0.25 h = 17:00; + 0.5 h = Mon 09:15.
		(berlin(6, 6, 16, 45), 0.25, BUSINESS_HOURS, berlin(6, 6, 17)),
		(berlin(6, 6, 16, 45), 0.5, BUSINESS_HOURS, berlin(6, 9, 9, 15)),
		# 40 BH is one week: Mon 09:00 to Fri 17:00; 41 BH: next Mon 10:00.
		(berlin(6, 2, 9), 40, BUSINESS_HOURS, berlin(6, 6, 17)),
		(berlin(6, 2, 9), 41, BUSINESS_HOURS, berlin(6, 9, 10)),
	],
)
def test_design_examples(office, start, amount, unit, deadline):
	assert office.add(start, amount, unit) == deadline


def test_holiday_example():
	# Mon 06-09 (Whit Monday) is a holiday: Fri 16:30-17:00 + Tue 09:00-16:30.
	cal = BusinessCalendar("Europe/Berlin", OFFICE, holidays=["2025-06-09"])
	assert cal.add(berlin(6, 6, 16, 30), 8, BUSINESS_HOURS) == berlin(6, 10, 16, 30)
	# 4 BD from Fri 16:30 skip the holiday: Tue, Wed, Thu, Fri -> c = Fri 06-13 16:30.
	assert cal.add(berlin(6, 6, 16, 30), 4, BUSINESS_DAYS) == berlin(6, 13, 16, 30)
	assert not cal.is_business_day(date(2025, 6, 9))
	assert cal.is_business_day(date(2025, 6, 10))
	explanation = "\n".join(cal.explain(berlin(6, 6, 16, 30), 8, BUSINESS_HOURS))
	assert "2025-06-09" in explanation


def test_pause_example(office):
	# Mon 10:00-12:00 counts 2 h; paused until Wed 10:00; the 6 h left run to Wed 16:00.
	pause = Pause(berlin(6, 9, 12), berlin(6, 11, 10), "Waiting for Customer")
	result = run_clock(office, berlin(6, 9, 10), 8, BUSINESS_HOURS, [pause])
	assert result.start == berlin(6, 9, 10)
	assert result.target_seconds == 8 * 3600
	assert result.deadline == berlin(6, 11, 16)
	# At risk after 75 % = 6 h: 2 h before the pause, 4 h after it: Wed 14:00.
	assert result.at_risk == berlin(6, 11, 14)
	assert consumed(office, berlin(6, 9, 10), berlin(6, 11, 12), [pause]) == 4 * 3600


def test_clock_start_and_is_open(office):
	assert office.clock_start(berlin(6, 6, 16, 30)) == berlin(6, 6, 16, 30)
	assert office.clock_start(berlin(6, 6, 17)) == berlin(6, 9, 9)
	assert office.clock_start(berlin(6, 9, 8, 59)) == berlin(6, 9, 9)
	assert office.is_open(berlin(6, 9, 9))
	assert not office.is_open(berlin(6, 9, 17))
	assert not office.is_open(berlin(6, 7, 12))


def test_business_seconds(office):
	assert office.business_seconds(berlin(6, 2, 0), berlin(6, 9, 0)) == 40 * 3600
	assert office.business_seconds(berlin(6, 6, 16, 30), berlin(6, 9, 9, 30)) == 3600
	assert office.business_seconds(berlin(6, 9, 9, 30), berlin(6, 6, 16, 30)) == 0  # reversed: nothing
	# A year of weeks, through the long path: 52 weeks x 40 h (2025-01-06 is a Monday).
	monday = datetime(2025, 1, 6, tzinfo=BERLIN)
	assert office.business_seconds(monday, datetime(2026, 1, 5, tzinfo=BERLIN)) == 52 * 40 * 3600


def test_results_are_aware_and_in_the_calendar_zone(office):
	deadline = office.add(datetime(2025, 6, 6, 14, 30, tzinfo=timezone.utc), 8, BUSINESS_HOURS)
	assert deadline == berlin(6, 9, 16, 30)
	assert deadline.utcoffset() is not None
	assert deadline.tzinfo.key == "Europe/Berlin"


def test_target_seconds(office):
	assert office.target_seconds(berlin(6, 2, 9), 4, BUSINESS_DAYS) == 32 * 3600
	assert office.target_seconds(berlin(6, 2, 9), 8, BUSINESS_HOURS) == 8 * 3600
	assert office.target_seconds(berlin(6, 2, 9), 3, CALENDAR_HOURS) == 3 * 3600


def test_priority_change_keeps_pauses(office):
	# Same start and pause as the DESIGN example, target changed to 4 BH: 2 h before, 2 h after: Wed 12:00.
	pause = Pause(berlin(6, 9, 12), berlin(6, 11, 10))
	assert run_clock(office, berlin(6, 9, 10), 4, BUSINESS_HOURS, [pause]).deadline == berlin(6, 11, 12)


def test_get_calendar_is_shared():
	a = get_calendar("Europe/Berlin", OFFICE, holidays=["2025-06-09"])
	b = get_calendar(
		"Europe/Berlin", {d: [("09:00", "17:00")] for d in range(5)}, holidays=[date(2025, 6, 9)]
	)
	assert a is b
	assert a.add(berlin(6, 6, 16, 30), 8, BUSINESS_HOURS) == berlin(6, 10, 16, 30)


def test_explain_names_start_target_and_deadline(office):
	lines = office.explain(berlin(6, 7, 10), 8, BUSINESS_HOURS)
	text = "\n".join(lines)
	assert "outside business hours" in text
	assert "Mon 2025-06-09 09:00" in text
	assert lines[-1] == "Deadline: Mon 2025-06-09 17:00 CEST."
	lines = office.explain(berlin(6, 2, 9), 4, BUSINESS_DAYS)
	assert "2025-06-06" in "\n".join(lines)  # the 4th business day after Mon 06-02
	assert lines[-1] == "Deadline: Thu 2025-06-05 17:00 CEST."
