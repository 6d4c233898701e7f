"""Malformed calendars and targets are refused with a CalendarError whose message says how to fix them."""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from frappe_support.sla import (
	BUSINESS_DAYS,
	BUSINESS_HOURS,
	CALENDAR_HOURS,
	BusinessCalendar,
	CalendarError,
	check_target,
	get_calendar,
)

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = {d: [("09:00", "17:00")] for d in range(5)}
MONDAY = datetime(2025, 6, 2, 9, tzinfo=BERLIN)


def refused(*args, **kwargs) -> str:
	with pytest.raises(CalendarError) as info:
		BusinessCalendar(*args, **kwargs)
	return str(info.value)


# -- overlapping intervals ------------------------------------------------------------------------------
@pytest.mark.parametrize(
	"weekly, names",
	[
		({0: [("09:00", "12:00"), ("11:00", "13:00")]}, ["Monday"]),
		({2: [("00:00", "24:00"), ("10:00", "11:00")]}, ["Wednesday"]),
		# Monday's night runs into Tuesday 06:00, Tuesday opens at 05:00.
		({0: [("22:00", "06:00")], 1: [("05:00", "09:00")]}, ["Monday", "Tuesday"]),
		# A night into a whole day.
		({3: [("23:00", "01:00")], 4: [("00:00", "00:00")]}, ["Thursday", "Friday"]),
		# Sunday's night runs into Monday (the week wraps around).
		({6: [("22:00", "06:00")], 0: [("05:00", "09:00")]}, ["Sunday", "Monday"]),
		({6: [("20:00", "02:00")], 0: [("01:00", "03:00"), ("08:00", "09:00")]}, ["Sunday", "Monday"]),
		# The same interval twice.
		({1: [("09:00", "17:00"), ("09:00", "17:00")]}, ["Tuesday"]),
	],
)
def test_overlapping_intervals(weekly, names):
	message = refused("Europe/Berlin", weekly)
	assert "overlap" in message
	for name in names:
		assert name in message


def test_touching_intervals_are_fine():
	BusinessCalendar("Europe/Berlin", {0: [("09:00", "12:00"), ("12:00", "17:00")]})
	BusinessCalendar("Europe/Berlin", {6: [("22:00", "06:00")], 0: [("06:00", "09:00")]})
	BusinessCalendar("Europe/Berlin", {d: [("00:00", "24:00")] for d in range(7)})
	BusinessCalendar("Europe/Berlin", {d: [("00:00", "00:00")] for d in range(7)})
	BusinessCalendar("Europe/Berlin", {d: [("18:00", "06:00")] for d in range(5)})


# -- zones ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "Europe/Berlín", "CEST+2", "../etc/passwd"])
def test_unknown_zone(zone):
	message = refused(zone, OFFICE)
	assert "IANA" in message and "Europe/Berlin" in message


@pytest.mark.parametrize("zone", ["", "   ", None])
def test_missing_zone(zone):
	assert "IANA" in refused(zone, OFFICE)


# -- times of day -----------------------------------------------------------------------------------------
def test_start_equal_to_end():
	message = refused("Europe/Berlin", {2: [("09:00", "09:00")]})
	assert "24:00" in message and "Wednesday" in message and "09:00" in message


@pytest.mark.parametrize(
	"interval",
	[
		("9am", "17:00"),
		("09:00", "5pm"),
		("25:00", "26:00"),
		("12:60", "13:00"),
		("09:00", "24:01"),
		("24:00", "06:00"),  # 24:00 only ends an interval
		("", "17:00"),
		("09:00:60", "17:00"),
		("-1:00", "17:00"),
		("09", "17"),
		(None, "17:00"),
		(9, 17),
		("09:00", "48:00"),
	],
)
def test_bad_times(interval):
	message = refused("Europe/Berlin", {0: [interval]})
	assert "HH:MM" in message or "24:00" in message


def test_accepted_time_forms():
	# Strings with seconds, datetime.time and timedelta (what Frappe's Time fields hold) all work.
	for interval in [
		("09:00:00", "17:00:00"),
		(time(9), time(17)),
		(timedelta(hours=9), timedelta(hours=17)),
		(timedelta(0), timedelta(hours=24)),
		(" 09:00 ", "17:00"),
	]:
		BusinessCalendar("Europe/Berlin", {0: [interval]})


# -- no open hours, bad weekdays ------------------------------------------------------------------------
@pytest.mark.parametrize("weekly", [None, {}, {0: []}, {d: [] for d in range(7)}])
def test_no_open_hours(weekly):
	message = refused("Europe/Berlin", weekly)
	assert "no open hours" in message and "24x7" in message


@pytest.mark.parametrize("key", [7, -1, "Monday", None])
def test_bad_weekday(key):
	message = refused("Europe/Berlin", {key: [("09:00", "17:00")]})
	assert "Monday" in message and "Sunday" in message


# -- closures and holidays ------------------------------------------------------------------------------
def test_naive_closure():
	message = refused(
		"Europe/Berlin", OFFICE, closures=[(datetime(2025, 6, 10, 12), datetime(2025, 6, 10, 15))]
	)
	assert "time-zone-aware" in message
	mixed = [(datetime(2025, 6, 10, 12, tzinfo=BERLIN), datetime(2025, 6, 10, 15))]
	assert "time-zone-aware" in refused("Europe/Berlin", OFFICE, closures=mixed)
	assert "time-zone-aware" in refused("Europe/Berlin", OFFICE, closures=[("2025-06-10", "2025-06-11")])


