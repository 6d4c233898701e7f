"""Booking upgrade windows (frappe_support/upgrades/access.py, windows.py, slots.py) by hand: the access-window parser, the checks
of a proposed window and the free-slot search.

Calendar OFFICE: Europe/Berlin, Monday to Friday 09:00-17:00, Wednesday 2025-06-11 a holiday. June 2025 is
summer time (UTC+2) throughout; 2025-06-02 is a Monday, 2025-06-06 a Friday. Clock changes: Berlin
Sun 2025-03-30 02:00 CET -> 03:00 CEST (01:00 UTC) and Sun 2025-10-26 03:00 CEST -> 02:00 CET (01:00 UTC,
02:00-03:00 read twice); such instants are written in UTC. Every expected value is reasoned out in the
comment next to it.
"""

import time
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from frappe_support.sla import BusinessCalendar
from frappe_support.upgrades.access import AccessWindow, WindowError, parse_access_window
from frappe_support.upgrades.slots import free_slots
from frappe_support.upgrades.windows import PROBLEM_MESSAGES, Problem, check_window

BERLIN = ZoneInfo("Europe/Berlin")
KOLKATA = ZoneInfo("Asia/Kolkata")
H = 3600
ALL = frozenset(range(7))
WEEK = frozenset(range(5))
HOW_TO = "like Mon-Fri 10:00-12:00"


def berlin(month, day, hour=0, minute=0, year=2025):
	return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def utc(y, mo, d, h=0, mi=0):
	return datetime(y, mo, d, h, mi, tzinfo=timezone.utc)


def W(days, start_h, end_h):
	"""An access window with times in hours after the start day's midnight (26 = 02:00 the next day)."""
	return AccessWindow(frozenset(days), round(start_h * H), round(end_h * H))


@pytest.fixture(scope="module")
def office():
	return BusinessCalendar(
		"Europe/Berlin", {d: [("09:00", "17:00")] for d in range(5)}, holidays=[date(2025, 6, 11)]
	)


@pytest.fixture(scope="module")
def berlin_24x7():
	return BusinessCalendar("Europe/Berlin", always_open=True)


def test_fixture_dates():
	assert date(2025, 6, 2).strftime("%A") == "Monday"
	assert date(2025, 6, 6).strftime("%A") == "Friday"
	assert date(2025, 6, 11).strftime("%A") == "Wednesday"
	assert date(2025, 3, 30).strftime("%A") == date(2025, 10, 26).strftime("%A") == "Sunday"
	assert berlin(6, 2).utcoffset() == timedelta(hours=2)


# -- parse_access_window ----------------------------------------------------------------------------------
PARSE_CASES = [
	("", ()),
	(None, ()),
	("   \n\t ", ()),
	("Mon-Fri 10:00-12:00 via bastion", (W(WEEK, 10, 12),)),
	("Mon-Fri 09:00-18:00; Sat 10:00-14:00", (W(WEEK, 9, 18), W({5}, 10, 14))),
	("Tue,Thu 20:00-23:00", (W({1, 3}, 20, 23),)),
	("daily 00:00-24:00", (W(ALL, 0, 24),)),
	("every day 06:00-07:30", (W(ALL, 6, 7.5),)),
	("weekdays 08:00-09:00 only", (W(WEEK, 8, 9),)),
	("Weekends 10:00-16:00", (W({5, 6}, 10, 16),)),
	# A wrapping day range: Fri, Sat, Sun, Mon; the time crosses midnight, so it ends at 26 h.
	("Fri-Mon 22:00-02:00", (W({4, 5, 6, 0}, 22, 26),)),
	("MONDAY to friday from 9:00 to 17:30", (W(WEEK, 9, 17.5),)),
	("Sat 10:00-14:00\nSun 12:00-13:00", (W({5}, 10, 14), W({6}, 12, 13))),
	("Mon-Fri 09:00-12:00, 13:00-17:00 (lunch break)", (W(WEEK, 9, 12), W(WEEK, 13, 17))),
	("10:00-12:00 Mon-Fri", (W(WEEK, 10, 12),)),  # times first
	("Mon\u2013Fri 10:00\u201312:00", (W(WEEK, 10, 12),)),  # en dashes, as word processors write them
	("Wed 00:00-00:00", (W({2}, 0, 24),)),  # 00:00-00:00 is the whole day, as in the calendar
	("Thu 23:00-24:00", (W({3}, 23, 24),)),
	("Mon 18:00-06:00", (W({0}, 18, 30),)),
	("Sun-Sun 01:00-02:00", (W({6}, 1, 2),)),
	("Mon-Fri 10:00-12:00; mon-fri 10:00-12:00", (W(WEEK, 10, 12),)),  # the same window once
	("Mon, Wed and Fri 07:00-08:00; call Sam first", (W({0, 2, 4}, 7, 8),)),
	("24x7", (W(ALL, 0, 24),)),
	("Sat-Sun all day", (W({5, 6}, 0, 24),)),
	("Tues & Thurs 10:00:30-11:00", (AccessWindow(frozenset({1, 3}), 10 * H + 30, 11 * H),)),
]


