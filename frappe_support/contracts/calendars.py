"""Support Calendar records as compiled engine calendars, and the time-zone glue between them.

Frappe stores datetimes naive, in the system time zone; the engine works on aware instants. A compiled
calendar is kept per worker, keyed by the calendar's and its Holiday List's `modified` stamps, and the
documents come from Frappe's document cache, so an issue save reads no calendar rows.
"""

from __future__ import annotations

from datetime import date

import frappe
from frappe import _
from frappe.utils import get_datetime, get_system_timezone

from frappe_support.common.dates import to_aware
from frappe_support.sla import WEEKDAY_NAMES, BusinessCalendar, CalendarError

_COMPILED: dict[tuple, BusinessCalendar] = {}
_COMPILED_LIMIT = 256


def calendar_definition(doc) -> dict:
	"""The engine's constructor arguments for a Support Calendar document."""
	zone = doc.timezone or get_system_timezone()
	weekly: dict[int, list] = {}
	for row in doc.get("hours") or []:
		if row.weekday not in WEEKDAY_NAMES:
			frappe.throw(
				_("Row {0} of Weekly Hours has no weekday: choose Monday to Sunday.").format(row.idx),
				title=_("Invalid calendar"),
			)
		weekly.setdefault(WEEKDAY_NAMES.index(row.weekday), []).append((row.start_time, row.end_time))
	closures = []
	for row in doc.get("closures") or []:
		if not row.from_datetime or not row.to_datetime:
			frappe.throw(
				_("Closure row {0} needs both From and To.").format(row.idx), title=_("Invalid calendar")
			)
		closures.append((to_aware(row.from_datetime), to_aware(row.to_datetime), row.reason or ""))
	return {
		"timezone": zone,
		"weekly": weekly,
		"holidays": holiday_dates(doc.holiday_list),
		"closures": closures,
		"always_open": bool(doc.always_open),
	}


def holiday_dates(holiday_list: str | None) -> list[date]:
	if not holiday_list:
		return []
	hl = frappe.get_cached_doc("Holiday List", holiday_list)
	return [get_datetime(h.holiday_date).date() for h in hl.holidays]


def compile_calendar(doc) -> BusinessCalendar:
	"""Build the engine calendar for a (possibly unsaved) Support Calendar; throws a clear error if malformed."""
	try:
		return BusinessCalendar(**calendar_definition(doc))
	except CalendarError as e:
		frappe.throw(e.translated(_), title=_("Invalid calendar"))


def get_business_calendar(name: str) -> BusinessCalendar:
	"""The compiled calendar of a saved Support Calendar, shared across saves in this worker."""
	doc = frappe.get_cached_doc("Support Calendar", name)
	hl_modified = (
		frappe.get_cached_doc("Holiday List", doc.holiday_list).modified if doc.holiday_list else None
	)
	key = (frappe.local.site, name, str(doc.modified), str(hl_modified), get_system_timezone())
	cal = _COMPILED.get(key)
	if cal is None:
		if len(_COMPILED) >= _COMPILED_LIMIT:
			_COMPILED.clear()
		cal = _COMPILED[key] = compile_calendar(doc)
	return cal


def calendar_zone(calendar: str | None) -> str:
	"""The time zone of a support calendar; the system's when there is none."""
	zone = frappe.get_cached_value("Support Calendar", calendar, "timezone") if calendar else None
	return zone or get_system_timezone()


def contract_zone(contract: str | None) -> str:
	"""The time zone of a contract's support calendar, in which its deadlines and windows are read."""
	calendar = frappe.get_cached_value("Support Contract", contract, "calendar") if contract else None
	return calendar_zone(calendar)
