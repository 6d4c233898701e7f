"""The advisory version engine by hand: a table of cases, the parsers, and the fixture file.

Pure Python: `python3 -m pytest tests/unit`. The ranges below are the real published ones: frappe
`< 14.96.10` / `>= 15.0.0, < 15.72.0` (GHSA-mggw-6xqj-rphj) and erpnext `< 15.98.1` /
`>= 16.0.0-rc.1, < 16.6.1` (GHSA-wpfx-jw7g-7f83), as in tests/fixtures (a copy of the shared sample).
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.version import Version

from frappe_support.advisories.versions import (
	AFFECTED,
	NOT_AFFECTED,
	UNKNOWN,
	Assessment,
	assess,
	clean_version_text,
	clear_caches,
	compare_versions,
	major_of,
	parse_bound,
	parse_patched,
	parse_range,
	parse_version,
	sort_key,
)

A, NA, U = AFFECTED, NOT_AFFECTED, UNKNOWN
FRAPPE = [("< 14.96.10", "14.96.10"), (">= 15.0.0, < 15.72.0", "15.72.0")]
ERPNEXT = [("< 15.98.1", "15.98.1"), (">= 16.0.0-rc.1, < 16.6.1", "16.6.1")]
WITHDRAWN = [("< 14.64.0", "14.64.0")]
LINES = {13, 14, 15, 16}  # the major lines frappe and erpnext have released
RC_TO_RELEASE = [(">= 16.0.0-beta.1, < 16.0.0", "16.0.0")]
OVERLAPPING = [("< 15.72.0", "15.72.0"), (">= 15.70.0, < 15.75.0", "15.75.0")]
TWO_ON_ONE_LINE = [(">= 15.20.0, < 15.30.0", "15.30.0"), ("< 15.10.0", "15.10.0")]
FIXTURES = (
	Path(__file__).resolve().parents[2] / "frappe_support" / "demo" / "advisories.json"
)  # GitHub API shape

# (installed version, ranges, known majors, status, fixed_in)
CASES = [
	# -- the real frappe ranges: inside, at each bound, between the lines -------------------------------
	("15.44.2", FRAPPE, LINES, A, "15.72.0"),
	("15.0.0", FRAPPE, LINES, A, "15.72.0"),  # exactly at ">= 15.0.0"
	("15.71.99", FRAPPE, LINES, A, "15.72.0"),
	("15.72.0", FRAPPE, LINES, NA, None),  # exactly at "< 15.72.0": the fix itself
	("15.72.1", FRAPPE, LINES, NA, None),
	("14.96.9", FRAPPE, LINES, A, "14.96.10"),
	("14.96.10", FRAPPE, LINES, NA, None),
	("14.0.0", FRAPPE, LINES, A, "14.96.10"),
	("16.0.0", FRAPPE, LINES, NA, None),
	("13.58.0", FRAPPE, LINES, A, "14.96.10"),  # no 13.x fix: the nearest one, on 14.x
	# A v15 beta is above 14.96.10 and below 15.0.0, so outside both published ranges.
	("15.0.0-beta.3", FRAPPE, LINES, NA, None),
	# docs/design.md's example: plain ordering puts 15.0.0-beta.3 inside "< 15.0.0".
	("15.0.0-beta.3", [("< 15.0.0", "15.0.0")], LINES, A, "15.0.0"),
	("15.0.0-alpha.2", [("< 15.0.0", "15.0.0")], LINES, A, "15.0.0"),
	# -- decorations ----------------------------------------------------------------------------------
	("v15.44.2", FRAPPE, LINES, A, "15.72.0"),
	("V15.44.2", FRAPPE, LINES, A, "15.72.0"),
	("15.44.2 (abc1234)", FRAPPE, LINES, A, "15.72.0"),
	("  v15.72.0 (0123456789abcdef0123456789abcdef01234567) ", FRAPPE, LINES, NA, None),
	# -- versions that cannot be trusted: Unknown, whatever the ranges say -----------------------------
	("15.x.x-develop", FRAPPE, LINES, U, None),
	("16.0.0-dev", ERPNEXT, LINES, U, None),
	("15.0.0.dev0", FRAPPE, LINES, U, None),
	("15.44.2 (develop)", FRAPPE, LINES, U, None),
	("develop", FRAPPE, LINES, U, None),
	("0.0.1", FRAPPE, LINES, U, None),
	("0.0.1", FRAPPE, None, U, None),
	("25.4.1", FRAPPE, LINES, U, None),  # a fork's own numbering
	("17.0.0-beta.1", ERPNEXT, {14, 15, 16}, U, None),  # a line not released yet
	("", FRAPPE, LINES, U, None),
	(None, FRAPPE, LINES, U, None),
	("garbage", FRAPPE, LINES, U, None),
	("15", FRAPPE, LINES, U, None),  # incomplete: any 15.x
	("15.44", FRAPPE, LINES, U, None),
	("15.0.0-1", FRAPPE, LINES, U, None),  # semver pre-release or PEP 440 post-release? Not guessed
	("1!15.0.0", FRAPPE, LINES, U, None),
	# Without known majors a fork's version is judged on its number alone.
	("25.4.1", FRAPPE, None, NA, None),
	("25.4.1", FRAPPE, set(), NA, None),
	# -- the real erpnext ranges: a range that starts at a release candidate ---------------------------
	("16.0.0-rc.1", ERPNEXT, LINES, A, "16.6.1"),  # exactly at ">= 16.0.0-rc.1"
	("16.0.0rc1", ERPNEXT, LINES, A, "16.6.1"),  # the same, written PEP 440's way
	("16.0.0-beta.2", ERPNEXT, LINES, NA, None),  # beta < rc
	("16.0.0-rc.2", ERPNEXT, LINES, A, "16.6.1"),
	("16.0.0", ERPNEXT, LINES, A, "16.6.1"),
	("16.6.0", ERPNEXT, LINES, A, "16.6.1"),
	("16.6.1-rc.1", ERPNEXT, LINES, A, "16.6.1"),
	("16.6.1", ERPNEXT, LINES, NA, None),
	("15.98.0", ERPNEXT, LINES, A, "15.98.1"),
	("15.98.1", ERPNEXT, LINES, NA, None),
	("14.5.0", ERPNEXT, LINES, A, "15.98.1"),  # no 14.x fix published: the 15.x one
	# -- the withdrawn fixture's range (withdrawal itself is the matcher's business) ------------------
	("14.63.9", WITHDRAWN, LINES, A, "14.64.0"),
	("15.10.0", WITHDRAWN, LINES, NA, None),
	# -- every operator at its bound -------------------------------------------------------------------
	("15.5.0", [("<= 15.5.0", "15.5.1")], LINES, A, "15.5.1"),
	("15.5.1", [("<= 15.5.0", "15.5.1")], LINES, NA, None),
	("15.0.0", [("> 15.0.0, < 15.5.0", "15.5.0")], LINES, NA, None),
	("15.0.1", [("> 15.0.0, < 15.5.0", "15.5.0")], LINES, A, "15.5.0"),
	("15.3.2", [("= 15.3.2", "15.3.3")], LINES, A, "15.3.3"),
	("15.3.2", [("== 15.3.2", "15.3.3")], LINES, A, "15.3.3"),
	("15.3.3", [("= 15.3.2", "15.3.3")], LINES, NA, None),
	("15.3.2", [("=15.3.2", "15.3.3")], LINES, A, "15.3.3"),  # no space
	("15.3.2", [(">=15.0.0,<15.72.0", "15.72.0")], LINES, A, "15.72.0"),  # no spaces at all
	("15.3.0", [("= 15.3", "15.3.1")], LINES, A, "15.3.1"),  # a short bound is the same point
	# Build metadata does not move a version (packaging would put 15.3.2+local above 15.3.2).
	("15.3.2+local", [("<= 15.3.2", "15.3.3")], LINES, A, "15.3.3"),
	("15.3.2+local.7", [("= 15.3.2", "15.3.3")], LINES, A, "15.3.3"),
	# -- pre-releases at a range's bounds --------------------------------------------------------------
	("16.0.0-alpha.3", RC_TO_RELEASE, LINES, NA, None),
	("16.0.0-beta.1", RC_TO_RELEASE, LINES, A, "16.0.0"),
	("16.0.0-beta", RC_TO_RELEASE, LINES, NA, None),  # "-beta" is beta 0, below beta.1
	("16.0.0-rc.4", RC_TO_RELEASE, LINES, A, "16.0.0"),
	("16.0.0", RC_TO_RELEASE, LINES, NA, None),
	# -- unreadable ranges: never Not Affected ---------------------------------------------------------
	("15.44.2", [(">= 15.0.0, < 15.x", "15.72.0")], LINES, U, None),
	("15.44.2", [("!= 15.3.0", None)], LINES, U, None),
	("15.44.2", [("~15.0", None)], LINES, U, None),
	("15.44.2", [("15.3.0", None)], LINES, U, None),  # a bare version: no operator
	("15.44.2", [(">= 15.0.0 < 15.72.0", "15.72.0")], LINES, U, None),  # comma missing
	("15.44.2", [("< 15.72.0,", "15.72.0")], LINES, U, None),  # empty clause
	("15.44.2", [("", "15.72.0")], LINES, U, None),
	("15.44.2", [(None, "15.72.0")], LINES, U, None),
	("15.44.2", [("< 16.0.0-develop", None)], LINES, U, None),
	("16.1.0", [*FRAPPE, ("^15.0", None)], LINES, U, None),  # outside the readable ones: still Unknown
	("14.5.0", [*FRAPPE, ("^15.0", None)], LINES, A, "14.96.10"),  # inside a readable one: Affected
	("15.44.2", [], LINES, U, None),  # no range published
	# -- what fixed_in offers -------------------------------------------------------------------------
	("15.44.2", [(">= 15.0.0, < 15.72.0", None)], LINES, A, None),  # no fix yet
	("15.44.2", [(">= 15.0.0, < 15.72.0", "")], LINES, A, None),
	("15.44.2", [(">= 15.0.0, < 15.72.0", "15.x")], LINES, A, None),  # unusable fix
	("15.71.0", OVERLAPPING, LINES, A, "15.75.0"),  # 15.72.0 is inside the second range
	("15.5.0", TWO_ON_ONE_LINE, LINES, A, "15.10.0"),  # both fixes are safe: the lowest
	("15.25.0", TWO_ON_ONE_LINE, LINES, A, "15.30.0"),
	("15.75.0", OVERLAPPING, LINES, NA, None),
	("14.5.0", [("< 15.72.0", "14.96.10, 15.72.0")], LINES, A, "15.72.0"),  # 14.96.10 is still < 15.72.0
	("14.5.0", [("< 14.96.10", "14.96.10, 15.72.0")], LINES, A, "14.96.10"),
	("15.44.2", [(">= 15.0.0, < 15.72.0", "v15.72.0")], LINES, A, "15.72.0"),  # cleaned like a version
	("15.44.2", ["< 15.72.0"], LINES, A, None),  # a bare range text: no patched version
]


@pytest.mark.parametrize("version, ranges, majors, status, fixed_in", CASES)
def test_table(version, ranges, majors, status, fixed_in):
	result = assess(version, ranges, known_majors=majors)
	assert (result.status, result.fixed_in) == (status, fixed_in), result.reason
	assert result.reason.strip()
	if status == A:
		assert result.matched_range in {r if isinstance(r, str) else r[0] for r in ranges}
	else:
		assert result.matched_range is None and not result.fix_on_other_major


def test_the_table_is_big_enough():
	assert len(CASES) >= 40
	assert len({(c[0], repr(c[1]), repr(c[2])) for c in CASES}) == len(CASES), "duplicate cases"


# -- the API ---------------------------------------------------------------------------------------------
def test_assessment_is_frozen():
	result = assess("15.44.2", FRAPPE, LINES)
	assert isinstance(result, Assessment) and dataclasses.is_dataclass(result)
	with pytest.raises(dataclasses.FrozenInstanceError):
		result.status = NOT_AFFECTED


def test_the_example_of_the_brief():
	a = assess(
		"15.44.2",
		[(">= 15.0.0, < 15.72.0", "15.72.0"), ("< 14.96.10", "14.96.10")],
		known_majors={14, 15, 16},
	)
	assert a.status == "Affected" and a.fixed_in == "15.72.0" and not a.fix_on_other_major
	assert a.installed == "15.44.2" and a.matched_range == ">= 15.0.0, < 15.72.0"
	assert "15.72.0" in a.reason


@pytest.mark.parametrize(
	"version, words",
	[
		("15.x.x-develop", ["development"]),
		("0.0.1", ["placeholder"]),
		("25.4.1", ["25", "13, 14, 15, 16"]),
		("garbage", ["garbage"]),
		(None, ["No version"]),
		("15", ["incomplete"]),
	],
)
def test_unknown_reasons_say_why(version, words):
	result = assess(version, FRAPPE, LINES)
	assert result.status == UNKNOWN
	for word in words:
		assert word in result.reason


def test_reasons_for_each_outcome():
	assert "no fixed version has been published" in assess("15.1.0", [("< 15.5.0", None)]).reason
	other = assess("13.58.0", FRAPPE, LINES)
	assert other.fix_on_other_major and "13.x" in other.reason and "14.x" in other.reason
	assert "major upgrade" in other.reason
	unreadable = assess("15.44.2", [("!= 15.3.0", None)], LINES)
	assert "!= 15.3.0" in unreadable.reason and "may be affected" in unreadable.reason
	outside = assess("15.72.0", FRAPPE, LINES)
	assert "< 14.96.10" in outside.reason and ">= 15.0.0, < 15.72.0" in outside.reason
	assert "no vulnerable version range" in assess("15.1.0", [], LINES).reason


def test_argument_shapes_give_the_same_answer():
	"""Lists straight from JSON, tuples, a frozenset or strings of majors: one answer, one cache entry."""
	expected = assess("15.44.2", FRAPPE, LINES)
	as_json = json.loads(json.dumps(FRAPPE))  # lists, not tuples
	assert assess("15.44.2", as_json, LINES) == expected
	assert assess("15.44.2", tuple(FRAPPE), frozenset(LINES)) is expected
	assert assess("15.44.2", iter(FRAPPE), [13, 14, 15, 16]) == expected
	assert assess("25.4.1", FRAPPE, {"13", "14", "15", "16"}).status == UNKNOWN
	assert assess("15.1.0", "< 15.5.0").status == AFFECTED  # one range text on its own
	assert assess("15.1.0", None).status == UNKNOWN


def test_clear_caches_keeps_answers():
	before = assess("16.0.0-rc.1", ERPNEXT, LINES)
	clear_caches()
	after = assess("16.0.0-rc.1", ERPNEXT, LINES)
	assert after == before and after is not before


# -- the parsers -----------------------------------------------------------------------------------------
def test_pre_releases_order_below_their_release():
	chain = [
		"14.99.99",
		"15.0.0-alpha",
		"15.0.0-alpha.2",
		"15.0.0a3",
		"15.0.0-beta.1",
		"15.0.0-beta.3",
		"15.0.0-pre.1",
		"15.0.0-rc.2",
		"15.0.0",
		"15.0.0.post1",
		"15.0.1-rc.1",
		"15.0.1",
		"15.1.0",
	]
	versions = [parse_bound(text)[0] for text in chain]
	assert all(versions), chain
	assert versions == sorted(versions)
	assert len(set(versions)) == len(versions)
	keys = [sort_key(v) for v in versions]
	assert keys == sorted(keys) and len(set(keys)) == len(keys)


@pytest.mark.parametrize(
	"text, expected",
	[
		("16.0.0-rc.1", "16.0.0rc1"),
		("15.0.0-beta.3", "15.0.0b3"),
		("15.0.0-alpha.2", "15.0.0a2"),
		("15.0.0-RC.1", "15.0.0rc1"),
		("15.0.0-beta", "15.0.0b0"),
		("15.0.0-c.1", "15.0.0rc1"),
		("15.0.0-preview.2", "15.0.0rc2"),
		("15.0.0-post2", "15.0.0.post2"),
		("15.0.0+build.7", "15.0.0"),
		("v15.44.2 (abc1234)", "15.44.2"),
		(" V15.44.2 ", "15.44.2"),
		("15.0.0.0", "15.0.0.0"),
	],
)
def test_parse_version_normalises(text, expected):
	version, reason = parse_version(text)
	assert reason is None and version == Version(expected)


@pytest.mark.parametrize(
	"text",
	["15.x.x-develop", "16.0.0-dev", "15.0.0.dev0", "15.0.0-nightly", "0.0.1", "0.0.0", "0.0.1-beta.1", "15",
	 "15.44", "", "  ", None, 15, "x", "15.0.0-1", "15.0.0-next.1", "15.0.0-rc.1.2", "1!15.0.0",
	 "15.44.2 (develop)", "version-15", "15.44.2 abc"],
)  # fmt: skip
def test_parse_version_refuses(text):
	version, reason = parse_version(text)
	assert version is None and reason


def test_parse_bound_is_looser_than_parse_version():
	assert parse_bound("15")[0] == Version("15.0.0")
	assert parse_bound("0.0.1")[0] == Version("0.0.1")
	assert parse_bound("16.0.0-dev")[0] is None
	assert parse_bound("15.x")[0] is None


@pytest.mark.parametrize(
	"text, major",
	[("v16.0.0-rc.1", 16), ("15.x.x-develop", 15), ("15.44.2 (abc1234)", 15), ("25.4.1", 25), ("7", 7),
	 ("garbage", None), ("", None), (None, None), ("x.1", None)],
)  # fmt: skip
def test_major_of(text, major):
	assert major_of(text) == major


def test_compare_versions():
	assert compare_versions("15.0.0-beta.3", "15.0.0") == -1
	assert compare_versions("v15.72.0", "15.72") == 0
	assert compare_versions("16.6.1", "16.6.1-rc.1") == 1
	assert compare_versions("15.x", "15.0.0") is None


def test_clean_version_text():
	assert clean_version_text("  v15.44.2 (abc1234)  ") == "15.44.2"
	assert clean_version_text("15.44.2 (develop)") == "15.44.2 (develop)"
	assert clean_version_text(None) is None
	assert clean_version_text(Version("15.1.0")) == "15.1.0"


def test_parse_range():
	r = parse_range(" >= 16.0.0-rc.1 ,  < 16.6.1 ")
	assert r.readable and r.text == ">= 16.0.0-rc.1 ,  < 16.6.1"
	assert r.clauses == ((">=", Version("16.0.0rc1")), ("<", Version("16.6.1")))
	assert r.contains(Version("16.0.0rc1")) is True
	assert r.contains("16.6.1") is False
	assert r.contains("16.x") is None
	assert parse_range(">= 16.0.0-rc.1, < 16.6.1") == parse_range(">= 16.0.0-rc.1, < 16.6.1")
	for bad in ["", None, "< 15,", "!= 15.0.0", "15.0.0", ">= 15.0.0 < 16", "< 15.x", "<< 15.0.0", "=< 15"]:
		r = parse_range(bad)
		assert not r.readable and r.error and r.contains(Version("15.0.0")) is None, bad


def test_parse_patched():
	assert parse_patched("15.72.0") == ("15.72.0",)
	assert parse_patched(" 14.96.10, v15.72.0 ") == ("14.96.10", "15.72.0")
	assert parse_patched("15.x, 16.0.1") == ("16.0.1",)
	assert parse_patched(None) == () and parse_patched("") == ()


def test_no_frappe_import():
	"""The engine runs without Frappe: importing it (in a fresh interpreter) imports nothing of Frappe."""
	code = "import sys, frappe_support.advisories.versions; print(sorted(m for m in sys.modules if m == 'frappe'))"
	root = Path(__file__).resolve().parents[2]
	out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
	assert out.stdout.strip() == "[]"


# -- the fixture file ---------------------------------------------------------------------------------
def fixture_ranges():
	advisories = json.loads(FIXTURES.read_text())
	ranges: dict[tuple[str, str], list[tuple[str, str | None]]] = {}
	for advisory in advisories:
		for vulnerability in advisory["vulnerabilities"]:
			key = (advisory["ghsa_id"], vulnerability["package"]["name"])
			ranges.setdefault(key, []).append(
				(vulnerability["vulnerable_version_range"], vulnerability["patched_versions"])
			)
	return ranges


@pytest.mark.parametrize(
	"ghsa, app, version, status, fixed_in",
	[
		("GHSA-mggw-6xqj-rphj", "frappe", "15.44.2", A, "15.72.0"),
		("GHSA-mggw-6xqj-rphj", "frappe", "14.96.10", NA, None),
		("GHSA-mggw-6xqj-rphj", "frappe", "v14.90.0 (deadbee)", A, "14.96.10"),
		("GHSA-wpfx-jw7g-7f83", "erpnext", "16.0.0-rc.1", A, "16.6.1"),
		("GHSA-wpfx-jw7g-7f83", "erpnext", "16.0.0-beta.2", NA, None),
		("GHSA-wpfx-jw7g-7f83", "erpnext", "15.x.x-develop", U, None),
		("GHSA-fxfv-7gwx-54jh", "frappe", "14.63.0", A, "14.64.0"),
		("GHSA-fxfv-7gwx-54jh", "frappe", "25.4.1", U, None),
	],
)
def test_fixture_advisories(ghsa, app, version, status, fixed_in):
	result = assess(version, fixture_ranges()[(ghsa, app)], LINES)
	assert (result.status, result.fixed_in) == (status, fixed_in), result.reason


def test_every_fixture_range_is_readable():
	for key, ranges in fixture_ranges().items():
		for range_text, patched in ranges:
			assert parse_range(range_text).readable, (key, range_text)
			assert parse_patched(patched), (key, patched)