@pytest.mark.parametrize(("text", "expected"), PARSE_CASES)
def test_parse_access_window(text, expected):
	assert parse_access_window(text) == expected


INVALID = [
	"via bastion",  # nothing readable at all
	"by arrangement with the customer",
	"Mon-Fri",  # days, no times
	"10:00-12:00",  # times, no days
	"Mon 10:00",  # a time without an end
	"Mon 25:00-26:00",
	"Mon 10:60-11:00",
	"Mon 24:00-02:00",  # 24:00 only ends a window
	"Mon-Fri 10:00-12:00; Sat",  # one readable part does not excuse the other
	"Mon-Fri 10am-2pm",
	"Mon-Fri 10:00-12:00 except Fri",  # "except" is not understood: better ask than widen
]


@pytest.mark.parametrize("text", INVALID)
def test_parse_access_window_rejects(text):
	with pytest.raises(WindowError) as info:
		parse_access_window(text)
	assert HOW_TO in str(info.value)


def test_parse_rejects_a_window_that_starts_and_ends_together():
	with pytest.raises(WindowError, match="00:00-24:00 for a whole day"):
		parse_access_window("Mon 10:00-10:00")


def test_window_error_is_translatable():
	with pytest.raises(WindowError) as info:
		parse_access_window("via bastion")
	e = info.value
	assert "{0}" in e.template and "{1}" in e.template
	assert e.args_ == ("via bastion", "Mon-Fri 10:00-12:00")
	german = {e.template: "Zugangsfenster {0} unlesbar: schreiben Sie es wie {1}."}
	assert e.translated(lambda s: german.get(s, s)) == (
		"Zugangsfenster via bastion unlesbar: schreiben Sie es wie Mon-Fri 10:00-12:00."
	)


@pytest.mark.parametrize(
	("window", "text"),
	[
		(W(WEEK, 10, 12), "Mon-Fri 10:00-12:00"),
		(W({4, 5, 6, 0}, 22, 26), "Fri-Mon 22:00-02:00"),
		(W({1, 3}, 20, 23), "Tue,Thu 20:00-23:00"),
		(W(ALL, 0, 24), "daily 00:00-24:00"),
		(W({0, 1, 3, 6}, 9.5, 17), "Sun-Tue,Thu 09:30-17:00"),
	],
)
def test_describe_round_trips(window, text):
	assert window.describe() == text
	assert parse_access_window(text) == (window,)


@pytest.mark.parametrize(
	("days", "start", "end"),
	[(set(), 0, H), ({7}, 0, H), ({0}, H, H), ({0}, 2 * H, H), ({0}, 24 * H, 25 * H), ({0}, H, 25 * H)],
)
def test_access_window_rejects_what_is_not_a_window(days, start, end):
	with pytest.raises(WindowError):
		AccessWindow(frozenset(days), start, end)


# -- check_window -----------------------------------------------------------------------------------------
EARLY = berlin(6, 2, 9)  # Mon 06-02 09:00: a week before most windows below, so never too soon
ACCESS = parse_access_window("Mon-Fri 10:00-12:00 via bastion")


def codes(problems):
	return [p.code for p in problems]


def test_a_valid_booking(office):
	# Tue 06-10 10:00-12:00: open (09-17), inside the access window, 8 BH after Mon 06-02 09:00 is Mon 17:00,
	# and the other bookings end at 10:00 and start at 12:00 (touching is fine).
	busy = [(berlin(6, 10, 8), berlin(6, 10, 10)), (berlin(6, 10, 12), berlin(6, 10, 13))]
	problems = check_window(
		office, berlin(6, 10, 10), berlin(6, 10, 12), now=EARLY, lead_hours=8, access=ACCESS, busy=busy
	)
	assert problems == []


@pytest.mark.parametrize("end", [berlin(6, 10, 10), berlin(6, 10, 9)])
def test_not_after_start(office, end):
	problems = check_window(office, berlin(6, 10, 10), end, now=EARLY, lead_hours=0, access=ACCESS)
	assert problems == [Problem("not_after_start", {})]


