"""The advisory version engine against a small independent oracle, on random versions and ranges.

A version is a tuple (major, minor, patch, pre) with pre None or (rank, n), rank 0/1/2 = alpha/beta/rc;
the oracle orders it by (major, minor, patch, (1,) for a release or (0, rank, n) for a pre-release) and
evaluates ranges with those keys. It shares no code with the engine. Versions are drawn from a small
grid so that they often fall exactly on range bounds and patched versions.
"""

from __future__ import annotations

import os
import random

from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st
from packaging.version import Version

from frappe_support.advisories.versions import (
	AFFECTED,
	NOT_AFFECTED,
	UNKNOWN,
	assess,
	compare_versions,
	parse_bound,
	sort_key,
)

Tup = tuple  # (major, minor, patch, pre)
LINES = frozenset({13, 14, 15, 16})
# ADVISORY_HYPOTHESIS_SCALE=20 runs twenty times as many examples (a soak run); the default keeps it quick.
SCALE = float(os.environ.get("ADVISORY_HYPOTHESIS_SCALE", "1"))
SETTINGS = settings(
	max_examples=max(1, int(80 * SCALE)), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

SEMVER_LABELS = ("alpha", "beta", "rc")
PEP440_LABELS = ("a", "b", "rc")


# -- the oracle --------------------------------------------------------------------------------------
def okey(v: Tup) -> tuple:
	major, minor, patch, pre = v
	return (major, minor, patch, (1, 0, 0) if pre is None else (0, *pre))


def oracle_holds(v: Tup, op: str, bound: Tup) -> bool:
	a, b = okey(v), okey(bound)
	return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "=": a == b, "==": a == b}[op]


def oracle_inside(v: Tup, clauses: list[tuple[str, Tup]]) -> bool:
	return all(oracle_holds(v, op, bound) for op, bound in clauses)


# -- strategies (built once: constructing strategies inside a draw is what makes Hypothesis slow) ---------
pre_releases = st.none() | st.tuples(st.integers(0, 2), st.integers(0, 3))
versions = st.tuples(st.integers(13, 16), st.integers(0, 3), st.integers(0, 3), pre_releases)
STYLES = st.sampled_from(["semver", "pep440", "bare"])
SHAPES = st.sampled_from(["upper", "both", "lower", "exact"])
LOWER_OPS = st.sampled_from([">=", ">"])
UPPER_OPS = st.sampled_from(["<", "<="])
EXACT_OPS = st.sampled_from(["=", "=="])
SPACES = st.sampled_from(["", " ", "  "])
COMMAS = st.sampled_from([",", ", ", " , "])
MAYBE_VERSION = st.none() | versions
BOOLS = st.booleans()


def render(v: Tup, style: str) -> str:
	"""One of the ways a version is written: semver or PEP 440 pre-release, "-beta" for beta 0."""
	major, minor, patch, pre = v
	text = f"{major}.{minor}.{patch}"
	if pre is None:
		return text
	rank, n = pre
	if style == "pep440":
		return f"{text}{PEP440_LABELS[rank]}{n}"
	if style == "bare" and n == 0:
		return f"{text}-{SEMVER_LABELS[rank]}"
	return f"{text}-{SEMVER_LABELS[rank]}.{n}"


def pick(draw, items: list):
	return items[draw(st.integers(0, len(items) - 1))]


@st.composite
def ranges(draw) -> tuple[list[tuple[str, Tup]], str, Tup | None, str | None]:
	"""(oracle clauses, range text, patched tuple, patched text)."""
	shape = draw(SHAPES)
	clauses: list[tuple[str, Tup]] = []
	if shape in ("lower", "both"):
		clauses.append((draw(LOWER_OPS), draw(versions)))
	if shape in ("upper", "both"):
		clauses.append((draw(UPPER_OPS), draw(versions)))
	if shape == "exact":
		clauses.append((draw(EXACT_OPS), draw(versions)))
	space = draw(SPACES)
	text = draw(COMMAS).join(f"{op}{space}{render(bound, draw(STYLES))}" for op, bound in clauses)
	# Usually, as published, the patched version is the exclusive upper bound; sometimes anything or nothing.
	uppers = [bound for op, bound in clauses if op == "<"]
	patched = pick(draw, uppers) if uppers and draw(BOOLS) else draw(MAYBE_VERSION)
	patched_text = None if patched is None else render(patched, draw(STYLES))
	return clauses, text, patched, patched_text


advisories = st.lists(ranges(), min_size=1, max_size=4)
LINE_PAIRS = st.tuples(st.integers(13, 16), st.integers(13, 16))
POINTS = st.tuples(BOOLS, st.integers(0, 3), st.integers(0, 3), pre_releases)


