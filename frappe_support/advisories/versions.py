"""Is an installed app version inside a security advisory's vulnerable ranges? Pure Python, no Frappe.

docs/design.md, "Security advisories: version rules", made exact:

Versions
	Whitespace, a leading ``v``/``V`` and one trailing parenthesised commit (``15.44.2 (abc1234)``, 4 to 40
	hex digits) are stripped; any other parenthesis (``15.44.2 (develop)``) stays, and so does not parse.
	What is left must be a release (``15.44.2``; any number of dot-separated integers), then
	optionally a pre-release written the semver way or the PEP 440 way (``-alpha.2``/``a2``,
	``-beta.3``/``b3``, ``-rc.1``/``rc1``; ``c``, ``pre`` and ``preview`` mean rc; a missing number is
	0), optionally ``.postN``/``-postN``, optionally ``+build`` metadata. The text is rebuilt in PEP 440
	form and ordered by :class:`packaging.version.Version`, so every pre-release sorts below its release
	(``15.0.0-alpha.2 < 15.0.0-beta.3 < 15.0.0-rc.1 < 15.0.0``). Anything else does not parse: this
	grammar is deliberately narrower than packaging's (``15.0.0-1`` is a post-release to packaging but
	a pre-release to semver, so it is refused rather than guessed; so are epochs and ``-next.1``).
	``+build`` metadata is ignored for ordering, as semver says (packaging would order ``15.0.0+x``
	above ``15.0.0`` and so outside ``<= 15.0.0``).

Trusted installed versions (anything else is **Unknown**, never Not Affected)
	It parses; it is not a development build (``dev``, ``develop``, ``nightly``, ``snapshot`` anywhere,
	e.g. ``16.0.0-dev``, ``15.0.0.dev0``, ``15.x.x-develop``) nor a branch placeholder (``15.x.x``);
	it has at least major.minor.patch (``15`` or ``15.44`` could be any patch level); its release is not
	``0.0.0``/``0.0.1`` (what develop branches and fresh custom apps report); and, when the app's
	released major lines are given (``known_majors``; an empty collection counts as not given), its
	major is one of them (a fork's ``25.4.1`` of frappe is Unknown).

Ranges (GitHub's ``vulnerable_version_range``)
	Clauses ``<``, ``<=``, ``>``, ``>=``, ``=`` (``==`` too), separated by commas = AND; the several
	ranges given to :func:`assess` = OR. Clauses are evaluated here with plain Version ordering, not with
	``packaging.specifiers`` (which would leave ``15.0.0-beta.3`` outside ``< 15.0.0``). A range with an
	empty text, an empty clause, an unknown operator (``!=``, ``~``, ``^``, a bare version) or a bound
	that does not parse (including development bounds) is *unreadable*: it can neither include nor
	exclude a version, so a version that is in no readable range but could be in an unreadable one is
	Unknown. A list without any range (an advisory that publishes none) is Unknown too.

Statuses
	Affected: a trusted version inside at least one readable range (unreadable siblings do not matter).
	Not Affected: a trusted version outside every range, all of them readable. Unknown: the rest.

The fix offered (``fixed_in``, only for Affected)
	Candidates are all patched versions published with any of the advisory's ranges (a patched text may
	list several, comma-separated) that are above the installed version and inside no readable range.
	The lowest candidate on the installed version's own major line is the fix. When that line has none
	(a 13.x site of an advisory that fixes only 14 and 15), the lowest candidate on a later line is
	offered with ``fix_on_other_major=True`` and a reason that says it is a major upgrade. No candidate
	(nothing published yet, or nothing usable): ``fixed_in`` is None and the reason says why. The text
	returned is the patched version as published, cleaned like an installed version.

Speed: the string parsers and :func:`assess` itself are memoised (``functools.lru_cache``), so
matching many sites that run the same versions against the same advisory costs one dictionary lookup
per pair after the first. Comparisons use :func:`sort_key`, a plain tuple computed once per parsed
version from packaging's public ``release``/``pre``/``post`` that orders exactly like the
:class:`Version` objects (the tests check this), because a tuple comparison is several times cheaper
than a ``Version`` one. Everything returned is immutable.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from packaging.version import InvalidVersion, Version

AFFECTED = "Affected"
NOT_AFFECTED = "Not Affected"
UNKNOWN = "Unknown"
STATUSES = (AFFECTED, NOT_AFFECTED, UNKNOWN)

_SHA_SUFFIX = re.compile(r"\s*\(\s*[0-9a-f]{4,40}\s*\)$", re.I)  # " (abc1234)": the commit
_DEV_MARKER = re.compile(r"(?:^|[^a-z])(?:dev|devel|develop|development|nightly|snapshot)(?![a-z])", re.I)
_PLACEHOLDER = re.compile(r"(?:^|\.)[x*](?=[.\-+_]|$)", re.I)
_LEADING_MAJOR = re.compile(r"([0-9]+)(?=[.\-+_]|$)")
_VERSION = re.compile(
	r"""
	(?P<release>[0-9]+(?:\.[0-9]+)*)
	(?:[-_.]?(?P<pre_label>alpha|beta|preview|pre|rc|a|b|c)(?:[-_.]?(?P<pre_n>[0-9]+))?)?
	(?P<post>[-_.]?post(?:[-_.]?(?P<post_n>[0-9]+))?)?
	(?:\+[0-9a-z]+(?:[-_.][0-9a-z]+)*)?
	""",
	re.VERBOSE | re.IGNORECASE,
)
_PRE_LABELS = {
	"alpha": "a",
	"a": "a",
	"beta": "b",
	"b": "b",
	"rc": "rc",
	"c": "rc",
	"pre": "rc",
	"preview": "rc",
}
_PLACEHOLDER_RELEASES = (Version("0.0.0"), Version("0.0.1"))
_CLAUSE = re.compile(r"\s*(<=|>=|==|=|<|>)\s*(.*?)\s*", re.DOTALL)
_PRE_RANK = {"a": 0, "b": 1, "rc": 2}
_OPERATORS: dict[str, Callable[[object, object], bool]] = {
	"<": operator.lt,
	"<=": operator.le,
	">": operator.gt,
	">=": operator.ge,
	"=": operator.eq,
	"==": operator.eq,
}


SortKey = tuple  # see sort_key()


def sort_key(version: Version) -> SortKey:
	"""A tuple that orders like ``version`` among the versions this module accepts (no epoch, no dev).

	Release with trailing zeros removed (``15 == 15.0.0``), then pre-release (a < b < rc < none), then
	post-release (none < post0 < post1 ...).
	"""
	release = version.release
	while len(release) > 1 and release[-1] == 0:
		release = release[:-1]
	pre = version.pre
	post = version.post
	return (release, (0, _PRE_RANK[pre[0]], pre[1]) if pre else (1, 0, 0), -1 if post is None else post)


@dataclass(frozen=True, slots=True)
class Assessment:
	"""The verdict of :func:`assess` for one installed version against one advisory's ranges."""

	status: str  # AFFECTED, NOT_AFFECTED or UNKNOWN
	fixed_in: str | None  # the version to upgrade to; only ever set when Affected
	reason: str  # one or two short English sentences, always set
	installed: str | None = None  # the installed version as cleaned (no "v", no " (sha)")
	matched_range: str | None = None  # Affected: the range text the version lies in
	fix_on_other_major: bool = False  # Affected: fixed_in is on another major line than the installed one