@pytest.mark.parametrize(
	("start", "end", "closed_at"),
	[
		(berlin(6, 10, 16), berlin(6, 10, 18), berlin(6, 10, 17)),  # runs past closing
		(berlin(6, 10, 8), berlin(6, 10, 10), berlin(6, 10, 8)),  # starts before opening
		(berlin(6, 11, 10), berlin(6, 11, 11), berlin(6, 11, 10)),  # Wednesday 06-11 is a holiday
		(berlin(6, 6, 16), berlin(6, 9, 10), berlin(6, 6, 17)),  # over the weekend: Fri 17:00 closes
		(berlin(6, 7, 10), berlin(6, 7, 11), berlin(6, 7, 10)),  # Saturday
	],
)
def test_outside_open_time(office, start, end, closed_at):
	assert office.business_seconds(start, end) < (end - start).total_seconds()
	problems = check_window(office, start, end, now=EARLY, lead_hours=0, access=())
	assert problems == [Problem("outside_open_time", {"closed_at": closed_at})]
	assert problems[0].detail["closed_at"].tzinfo == BERLIN


def test_outside_open_time_at_a_closure():
	cal = BusinessCalendar(
		"Europe/Berlin",
		{d: [("09:00", "17:00")] for d in range(5)},
		closures=[(berlin(6, 10, 13), berlin(6, 10, 14), "Team meeting")],
	)
	problems = check_window(cal, berlin(6, 10, 12), berlin(6, 10, 15), now=EARLY, lead_hours=0, access=())
	assert problems == [Problem("outside_open_time", {"closed_at": berlin(6, 10, 13)})]
	# 14:00-15:00, after the closure, is fine.
	assert check_window(cal, berlin(6, 10, 14), berlin(6, 10, 15), now=EARLY, lead_hours=0, access=()) == []


@pytest.mark.parametrize(
	("start", "end", "closed_at"),
	[
		(berlin(6, 10, 11), berlin(6, 10, 13), berlin(6, 10, 12)),  # open until 17:00, access only to 12:00
		(berlin(6, 10, 9, 30), berlin(6, 10, 10, 30), berlin(6, 10, 9, 30)),  # access from 10:00
	],
)
def test_outside_access_narrower_than_open_time(office, start, end, closed_at):
	problems = check_window(office, start, end, now=EARLY, lead_hours=0, access=ACCESS)
	assert problems == [Problem("outside_access", {"closed_at": closed_at})]


def test_touching_access_windows_join(office):
	access = parse_access_window("Mon-Fri 10:00-12:00; Mon-Fri 12:00-14:00")
	assert (
		check_window(office, berlin(6, 10, 11), berlin(6, 10, 13), now=EARLY, lead_hours=0, access=access)
		== []
	)


def test_no_access_restriction(office):
	# access () skips the rule: 09:00-17:00 is all open time.
	assert check_window(office, berlin(6, 10, 9), berlin(6, 10, 17), now=EARLY, lead_hours=0, access=()) == []


def test_lead_time_across_a_weekend(office):
	# now Fri 06-06 16:00 + 8 BH: 1 h on Friday (16-17), then Monday 09:00 + 7 h = Mon 06-09 16:00.
	now = berlin(6, 6, 16)
	problems = check_window(office, berlin(6, 9, 15), berlin(6, 9, 16), now=now, lead_hours=8, access=())
	assert problems == [Problem("too_soon", {"earliest": berlin(6, 9, 16)})]
	assert check_window(office, berlin(6, 9, 16), berlin(6, 9, 17), now=now, lead_hours=8, access=()) == []


def test_lead_time_across_a_holiday(office):
	# now Tue 06-10 16:00 + 8 BH: 1 h on Tuesday, Wednesday is a holiday, Thursday 09:00 + 7 h = 16:00.
	problems = check_window(
		office, berlin(6, 12, 10), berlin(6, 12, 11), now=berlin(6, 10, 16), lead_hours=8, access=()
	)
	assert problems == [Problem("too_soon", {"earliest": berlin(6, 12, 16)})]


def test_no_lead_time_means_not_in_the_past(office):
	# Lead 0 from Tue 10:00 (open): the earliest start is now itself.
	now = berlin(6, 10, 10)
	problems = check_window(
		office, berlin(6, 10, 9, 30), berlin(6, 10, 10, 30), now=now, lead_hours=0, access=()
	)
	assert problems == [Problem("too_soon", {"earliest": now})]
	assert check_window(office, now, berlin(6, 10, 11), now=now, lead_hours=0, access=()) == []


