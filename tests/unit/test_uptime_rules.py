"""The uptime rules against simple oracles: which checks alert (once per outage, never inside a window), how
many failures each downtime holds, uptime over watched hours minute by minute, and durations in words."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from frappe_support.sites.uptime_rules import (
	Interval,
	OpenDowntime,
	Step,
	decide,
	duration_parts,
	duration_units,
	strip,
	uptime,
)

checks = st.lists(st.tuples(st.booleans(), st.booleans()), max_size=60)  # (up, in_window)


def run(sequence, threshold):
	"""Feed the checks through decide() as the glue does; returns the downtimes as
	[planned, failures, alerted_at_check] and the check indexes that alerted."""
	downtimes, alerts, current = [], [], None
	for i, (up, in_window) in enumerate(sequence):
		state = None if current is None else OpenDowntime(current[1], current[0], current[2] is not None)
		d = decide(state, up, in_window, threshold)
		if d.step in (Step.RECOVER, Step.SPLIT):
			current = None
		if d.step in (Step.OPEN, Step.SPLIT):
			current = [d.planned, 1, None]
			downtimes.append(current)
		elif d.step is Step.COUNT:
			current[1] = d.failures
		if d.alert:
			assert current[2] is None, "a downtime alerted twice"
			current[2] = i
			alerts.append(i)
	return downtimes, alerts


def oracle(sequence, threshold):
	"""Segments of failures: a new one after an up, or where a planned one (begun inside a window) meets a
	failure outside the window. An unplanned segment alerts at its first failure outside a window that has
	at least `threshold` failures of the segment up to it."""
	segments, alerts = [], []
	segment = None
	for i, (up, in_window) in enumerate(sequence):
		if up:
			segment = None
			continue
		if segment is None or (segment["planned"] and not in_window):
			segment = {"planned": in_window, "failures": 0, "alerted": None}
			segments.append(segment)
		segment["failures"] += 1
		if (
			not segment["planned"]
			and segment["alerted"] is None
			and not in_window
			and segment["failures"] >= max(threshold, 1)
		):
			segment["alerted"] = i
			alerts.append(i)
	return [[s["planned"], s["failures"], s["alerted"]] for s in segments], alerts


@given(checks, st.integers(min_value=1, max_value=6))
def test_decisions_match_the_oracle(sequence, threshold):
	assert run(sequence, threshold) == oracle(sequence, threshold)


@given(checks, st.integers(min_value=1, max_value=6))
def test_nothing_alerts_inside_a_window_and_each_outage_at_most_once(sequence, threshold):
	downtimes, alerts = run(sequence, threshold)
	assert all(not sequence[i][1] and not sequence[i][0] for i in alerts)
	assert len(alerts) == sum(1 for d in downtimes if d[2] is not None) <= len(downtimes)
	assert not any(d[0] and d[2] is not None for d in downtimes)  # a planned downtime never alerts


def test_examples():
	down, up = (False, False), (True, False)
	assert run([down] * 3, 3)[1] == [2]  # the third failure in a row
	assert run([down, down, up, down, down], 3)[1] == []  # a blip in between restarts the count
	assert run([(False, True)] * 5 + [down] * 3, 3)[1] == [7]  # counted again from the window's end
	assert run([down, (False, True), (False, True), down], 3)[1] == [3]  # begun before: alerted after it


T0 = datetime(2026, 12, 1, 0, 0)
minute_offsets = st.integers(min_value=0, max_value=3 * 24 * 60)


@st.composite
def intervals(draw):
	start = draw(minute_offsets)
	length = draw(st.integers(min_value=0, max_value=6 * 60))
	closed = draw(st.booleans())
	return Interval(
		T0 + timedelta(minutes=start),
		T0 + timedelta(minutes=start + length) if closed else None,
		draw(st.booleans()),
	)


def minute_oracle(downtimes, watched, start, end):
	"""Minute by minute: a watched minute is planned if any planned downtime covers it, else down if an
	unplanned one does (`end` stands in for an open downtime's end)."""
	base = down = planned = 0
	moment = start
	while moment < end:
		if moment.replace(minute=0) in watched:
			covering = [i for i in downtimes if i.start <= moment < (i.end or end)]
			plans = [i for i in covering if i.planned]
			unplanned = [i for i in covering if not i.planned]
			planned += bool(plans)
			base += 1
			down += bool(unplanned)
		moment += timedelta(minutes=1)
	return base, down, planned


@given(
	st.lists(intervals(), max_size=4),
	st.sets(st.integers(min_value=0, max_value=80)),
	minute_offsets,
	st.integers(min_value=1, max_value=24 * 60),
)
def test_uptime_counts_watched_minutes_like_the_oracle(downtimes, hours, start_offset, length):
	"""With non-overlapping downtimes, the figures are the minute-by-minute count."""
	downtimes = sorted(downtimes, key=lambda i: i.start)
	disjoint, last_end = [], None
	for interval in downtimes:
		end = interval.end or interval.start + timedelta(hours=7 * 24)
		if last_end is None or interval.start >= last_end:
			disjoint.append(interval)
			last_end = end
	watched = {T0 + timedelta(hours=h) for h in hours}
	start = T0 + timedelta(minutes=start_offset)
	end = start + timedelta(minutes=length)
	base, down, planned = minute_oracle(disjoint, watched, start, end)
	figures = uptime(disjoint, watched, start, end)
	assert round(figures.watched_minutes + figures.planned_minutes) == base
	assert round(figures.down_minutes) == down
	assert round(figures.planned_minutes) == planned
	if base - planned > 0:
		assert figures.percent == round(100 * (base - planned - down) / (base - planned), 3)
	else:
		assert figures.percent is None


def test_strip_has_an_hour_a_cell_and_says_what_each_was():
	watched = {T0 + timedelta(hours=h) for h in (0, 1, 2)}
	cells = strip(
		[
			Interval(T0 + timedelta(minutes=70), T0 + timedelta(minutes=82)),
			Interval(T0 + timedelta(minutes=130), T0 + timedelta(minutes=150), planned=True),
		],
		watched,
		T0,
		T0 + timedelta(hours=4),
	)
	assert [c["state"] for c in cells] == ["up", "down", "planned", "unwatched"]
	assert cells[1]["down_minutes"] == 12


@given(st.floats(min_value=0, max_value=60 * 24 * 400, allow_nan=False))
def test_duration_units_show_the_two_largest_units_and_lose_less_than_the_smaller(minutes):
	units = duration_units(minutes)
	size = {"d": 24 * 3600, "h": 3600, "min": 60, "s": 1}
	shown = sum(size[u] * n for u, n in units)
	total = sum(n * s for n, s in zip(duration_parts(minutes), (24 * 3600, 3600, 60, 1), strict=True))
	assert 1 <= len(units) <= 2
	assert shown <= total
	single_loss = {"d": 3600, "h": 60, "min": 60, "s": 1}  # the next unit down was zero
	assert total - shown < (size[units[-1][0]] if len(units) == 2 else single_loss[units[0][0]])
	assert total == round(minutes * 60)


def test_duration_examples():
	assert duration_units(12) == [("min", 12)]
	assert duration_units(0.75) == [("s", 45)]
	assert duration_units(185) == [("h", 3), ("min", 5)]
	assert duration_units(180) == [("h", 3)]
	assert duration_units(2 * 24 * 60 + 4 * 60 + 7) == [("d", 2), ("h", 4)]