@dataclass(frozen=True, slots=True)
class VersionRange:
	"""One parsed ``vulnerable_version_range``: clauses that must all hold, or the reason it is unreadable."""

	text: str
	clauses: tuple[tuple[str, Version], ...]  # (operator, bound), e.g. ((">=", Version("15.0.0")), ...)
	error: str | None = None  # None: readable
	_tests: tuple[tuple[Callable[[object, object], bool], SortKey], ...] = field(
		default=(), repr=False, compare=False
	)

	@property
	def readable(self) -> bool:
		return self.error is None

	def contains(self, version: Version | str) -> bool | None:
		"""True or False for a readable range; None (cannot say) for an unreadable one, or for a version
		outside this module's grammar (a development release, an epoch). The version is read like a bound:
		no trust rules are applied (use :func:`assess` for what a site runs).
		"""
		key = _read_bound(str(version) if isinstance(version, Version) else version).key
		if key is None:
			return None
		return self._contains(key)

	def _contains(self, key: SortKey) -> bool | None:
		if self.error is not None:
			return None
		for test, bound in self._tests:
			if not test(key, bound):
				return False
		return True


def clean_version_text(text: object) -> str | None:
	"""The version text without surrounding whitespace, a leading ``v``/``V`` or a trailing `` (sha)``.

	None for a value that is not a string (a :class:`Version` is accepted and turned into its text).
	"""
	if isinstance(text, Version):
		return str(text)
	if not isinstance(text, str):
		return None
	cleaned = _SHA_SUFFIX.sub("", text.strip()).strip()
	if cleaned[:1] in ("v", "V"):
		cleaned = cleaned[1:]
	return cleaned