def test_engineer_busy(office):
	busy = [(berlin(6, 10, 11, 30), berlin(6, 10, 12, 30)), (berlin(6, 10, 9), berlin(6, 10, 10, 30))]
	problems = check_window(
		office, berlin(6, 10, 10), berlin(6, 10, 12), now=EARLY, lead_hours=0, access=(), busy=busy
	)
	# Both overlap; the earlier-starting one is reported, as passed in.
	assert problems == [Problem("engineer_busy", {"start": berlin(6, 10, 9), "end": berlin(6, 10, 10, 30)})]


@pytest.mark.parametrize(
	"busy",
	[
		[(berlin(6, 10, 9), berlin(6, 10, 10))],  # ends when the window starts
		[(berlin(6, 10, 12), berlin(6, 10, 13))],  # starts when the window ends
		[(berlin(6, 10, 11), berlin(6, 10, 11))],  # empty
		[(utc(2025, 6, 10, 6), utc(2025, 6, 10, 8))],  # 08:00-10:00 Berlin, given in UTC
	],
)
def test_touching_bookings_are_fine(office, busy):
	assert (
		check_window(
			office, berlin(6, 10, 10), berlin(6, 10, 12), now=EARLY, lead_hours=0, access=(), busy=busy
		)
		== []
	)


def test_every_rule_at_once_in_order(office):
	# Sat 06-07 10:00-13:00: closed all Saturday (10:00 is the first closed instant), no access on Saturday,
	# earlier than Mon 16:00 (8 BH from Fri 16:00), and overlapping a booking 12:00-14:00.
	busy = [(berlin(6, 7, 12), berlin(6, 7, 14))]
	problems = check_window(
		office,
		berlin(6, 7, 10),
		berlin(6, 7, 13),
		now=berlin(6, 6, 16),
		lead_hours=8,
		access=ACCESS,
		busy=busy,
	)
	assert problems == [
		Problem("outside_open_time", {"closed_at": berlin(6, 7, 10)}),
		Problem("outside_access", {"closed_at": berlin(6, 7, 10)}),
		Problem("too_soon", {"earliest": berlin(6, 9, 16)}),
		Problem("engineer_busy", {"start": berlin(6, 7, 12), "end": berlin(6, 7, 14)}),
	]
	assert list(PROBLEM_MESSAGES) == [
		"not_after_start",
		"outside_open_time",
		"outside_access",
		"too_soon",
		"engineer_busy",
	]


def test_24x7_and_an_overnight_access_window(berlin_24x7):
	cal = berlin_24x7
	# Sat 23:00 to Sun 01:00 is open on a 24x7 calendar.
	assert check_window(cal, berlin(6, 7, 23), berlin(6, 8, 1), now=EARLY, lead_hours=0, access=()) == []
	access = parse_access_window("Fri-Sat 20:00-02:00")
	# Friday's window runs to Sat 02:00.
	assert check_window(cal, berlin(6, 6, 22), berlin(6, 7, 1), now=EARLY, lead_hours=0, access=access) == []
	# Saturday's window runs 20:00 to Sun 02:00: Sun 01:00-02:00 is inside it.
	assert check_window(cal, berlin(6, 8, 1), berlin(6, 8, 2), now=EARLY, lead_hours=0, access=access) == []
	# Sat 01:00-03:00 leaves Friday's window at 02:00; Saturday's starts only at 20:00.
	problems = check_window(cal, berlin(6, 7, 1), berlin(6, 7, 3), now=EARLY, lead_hours=0, access=access)
	assert problems == [Problem("outside_access", {"closed_at": berlin(6, 7, 2)})]


def test_access_window_on_the_spring_clock_change(berlin_24x7):
	# Sun 2025-03-30 01:00-04:00 on the wall clock: 01:00 CET = 00:00 UTC to 04:00 CEST = 02:00 UTC (the hour
	# 02:00-03:00 does not exist): two real hours.
	access = parse_access_window("Sun 01:00-04:00")
	now = utc(2025, 3, 1)
	assert (
		check_window(
			berlin_24x7, utc(2025, 3, 30, 0), utc(2025, 3, 30, 2), now=now, lead_hours=0, access=access
		)
		== []
	)
	problems = check_window(
		berlin_24x7, utc(2025, 3, 30, 0), utc(2025, 3, 30, 2, 30), now=now, lead_hours=0, access=access
	)
	assert problems == [Problem("outside_access", {"closed_at": utc(2025, 3, 30, 2)})]
	assert problems[0].detail["closed_at"].hour == 4  # 04:00 CEST on the calendar's clock


