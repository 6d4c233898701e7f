"""Frappe's stored datetimes (naive, in the system time zone) and aware instants, both ways."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from frappe.utils import get_datetime, get_system_timezone


def system_zone() -> ZoneInfo:
	return ZoneInfo(get_system_timezone())


def to_aware(value: datetime | str | None) -> datetime | None:
	"""A stored (naive, system time zone) datetime as an aware one."""
	if not value:
		return None
	value = get_datetime(value)
	if value.tzinfo is not None:
		return value
	return value.replace(tzinfo=system_zone())


def to_stored(value: datetime | None) -> datetime | None:
	"""An aware datetime as Frappe stores it: naive, in the system time zone."""
	if value is None:
		return None
	return value.astimezone(system_zone()).replace(tzinfo=None)
