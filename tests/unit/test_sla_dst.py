"""Daylight-saving changes, overnight intervals, breaks, uneven days, holidays, closures and other zones.

Every expected value is derived by hand from docs/design.md "SLA clock semantics"; the comment above each case
shows the reasoning. Instants around a clock change are written in UTC to avoid any ambiguity.

Europe/Berlin 2025: spring Sun 03-30 02:00 CET -> 03:00 CEST (01:00 UTC), autumn Sun 10-26 03:00 CEST ->
02:00 CET (01:00 UTC; 02:00-03:00 is read twice). America/New_York 2025: Sun 03-09 02:00 EST -> 03:00 EDT
(07:00 UTC), Sun 11-02 02:00 EDT -> 01:00 EST (06:00 UTC). Australia/Lord_Howe 2025: Sun 04-06
02:00 (+11) -> 01:30 (+10:30) (15:00 UTC the day before), Sun 10-05 02:00 (+10:30) -> 02:30 (+11).
"""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from frappe_support.sla import BUSINESS_DAYS, BUSINESS_HOURS, CALENDAR_HOURS, BusinessCalendar

BD, BH, CH = BUSINESS_DAYS, BUSINESS_HOURS, CALENDAR_HOURS
H = 3600
BERLIN = ZoneInfo("Europe/Berlin")
KOLKATA = ZoneInfo("Asia/Kolkata")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")


def utc(y, mo, d, h=0, mi=0):
	return datetime(y, mo, d, h, mi, tzinfo=timezone.utc)


def local(tz, y, mo, d, h=0, mi=0):
	return datetime(y, mo, d, h, mi, tzinfo=tz)


def every_day(*intervals):
	return {d: list(intervals) for d in range(7)}


def weekdays(*intervals):
	return {d: list(intervals) for d in range(5)}


def same_instant(a: datetime, b: datetime) -> bool:
	return a.timestamp() == b.timestamp()


# -- 24x7 in Europe/Berlin: business time is elapsed time ---------------------------------------------
@pytest.fixture
def berlin_24x7():
	return BusinessCalendar("Europe/Berlin", always_open=True)


def test_24x7_spring(berlin_24x7):
	cal = berlin_24x7
	sat_noon = local(BERLIN, 2025, 3, 29, 12)  # 11:00 UTC
	# Sat 12:00 CET to Sun 12:00 CEST is 23 real hours, all open.
	assert cal.business_seconds(sat_noon, local(BERLIN, 2025, 3, 30, 12)) == 23 * H
	# 24 BH = 24 real hours: Sun 11:00 UTC = 13:00 CEST.
	assert same_instant(cal.add(sat_noon, 24, BH), utc(2025, 3, 30, 11))
	# 1 BD: owner Sat, e = Sun, c = Sun 12:00 CEST (10:00 UTC), B(s, c) = 23 h, c open: deadline c.
	assert same_instant(cal.add(sat_noon, 1, BD), utc(2025, 3, 30, 10))
	# Calendar hours are elapsed time as well.
	assert same_instant(cal.add(sat_noon, 24, CH), utc(2025, 3, 30, 11))
	# Start Sat 02:30 CET (01:30 UTC): Sun 02:30 does not exist; the first instant reading 02:30 or later
	# is the change itself (01:00 UTC, reading 03:00 CEST): 23.5 real hours.
	assert same_instant(cal.add(utc(2025, 3, 29, 1, 30), 1, BD), utc(2025, 3, 30, 1))