@st.composite
def disjoint_advisories(draw):
	"""The usual published shape: disjoint ranges, one or more per line, each patched at its upper bound,
	and an installed version on one of those lines. Returns (version, advisory)."""
	lines = draw(LINE_PAIRS)

	def point() -> Tup:
		second, minor, patch, pre = draw(POINTS)
		return (lines[second], minor, patch, pre)

	cuts = sorted({point() for _ in range(draw(st.integers(2, 8)))}, key=okey)
	assume(len(cuts) >= 2)
	advisory = []
	for i in range(0, len(cuts) - 1, 2):
		lower, upper = cuts[i], cuts[i + 1]
		clauses = [(">=", lower), ("<", upper)]
		if i == 0 and draw(BOOLS):
			clauses = [("<", upper)]
		text = ", ".join(f"{op} {render(bound, draw(STYLES))}" for op, bound in clauses)
		advisory.append((clauses, text, upper, render(upper, draw(STYLES))))
	return point(), advisory


def entries(advisory) -> list[tuple[str, str | None]]:
	return [(text, patched_text) for _, text, _, patched_text in advisory]


def near(data, advisory) -> Tup:
	"""A version, often exactly one of the advisory's bounds or patched versions (where mistakes hide)."""
	points = [bound for clauses, *_ in advisory for _, bound in clauses]
	points += [p for _, _, p, _ in advisory if p is not None]
	return pick(data.draw, points) if data.draw(BOOLS) else data.draw(versions)


def expected_fix(v: Tup, advisory) -> tuple[set[str], bool]:
	"""The oracle's fix: texts of the lowest patched version above v inside no range, on v's line when there
	is one (then False) else on any line (True). An empty set: no fix to offer."""
	safe = [
		(okey(p), p_text)
		for _, _, p, p_text in advisory
		if p is not None
		and okey(p) > okey(v)
		and not any(oracle_inside(p, clauses) for clauses, *_ in advisory)
	]
	own = [s for s in safe if s[0][0] == v[0]]
	pool = own or safe
	if not pool:
		return set(), False
	lowest = min(key for key, _ in pool)
	return {p_text for key, p_text in pool if key == lowest}, not own


def check_fix(v: Tup, text: str, advisory) -> None:
	result = assess(text, entries(advisory), LINES)
	note(f"{text} {entries(advisory)} -> {result}")
	if result.status != AFFECTED:
		assert result.fixed_in is None and not result.fix_on_other_major and result.matched_range is None
		return
	assert result.matched_range in {
		range_text for clauses, range_text, *_ in advisory if oracle_inside(v, clauses)
	}
	texts, other_major = expected_fix(v, advisory)
	if not texts:
		assert result.fixed_in is None and not result.fix_on_other_major
	else:
		assert result.fixed_in in texts
		assert result.fix_on_other_major == other_major


# -- properties --------------------------------------------------------------------------------------
@SETTINGS
@given(data=st.data(), advisory=advisories)
def test_trusted_version_is_affected_iff_inside_a_range(data, advisory):
	v = near(data, advisory)
	text = render(v, data.draw(STYLES))
	result = assess(text, entries(advisory), LINES)
	inside = any(oracle_inside(v, clauses) for clauses, *_ in advisory)
	note(f"{text} {entries(advisory)} -> {result}")
	if inside:
		assert result.status != NOT_AFFECTED
	assert result.status == (AFFECTED if inside else NOT_AFFECTED)


@SETTINGS
@given(data=st.data(), advisory=advisories)
def test_fixed_in_is_the_lowest_safe_patched_version_preferring_the_own_line(data, advisory):
	v = near(data, advisory)
	check_fix(v, render(v, data.draw(STYLES)), advisory)


@SETTINGS
@given(case=disjoint_advisories(), data=st.data())
def test_fixed_in_on_disjoint_ranges(case, data):
	v, advisory = case
	check_fix(v, render(v, data.draw(STYLES)), advisory)


@SETTINGS
@given(data=st.data(), advisory=advisories, seed=st.integers(0, 2**32))
def test_result_does_not_depend_on_range_order(data, advisory, seed):
	v = near(data, advisory)
	text = render(v, data.draw(STYLES))
	given_order = entries(advisory)
	shuffled = list(given_order)
	random.Random(seed).shuffle(shuffled)
	assert assess(text, shuffled, LINES) == assess(text, given_order, LINES)


sha = st.text(alphabet="0123456789abcdef", min_size=7, max_size=40)


