"""Remote-access windows: the free text of a contract ("Mon-Fri 10:00-12:00 via bastion") read as windows.

Pure Python, no Frappe. A window is read on the support calendar's own wall clock, like the calendar's open
hours: a window that crosses midnight belongs to the day it starts on (docs/design.md, "Upgrade windows").
Messages are translatable templates, marked with `_` as in `frappe_support.sla.errors`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from frappe_support.sla.days import WEEKDAY_NAMES, fmt_clock
from frappe_support.sla.errors import CalendarError, _
from frappe_support.sla.zone import DAY

__all__ = ["ALL_DAYS", "HOW_TO", "AccessWindow", "WindowError", "parse_access_window"]

DAY_ABBR = tuple(name[:3] for name in WEEKDAY_NAMES)  # "Mon" ... "Sun"
HOW_TO = "Mon-Fri 10:00-12:00"


class WindowError(CalendarError):
	"""An access window, booking or search the module cannot work with. The message says how to fix it.

	A CalendarError: `template` is the English message with {0}-style placeholders (marked for
	translation), `args_` its arguments; `translated(frappe._)` gives the user's language.
	"""


@dataclass(frozen=True)
class AccessWindow:
	"""Remote access allowed on `days` (0 = Monday) from `start` to `end`, seconds after local midnight.

	`end` counts from the midnight of the day the window starts on, so it is always after `start`: an
	end past midnight is above 86400 (Fri 22:00-02:00 is start 79200, end 93600 and covers Saturday
	00:00-02:00). 00:00-24:00 is start 0, end 86400. `describe()` writes it back as text.
	"""

	days: frozenset[int]
	start: int
	end: int

	def __post_init__(self):
		days = frozenset(self.days)
		object.__setattr__(self, "days", days)
		if not days or not all(isinstance(d, int) and 0 <= d <= 6 for d in days):
			raise WindowError(
				_("An access window needs days from 0 (Monday) to 6 (Sunday), not {0}."), self.days
			)
		whole = self.start == 0 and self.end == DAY
		if not (0 <= self.start < DAY and self.start < self.end and (self.end - self.start < DAY or whole)):
			raise WindowError(
				_(
					"An access window from {0} to {1} seconds after midnight is not a time range: write it like {2}."
				),
				self.start,
				self.end,
				HOW_TO,
			)

	def describe(self) -> str:
		"""The window as text that `parse_access_window` reads back, e.g. "Fri-Mon 22:00-02:00"."""
		end = "24:00" if self.end == DAY else fmt_clock(self.end % DAY)
		return f"{_describe_days(self.days)} {fmt_clock(self.start)}-{end}"

	def __str__(self) -> str:
		return self.describe()


def _describe_days(days: frozenset[int]) -> str:
	if len(days) == 7:
		return "daily"
	first = 0  # Monday, or where the run through Monday starts ("Sun-Tue")
	while first in days and (first - 1) % 7 in days:
		first = (first - 1) % 7
	parts, k = [], 0
	while k < 7:
		d = (first + k) % 7
		if d not in days:
			k += 1
			continue
		run = 1
		while k + run < 7 and (first + k + run) % 7 in days:
			run += 1
		parts.append(DAY_ABBR[d] if run == 1 else f"{DAY_ABBR[d]}-{DAY_ABBR[(d + run - 1) % 7]}")
		k += run
	return ",".join(parts)


_DAY_NAMES = {
	**{name: i for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
	**{
		name: i
		for i, name in enumerate(
			("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
		)
	},
	"tues": 1,
	"weds": 2,
	"thur": 3,
	"thurs": 3,
}
_DAY = r"\b(?:" + "|".join(sorted(_DAY_NAMES, key=len, reverse=True)) + r")\b"
_SEP = r"\s*(?:-|\u2013|\u2014|\bto\b|\buntil\b|\btill\b|\bthrough\b|\bthru\b)\s*"
_TIME = r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])"
_TOKEN = re.compile(
	"|".join(
		(
			rf"(?P<times>{_TIME}{_SEP}{_TIME})",
			rf"(?P<time>{_TIME})",
			rf"(?P<dayrange>{_DAY}{_SEP}{_DAY})",
			rf"(?P<day>{_DAY})",
			r"(?P<always>\b24\s*[x/]\s*7\b)",
			r"(?P<daily>\bdaily\b|\bevery\s*day\b|\ball\s+days\b)",
			r"(?P<weekdays>\bweek\s*days?\b|\bworking\s+days\b)",
			r"(?P<weekends>\bweek\s*ends?\b)",
			r"(?P<allday>\ball[\s-]*day\b|\bwhole\s+day\b|\baround\s+the\s+clock\b)",
		)
	),
	re.IGNORECASE,
)
_TIME_RE = re.compile(_TIME)
_DAY_RE = re.compile(_DAY, re.IGNORECASE)
_PARTS = re.compile(r"[;\n\r]+")
ALL_DAYS = frozenset(range(7))


def parse_access_window(text: str | None) -> tuple[AccessWindow, ...]:
	"""The access windows written in `text`; () (no restriction) for empty text.

	Parts are separated by ";" or new lines; in a part, days then times ("Mon-Fri 09:00-12:00, 13:00-17:00",
	"Tue,Thu 20:00-23:00", "Sat 10:00-14:00 and Sun 10:00-12:00") or times then days ("10:00-12:00
	Mon-Fri"). Days: Mon..Sun or full names, ranges (wrapping "Fri-Mon"), lists, daily / every day /
	weekdays / weekends, and 24x7. Other words are ignored ("via bastion"), but a part with days and no
	times, times and no days, or a time that is not one raises WindowError, and so does text with nothing
	readable at all: a misread restriction is worse than a question.
	"""
	if text is None:
		return ()
	return _parse(str(text))


@lru_cache(maxsize=512)
def _parse(text: str) -> tuple[AccessWindow, ...]:
	if not text.strip():
		return ()
	windows: dict[AccessWindow, None] = {}
	for part in _PARTS.split(text):
		for window in _parse_part(part):
			windows[window] = None
	if not windows:
		raise WindowError(
			_(
				'The remote-access window "{0}" has no days and times that can be read: write it like {1}, '
				"with several parts separated by semicolons (Mon-Fri 09:00-18:00; Sat 10:00-14:00)."
			),
			text.strip(),
			HOW_TO,
		)
	return tuple(windows)


_Run = tuple[str, list, list[str]]  # (kind "D" days or "T" times, values, texts) of consecutive tokens


def _parse_part(part: str) -> list[AccessWindow]:
	runs = _runs(part)
	# Runs alternate between days and times; pair them in the order the part starts with.
	windows = []
	for i in range(0, len(runs) - 1, 2):
		first, second = runs[i], runs[i + 1]
		days_run, times_run = (first, second) if first[0] == "D" else (second, first)
		days = frozenset().union(*days_run[1])
		for start, end in times_run[1]:
			windows.append(AccessWindow(days, start, end))
	if len(runs) % 2:
		_refuse_unpaired(runs[-1])
	return windows


def _runs(part: str) -> list[_Run]:
	"""The part's day and time tokens, consecutive ones of a kind gathered into one run."""
	runs: list[_Run] = []
	for m in _TOKEN.finditer(part):
		for kind, value in _token_values(m.lastgroup, m.group()):
			if runs and runs[-1][0] == kind:
				runs[-1][1].append(value)
				runs[-1][2].append(m.group())
			else:
				runs.append((kind, [value], [m.group()]))
	return runs


def _token_values(kind: str, token: str) -> list[tuple[str, object]]:
	"""What one token says: ("D", days) and/or ("T", (start, end))."""
	if kind == "times":
		a, b = _TIME_RE.findall(token)
		return [("T", _time_range(a, b, token))]
	if kind == "time":
		raise WindowError(
			_("{0} in the remote-access window needs a start and an end: write it like {1}."), token, HOW_TO
		)
	if kind == "dayrange":
		first, last = (_DAY_NAMES[name.lower()] for name in _DAY_RE.findall(token))
		return [("D", frozenset((first + k) % 7 for k in range((last - first) % 7 + 1)))]
	if kind == "day":
		return [("D", frozenset({_DAY_NAMES[token.lower()]}))]
	if kind == "allday":
		return [("T", (0, DAY))]
	if kind == "always":  # 24x7
		return [("D", ALL_DAYS), ("T", (0, DAY))]
	return [("D", _DAY_SETS[kind])]


_DAY_SETS = {"daily": ALL_DAYS, "weekdays": frozenset(range(5)), "weekends": frozenset({5, 6})}


def _refuse_unpaired(run: _Run) -> None:
	kind, _values, texts = run
	if kind == "D":
		raise WindowError(
			_("The days {0} in the remote-access window have no times: add them, like {1}."),
			" ".join(texts),
			HOW_TO,
		)
	raise WindowError(
		_("The times {0} in the remote-access window have no days: add them, like {1}."),
		", ".join(texts),
		HOW_TO,
	)


def _clock(text: str, token: str, *, is_end: bool) -> int:
	h, m, *rest = (int(p) for p in text.split(":"))
	s = rest[0] if rest else 0
	seconds = h * 3600 + m * 60 + s
	if m > 59 or s > 59 or seconds > DAY or (seconds == DAY and not is_end):
		raise WindowError(
			_(
				"{0} in the remote-access window is not a time range: use times from 00:00 to 24:00 "
				"(24:00 only as an end), like {1}."
			),
			token,
			HOW_TO,
		)
	return seconds


def _time_range(a: str, b: str, token: str) -> tuple[int, int]:
	start, end = _clock(a, token, is_end=False), _clock(b, token, is_end=True)
	if end == start:
		if start:
			raise WindowError(
				_(
					"The remote-access window {0} starts and ends at the same time: use 00:00-24:00 for a "
					"whole day, or correct the end."
				),
				token,
			)
		end = DAY
	elif end < start:
		end += DAY  # crosses midnight: belongs to the day it starts on
	return start, end