def test_access_window_on_the_autumn_clock_change(berlin_24x7):
	# Sun 2025-10-26 01:00-04:00: 01:00 CEST = Sat 23:00 UTC to 04:00 CET = 03:00 UTC: four real hours.
	access = parse_access_window("Sun 01:00-04:00")
	now = utc(2025, 10, 1)
	start = utc(2025, 10, 25, 23)
	assert check_window(berlin_24x7, start, utc(2025, 10, 26, 3), now=now, lead_hours=0, access=access) == []
	problems = check_window(berlin_24x7, start, utc(2025, 10, 26, 3, 1), now=now, lead_hours=0, access=access)
	assert problems == [Problem("outside_access", {"closed_at": utc(2025, 10, 26, 3)})]


def test_open_time_on_the_spring_clock_change():
	# Open Sundays 01:00-04:00 on the wall clock: on 2025-03-30 that is 00:00-02:00 UTC.
	cal = BusinessCalendar("Europe/Berlin", {6: [("01:00", "04:00")]})
	now = utc(2025, 3, 1)
	assert check_window(cal, utc(2025, 3, 30, 0), utc(2025, 3, 30, 2), now=now, lead_hours=0, access=()) == []
	problems = check_window(cal, utc(2025, 3, 30, 1), utc(2025, 3, 30, 3), now=now, lead_hours=0, access=())
	assert problems == [Problem("outside_open_time", {"closed_at": utc(2025, 3, 30, 2)})]


def test_problem_messages_translate():
	p = Problem("engineer_busy", {"start": berlin(6, 10, 9), "end": berlin(6, 10, 10, 30)})
	assert p.template == PROBLEM_MESSAGES["engineer_busy"]
	assert p.message == (
		"The engineer is already booked from Tue 2025-06-10 09:00 CEST to Tue 2025-06-10 10:30 CEST: "
		"choose another time or engineer."
	)
	german = {p.template: "Der Techniker ist von {0} bis {1} gebucht."}
	hhmm = lambda d: d.strftime("%H:%M")  # noqa: E731
	assert p.translated(lambda s: german.get(s, s), hhmm) == "Der Techniker ist von 09:00 bis 10:30 gebucht."
	assert Problem("not_after_start", {}).message.startswith("The upgrade window must end after it starts")


def test_check_window_rejects_bad_input(office):
	naive = datetime(2025, 6, 10, 10)
	with pytest.raises(WindowError, match="time zone"):
		check_window(office, naive, berlin(6, 10, 12), now=EARLY, lead_hours=0, access=())
	with pytest.raises(WindowError, match="time zone"):
		check_window(office, berlin(6, 10, 10), berlin(6, 10, 12), now=naive, lead_hours=0, access=())
	with pytest.raises(WindowError, match="notice period"):
		check_window(office, berlin(6, 10, 10), berlin(6, 10, 12), now=EARLY, lead_hours=-1, access=())
	with pytest.raises(WindowError, match="not an access window"):
		check_window(office, berlin(6, 10, 10), berlin(6, 10, 12), now=EARLY, lead_hours=0, access=("x",))


# -- free_slots -------------------------------------------------------------------------------------------
def bookable(cal, slots, engineers, *, now, lead_hours=0, access=()):
	"""Every slot passes check_window for its engineer."""
	for start, end, who in slots:
		assert (
			check_window(cal, start, end, now=now, lead_hours=lead_hours, access=access, busy=engineers[who])
			== []
		), (start, who)


def starts(slots):
	return [(s.strftime("%a %m-%d %H:%M"), who) for s, _e, who in slots]


def test_alphabetically_first_free_engineer(office):
	# alice is busy Mon 09:00-10:00: 09:00-11:00 and 09:30-11:30 overlap it (bob takes them), 10:00-12:00
	# only touches it (alice).
	engineers = {"bob": [], "alice": [(berlin(6, 2, 9), berlin(6, 2, 10))]}
	slots = free_slots(office, after=berlin(6, 2, 8), duration=timedelta(hours=2), engineers=engineers)
	assert starts(slots) == [
		("Mon 06-02 09:00", "bob"),
		("Mon 06-02 09:30", "bob"),
		("Mon 06-02 10:00", "alice"),
	]
	assert [e - s for s, e, _w in slots] == [timedelta(hours=2)] * 3
	bookable(office, slots, engineers, now=berlin(6, 2, 8))


def test_a_slot_may_end_when_a_booking_starts(office):
	# alice is busy from Mon 11:00: 09:00-11:00 touches that (alice), 09:30-11:30 overlaps it (bob).
	engineers = {"alice": [(berlin(6, 2, 11), berlin(6, 2, 17))], "bob": []}
	slots = free_slots(
		office, after=berlin(6, 2, 9), duration=timedelta(hours=2), engineers=engineers, count=2
	)
	assert starts(slots) == [("Mon 06-02 09:00", "alice"), ("Mon 06-02 09:30", "bob")]