@SETTINGS
@given(
	v=versions,
	data=st.data(),
	advisory=advisories,
	before=st.sampled_from(["", " ", "\t", "  "]),
	prefix=st.sampled_from(["", "v", "V"]),
	commit=st.none() | sha,
	after=st.sampled_from(["", " ", "\n"]),
)
def test_decorations_never_change_the_result(v, data, advisory, before, prefix, commit, after):
	text = render(v, data.draw(STYLES))
	decorated = f"{before}{prefix}{text}{'' if commit is None else f' ({commit})'}{after}"
	assert assess(decorated, entries(advisory), LINES) == assess(text, entries(advisory), LINES)


garbles = st.sampled_from(
	[
		lambda t: t.replace(".", ".x", 1),  # a placeholder in the first bound
		lambda t: t + ", != 15.0.0",
		lambda t: t + ",",
		lambda t: "~" + t,
		lambda t: t.replace(",", ""),  # clauses run together (no-op for a single clause: skipped)
		lambda t: t.lstrip("<>=! "),  # the operator lost
		lambda t: t + "-develop",
	]
)


@SETTINGS
@given(data=st.data(), advisory=advisories, garble=garbles, which=st.integers(0, 3))
def test_an_unreadable_range_never_gives_not_affected(data, advisory, garble, which):
	which %= len(advisory)
	clauses, range_text, _, patched_text = advisory[which]
	garbled = garble(range_text)
	assume(garbled != range_text)
	v = near(data, advisory)
	text = render(v, data.draw(STYLES))
	given_entries = entries(advisory)
	given_entries[which] = (garbled, patched_text)
	result = assess(text, given_entries, LINES)
	inside_readable = any(oracle_inside(v, c) for i, (c, *_) in enumerate(advisory) if i != which)
	note(f"{text} {given_entries} -> {result}")
	if oracle_inside(v, clauses):
		assert result.status != NOT_AFFECTED
	assert result.status == (AFFECTED if inside_readable else UNKNOWN)


untrusted_anywhere = st.one_of(
	st.builds(lambda m: f"{m}.x.x-develop", st.integers(13, 16)),
	st.builds(
		lambda v, s: f"{v[0]}.{v[1]}.{v[2]}{s}", versions, st.sampled_from(["-dev", ".dev0", "-develop"])
	),
	st.sampled_from(
		[
			"0.0.1",
			"0.0.0",
			"0.0.1-beta.1",
			"",
			"develop",
			"garbage",
			"15",
			"15.44",
			"15.0.0-1",
			"15.44.2 (develop)",
		]
	),
	st.none(),
)
unreleased_lines = st.builds(
	lambda m, rest: f"{m}.{rest}", st.integers(17, 40) | st.integers(1, 12), st.sampled_from(["0.0", "4.1"])
)


@SETTINGS
@given(text=untrusted_anywhere, advisory=advisories, majors=st.sampled_from([LINES, None]))
def test_an_untrusted_version_is_always_unknown(text, advisory, majors):
	result = assess(text, entries(advisory), majors)
	assert result.status == UNKNOWN and result.fixed_in is None and result.reason


@SETTINGS
@given(text=unreleased_lines, advisory=advisories)
def test_a_version_on_an_unreleased_line_is_unknown(text, advisory):
	result = assess(text, entries(advisory), LINES)
	assert result.status == UNKNOWN and result.fixed_in is None and "never released" in result.reason


@SETTINGS
@given(a=versions, b=versions, data=st.data())
def test_version_order_matches_the_oracle_and_packaging(a, b, data):
	text_a, text_b = render(a, data.draw(STYLES)), render(b, data.draw(STYLES))
	expected = (okey(a) > okey(b)) - (okey(a) < okey(b))
	assert compare_versions(text_a, text_b) == expected
	va, vb = parse_bound(text_a)[0], parse_bound(text_b)[0]
	assert isinstance(va, Version) and isinstance(vb, Version)
	assert ((va > vb) - (va < vb)) == expected
	assert ((sort_key(va) > sort_key(vb)) - (sort_key(va) < sort_key(vb))) == expected


releases = st.lists(st.integers(0, 3), min_size=1, max_size=5).map(lambda parts: ".".join(map(str, parts)))
suffixes = st.sampled_from(["", "a1", "b2", "rc1", "rc3", ".post1", "rc1.post2", "b2.post0", "+local.1"])


@SETTINGS
@given(a=releases, sa=suffixes, b=releases, sb=suffixes)
def test_sort_key_matches_packaging_on_uneven_releases(a, sa, b, sb):
	"""Trailing zeros, post-releases and local labels: the engine's key orders like packaging's public part."""
	va, vb = Version(a + sa), Version(b + sb)
	pa, pb = Version(va.public), Version(vb.public)
	expected = (pa > pb) - (pa < pb)
	assert ((sort_key(va) > sort_key(vb)) - (sort_key(va) < sort_key(vb))) == expected
	assert compare_versions(a + sa, b + sb) == expected
