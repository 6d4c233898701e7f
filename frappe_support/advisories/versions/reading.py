"""Reading version texts: installed versions (with the trust rules) and bounds, as sortable keys.

The grammar and the trust rules are in the package docstring (`frappe_support.advisories.versions`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from packaging.version import InvalidVersion, Version

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
_PRE_RANK = {"a": 0, "b": 1, "rc": 2}


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


class Read(NamedTuple):
	version: Version | None
	key: SortKey | None
	cleaned: str | None
	reason: str | None  # None when version is set


@lru_cache(maxsize=16384)
def read_installed(text: object) -> Read:
	cleaned = clean_version_text(text)
	if cleaned is None:
		return Read(None, None, None, "No version is recorded for this app.")
	if not cleaned:
		return Read(None, None, cleaned, "The recorded version is empty.")
	if _DEV_MARKER.search(cleaned):
		why = (
			f"'{cleaned}' is a development build, not a release, so its code cannot be matched to a release."
		)
		return Read(None, None, cleaned, why)
	if _PLACEHOLDER.search(cleaned):
		return Read(None, None, cleaned, f"'{cleaned}' is a branch placeholder, not a released version.")
	version = _parse_syntax(cleaned)
	if version is None:
		return Read(None, None, cleaned, f"'{cleaned}' cannot be parsed as a version number.")
	if len(version.release) < 3:
		why = f"'{cleaned}' is incomplete: major.minor.patch is needed to compare it."
		return Read(None, None, cleaned, why)
	if Version(version.base_version) in _PLACEHOLDER_RELEASES:
		why = f"'{cleaned}' is the placeholder version development branches report, not a release."
		return Read(None, None, cleaned, why)
	return Read(version, sort_key(version), cleaned, None)


@lru_cache(maxsize=16384)
def read_bound(text: object) -> Read:
	cleaned = clean_version_text(text)
	if not cleaned:
		return Read(None, None, cleaned, "the version is missing")
	if _DEV_MARKER.search(cleaned):
		return Read(None, None, cleaned, f"'{cleaned}' is a development version")
	if _PLACEHOLDER.search(cleaned):
		return Read(None, None, cleaned, f"'{cleaned}' is a placeholder, not a version")
	version = _parse_syntax(cleaned)
	if version is None:
		return Read(None, None, cleaned, f"'{cleaned}' is not a version number")
	return Read(version, sort_key(version), cleaned, None)


def parse_version(text: object) -> tuple[Version | None, str | None]:
	"""An installed version: ``(Version, None)`` when it can be trusted, else ``(None, reason)``.

	>>> parse_version("v15.44.2 (abc1234)")
	(<Version('15.44.2')>, None)
	>>> parse_version("0.0.1")[0] is None
	True
	"""
	read = read_installed(text)
	return read.version, read.reason


def parse_bound(text: object) -> tuple[Version | None, str | None]:
	"""A version written in an advisory (a range bound or a patched version): ``(Version, None)`` or
	``(None, reason)``. Same grammar as :func:`parse_version`, but ``15``, ``15.0`` and ``0.0.1`` are
	accepted (they are exact points here); development versions are not (no defined place in a range).
	"""
	read = read_bound(text)
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
	ka = read_bound(a).key
	kb = read_bound(b).key
	if ka is None or kb is None:
		return None
	return (ka > kb) - (ka < kb)