@pytest.mark.parametrize("hours", [0, -3])
def test_closure_ending_before_it_starts(hours):
	start = datetime(2025, 6, 10, 12, tzinfo=BERLIN)
	message = refused("Europe/Berlin", OFFICE, closures=[(start, start + timedelta(hours=hours), "oops")])
	assert "ends before it starts" in message


@pytest.mark.parametrize("holiday", ["2025-13-01", "tomorrow", "10.06.2025"])
def test_bad_holiday(holiday):
	assert "YYYY-MM-DD" in refused("Europe/Berlin", OFFICE, holidays=[holiday])


def test_holiday_forms():
	cal = BusinessCalendar(
		"Europe/Berlin", OFFICE, holidays=["2025-06-09", date(2025, 6, 10), datetime(2025, 6, 11, 0, 0)]
	)
	assert not any(cal.is_business_day(date(2025, 6, d)) for d in (9, 10, 11))
	assert cal.is_business_day(date(2025, 6, 12))


# -- targets ----------------------------------------------------------------------------------------------
@pytest.fixture
def office():
	return BusinessCalendar("Europe/Berlin", OFFICE)


@pytest.mark.parametrize(
	"amount, unit, words",
	[
		(-1, BUSINESS_HOURS, "positive"),
		(-0.5, CALENDAR_HOURS, "positive"),
		(1.5, BUSINESS_DAYS, "whole number"),
		(float("nan"), BUSINESS_HOURS, "positive"),
		(float("inf"), BUSINESS_DAYS, "positive"),
		("eight", BUSINESS_HOURS, "not a number"),
		(None, BUSINESS_HOURS, "not a number"),
		(8, "Days", "Business Hours, Business Days or Calendar Hours"),
		(8, "business hours", "Business Hours, Business Days or Calendar Hours"),
		(8, "", "Business Hours, Business Days or Calendar Hours"),
	],
)
def test_bad_targets(office, amount, unit, words):
	for call in (
		lambda: check_target(amount, unit),
		lambda: office.add(MONDAY, amount, unit),
		lambda: office.target_seconds(MONDAY, amount, unit),
	):
		with pytest.raises(CalendarError) as info:
			call()
		assert words in str(info.value)


def test_good_targets(office):
	assert check_target("8", BUSINESS_HOURS) == 8.0
	assert check_target(4.0, BUSINESS_DAYS) == 4.0
	assert check_target(0, CALENDAR_HOURS) == 0.0


def test_naive_instants_are_refused(office):
	naive = datetime(2025, 6, 2, 9)
	for call in (
		lambda: office.add(naive, 8, BUSINESS_HOURS),
		lambda: office.clock_start(naive),
		lambda: office.is_open(naive),
		lambda: office.business_seconds(naive, MONDAY),
		lambda: office.add_seconds(naive, 60),
		lambda: office.add("2025-06-02 09:00", 8, BUSINESS_HOURS),
	):
		with pytest.raises(CalendarError, match="time-zone-aware"):
			call()


def test_negative_seconds_are_refused(office):
	with pytest.raises(CalendarError, match="negative"):
		office.add_seconds(MONDAY, -1)


def test_no_open_time_for_ten_years():
	closure = (datetime(2025, 1, 1, tzinfo=timezone.utc), datetime(2040, 1, 1, tzinfo=timezone.utc), "gone")
	cal = BusinessCalendar("Europe/Berlin", OFFICE, closures=[closure])
	with pytest.raises(CalendarError, match="ten years"):
		cal.clock_start(MONDAY)


# -- the error itself ---------------------------------------------------------------------------------
def test_error_is_a_value_error_and_translatable():
	with pytest.raises(ValueError) as info:
		BusinessCalendar("Europe/Berlin", {2: [("09:00", "09:00")]})
	error = info.value
	assert isinstance(error, CalendarError)
	assert "{0}" in error.template and "{2}" in error.template
	german = {error.template: "Das Intervall {0} bis {1} am {2} ist leer: 00:00 bis 24:00 verwenden."}
	assert error.translated(lambda text: german.get(text, text)) == (
		"Das Intervall 09:00 bis 09:00 am Wednesday ist leer: 00:00 bis 24:00 verwenden."
	)


def test_get_calendar_takes_frappe_time_values():
	# Frappe's Time fields hold timedelta values; 24:00 is timedelta(days=1).
	whole_monday = get_calendar("Europe/Berlin", {0: [(timedelta(0), timedelta(hours=24))]})
	assert whole_monday.business_seconds(MONDAY.replace(hour=0), MONDAY.replace(hour=23)) == 23 * 3600
	office = get_calendar("Europe/Berlin", {0: [(timedelta(hours=9), timedelta(hours=17))]})
	assert office.add(MONDAY, 8, BUSINESS_HOURS) == MONDAY.replace(hour=17)


def test_get_calendar_refuses_and_does_not_cache_a_broken_calendar():
	with pytest.raises(CalendarError):
		get_calendar("Nowhere/Atlantis", OFFICE)
	with pytest.raises(CalendarError):
		get_calendar("Nowhere/Atlantis", OFFICE)
	with pytest.raises(CalendarError):
		get_calendar("Europe/Berlin", {0: [("09:00", "08:00"), ("07:00", "10:00")]})