def test_24x7_autumn(berlin_24x7):
	cal = berlin_24x7
	sat_noon = local(BERLIN, 2025, 10, 25, 12)  # 10:00 UTC
	assert cal.business_seconds(sat_noon, local(BERLIN, 2025, 10, 26, 12)) == 25 * H
	# 1 BD: c = Sun 12:00 CET (11:00 UTC): 25 real hours. 24 BH: 10:00 UTC = 11:00 CET.
	assert same_instant(cal.add(sat_noon, 1, BD), utc(2025, 10, 26, 11))
	assert same_instant(cal.add(sat_noon, 24, BH), utc(2025, 10, 26, 10))
	# Sat 02:30 CEST (00:30 UTC) + 1 BD: c = the first instant reading Sun 02:30, its first occurrence
	# (02:30 CEST = 00:30 UTC): 24 h.
	assert same_instant(cal.add(utc(2025, 10, 25, 0, 30), 1, BD), utc(2025, 10, 26, 0, 30))
	# Start in the first 02:30 (CEST, 00:30 UTC): c = Mon 02:30 CET (01:30 UTC), 25 h later.
	assert same_instant(cal.add(utc(2025, 10, 26, 0, 30), 1, BD), utc(2025, 10, 27, 1, 30))
	# Start in the second 02:30 (CET, 01:30 UTC): same c, 24 h later.
	assert same_instant(cal.add(utc(2025, 10, 26, 1, 30), 1, BD), utc(2025, 10, 27, 1, 30))
	# Sat 03:00 CEST (01:00 UTC) + 1 BD: Sun reads 02:59 CEST, then 02:00 CET again; it first reads 03:00
	# at 03:00 CET (02:00 UTC): c, 25 h after the start.
	assert same_instant(cal.add(utc(2025, 10, 25, 1), 1, BD), utc(2025, 10, 26, 2))
	# 0 BD from the second occurrence: c (first reading 02:30) lies before the start, B = 0: the start.
	assert same_instant(cal.add(utc(2025, 10, 26, 1, 30), 0, BD), utc(2025, 10, 26, 1, 30))


# -- an interval that covers the change: Sundays 01:00-05:00 -------------------------------------------
@pytest.fixture
def sunday_night():
	return BusinessCalendar("Europe/Berlin", {6: [("01:00", "05:00")]})


def test_interval_over_spring_change(sunday_night):
	cal = sunday_night
	# 03-30: 01:00-02:00 CET (1 h) then 03:00-05:00 CEST (2 h): 3 h; an ordinary Sunday has 4 h.
	assert cal.business_seconds(utc(2025, 3, 29), utc(2025, 3, 31)) == 3 * H
	assert cal.business_seconds(utc(2025, 3, 22), utc(2025, 3, 24)) == 4 * H
	# Opening 01:00 CET = 00:00 UTC.
	assert same_instant(cal.clock_start(utc(2025, 3, 29, 23)), utc(2025, 3, 30))
	# 01:30 CET + 1 BH: 0.5 h to 02:00 CET, then 03:00-03:30 CEST (01:30 UTC).
	assert same_instant(cal.add(utc(2025, 3, 30, 0, 30), 1, BH), utc(2025, 3, 30, 1, 30))
	# 01:00 CET + 3 BH: all of the day, 05:00 CEST (03:00 UTC); + 4 BH: 1 h of Sun 04-06 -> 02:00 CEST.
	assert same_instant(cal.add(utc(2025, 3, 30), 3, BH), utc(2025, 3, 30, 3))
	assert same_instant(cal.add(utc(2025, 3, 30), 4, BH), utc(2025, 4, 6))
	# Sun 03-23 04:00 CET (03:00 UTC) + 1 BD: c = Sun 03-30 04:00 CEST (02:00 UTC); B(s, c) = 1 h (03-23)
	# + 1 h (01:00-02:00 CET) + 1 h (03:00-04:00 CEST) = 3 h; c is open: deadline c.
	assert same_instant(cal.add(utc(2025, 3, 23, 3), 1, BD), utc(2025, 3, 30, 2))
	# Sun 03-30 01:00 CET + 1 BD: c = Sun 04-06 01:00 CEST (closed, opening); B(s, c) = the 3 h of 03-30,
	# reached at 05:00 CEST (03:00 UTC).
	assert same_instant(cal.add(utc(2025, 3, 30), 1, BD), utc(2025, 3, 30, 3))