def _parse_syntax(cleaned: str) -> Version | None:
	"""The grammar of the module docstring, rebuilt in PEP 440 form and parsed by packaging."""
	match = _VERSION.fullmatch(cleaned)
	if match is None:
		return None
	canonical = match["release"]
	if match["pre_label"]:
		canonical += _PRE_LABELS[match["pre_label"].lower()] + (match["pre_n"] or "0")
	if match["post"]:
		canonical += ".post" + (match["post_n"] or "0")
	try:
		return Version(canonical)
	except InvalidVersion:  # pragma: no cover - the grammar only builds valid PEP 440 texts
		return None


class _Read(NamedTuple):
	version: Version | None
	key: SortKey | None
	cleaned: str | None
	reason: str | None  # None when version is set


@lru_cache(maxsize=16384)
def _read_installed(text: object) -> _Read:
	cleaned = clean_version_text(text)
	if cleaned is None:
		return _Read(None, None, None, "No version is recorded for this app.")
	if not cleaned:
		return _Read(None, None, cleaned, "The recorded version is empty.")
	if _DEV_MARKER.search(cleaned):
		why = (
			f"'{cleaned}' is a development build, not a release, so its code cannot be matched to a release."
		)
		return _Read(None, None, cleaned, why)
	if _PLACEHOLDER.search(cleaned):
		return _Read(None, None, cleaned, f"'{cleaned}' is a branch placeholder, not a released version.")
	version = _parse_syntax(cleaned)
	if version is None:
		return _Read(None, None, cleaned, f"'{cleaned}' cannot be parsed as a version number.")
	if len(version.release) < 3:
		why = f"'{cleaned}' is incomplete: major.minor.patch is needed to compare it."
		return _Read(None, None, cleaned, why)
	if Version(version.base_version) in _PLACEHOLDER_RELEASES:
		why = f"'{cleaned}' is the placeholder version development branches report, not a release."
		return _Read(None, None, cleaned, why)
	return _Read(version, sort_key(version), cleaned, None)


@lru_cache(maxsize=16384)
def _read_bound(text: object) -> _Read:
	cleaned = clean_version_text(text)
	if not cleaned:
		return _Read(None, None, cleaned, "the version is missing")
	if _DEV_MARKER.search(cleaned):
		return _Read(None, None, cleaned, f"'{cleaned}' is a development version")
	if _PLACEHOLDER.search(cleaned):
		return _Read(None, None, cleaned, f"'{cleaned}' is a placeholder, not a version")
	version = _parse_syntax(cleaned)
	if version is None:
		return _Read(None, None, cleaned, f"'{cleaned}' is not a version number")
	return _Read(version, sort_key(version), cleaned, None)


def parse_version(text: object) -> tuple[Version | None, str | None]:
	"""An installed version: ``(Version, None)`` when it can be trusted, else ``(None, reason)``.

	>>> parse_version("v15.44.2 (abc1234)")
	(<Version('15.44.2')>, None)
	>>> parse_version("0.0.1")[0] is None
	True
	"""
	read = _read_installed(text)
	return read.version, read.reason