def test_a_slot_ends_by_closing(office):
	# From Mon 14:30, 2 h: 14:30 and 15:00 end by 17:00, 15:30 would not; then Tuesday from 09:00.
	slots = free_slots(
		office, after=berlin(6, 2, 14, 30), duration=timedelta(hours=2), engineers={"a": []}, count=4
	)
	assert starts(slots) == [
		("Mon 06-02 14:30", "a"),
		("Mon 06-02 15:00", "a"),
		("Tue 06-03 09:00", "a"),
		("Tue 06-03 09:30", "a"),
	]


def test_holiday_skipped(office):
	# From Tue 06-10 15:30, 2 h: nothing fits on Tuesday, Wednesday is a holiday: Thursday from 09:00.
	slots = free_slots(office, after=berlin(6, 10, 15, 30), duration=timedelta(hours=2), engineers={"a": []})
	assert starts(slots) == [("Thu 06-12 09:00", "a"), ("Thu 06-12 09:30", "a"), ("Thu 06-12 10:00", "a")]


def test_lead_time(office):
	# now Fri 16:00 + 8 BH = Mon 16:00 (see test_lead_time_across_a_weekend); 1 h slots.
	now = berlin(6, 6, 16)
	engineers = {"a": []}
	slots = free_slots(
		office, after=now, duration=timedelta(hours=1), engineers=engineers, now=now, lead_hours=8
	)
	assert starts(slots) == [("Mon 06-09 16:00", "a"), ("Tue 06-10 09:00", "a"), ("Tue 06-10 09:30", "a")]
	bookable(office, slots, engineers, now=now, lead_hours=8)
	# Without `now` the lead time is not applied.
	assert starts(
		free_slots(office, after=now, duration=timedelta(hours=1), engineers=engineers, count=1)
	) == [("Fri 06-06 16:00", "a")]


def test_access_window(office):
	# Tue and Thu 10:15-13:00, 1 h: 10:15 (where bookable time starts), then the half hours up to 12:00.
	access = parse_access_window("Tue,Thu 10:15-13:00")
	engineers = {"a": []}
	slots = free_slots(
		office, after=berlin(6, 2), duration=timedelta(hours=1), engineers=engineers, access=access, count=6
	)
	assert starts(slots) == [
		("Tue 06-03 10:15", "a"),
		("Tue 06-03 10:30", "a"),
		("Tue 06-03 11:00", "a"),
		("Tue 06-03 11:30", "a"),
		("Tue 06-03 12:00", "a"),
		("Thu 06-05 10:15", "a"),
	]
	bookable(office, slots, engineers, now=berlin(6, 2), access=access)


def test_after_inside_open_time_starts_on_the_next_step(office):
	# 10:07 is neither an opening nor a half hour.
	slots = free_slots(
		office, after=berlin(6, 2, 10, 7), duration=timedelta(hours=1), engineers={"a": []}, count=1
	)
	assert starts(slots) == [("Mon 06-02 10:30", "a")]


def test_an_opening_after_a_closure_is_a_candidate():
	cal = BusinessCalendar(
		"Europe/Berlin",
		{d: [("09:00", "17:00")] for d in range(5)},
		closures=[(berlin(6, 3, 9), berlin(6, 3, 10, 7), "Network maintenance")],
	)
	slots = free_slots(cal, after=berlin(6, 3, 8), duration=timedelta(hours=1), engineers={"a": []})
	assert starts(slots) == [("Tue 06-03 10:07", "a"), ("Tue 06-03 10:30", "a"), ("Tue 06-03 11:00", "a")]


def test_busy_engineers(office):
	# alice is booked Mon 06-02 to Wed 06-04 all day, bob Mon and Tue: bob from Wed 09:00, and alice
	# from Thu 09:00 (when bob would also be free, alice comes first).
	engineers = {
		"alice": [(berlin(6, 2), berlin(6, 5))],
		"bob": [(berlin(6, 2), berlin(6, 3, 12)), (berlin(6, 3, 12), berlin(6, 4))],
	}
	slots = free_slots(office, after=berlin(6, 2), duration=timedelta(hours=4), engineers=engineers, count=12)
	# Wednesday 06-04: 4 h slots at 09:00 .. 13:00 (9 half-hour starts) for bob; Thursday 09:00 alice.
	assert len(slots) == 12
	assert starts(slots)[:9] == [(f"Wed 06-04 {9 + k // 2:02d}:{k % 2 * 30:02d}", "bob") for k in range(9)]
	assert starts(slots)[9:] == [
		("Thu 06-05 09:00", "alice"),
		("Thu 06-05 09:30", "alice"),
		("Thu 06-05 10:00", "alice"),
	]
	bookable(office, slots, engineers, now=berlin(6, 2))