def test_interval_over_autumn_change(sunday_night):
	cal = sunday_night
	# 10-26: 01:00-03:00 CEST (2 h), 02:00-03:00 CET again (1 h), 03:00-05:00 CET (2 h): 5 h.
	assert cal.business_seconds(utc(2025, 10, 25), utc(2025, 10, 27)) == 5 * H
	sun_open = utc(2025, 10, 25, 23)  # 01:00 CEST
	assert same_instant(cal.clock_start(utc(2025, 10, 25, 12)), sun_open)
	# 2 BH ends at the change (01:00 UTC, reading 02:00 CET), 4 BH at 04:00 CET, 5 BH at 05:00 CET.
	assert same_instant(cal.add(sun_open, 2, BH), utc(2025, 10, 26, 1))
	assert same_instant(cal.add(sun_open, 4, BH), utc(2025, 10, 26, 3))
	assert same_instant(cal.add(sun_open, 5, BH), utc(2025, 10, 26, 4))
	# From the first 02:30 (CEST, 00:30 UTC), 1 BH runs on into the repeated hour: 01:30 UTC.
	assert same_instant(cal.add(utc(2025, 10, 26, 0, 30), 1, BH), utc(2025, 10, 26, 1, 30))
	# Both occurrences of 02:30 are open.
	assert cal.is_open(utc(2025, 10, 26, 0, 30)) and cal.is_open(utc(2025, 10, 26, 1, 30))
	# First 02:30 + 1 BD: c = Sun 11-02 02:30 CET (01:30 UTC), open: deadline c.
	assert same_instant(cal.add(utc(2025, 10, 26, 0, 30), 1, BD), utc(2025, 11, 2, 1, 30))
	assert same_instant(cal.add(utc(2025, 10, 26, 1, 30), 1, BD), utc(2025, 11, 2, 1, 30))


def test_interval_inside_the_skipped_hour():
	# Sundays 02:00-02:30 never happen on 03-30 (no business day then) and happen twice on 10-26.
	cal = BusinessCalendar("Europe/Berlin", {6: [("02:00", "02:30")], 0: [("09:00", "10:00")]})
	assert not cal.is_business_day(date(2025, 3, 30))
	assert cal.is_business_day(date(2025, 3, 23))
	assert cal.is_business_day(date(2025, 10, 26))
	# Raised Sat 03-29 12:00: the next opening is Mon 03-31 09:00 CEST, + 1 h.
	assert cal.add(local(BERLIN, 2025, 3, 29, 12), 1, BH) == local(BERLIN, 2025, 3, 31, 10)
	assert cal.business_seconds(utc(2025, 10, 25), utc(2025, 10, 26, 23)) == 1 * H
	# Raised Sat 10-25 12:00: starts Sun 02:00 CEST (00:00 UTC), owner Sun; e = Mon 10-27, c = Mon 02:00
	# CET (01:00 UTC), B(s, c) = 1 h (both half hours), reached at the end of the second one, 02:30 CET.
	assert same_instant(cal.add(local(BERLIN, 2025, 10, 25, 12), 1, BD), utc(2025, 10, 26, 1, 30))