def parse_bound(text: object) -> tuple[Version | None, str | None]:
	"""A version written in an advisory (a range bound or a patched version): ``(Version, None)`` or
	``(None, reason)``. Same grammar as :func:`parse_version`, but ``15``, ``15.0`` and ``0.0.1`` are
	accepted (they are exact points here); development versions are not (no defined place in a range).
	"""
	read = _read_bound(text)
	return read.version, read.reason


def major_of(text: object) -> int | None:
	"""The major line a version text names (``'v16.0.0-rc.1'`` -> 16, ``'15.x.x-develop'`` -> 15), or None.

	This reads only the leading number; it says nothing about whether the version can be trusted.
	"""
	cleaned = clean_version_text(text)
	if not cleaned:
		return None
	match = _LEADING_MAJOR.match(cleaned)
	return int(match[1]) if match else None


def compare_versions(a: object, b: object) -> int | None:
	"""-1, 0 or 1 as version ``a`` is below, equal to or above ``b``; None when either does not parse.

	Useful to decide that an Affected site is now Patched (installed >= fixed_in).
	"""
	ka = _read_bound(a).key
	kb = _read_bound(b).key
	if ka is None or kb is None:
		return None
	return (ka > kb) - (ka < kb)


@lru_cache(maxsize=4096)
def parse_range(text: object) -> VersionRange:
	"""One ``vulnerable_version_range`` text, e.g. ``'>= 15.0.0, < 15.72.0'``.

	Never raises: an unreadable range comes back with ``error`` set and ``contains`` answering None.
	"""
	if not isinstance(text, str) or not text.strip():
		return VersionRange(text if isinstance(text, str) else "", (), "the range is empty")
	stripped = text.strip()
	clauses: list[tuple[str, Version]] = []
	tests: list[tuple[Callable[[object, object], bool], SortKey]] = []
	for part in stripped.split(","):
		match = _CLAUSE.fullmatch(part)
		if match is None:
			if not part.strip():
				return VersionRange(stripped, (), "it has an empty clause")
			return VersionRange(
				stripped, (), f"'{part.strip()}' does not start with one of the operators < <= > >= ="
			)
		bound = _read_bound(match[2])
		if bound.version is None:
			return VersionRange(stripped, (), f"in '{part.strip()}', {bound.reason}")
		clauses.append((match[1], bound.version))
		tests.append((_OPERATORS[match[1]], bound.key))
	return VersionRange(stripped, tuple(clauses), None, tuple(tests))


@lru_cache(maxsize=4096)
def _read_patched(text: object) -> tuple[tuple[SortKey, str], ...]:
	if not isinstance(text, str):
		return ()
	found = []
	for part in text.split(","):
		read = _read_bound(part)
		if read.key is not None:
			found.append((read.key, read.cleaned or ""))
	return tuple(found)


def parse_patched(text: object) -> tuple[str, ...]:
	"""The usable versions of a ``patched_versions`` text (comma-separated), cleaned, in the given order.

	Empty for None, an empty text, or versions that do not parse.
	"""
	return tuple(cleaned for _, cleaned in _read_patched(text))


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
		for candidate in _read_patched(patched)
		if not any(r._contains(candidate[0]) for r in readable)
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
	read = _read_installed(version)
	installed = read.cleaned
	key = read.key
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

	advisory = _prepare(ranges)
	matched = [(r, patched) for r, patched in advisory.ranges if r._contains(key)]
	if not matched:
		r = advisory.unreadable
		if r is not None:
			return Assessment(
				UNKNOWN,
				None,
				f"The vulnerable range '{r.text}' cannot be read ({r.error}), so {installed} may be affected.",
				installed,
			)
		return Assessment(
			NOT_AFFECTED,
			None,
			f"{installed} is outside every vulnerable range ({advisory.summary}).",
			installed,
		)

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
	for cached in (_read_installed, _read_bound, parse_range, _read_patched, _prepare, _majors, _assess):
		cached.cache_clear()
