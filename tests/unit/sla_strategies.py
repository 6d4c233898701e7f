"""Hypothesis strategies for random calendars, instants and targets (shared by the property tests)."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from functools import cache
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck
from hypothesis import strategies as st
from sla_oracle import DAY, HOUR, MINUTE, Spec, local_reading

from frappe_support.sla import BusinessCalendar

ZONES = ("Europe/Berlin", "Asia/Kolkata", "America/New_York", "UTC", "Australia/Lord_Howe")
QUARTERS_PER_DAY = 96
QUARTERS_PER_WEEK = 7 * QUARTERS_PER_DAY
_LO = int(datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp())
_HI = int(datetime(2026, 12, 1, tzinfo=timezone.utc).timestamp())
# The oracle is slow by design; shrinking and filtering are expected.
SLOW = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]


def examples(n: int) -> int:
	"""max_examples scaled by SLA_HYPOTHESIS_SCALE (e.g. 10 for a long soak run)."""
	return max(1, int(n * float(os.environ.get("SLA_HYPOTHESIS_SCALE", "1"))))


@cache
def zone_changes(zone: str) -> tuple[int, ...]:
	"""The instants (minute grid) at which the zone's UTC offset changes in 2024-2026, from zoneinfo."""
	tz = ZoneInfo(zone)

	def offset(u: int) -> timedelta:
		return datetime.fromtimestamp(u, tz).utcoffset()

	out = []
	u = _LO
	while u < _HI:
		if offset(u) != offset(u + HOUR):
			v = u
			while offset(v) == offset(u):
				v += MINUTE
			out.append(v)
		u += HOUR
	return tuple(out)


def _clock(quarters: int) -> str:
	return f"{quarters // 4:02d}:{quarters % 4 * 15:02d}"


@st.composite
def weekly_hours(draw) -> dict[int, list[tuple[str, str]]]:
	"""Random weekly intervals, or nights (evening to morning, over the usual clock-change hours)."""
	if draw(st.integers(0, 3)) == 0:
		return draw(night_hours())
	return draw(random_hours())


@st.composite
def night_hours(draw) -> dict[int, list[tuple[str, str]]]:
	days = draw(st.sets(st.integers(0, 6), min_size=1))
	start = draw(st.integers(18 * 4, 95))
	end = draw(st.integers(0, 8 * 4))
	return {d: [(_clock(start), _clock(end))] for d in sorted(days)}


@st.composite
def random_hours(draw) -> dict[int, list[tuple[str, str]]]:
	"""Non-overlapping weekly intervals on a 15-minute grid, some crossing midnight or Sunday to Monday,
	some touching their neighbour, some whole days."""
	rotation = draw(st.integers(0, QUARTERS_PER_WEEK - 1))
	pieces = draw(
		st.lists(st.tuples(st.integers(0, 200), st.integers(1, QUARTERS_PER_DAY)), min_size=1, max_size=7)
	)
	weekly: dict[int, list[tuple[str, str]]] = {}
	pos, limit = rotation, rotation + QUARTERS_PER_WEEK
	for gap, length in pieces:
		start = pos + gap
		weekday, s = divmod(start % QUARTERS_PER_WEEK, QUARTERS_PER_DAY)
		if length == QUARTERS_PER_DAY and s:
			length -= 1  # an interval that is not a whole day must end before it starts again
		if start + length > limit:
			break
		end = (s + length) % QUARTERS_PER_DAY
		if end == 0:
			end_text = draw(st.sampled_from(["00:00", "24:00"]))
		else:
			end_text = _clock(end)
		weekly.setdefault(weekday, []).append((_clock(s), end_text))
		pos = start + length
	return weekly