# -- overnight intervals ------------------------------------------------------------------------------
def test_overnight_every_day_over_changes():
	cal = BusinessCalendar("Europe/Berlin", every_day(("22:00", "06:00")))
	# Sat 03-29 22:00 to Sun 06:00: 22-24 (2 h) + 00-02 CET (2 h) + 03-06 CEST (3 h) = 7 h.
	assert cal.business_seconds(local(BERLIN, 2025, 3, 29, 12), local(BERLIN, 2025, 3, 30, 12)) == 7 * H
	# Sat 10-25 22:00 to Sun 06:00: 2 + 3 (00-03 CEST) + 1 (02-03 CET) + 3 (03-06 CET) = 9 h.
	assert cal.business_seconds(local(BERLIN, 2025, 10, 25, 12), local(BERLIN, 2025, 10, 26, 12)) == 9 * H
	# Sat 03-29 22:00 CET + 8 BH: 7 h that night, 1 h from Sun 22:00 CEST: Sun 23:00 CEST (21:00 UTC).
	assert same_instant(cal.add(local(BERLIN, 2025, 3, 29, 22), 8, BH), utc(2025, 3, 30, 21))
	# Sun 03-30 01:30 CET (00:30 UTC) is owned by Sat 03-29; e = Sun 03-30; c = Sun 03-30 + 25:30 = Mon
	# 03-31 01:30 CEST (Sun 23:30 UTC). B(s, c) = 0.5 + 3 (the rest of Sat's night) + 3.5 (Sun's night
	# up to 01:30) = 7 h; c is open: deadline c, 23 real hours after the start.
	assert same_instant(cal.add(utc(2025, 3, 30, 0, 30), 1, BD), utc(2025, 3, 30, 23, 30))
	# Sat 10-25 22:00 CEST + 1 BD: c = Sun 10-26 22:00 CET; B(s, c) = the 9 h of Sat's night, reached at
	# Sun 06:00 CET (05:00 UTC).
	assert same_instant(cal.add(local(BERLIN, 2025, 10, 25, 22), 1, BD), utc(2025, 10, 26, 5))
	assert same_instant(cal.add(local(BERLIN, 2025, 10, 25, 22), 9, BH), utc(2025, 10, 26, 5))


@pytest.fixture
def night_shift():
	# Mon-Fri 22:00-06:00: Fri's night ends Sat 06:00; nothing starts on Sat or Sun.
	return BusinessCalendar("Europe/Berlin", weekdays(("22:00", "06:00")))


def test_overnight_weekdays(night_shift):
	cal = night_shift
	# Sat 06-07 05:00 is owned by Fri 06-06; e = Mon 06-09; c = Mon + 29 h = Tue 06-10 05:00;
	# B(s, c) = 1 h (Sat 05-06) + 7 h (Mon 22:00 to Tue 05:00) = 8 h; c open: deadline c.
	assert cal.add(local(BERLIN, 2025, 6, 7, 5), 1, BD) == local(BERLIN, 2025, 6, 10, 5)
	# Fri 23:00 + 8 BH: 7 h to Sat 06:00, then Mon 22:00-23:00.
	assert cal.add(local(BERLIN, 2025, 6, 6, 23), 8, BH) == local(BERLIN, 2025, 6, 9, 23)
	# Raised Sun noon: opens Mon 22:00.
	assert cal.add(local(BERLIN, 2025, 6, 8, 12), 1, BH) == local(BERLIN, 2025, 6, 9, 23)
	# Mon 23:00 + 1 BD: c = Tue 23:00 (Tue's night), B = 7 h + 1 h: deadline c.
	assert cal.add(local(BERLIN, 2025, 6, 9, 23), 1, BD) == local(BERLIN, 2025, 6, 10, 23)
	# Sat and Sun own nothing: not business days, though Saturday morning is open.
	assert cal.is_open(local(BERLIN, 2025, 6, 7, 5))
	assert not cal.is_business_day(date(2025, 6, 7))
	assert cal.is_business_day(date(2025, 6, 6))


def test_holiday_removes_the_night_its_date_owns():
	# A holiday on Fri 06-06 removes Fri 22:00 - Sat 06:00 but not Thu 22:00 - Fri 06:00.
	cal = BusinessCalendar("Europe/Berlin", weekdays(("22:00", "06:00")), holidays=[date(2025, 6, 6)])
	assert cal.is_open(local(BERLIN, 2025, 6, 6, 5))
	assert not cal.is_open(local(BERLIN, 2025, 6, 7, 1))
	# A holiday on Sat 06-07 removes nothing (Saturday owns no interval).
	cal = BusinessCalendar("Europe/Berlin", weekdays(("22:00", "06:00")), holidays=[date(2025, 6, 7)])
	assert cal.is_open(local(BERLIN, 2025, 6, 7, 1))


