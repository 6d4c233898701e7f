"""The engine's zone arithmetic (frappe_support/sla/zone.py) against zoneinfo, minute by minute."""

from datetime import datetime, timedelta, timezone
from itertools import pairwise
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from sla_oracle import HOUR, MINUTE, first_instant_reading, local_reading
from sla_strategies import SLOW, ZONES, examples, start_instants

from frappe_support.sla.zone import Zone

_EPOCH = datetime(1970, 1, 1)


def reading_seconds(tz: ZoneInfo, u: int) -> int:
	return int((local_reading(tz, u) - _EPOCH).total_seconds())


@settings(max_examples=examples(300), deadline=None, suppress_health_check=SLOW)
@given(data=st.data())
def test_local_and_first_instant(data):
	name = data.draw(st.sampled_from(ZONES))
	u = data.draw(start_instants(name))
	tz, zone = ZoneInfo(name), Zone(name)
	assert zone.local(u) == reading_seconds(tz, u)
	assert zone.local_day(u) == (local_reading(tz, u).date() - _EPOCH.date()).days
	# A reading near u's (often the edges of a skipped or repeated stretch): its first instant.
	n = reading_seconds(tz, u) + MINUTE * data.draw(st.integers(-150, 150))
	assert zone.first_instant(n) == first_instant_reading(tz, _EPOCH + timedelta(seconds=n))


@settings(max_examples=examples(100), deadline=None, suppress_health_check=SLOW)
@given(data=st.data())
def test_preimage(data):
	"""The instants whose reading lies in [a, b), as intervals, equal those found minute by minute."""
	name = data.draw(st.sampled_from(ZONES))
	u = data.draw(start_instants(name))
	tz, zone = ZoneInfo(name), Zone(name)
	a = reading_seconds(tz, u) + MINUTE * data.draw(st.integers(-300, 300))
	b = a + MINUTE * data.draw(st.integers(1, 600))
	pieces = zone.preimage(a, b)
	found = set()
	for x, y in pieces:
		assert x < y and x % MINUTE == 0 and y % MINUTE == 0
		found.update(range(int(x), int(y), MINUTE))
	lo, hi = a - 15 * HOUR, b + 15 * HOUR
	expected = {v for v in range(lo - lo % MINUTE, hi, MINUTE) if a <= reading_seconds(tz, v) < b}
	assert found == expected
	assert all(p[1] < q[0] for p, q in pairwise(pieces))  # sorted, disjoint, not touching


def test_transitions_of_berlin_2025():
	zone = Zone("Europe/Berlin")
	spring = int(datetime(2025, 3, 30, 1, tzinfo=timezone.utc).timestamp())
	autumn = int(datetime(2025, 10, 26, 1, tzinfo=timezone.utc).timestamp())
	lo = int(datetime(2025, 1, 1, tzinfo=timezone.utc).timestamp())
	hi = int(datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp())
	assert zone.transitions_between(lo, hi) == [(spring, 3600, 7200), (autumn, 7200, 3600)]
