"""One SLA clock: a target measured from a start, with pauses credited in business time.

Pausing stops the clock; on resume the deadline is the resume instant plus the business time that was
left. A different target (a priority change) is measured again from the same start and keeps the same
pauses. At-risk is the instant a fraction (0.75 by default) of the target has been consumed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from frappe_support.sla.calendar import BusinessCalendar, elapsed_calendar
from frappe_support.sla.days import BUSINESS_DAYS, CALENDAR_HOURS, check_target
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


def _posix(value: datetime) -> float:
	if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
		raise CalendarError(_("{0} has no time zone: pass a time-zone-aware datetime."), value)
	return value.timestamp()


# Instants are compared as POSIX seconds, never as datetimes: two datetimes that share a tzinfo compare by
# their wall-clock reading (PEP 495), which orders the two occurrences of a repeated hour wrongly.
def _sorted_pauses(pauses: Iterable[Pause]) -> list[tuple[float, float | None, datetime, datetime | None]]:
	"""The pauses as sorted, disjoint spans (from, to or None; as POSIX seconds and as given): overlapping
	ones merged (so paused time is credited once), empty or inverted ones dropped."""
	spans = sorted(
		((_posix(p.start), None if p.end is None else _posix(p.end), p.start, p.end) for p in pauses),
		key=lambda span: span[0],
	)
	out: list[tuple[float, float | None, datetime, datetime | None]] = []
	for a, b, a_dt, b_dt in spans:
		if b is not None and b <= a:
			continue
		if out and (out[-1][1] is None or a <= out[-1][1]):
			last = out[-1]
			if last[1] is not None and (b is None or b > last[1]):
				out[-1] = (last[0], b, last[2], b_dt)
		else:
			out.append((a, b, a_dt, b_dt))
	return out


def instant_after(
	cal: BusinessCalendar, start: datetime, seconds: float, pauses: Iterable[Pause] = ()
) -> datetime | None:
	"""The earliest instant at which `seconds` of unpaused business time have passed since start.

	None when the clock is paused (an open pause) before that much time has passed.
	"""
	cursor, at, remaining = start, _posix(start), seconds
	for a, b, a_dt, b_dt in _sorted_pauses(pauses):
		if b is not None and b <= at:
			continue
		p0, p0_dt = (a, a_dt) if a > at else (at, cursor)
		t = cal.add_seconds(cursor, remaining)
		if t.timestamp() <= p0:
			return t
		remaining -= cal.business_seconds(cursor, p0_dt)
		if b is None:
			return None
		cursor, at = b_dt, b
	return cal.add_seconds(cursor, remaining)


def consumed(cal: BusinessCalendar, start: datetime, now: datetime, pauses: Iterable[Pause] = ()) -> float:
	"""Unpaused business seconds between start and now."""
	total = cal.business_seconds(start, now)
	s, n = _posix(start), _posix(now)
	for a, b, a_dt, b_dt in _sorted_pauses(pauses):
		if max(a, s) < (n if b is None else min(b, n)):
			total -= cal.business_seconds(a_dt if a > s else start, now if b is None or b > n else b_dt)
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
		raise CalendarError(
			_("The at-risk share must be above 0 % and at most 100 %, not {0}."), at_risk_fraction
		)
	amount = check_target(amount, unit)
	pauses = list(pauses)
	measure = measuring_calendar(cal, unit)
	start = raised if unit == CALENDAR_HOURS else cal.clock_start(raised)
	# The deadline if nothing pauses the clock; the target in business seconds is measured up to it.
	free = cal.add(start, amount, unit)
	seconds = cal.business_seconds(start, free) if unit == BUSINESS_DAYS else amount * 3600.0
	s, f = _posix(start), free.timestamp()
	paused = any(a < f and (b is None or b > s) for a, b, _a, _b in _sorted_pauses(pauses))
	return ClockResult(
		start=start,
		target_seconds=seconds,
		deadline=instant_after(measure, start, seconds, pauses) if paused else free,
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
	for p in sorted(pauses, key=lambda p: _posix(p.start)):
		if p.end is None and result.deadline is not None:
			extra.append(
				tr("Paused since {0} ({1}), after the deadline had passed.").format(
					cal.format_instant(p.start.timestamp()), p.reason or tr("paused")
				)
			)
		elif p.end is None:
			extra.append(
				tr("Paused since {0} ({1}): the deadline waits for the clock to resume.").format(
					cal.format_instant(p.start.timestamp()), p.reason or tr("paused")
				)
			)
		else:
			credit = measure.business_seconds(max(p.start, result.start, key=_posix), p.end)
			extra.append(
				tr("Paused from {0} to {1} ({2}): {3} business hours credited.").format(
					cal.format_instant(p.start.timestamp()),
					cal.format_instant(p.end.timestamp()),
					p.reason or tr("paused"),
					round(credit / 3600, 2),
				)
			)
	final = (
		tr("Deadline after pauses: {0}.").format(cal.format_instant(result.deadline.timestamp()))
		if result.deadline
		else tr("Deadline after pauses: not set while paused.")
	)
	unpaused = tr("Deadline without pauses: {0}.").format(
		cal.format_instant(cal.add(raised, amount, unit).timestamp())
	)
	return [*lines[:-1], unpaused, *extra, final]


@dataclass(frozen=True)
class Countdown:
	remaining: float  # business seconds from now to the deadline; negative: overdue by that much
	running: bool  # the calendar is open now, so the countdown is moving
	changes_at: datetime | None  # when the calendar next opens or closes (None: not in the next two weeks)


def countdown(cal: BusinessCalendar, now: datetime, deadline: datetime) -> Countdown:
	"""Business time left before an unpaused clock's deadline, and whether it is ticking now.

	Between now and changes_at the remaining time falls one second per second when running and stands
	still otherwise, so a display can count down without asking again until changes_at.
	"""
	n, d = _posix(now), _posix(deadline)
	remaining = cal.business_seconds(now, deadline) if d > n else -cal.business_seconds(deadline, now)
	return Countdown(remaining=remaining, running=cal.is_open(now), changes_at=cal.next_change(now))