def test_overnight_sunday_to_monday():
	# Sun 20:00 - Mon 04:00 and Mon 04:00 - 08:00 touch; Mon 03:00 is Sunday's, 05:00 Monday's.
	cal = BusinessCalendar("Europe/Berlin", {6: [("20:00", "04:00")], 0: [("04:00", "08:00")]})
	assert cal.business_seconds(local(BERLIN, 2025, 6, 8), local(BERLIN, 2025, 6, 10)) == 12 * H
	# Mon 03:00 + 1 BD: owner Sun 06-08; e = Mon 06-09; c = Mon + 27 h = Tue 03:00 (closed);
	# B(s, c) = 1 h + 4 h (Mon 04-08) = 5 h, reached Mon 08:00.
	assert cal.add(local(BERLIN, 2025, 6, 9, 3), 1, BD) == local(BERLIN, 2025, 6, 9, 8)
	# Mon 05:00 + 1 BD: owner Mon; the next date owning open time is Sun 06-15; c = Sun 06-15 05:00,
	# before that Sunday's 20:00 opening, so B(s, c) = 3 h (Mon 05-08): deadline Mon 08:00.
	assert cal.add(local(BERLIN, 2025, 6, 9, 5), 1, BD) == local(BERLIN, 2025, 6, 9, 8)


# -- breaks and uneven days -----------------------------------------------------------------------------
@pytest.fixture
def lunch_break():
	return BusinessCalendar("Europe/Berlin", weekdays(("09:00", "12:00"), ("13:00", "17:00")))


def test_breaks(lunch_break):
	cal = lunch_break
	mon = 2
	assert cal.business_seconds(local(BERLIN, 2025, 6, mon), local(BERLIN, 2025, 6, mon + 1)) == 7 * H
	# 11:00 + 1 BH ends exactly at the break: 12:00. + 2 BH: 11-12, 13-14.
	assert cal.add(local(BERLIN, 2025, 6, mon, 11), 1, BH) == local(BERLIN, 2025, 6, mon, 12)
	assert cal.add(local(BERLIN, 2025, 6, mon, 11), 2, BH) == local(BERLIN, 2025, 6, mon, 14)
	assert cal.add(local(BERLIN, 2025, 6, mon, 9), 7, BH) == local(BERLIN, 2025, 6, mon, 17)
	assert cal.clock_start(local(BERLIN, 2025, 6, mon, 12, 30)) == local(BERLIN, 2025, 6, mon, 13)
	# Raised 12:30: starts 13:00 (owner Mon); c = Tue 13:00; B(s, c) = 4 h + 3 h = 7 h, reached Tue 12:00.
	assert cal.add(local(BERLIN, 2025, 6, mon, 12, 30), 1, BD) == local(BERLIN, 2025, 6, mon + 1, 12)
	# 10:00 + 1 BD: c = Tue 10:00 (open): deadline c. 09:00 + 4 BD: c = Fri 09:00: Thu 17:00.
	assert cal.add(local(BERLIN, 2025, 6, mon, 10), 1, BD) == local(BERLIN, 2025, 6, mon + 1, 10)
	assert cal.add(local(BERLIN, 2025, 6, mon, 9), 4, BD) == local(BERLIN, 2025, 6, 5, 17)


def test_touching_intervals_are_one_stretch():
	cal = BusinessCalendar("Europe/Berlin", weekdays(("09:00", "12:00"), ("12:00", "17:00")))
	assert cal.add(local(BERLIN, 2025, 6, 2, 11), 2, BH) == local(BERLIN, 2025, 6, 2, 13)
	assert cal.is_open(local(BERLIN, 2025, 6, 2, 12))


@pytest.fixture
def short_friday():
	weekly = {d: [("09:00", "17:00")] for d in range(4)}
	weekly[4] = [("09:00", "13:00")]
	return BusinessCalendar("Europe/Berlin", weekly)


