"""The verdict for one installed version against one advisory's ranges: Affected, Not Affected or Unknown,
and the fix to offer (the rules are in the package docstring, `frappe_support.advisories.versions`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from frappe_support.advisories.versions.ranges import VersionRange, parse_patched, parse_range, read_patched
from frappe_support.advisories.versions.reading import (
	Read,
	SortKey,
	clean_version_text,
	read_bound,
	read_installed,
)

AFFECTED = "Affected"
NOT_AFFECTED = "Not Affected"
UNKNOWN = "Unknown"
STATUSES = (AFFECTED, NOT_AFFECTED, UNKNOWN)


@dataclass(frozen=True, slots=True)
class Assessment:
	"""The verdict of :func:`assess` for one installed version against one advisory's ranges."""

	status: str  # AFFECTED, NOT_AFFECTED or UNKNOWN
	fixed_in: str | None  # the version to upgrade to; only ever set when Affected
	reason: str  # one or two short English sentences, always set
	installed: str | None = None  # the installed version as cleaned (no "v", no " (sha)")
	matched_range: str | None = None  # Affected: the range text the version lies in
	fix_on_other_major: bool = False  # Affected: fixed_in is on another major line than the installed one


RangeEntry = tuple[str | None, str | None]  # (vulnerable_version_range, patched_versions)


def assess(
	version: str | None,
	ranges: Iterable[RangeEntry | str] | None,
	known_majors: Iterable[int] | None = None,
) -> Assessment:
	"""Is the installed ``version`` affected by an advisory whose ranges (for this app) are ``ranges``?

	``ranges``: (range text, patched version text or None) pairs, as GitHub publishes them per package;
	a bare string is a range without a patched version. ``known_majors``: the major lines the app has
	released (e.g. ``{14, 15, 16}``); a version on another line is Unknown. See the module docstring for
	the rules. Memoised: repeated calls with equal arguments return the same (immutable) object.

	>>> a = assess("15.44.2", [(">= 15.0.0, < 15.72.0", "15.72.0"), ("< 14.96.10", "14.96.10")], {14, 15, 16})
	>>> a.status, a.fixed_in
	('Affected', '15.72.0')
	"""
	if isinstance(ranges, str):  # one range text given on its own
		ranges = (ranges,)
	key = ranges if type(ranges) is tuple else tuple(ranges or ())
	if known_majors is not None and type(known_majors) is not frozenset:
		known_majors = frozenset(known_majors)
	try:
		return _assess(version, key, known_majors)
	except TypeError:  # entries given as lists (e.g. straight from JSON): make them hashable
		return _assess(version, tuple(e if isinstance(e, str) else tuple(e) for e in key), known_majors)


class _Advisory(NamedTuple):
	"""One advisory's ranges for one app, prepared once (memoised by the ranges tuple)."""

	ranges: tuple[tuple[VersionRange, tuple[str, ...]], ...]  # sorted by text; patched versions cleaned
	unreadable: VersionRange | None  # the first unreadable range by text, if any
	summary: str  # the range texts, sorted, for the Not Affected reason
	fixes: tuple[tuple[SortKey, str], ...]  # usable patched versions outside every readable range, sorted
	published: tuple[str, ...]  # every patched text as published (cleaned), sorted


@lru_cache(maxsize=2048)
def _prepare(ranges: tuple) -> _Advisory:
	entries = []
	for entry in ranges:
		range_text, patched = (entry, None) if isinstance(entry, str) else entry
		entries.append((parse_range(range_text), patched))
	entries.sort(key=lambda e: (e[0].text, str(e[1])))
	readable = [r for r, _ in entries if r.error is None]
	unreadable = [r for r, _ in entries if r.error is not None]
	fixes = {
		candidate
		for _, patched in entries
		for candidate in read_patched(patched)
		if not any(r.contains_key(candidate[0]) for r in readable)
	}
	published = {
		text
		for _, patched in entries
		if isinstance(patched, str)
		for text in (clean_version_text(p) for p in patched.split(","))
		if text
	}
	return _Advisory(
		ranges=tuple((r, parse_patched(patched)) for r, patched in entries),
		unreadable=unreadable[0] if unreadable else None,
		summary="; ".join(sorted({r.text for r, _ in entries})),
		fixes=tuple(sorted(fixes)),
		published=tuple(sorted(published)),
	)


