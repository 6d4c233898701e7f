"""One SLA clock: a target measured from a start, with pauses credited in business time.

Pausing stops the clock; on resume the deadline is the resume instant plus the business time that was
left. A different target (a priority change) is measured again from the same start and keeps the same
pauses. At-risk is the instant a fraction (0.75 by default) of the target has been consumed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from frappe_support.sla.calendar import CALENDAR_HOURS, BusinessCalendar, check_target, elapsed_calendar
from frappe_support.sla.errors import CalendarError, _


@dataclass(frozen=True)
class Pause:
	start: datetime
	end: datetime | None = None  # None: still paused
	reason: str = ""


@dataclass(frozen=True)
class ClockResult:
	start: datetime  # the clock start (next opening when raised outside hours)
	target_seconds: float  # the target in business seconds measured from start
	deadline: datetime | None  # None while paused
	at_risk: datetime | None  # None while paused before the at-risk point


def measuring_calendar(cal: BusinessCalendar, unit: str) -> BusinessCalendar:
	"""The calendar business time is counted in: elapsed time for calendar-hour targets."""
	return elapsed_calendar(cal.timezone) if unit == CALENDAR_HOURS else cal


def _sorted_pauses(pauses: Iterable[Pause], start: datetime) -> list[tuple[datetime, datetime | None]]:
	"""The pauses as sorted, disjoint (from, to or None) spans: overlapping ones merged (so paused time is
	credited once), empty or inverted ones dropped."""
	out: list[tuple[datetime, datetime | None]] = []
	for p in sorted(pauses, key=lambda p: p.start):
		if p.end is not None and p.end <= p.start:
			continue
		if out and (out[-1][1] is None or p.start <= out[-1][1]):
			last_start, last_end = out[-1]
			out[-1] = (last_start, None if last_end is None or p.end is None else max(last_end, p.end))
		else:
			out.append((p.start, p.end))
	return out


def instant_after(
	cal: BusinessCalendar, start: datetime, seconds: float, pauses: Iterable[Pause] = ()
) -> datetime | None:
	"""The earliest instant at which `seconds` of unpaused business time have passed since start.

	None when the clock is paused (an open pause) before that much time has passed.
	"""
	cursor, remaining = start, seconds
	for p0, p1 in _sorted_pauses(pauses, start):
		if p1 is not None and p1 <= cursor:
			continue
		p0 = max(p0, cursor)
		t = cal.add_seconds(cursor, remaining)
		if t <= p0:
			return t
		remaining -= cal.business_seconds(cursor, p0)
		if p1 is None:
			return None
		cursor = p1
	return cal.add_seconds(cursor, remaining)


def consumed(cal: BusinessCalendar, start: datetime, now: datetime, pauses: Iterable[Pause] = ()) -> float:
	"""Unpaused business seconds between start and now."""
	total = cal.business_seconds(start, now)
	for p0, p1 in _sorted_pauses(pauses, start):
		a, b = max(p0, start), min(p1 or now, now)
		if a < b:
			total -= cal.business_seconds(a, b)
	return max(total, 0.0)


def run_clock(
	cal: BusinessCalendar,
	raised: datetime,
	amount: float,
	unit: str,
	pauses: Iterable[Pause] = (),
	at_risk_fraction: float = 0.75,
) -> ClockResult:
	"""Deadline and at-risk instant of a target of `amount` `unit` for an issue raised at `raised`."""
	if not 0 < at_risk_fraction <= 1:
		raise CalendarError(_("The at-risk share must be above 0 % and at most 100 %, not {0}."), at_risk_fraction)
	check_target(amount, unit)
	pauses = list(pauses)
	measure = measuring_calendar(cal, unit)
	start = raised if unit == CALENDAR_HOURS else cal.clock_start(raised)
	seconds = cal.target_seconds(start, amount, unit)
	return ClockResult(
		start=start,
		target_seconds=seconds,
		deadline=instant_after(measure, start, seconds, pauses),
		at_risk=instant_after(measure, start, seconds * at_risk_fraction, pauses),
	)


def explain_clock(
	cal: BusinessCalendar,
	raised: datetime,
	amount: float,
	unit: str,
	pauses: Iterable[Pause] = (),
	translate=None,
) -> list[str]:
	"""The calendar's explanation of the target, then each pause and what it credited."""
	tr = translate or _
	pauses = list(pauses)
	lines = cal.explain(raised, amount, unit, translate=translate)
	if not pauses:
		return lines
	measure = measuring_calendar(cal, unit)
	result = run_clock(cal, raised, amount, unit, pauses)
	extra = []
	for p in sorted(pauses, key=lambda p: p.start):
		if p.end is None:
			extra.append(tr("Paused since {0} ({1}): the deadline waits for the clock to resume.").format(
				cal._fmt(p.start.timestamp()), p.reason or tr("paused")
			))
		else:
			credit = measure.business_seconds(max(p.start, result.start), p.end)
			extra.append(tr("Paused from {0} to {1} ({2}): {3} business hours credited.").format(
				cal._fmt(p.start.timestamp()),
				cal._fmt(p.end.timestamp()),
				p.reason or tr("paused"),
				round(credit / 3600, 2),
			))
	final = (
		tr("Deadline after pauses: {0}.").format(cal._fmt(result.deadline.timestamp()))
		if result.deadline
		else tr("Deadline after pauses: not set while paused.")
	)
	return [*lines[:-1], *extra, lines[-1], final]