def test_uneven_days(short_friday):
	cal = short_friday
	# Fri 12:00 + 2 BH: 12-13, Mon 09-10.
	assert cal.add(local(BERLIN, 2025, 6, 6, 12), 2, BH) == local(BERLIN, 2025, 6, 9, 10)
	# Thu 15:00 + 1 BD: c = Fri 15:00 (after the short day); B = 2 h + 4 h = 6 h: Fri 13:00.
	assert cal.add(local(BERLIN, 2025, 6, 5, 15), 1, BD) == local(BERLIN, 2025, 6, 6, 13)
	# Fri 10:00 + 1 BD: c = Mon 10:00 (open): deadline c (4 business hours).
	assert cal.add(local(BERLIN, 2025, 6, 6, 10), 1, BD) == local(BERLIN, 2025, 6, 9, 10)
	# Mon 09:00 + 5 BD: c = next Mon 09:00; B = 4 x 8 + 4 = 36 h, reached Fri 13:00.
	assert cal.add(local(BERLIN, 2025, 6, 2, 9), 5, BD) == local(BERLIN, 2025, 6, 6, 13)
	assert cal.add(local(BERLIN, 2025, 6, 2, 9), 36, BH) == local(BERLIN, 2025, 6, 6, 13)
	assert cal.add(local(BERLIN, 2025, 6, 2, 9), 37, BH) == local(BERLIN, 2025, 6, 9, 10)


# -- holidays and closures ----------------------------------------------------------------------------
def test_easter_holidays():
	# Good Friday 04-18 and Easter Monday 04-21 2025.
	cal = BusinessCalendar(
		"Europe/Berlin", weekdays(("09:00", "17:00")), holidays=["2025-04-18", "2025-04-21"]
	)
	thu = local(BERLIN, 2025, 4, 17, 16)
	# 1 h on Thursday, then Tue 04-22 09:00-10:00.
	assert cal.add(thu, 2, BH) == local(BERLIN, 2025, 4, 22, 10)
	# 1 BD: the next business day is Tue 04-22; c = Tue 16:00 (open): B = 1 + 7 = 8 h.
	assert cal.add(thu, 1, BD) == local(BERLIN, 2025, 4, 22, 16)
	# Raised on the holiday itself: the clock starts Tue 09:00.
	assert cal.clock_start(local(BERLIN, 2025, 4, 21, 10)) == local(BERLIN, 2025, 4, 22, 9)
	assert "Skipped holiday 2025-04-18." in cal.explain(thu, 2, BH)


@pytest.fixture
def offsite():
	closure = (local(BERLIN, 2025, 6, 10, 12), local(BERLIN, 2025, 6, 10, 15), "Team offsite")
	return BusinessCalendar("Europe/Berlin", weekdays(("09:00", "17:00")), closures=[closure])


def test_partial_day_closure(offsite):
	cal = offsite
	tue = 10
	# 11:00 + 2 BH: 11-12, then 15-16.
	assert cal.add(local(BERLIN, 2025, 6, tue, 11), 2, BH) == local(BERLIN, 2025, 6, tue, 16)
	# 09:00 + 1 BD: c = Wed 09:00; B = 3 + 2 = 5 h, reached Tue 17:00 (the closure shortens the day).
	assert cal.add(local(BERLIN, 2025, 6, tue, 9), 1, BD) == local(BERLIN, 2025, 6, tue, 17)
	assert cal.clock_start(local(BERLIN, 2025, 6, tue, 13)) == local(BERLIN, 2025, 6, tue, 15)
	assert not cal.is_open(local(BERLIN, 2025, 6, tue, 12))
	assert cal.is_open(local(BERLIN, 2025, 6, tue, 15))
	assert any("Team offsite" in line for line in cal.explain(local(BERLIN, 2025, 6, tue, 11), 2, BH))
	# The same closure written in UTC is the same calendar.
	in_utc = BusinessCalendar(
		"Europe/Berlin", weekdays(("09:00", "17:00")), closures=[(utc(2025, 6, 10, 10), utc(2025, 6, 10, 13))]
	)
	assert in_utc.add(local(BERLIN, 2025, 6, tue, 11), 2, BH) == local(BERLIN, 2025, 6, tue, 16)