def test_horizon_exhausted(office):
	# From Fri 06-06 08:00 for 2 days (to Sun 08:00), 1 h on the hour: Friday 09:00 .. 16:00 = 8 slots.
	slots = free_slots(
		office,
		after=berlin(6, 6, 8),
		duration=timedelta(hours=1),
		engineers={"a": []},
		count=10,
		step_minutes=60,
		horizon_days=2,
	)
	assert starts(slots) == [(f"Fri 06-06 {h:02d}:00", "a") for h in range(9, 17)]
	assert (
		free_slots(
			office, after=berlin(6, 6, 8), duration=timedelta(hours=1), engineers={"a": []}, horizon_days=0
		)
		== []
	)


def test_long_stretches_are_not_cut_into_weeks():
	# 24x7: one stretch of bookable time from 10:07 on. Nobody is free for ten days, so the search runs
	# through weeks of it; the first start after the bookings is on the hour (step 60), never 10:07 a week
	# later, where the search happens to cut its work.
	cal = BusinessCalendar("UTC", always_open=True)
	after = utc(2025, 6, 2, 10, 7)
	engineers = {"a": [(utc(2025, 6, 1), utc(2025, 6, 12, 0, 30))]}
	slots = free_slots(cal, after=after, duration=timedelta(hours=1), engineers=engineers, step_minutes=60)
	assert [s for s, _e, _w in slots] == [utc(2025, 6, 12, 1), utc(2025, 6, 12, 2), utc(2025, 6, 12, 3)]
	# And a slot may run over the point where the search cuts its work (after + 7 days).
	slots = free_slots(
		cal, after=after, duration=timedelta(hours=3), engineers={"a": [(after, utc(2025, 6, 9, 9))]}, count=1
	)
	assert slots == [(utc(2025, 6, 9, 9), utc(2025, 6, 9, 12), "a")]


def test_nothing_to_offer(office):
	after = berlin(6, 2, 8)
	assert free_slots(office, after=after, duration=timedelta(hours=1), engineers={}) == []
	assert free_slots(office, after=after, duration=timedelta(hours=1), engineers={"a": []}, count=0) == []
	# Longer than any day's open time.
	assert free_slots(office, after=after, duration=timedelta(hours=9), engineers={"a": []}) == []


def test_24x7_slot_across_midnight():
	cal = BusinessCalendar("UTC", always_open=True)
	slots = free_slots(
		cal, after=utc(2025, 6, 2, 23), duration=timedelta(hours=2), engineers={"a": []}, count=1
	)
	assert slots == [(utc(2025, 6, 2, 23), utc(2025, 6, 3, 1), "a")]


def test_step_that_does_not_divide_the_day():
	# 50-minute steps restart at midnight: ... 22:30 (1350 min), 23:20 (1400), then 00:00 and 00:50.
	cal = BusinessCalendar("UTC", always_open=True)
	slots = free_slots(
		cal,
		after=utc(2025, 6, 2, 22),
		duration=timedelta(minutes=10),
		engineers={"a": []},
		count=4,
		step_minutes=50,
	)
	assert [s for s, _e, _w in slots] == [
		utc(2025, 6, 2, 22, 30),
		utc(2025, 6, 2, 23, 20),
		utc(2025, 6, 3),
		utc(2025, 6, 3, 0, 50),
	]


def test_steps_on_the_autumn_clock_change(berlin_24x7):
	# From 00:00 UTC = 02:00 CEST on Sun 2025-10-26: 02:00 and 02:30 CEST, then the clock goes back at 01:00
	# UTC and reads 02:00 and 02:30 again (CET).
	slots = free_slots(
		berlin_24x7, after=utc(2025, 10, 26, 0), duration=timedelta(minutes=30), engineers={"a": []}, count=5
	)
	assert [s.timestamp() for s, _e, _w in slots] == [
		utc(2025, 10, 26, 0).timestamp(),
		utc(2025, 10, 26, 0, 30).timestamp(),
		utc(2025, 10, 26, 1).timestamp(),
		utc(2025, 10, 26, 1, 30).timestamp(),
		utc(2025, 10, 26, 2).timestamp(),
	]
	assert [(s.strftime("%H:%M"), s.fold) for s, _e, _w in slots] == [
		("02:00", 0),
		("02:30", 0),
		("02:00", 1),
		("02:30", 1),
		("03:00", 0),
	]


