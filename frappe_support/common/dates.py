"""Frappe's stored datetimes (naive, in the system time zone) and aware instants, both ways."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import get_datetime, get_system_timezone

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def system_zone() -> ZoneInfo:
	return ZoneInfo(get_system_timezone())


def to_aware(value: datetime | str | None, stored_zone: ZoneInfo | None = None) -> datetime | None:
	"""A stored (naive, system time zone) datetime as an aware one; `stored_zone` is the system zone when
	the caller has it already (converting many values)."""
	if not value:
		return None
	value = get_datetime(value)
	if value.tzinfo is not None:
		return value
	return value.replace(tzinfo=stored_zone or system_zone())


def to_stored(value: datetime | None) -> datetime | None:
	"""An aware datetime as Frappe stores it: naive, in the system time zone."""
	if value is None:
		return None
	return value.astimezone(system_zone()).replace(tzinfo=None)


LONG = "%a %Y-%m-%d %H:%M %Z"  # as the SLA explanations show an instant: "Mon 2027-03-01 09:00 CET"


def local(value: datetime | str | None, zone: str | ZoneInfo, fmt: str = LONG) -> str:
	"""A stored or aware datetime as wall-clock text in `zone` ("" for no value)."""
	return wall_clock(zone, fmt)(value)


def wall_clock(zone: str | ZoneInfo, fmt: str = LONG) -> Callable[[datetime | str | None], str]:
	"""`local` for many values in one zone: the zones are looked up once, not per value (a statement
	writes five times for each of its issues)."""
	stored = system_zone()
	tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)

	def text(value: datetime | str | None) -> str:
		return to_aware(value, stored).astimezone(tz).strftime(fmt) if value else ""

	return text


def user_zone(user: str | None = None) -> str:
	"""The zone the desk shows (and its datetime fields expect) for the user: theirs, else the system's."""
	user = user or frappe.session.user
	zone = frappe.get_cached_value("User", user, "time_zone") if user and user != "Guest" else None
	return zone or get_system_timezone()


def local_and_user(value: datetime | str | None, zone: str) -> str:
	"""A time in `zone` (a calendar's), and also in the user's own zone where it reads differently there,
	since that is the zone the desk's datetime fields expect a new value in."""
	text = local(value, zone)
	theirs = local(value, user_zone())
	if not text or theirs == text:
		return text
	return _("{0}, {1} your time").format(text, theirs)


def month_bounds(month: str, zone: ZoneInfo) -> tuple[datetime, datetime]:
	"""The first instant of the month and of the next one, on the zone's wall clock."""
	match = MONTH.match(str(month).strip())
	if not match or not 1 <= int(match.group(2)) <= 12:
		frappe.throw(
			_("Month {0} is not valid: give it as YYYY-MM, e.g. 2026-10.").format(month),
			title=_("Invalid month"),
		)
	year, mon = int(match.group(1)), int(match.group(2))
	start = datetime(year, mon, 1, tzinfo=zone)
	end = datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=zone)
	return start, end