def test_whole_day_closure_is_not_a_business_day():
	closure = (local(BERLIN, 2025, 6, 11), local(BERLIN, 2025, 6, 12), "Move")
	cal = BusinessCalendar("Europe/Berlin", weekdays(("09:00", "17:00")), closures=[closure])
	assert not cal.is_business_day(date(2025, 6, 11))
	# Tue 09:00 + 1 BD: the next business day is Thu; c = Thu 09:00; B = 8 h: Tue 17:00.
	assert cal.add(local(BERLIN, 2025, 6, 10, 9), 1, BD) == local(BERLIN, 2025, 6, 10, 17)
	# Tue 10:00 + 1 BD: c = Thu 10:00 (open): deadline c.
	assert cal.add(local(BERLIN, 2025, 6, 10, 10), 1, BD) == local(BERLIN, 2025, 6, 12, 10)


def test_closure_over_spring_change():
	# Closed Sun 00:00 CET (Sat 23:00 UTC) to 04:00 CEST (02:00 UTC): 3 real hours.
	cal = BusinessCalendar(
		"Europe/Berlin",
		always_open=True,
		closures=[(local(BERLIN, 2025, 3, 30, 0), local(BERLIN, 2025, 3, 30, 4), "Maintenance")],
	)
	assert cal.business_seconds(local(BERLIN, 2025, 3, 29, 12), local(BERLIN, 2025, 3, 30, 12)) == 20 * H
	assert same_instant(cal.clock_start(utc(2025, 3, 30, 0)), utc(2025, 3, 30, 2))


# -- other zones ----------------------------------------------------------------------------------------
@pytest.fixture
def kolkata():
	# +05:30 all year; 8.5 h a day.
	return BusinessCalendar("Asia/Kolkata", weekdays(("09:30", "18:00")))


def test_kolkata(kolkata):
	cal = kolkata
	# Fri 17:00 IST + 2 BH: 1 h Friday, Mon 09:30-10:30 IST (05:00 UTC).
	assert same_instant(cal.add(local(KOLKATA, 2025, 6, 6, 17), 2, BH), utc(2025, 6, 9, 5))
	# Mon 09:30 + 3 BD: c = Thu 09:30: deadline Wed 18:00.
	assert cal.add(local(KOLKATA, 2025, 6, 2, 9, 30), 3, BD) == local(KOLKATA, 2025, 6, 4, 18)
	# 04:00 UTC is 09:30 IST: open; 8.5 BH later is 18:00 IST = 12:30 UTC.
	assert cal.is_open(utc(2025, 6, 6, 4))
	assert same_instant(cal.add(utc(2025, 6, 6, 4), 8.5, BH), utc(2025, 6, 6, 12, 30))
	# 13:00 UTC is 18:30 IST: closed; the clock starts Mon 09:30 IST = 04:00 UTC.
	assert same_instant(cal.clock_start(utc(2025, 6, 6, 13)), utc(2025, 6, 9, 4))
	assert cal.business_seconds(utc(2025, 6, 1), utc(2025, 6, 8)) == 42.5 * H
	assert cal.add(local(KOLKATA, 2025, 6, 6, 17), 1, BD) == local(KOLKATA, 2025, 6, 9, 17)