@st.composite
def start_instants(draw, zone: str) -> int:
	"""A minute-grid instant, often within a week before a daylight-saving change of the zone."""
	changes = zone_changes(zone)
	how = draw(st.integers(0, 3)) if changes else 0
	if how == 0:
		return MINUTE * draw(st.integers(_LO // MINUTE, _HI // MINUTE))
	anchor = draw(st.sampled_from(changes))
	if how == 1:
		return anchor + MINUTE * draw(st.integers(-6 * 1440, 2 * 1440))
	# Whole days before the change, at or near its time of day: the start's wall-clock time then lands
	# on the edges of the skipped or repeated hour on the day of the change.
	near = draw(st.sampled_from([-120, -90, -60, -30, 0, 30, 60, 90, 120]))
	return anchor + DAY * draw(st.integers(-7, 1)) + MINUTE * near


@st.composite
def calendars(draw, near: int, max_closures: int = 3) -> Spec:
	"""A random calendar for a zone, with holidays and closures around the instant `near`."""
	zone = draw(st.sampled_from(ZONES))
	return draw(calendar_in_zone(zone, near, max_closures))


@st.composite
def calendar_in_zone(draw, zone: str, near: int, max_closures: int = 3) -> Spec:
	tz = ZoneInfo(zone)
	if draw(st.integers(0, 9)) == 0:
		spec = Spec(zone, {}, always_open=True)
	else:
		spec = Spec(zone, draw(weekly_hours()))
	first_day = datetime.fromtimestamp(near, tz).date()
	spec.holidays = [
		first_day + timedelta(days=k) for k in draw(st.lists(st.integers(-2, 40), max_size=8, unique=True))
	]
	for k, (offset, length) in enumerate(
		draw(
			st.lists(
				st.tuples(st.integers(-3 * 1440, 30 * 1440), st.integers(1, 3 * 1440)), max_size=max_closures
			)
		)
	):
		show_in = draw(st.sampled_from([tz, timezone.utc]))
		a = datetime.fromtimestamp(near + MINUTE * offset, show_in)
		b = datetime.fromtimestamp(near + MINUTE * (offset + length), show_in)
		spec.closures.append((a, b, f"closure {k}"))
	return spec


def engine(spec: Spec) -> BusinessCalendar:
	return BusinessCalendar(
		spec.timezone,
		spec.weekly,
		holidays=spec.holidays,
		closures=spec.closures,
		always_open=spec.always_open,
	)


def weekly_open_seconds(spec: Spec) -> int:
	"""Nominal open seconds per week (no holidays, closures or clock changes)."""
	if spec.always_open:
		return 7 * DAY
	total = 0
	for intervals in spec.weekly.values():
		for s_text, e_text in intervals:
			s = int(s_text[:2]) * 60 + int(s_text[3:5])
			e = int(e_text[:2]) * 60 + int(e_text[3:5])
			total += (e - s if e > s else e + 1440 - s) * MINUTE
	return total


def aware(u: int, spec: Spec, as_utc: bool) -> datetime:
	"""Instant u as an aware datetime, in UTC or in the calendar's zone."""
	return datetime.fromtimestamp(u, timezone.utc if as_utc else ZoneInfo(spec.timezone))


def describe(spec: Spec, u: int) -> str:
	"""The calendar and a start instant, for hypothesis' report of a failing example."""
	return f"{spec}\nstart {u} = {local_reading(ZoneInfo(spec.timezone), u)} local"


def day_of(value: date) -> int:
	return (value - date(1970, 1, 1)).days


GERMAN_HOLIDAYS = (
	# 2025: national and common regional public holidays
	"2025-01-01", "2025-01-06", "2025-03-08", "2025-04-18", "2025-04-21", "2025-05-01", "2025-05-29",
	"2025-06-09", "2025-06-19", "2025-08-15", "2025-10-03", "2025-10-31", "2025-11-01", "2025-11-19",
	"2025-12-25", "2025-12-26",
	# 2026: the national ones
	"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25", "2026-10-03",
	"2026-12-25", "2026-12-26",
)  # fmt: skip


def german_office() -> Spec:
	"""Europe/Berlin, Mon-Fri 09:00-17:00, German holidays 2025-2026 and a few closures."""
	tz = ZoneInfo("Europe/Berlin")
	return Spec(
		"Europe/Berlin",
		{d: [("09:00", "17:00")] for d in range(5)},
		holidays=[date.fromisoformat(h) for h in GERMAN_HOLIDAYS],
		closures=[
			(datetime(2025, 7, 18, tzinfo=tz), datetime(2025, 7, 19, tzinfo=tz), "Server migration"),
			(datetime(2025, 9, 12, 9, tzinfo=tz), datetime(2025, 9, 12, 13, tzinfo=tz), "Team offsite"),
			(datetime(2025, 12, 24, 12, tzinfo=tz), datetime(2025, 12, 24, 17, tzinfo=tz), "Christmas Eve"),
			(datetime(2025, 12, 31, 12, tzinfo=tz), datetime(2026, 1, 1, tzinfo=tz), "New Year's Eve"),
		],
	)