def test_steps_on_the_spring_clock_change(berlin_24x7):
	# From 00:00 UTC = 01:00 CET on Sun 2025-03-30: 01:00, 01:30, then 03:00 CEST (01:00 UTC), 03:30.
	slots = free_slots(
		berlin_24x7, after=utc(2025, 3, 30, 0), duration=timedelta(minutes=30), engineers={"a": []}, count=4
	)
	assert [s.strftime("%H:%M %Z") for s, _e, _w in slots] == [
		"01:00 CET",
		"01:30 CET",
		"03:00 CEST",
		"03:30 CEST",
	]
	assert slots[2][0].timestamp() == utc(2025, 3, 30, 1).timestamp()


def test_steps_on_the_calendars_wall_clock():
	# Asia/Kolkata is UTC+05:30: whole local hours are at half past in UTC.
	cal = BusinessCalendar("Asia/Kolkata", {d: [("10:00", "18:00")] for d in range(5)})
	slots = free_slots(
		cal, after=utc(2025, 6, 2, 5, 0), duration=timedelta(hours=1), engineers={"a": []}, step_minutes=60
	)
	# 05:00 UTC = 10:30 IST: the next whole hour is 11:00 IST = 05:30 UTC.
	assert [s.timestamp() for s, _e, _w in slots] == [utc(2025, 6, 2, h, 30).timestamp() for h in (5, 6, 7)]
	assert slots[0][0].tzinfo == ZoneInfo("Asia/Kolkata")


def test_free_slots_rejects_bad_input(office):
	after = berlin(6, 2)
	with pytest.raises(WindowError, match="positive duration"):
		free_slots(office, after=after, duration=timedelta(0), engineers={"a": []})
	with pytest.raises(WindowError, match="1 to 1440 minutes"):
		free_slots(office, after=after, duration=timedelta(hours=1), engineers={"a": []}, step_minutes=0)
	with pytest.raises(WindowError, match="time zone"):
		free_slots(office, after=datetime(2025, 6, 2), duration=timedelta(hours=1), engineers={"a": []})
	with pytest.raises(WindowError, match="time zone"):
		free_slots(
			office, after=after, duration=timedelta(hours=1), engineers={"a": [(datetime(2025, 6, 2), after)]}
		)


def busy_month(first: datetime, days: int, free_day: int, hours: tuple[int, int, int]) -> list:
	"""Two back-to-back bookings (hours[0] to hours[1], hours[1] to hours[2] o'clock) on each of `days` days
	from `first`, except the day `free_day`."""
	out = []
	for k in range(days):
		if k != free_day:
			day = first + timedelta(days=k)
			a, b, c = (day + timedelta(hours=h) for h in hours)
			out.append((a, b))
			out.append((b, c))
	return out


@pytest.mark.parametrize("always_open", [False, True])
def test_a_month_of_busy_engineers_is_quick(always_open):
	cal = BusinessCalendar(
		"Europe/Berlin", {d: [("09:00", "17:00")] for d in range(5)}, always_open=always_open
	)
	first = berlin(6, 2)
	# Ten engineers, all booked through open time for four weeks (08:00-18:00 on the office calendar, 00:00
	# to 24:00 around the clock, as two bookings a day, some offset by an hour); only e7 has Fri 06-27 (day
	# 25) free.
	hours = (0, 12, 24) if always_open else (8, 12, 18)
	engineers = {
		f"e{i}": busy_month(first - timedelta(hours=i % 2), 30, 25 if i == 7 else -1, hours)
		for i in range(10)
	}
	t0 = time.perf_counter()
	slots = free_slots(cal, after=first, duration=timedelta(hours=2), engineers=engineers, count=3)
	elapsed = time.perf_counter() - t0
	if always_open:
		# e7 (odd: every booking an hour early) has no booking from Thu 06-26 23:00 (the end of Thursday's)
		# to Fri 23:00 (the start of Saturday's); everyone else is booked throughout.
		assert starts(slots) == [
			("Thu 06-26 23:00", "e7"),
			("Thu 06-26 23:30", "e7"),
			("Fri 06-27 00:00", "e7"),
		]
	else:
		assert starts(slots) == [
			("Fri 06-27 09:00", "e7"),
			("Fri 06-27 09:30", "e7"),
			("Fri 06-27 10:00", "e7"),
		]
	bookable(cal, slots, engineers, now=first)
	assert elapsed < 0.25, elapsed  # typically a few milliseconds