def test_new_york_office():
	cal = BusinessCalendar("America/New_York", weekdays(("09:00", "17:00")))
	# Fri 03-07 16:00 EST (21:00 UTC) + 2 BH: Mon 03-10 10:00 EDT (14:00 UTC), 65 real hours later.
	assert same_instant(cal.add(utc(2025, 3, 7, 21), 2, BH), utc(2025, 3, 10, 14))
	assert same_instant(cal.add(utc(2025, 3, 7, 21), 1, BD), utc(2025, 3, 10, 20))
	# Fri 10-31 16:00 EDT (20:00 UTC) + 2 BH: Mon 11-03 10:00 EST (15:00 UTC), 67 real hours later.
	assert same_instant(cal.add(utc(2025, 10, 31, 20), 2, BH), utc(2025, 11, 3, 15))
	assert cal.add(local(NEW_YORK, 2025, 10, 31, 16), 1, BD) == local(NEW_YORK, 2025, 11, 3, 16)


def test_new_york_24x7_and_nights():
	cal = BusinessCalendar("America/New_York", always_open=True)
	# Sat 03-08 12:00 EST + 1 BD = Sun 12:00 EDT (16:00 UTC), 23 h; in autumn 25 h.
	assert same_instant(cal.add(local(NEW_YORK, 2025, 3, 8, 12), 1, BD), utc(2025, 3, 9, 16))
	assert same_instant(cal.add(local(NEW_YORK, 2025, 11, 1, 12), 1, BD), utc(2025, 11, 2, 17))
	# Calendar hours: 24 elapsed hours, Sun 13:00 EDT.
	assert cal.add(local(NEW_YORK, 2025, 3, 8, 12), 24, CH) == local(NEW_YORK, 2025, 3, 9, 13)
	nights = BusinessCalendar("America/New_York", every_day(("22:00", "06:00")))
	# Spring: 2 h + 00-02 EST (2 h) + 03-06 EDT (3 h) = 7 h. Autumn: 2 + 2 (00-02 EDT) + 1 (01-02 EST)
	# + 4 (02-06 EST) = 9 h.
	sat, sun = local(NEW_YORK, 2025, 3, 8, 12), local(NEW_YORK, 2025, 3, 9, 12)
	assert nights.business_seconds(sat, sun) == 7 * H
	sat, sun = local(NEW_YORK, 2025, 11, 1, 12), local(NEW_YORK, 2025, 11, 2, 12)
	assert nights.business_seconds(sat, sun) == 9 * H


def test_lord_howe_half_hour_changes():
	cal = BusinessCalendar("Australia/Lord_Howe", always_open=True)
	# Sat 04-05 12:00 (+11, 01:00 UTC) + 1 BD = Sun 04-06 12:00 (+10:30, 01:30 UTC): 24.5 h.
	assert same_instant(cal.add(local(LORD_HOWE, 2025, 4, 5, 12), 1, BD), utc(2025, 4, 6, 1, 30))
	# Sat 10-04 12:00 (+10:30, 01:30 UTC) + 1 BD = Sun 10-05 12:00 (+11, 01:00 UTC): 23.5 h.
	assert same_instant(cal.add(local(LORD_HOWE, 2025, 10, 4, 12), 1, BD), utc(2025, 10, 5, 1))
	sundays = BusinessCalendar("Australia/Lord_Howe", {6: [("01:00", "03:00")]})
	# 04-06: 01:00-02:00 (+11), then 01:30-03:00 (+10:30): 2.5 h. 10-05: 01:00-02:00, 02:30-03:00: 1.5 h.
	assert sundays.business_seconds(utc(2025, 4, 5), utc(2025, 4, 6, 12)) == 2.5 * H
	assert sundays.business_seconds(utc(2025, 10, 4), utc(2025, 10, 5, 12)) == 1.5 * H


def test_calendar_hours_ignore_the_calendar():
	cal = BusinessCalendar("Europe/Berlin", weekdays(("09:00", "17:00")))
	# Sat 03-29 12:00 CET + 24 CH = Sun 13:00 CEST: 24 elapsed hours, though the calendar is closed.
	assert cal.add(local(BERLIN, 2025, 3, 29, 12), 24, CH) == local(BERLIN, 2025, 3, 30, 13)
	assert cal.add(local(BERLIN, 2025, 10, 25, 12), 24, CH) == local(BERLIN, 2025, 10, 26, 11)
