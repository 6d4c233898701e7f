"""Support time in words (issue 19, item 5): hours and minutes only, never wall-clock days."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from frappe_support.sla.durations import format_support_time

WORDS = re.compile(r"^(?:(\d+) h)?(?: ?(\d+) min)?$")


def minutes_in(text: str) -> int:
	match = WORDS.match(text)
	assert match and text, text
	hours, minutes = match.group(1), match.group(2)
	assert minutes is None or (int(minutes) < 60 and (hours is None or int(minutes) > 0)), text
	return int(hours or 0) * 60 + int(minutes or 0)


def test_four_business_days_of_eight_hours_read_as_32_hours():
	assert format_support_time(32 * 3600) == "32 h"
	assert format_support_time(8 * 3600 + 30 * 60) == "8 h 30 min"
	assert format_support_time(45 * 60) == "45 min"
	assert format_support_time(0) == "0 min"
	assert format_support_time(-(3 * 3600 + 60)) == "3 h 1 min"  # overdue by


def test_to_the_nearest_minute():
	assert format_support_time(89) == "1 min"
	assert format_support_time(90) == "2 min"
	assert format_support_time(3599.6) == "1 h"


@given(st.floats(min_value=-1e8, max_value=1e8, allow_nan=False))
def test_the_words_say_the_rounded_minutes_and_nothing_else(seconds):
	text = format_support_time(seconds)
	assert minutes_in(text) == round(abs(seconds) / 60 + 1e-9) or abs(abs(seconds) / 60 % 1 - 0.5) < 1e-6
	assert " d " not in text and "day" not in text


def test_the_words_are_translated():
	assert format_support_time(3660, translate=lambda s: s.replace("h", "Std.")) == "1 Std. 1 min"
