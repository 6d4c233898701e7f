"""Vulnerable version ranges (GitHub's ``vulnerable_version_range``) and patched-version lists."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from packaging.version import Version

from frappe_support.advisories.versions.reading import SortKey, read_bound

_CLAUSE = re.compile(r"\s*(<=|>=|==|=|<|>)\s*(.*?)\s*", re.DOTALL)
_OPERATORS: dict[str, Callable[[object, object], bool]] = {
	"<": operator.lt,
	"<=": operator.le,
	">": operator.gt,
	">=": operator.ge,
	"=": operator.eq,
	"==": operator.eq,
}


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
		key = read_bound(str(version) if isinstance(version, Version) else version).key
		if key is None:
			return None
		return self.contains_key(key)

	def contains_key(self, key: SortKey) -> bool | None:
		if self.error is not None:
			return None
		for test, bound in self._tests:
			if not test(key, bound):
				return False
		return True


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
		bound = read_bound(match[2])
		if bound.version is None:
			return VersionRange(stripped, (), f"in '{part.strip()}', {bound.reason}")
		clauses.append((match[1], bound.version))
		tests.append((_OPERATORS[match[1]], bound.key))
	return VersionRange(stripped, tuple(clauses), None, tuple(tests))


@lru_cache(maxsize=4096)
def read_patched(text: object) -> tuple[tuple[SortKey, str], ...]:
	if not isinstance(text, str):
		return ()
	found = []
	for part in text.split(","):
		read = read_bound(part)
		if read.key is not None:
			found.append((read.key, read.cleaned or ""))
	return tuple(found)


def parse_patched(text: object) -> tuple[str, ...]:
	"""The usable versions of a ``patched_versions`` text (comma-separated), cleaned, in the given order.

	Empty for None, an empty text, or versions that do not parse.
	"""
	return tuple(cleaned for _, cleaned in read_patched(text))
