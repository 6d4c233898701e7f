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

from frappe_support.advisories.versions.ranges import VersionRange, parse_patched, parse_range
from frappe_support.advisories.versions.reading import (
	SortKey,
	clean_version_text,
	compare_versions,
	major_of,
	parse_bound,
	parse_version,
	sort_key,
)
from frappe_support.advisories.versions.verdict import (
	AFFECTED,
	NOT_AFFECTED,
	STATUSES,
	UNKNOWN,
	Assessment,
	RangeEntry,
	assess,
	clear_caches,
)

__all__ = [
	"AFFECTED",
	"NOT_AFFECTED",
	"STATUSES",
	"UNKNOWN",
	"Assessment",
	"RangeEntry",
	"SortKey",
	"VersionRange",
	"assess",
	"clean_version_text",
	"clear_caches",
	"compare_versions",
	"major_of",
	"parse_bound",
	"parse_patched",
	"parse_range",
	"parse_version",
	"sort_key",
]
