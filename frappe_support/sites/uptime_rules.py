"""The rules of uptime monitoring, without Frappe: what one check does to a site's open downtime, how long a
downtime lasted in words, and a site's uptime over a period from its downtimes and the hours it was watched.

A downtime runs from the first failed check to the first check that succeeds again. Failures inside a booked
upgrade window are planned: they are kept, never alerted, and do not count against uptime. A site down when
its window ends starts a new, unplanned downtime at its first failure after the window, which is then the
issue's clock start. Nothing is alerted inside a window, not even a downtime that began before it: the
first failure after the window alerts it if it has reached the threshold by then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum


class Step(Enum):
	NOTHING = "nothing"  # up, and nothing was open
	RECOVER = "recover"  # up again: close the open downtime
	OPEN = "open"  # the first failure: open a downtime
	COUNT = "count"  # one more failure of the open downtime
	SPLIT = "split"  # the window ended with the site down: close the planned downtime, open an unplanned one


@dataclass(frozen=True)
class OpenDowntime:
	failures: int
	planned: bool
	alerted: bool  # an issue was raised (or joined) for it


@dataclass(frozen=True)
class Decision:
	step: Step
	failures: int  # the open downtime's failures after this check (0 when none is open)
	planned: bool  # the open downtime is planned (inside an upgrade window)
	alert: bool  # raise (or join) the site-down issue now


def decide(current: OpenDowntime | None, up: bool, in_window: bool, threshold: int) -> Decision:
	"""What one check does. `threshold` failures in a row (at least 1) outside a window raise the issue once."""
	if up:
		return Decision(Step.RECOVER if current else Step.NOTHING, 0, False, False)
	if current is None or (current.planned and not in_window):
		step = Step.SPLIT if current else Step.OPEN
		return Decision(step, 1, in_window, not in_window and threshold <= 1)
	failures = current.failures + 1
	alert = not (current.planned or current.alerted or in_window) and failures >= max(threshold, 1)
	return Decision(Step.COUNT, failures, current.planned, alert)


def duration_parts(minutes: float) -> tuple[int, int, int, int]:
	"""(days, hours, minutes, seconds) of a wall-clock duration, to the second."""
	seconds = max(round(minutes * 60), 0)
	days, rest = divmod(seconds, 24 * 3600)
	hours, rest = divmod(rest, 3600)
	return days, hours, *divmod(rest, 60)


def duration_units(minutes: float) -> list[tuple[str, int]]:
	"""The two largest units that matter: [("d", 2), ("h", 4)], [("h", 3), ("min", 5)], [("min", 12)] or
	[("s", 45)]; a zero second unit is left out, and below an hour the seconds are."""
	days, hours, mins, secs = duration_parts(minutes)
	if days:
		return [("d", days)] + ([("h", hours)] if hours else [])
	if hours:
		return [("h", hours)] + ([("min", mins)] if mins else [])
	return [("min", mins)] if mins else [("s", secs)]


@dataclass(frozen=True)
class Interval:
	start: datetime
	end: datetime | None  # None: still open (counts up to the period's end or now)
	planned: bool = False


def overlap_minutes(interval: Interval, start: datetime, end: datetime) -> float:
	lo = max(interval.start, start)
	hi = min(interval.end or end, end)
	return max((hi - lo).total_seconds() / 60, 0.0)


def hour_floor(moment: datetime) -> datetime:
	return moment.replace(minute=0, second=0, microsecond=0)


def hours_of(start: datetime, end: datetime) -> list[datetime]:
	"""The starts of the whole hours from `start`'s hour up to (not including) `end`."""
	hour, hours = hour_floor(start), []
	while hour < end:
		hours.append(hour)
		hour += timedelta(hours=1)
	return hours


@dataclass(frozen=True)
class Uptime:
	percent: float | None  # None: the site was not watched in the period
	watched_minutes: float
	down_minutes: float  # unplanned
	planned_minutes: float
	outages: int  # unplanned downtimes that touch the period


def uptime(downtimes: list[Interval], watched: set[datetime], start: datetime, end: datetime) -> Uptime:
	"""Uptime over [start, end): the watched hours (those with a round of checks) are the base; unplanned
	downtime inside them counts against it, planned downtime is taken out of the base."""
	hours = [h for h in hours_of(start, end) if h in watched]
	base = sum(overlap_minutes(Interval(h, h + timedelta(hours=1)), start, end) for h in hours)
	down = planned = 0.0
	outages = 0
	for interval in downtimes:
		minutes = sum(
			overlap_minutes(interval, max(h, start), min(h + timedelta(hours=1), end)) for h in hours
		)
		if interval.planned:
			planned += minutes
		elif overlap_minutes(interval, start, end) > 0:
			down += minutes
			outages += 1
	base -= planned
	percent = None if base <= 0 else round(max(100.0 * (base - down) / base, 0.0), 3)
	return Uptime(percent, base, down, planned, outages)


def strip(downtimes: list[Interval], watched: set[datetime], start: datetime, end: datetime) -> list[dict]:
	"""One cell per hour: "up", "down" (any unplanned downtime in it), "planned" or "unwatched"."""
	cells = []
	for hour in hours_of(start, end):
		until = hour + timedelta(hours=1)
		down = sum(overlap_minutes(i, hour, until) for i in downtimes if not i.planned)
		planned = any(overlap_minutes(i, hour, until) > 0 for i in downtimes if i.planned)
		state = "unwatched" if hour not in watched else "down" if down else "planned" if planned else "up"
		cells.append({"hour": hour, "state": state, "down_minutes": round(down, 1)})
	return cells