@lru_cache(maxsize=256)
def _majors(known_majors: frozenset) -> tuple[frozenset[int], str]:
	majors = frozenset(int(m) for m in known_majors)
	return majors, ", ".join(str(m) for m in sorted(majors))


@lru_cache(maxsize=65536)
def _assess(version: object, ranges: tuple, known_majors: frozenset | None) -> Assessment:
	read = read_installed(version)
	installed, key = read.cleaned, read.key
	untrusted = _untrusted(read, ranges, known_majors)
	if untrusted is not None:
		return untrusted
	advisory = _prepare(ranges)
	matched = [(r, patched) for r, patched in advisory.ranges if r.contains_key(key)]
	if matched:
		return _affected(advisory, matched, key, installed)
	r = advisory.unreadable
	if r is not None:
		return Assessment(
			UNKNOWN,
			None,
			f"The vulnerable range '{r.text}' cannot be read ({r.error}), so {installed} may be affected.",
			installed,
		)
	return Assessment(
		NOT_AFFECTED, None, f"{installed} is outside every vulnerable range ({advisory.summary}).", installed
	)


def _untrusted(read: Read, ranges: tuple, known_majors: frozenset | None) -> Assessment | None:
	"""Unknown when the version cannot be trusted or the advisory gives nothing to compare with."""
	installed, key = read.cleaned, read.key
	if key is None:
		return Assessment(UNKNOWN, None, read.reason or "The version cannot be read.", installed)
	major = key[0][0]
	if known_majors:
		majors, lines = _majors(known_majors)
		if major not in majors:
			return Assessment(
				UNKNOWN,
				None,
				f"Major version {major} ('{installed}') was never released by this app "
				f"(released lines: {lines}); it may be a fork or a development branch.",
				installed,
			)
	if not ranges:
		return Assessment(
			UNKNOWN, None, "The advisory publishes no vulnerable version range for this app.", installed
		)
	return None


def _affected(advisory: _Advisory, matched: list, key: SortKey, installed: str | None) -> Assessment:
	"""Affected, with the fix: the lowest safe fix on the installed major line, else on a later line."""
	major = key[0][0]
	above = [fix for fix in advisory.fixes if fix[0] > key]
	same_line = [fix for fix in above if fix[0][0][0] == major]
	chosen = same_line[0] if same_line else (above[0] if above else None)
	fixed_in = chosen[1] if chosen else None
	matched_range = next((r for r, patched in matched if fixed_in in patched), matched[0][0]).text
	inside = f"{installed} lies in the vulnerable range '{matched_range}'"
	if chosen is None:
		if advisory.published:
			reason = (
				f"{inside}; none of the published fixed versions ({', '.join(advisory.published)}) is a "
				f"safe upgrade from it."
			)
		else:
			reason = f"{inside}; no fixed version has been published yet."
		return Assessment(AFFECTED, None, reason, installed, matched_range)
	if same_line:
		return Assessment(AFFECTED, fixed_in, f"{inside}; fixed in {fixed_in}.", installed, matched_range)
	return Assessment(
		AFFECTED,
		fixed_in,
		f"{inside}; no fix is published for the {major}.x line, the nearest fix is {fixed_in} on the "
		f"{chosen[0][0][0]}.x line (a major upgrade).",
		installed,
		matched_range,
		True,
	)


def clear_caches() -> None:
	"""Forget every memoised parse and assessment (tests; memory after a very large re-match)."""
	for cached in (read_installed, read_bound, parse_range, read_patched, _prepare, _majors, _assess):
		cached.cache_clear()
