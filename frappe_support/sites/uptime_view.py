"""What the uptime checks show: the Support Site form's strip (an hour a cell, the last 7 days) with the
month's uptime, and each site's uptime in a contract's monthly SLA statement.

Uptime is counted over the hours the site was watched: hours with a round of checks for a site with "Check
Uptime"; for a site watched by its connector's heartbeat, every hour since the site was registered. Planned
downtime (inside a booked upgrade window) is taken out of the base, not counted against it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime

from frappe_support.common.dates import local, month_bounds, to_stored
from frappe_support.contracts.calendars import contract_zone
from frappe_support.permissions import staff_doc
from frappe_support.sites.uptime_rules import Interval, hour_floor, hours_of, strip, uptime

DAYS = 7


@frappe.whitelist()
def site_uptime(site: str) -> dict:
	"""The form's strip and this month's figures (staff only)."""
	doc = staff_doc("Support Site", site)
	now = now_datetime()
	zone = ZoneInfo(contract_zone(doc.contract))
	start = hour_floor(now) - timedelta(days=DAYS) + timedelta(hours=1)
	month_start, month_end = (to_stored(b) for b in month_bounds(local(now, zone, "%Y-%m"), zone))
	lo = min(start, month_start)
	downtimes, watched = downtime_intervals(doc.name, lo, now), watched_hours(doc, lo, now)
	figures = uptime(downtimes, watched, month_start, min(month_end, now))
	return {
		"zone": zone.key,
		"month": local(now, zone, "%B %Y"),
		"percent": figures.percent,
		"down_minutes": round(figures.down_minutes, 1),
		"outages": figures.outages,
		"cells": [cell_view(c, zone) for c in strip(downtimes, watched, start, now)],
	}


def cell_view(cell: dict, zone: ZoneInfo) -> dict:
	return {
		"state": cell["state"],
		"label": local(cell["hour"], zone, "%a %Y-%m-%d %H:00 %Z"),
		"down_minutes": cell["down_minutes"],
	}


def downtime_intervals(site: str, start: datetime, now: datetime) -> list[Interval]:
	"""The site's downtimes that touch [start, now]: an open one runs to now."""
	rows = frappe.get_all(
		"Support Site Downtime",
		filters=[["site", "=", site], ["started_on", "<=", now]],
		or_filters=[["ended_on", ">=", start], ["ended_on", "is", "not set"]],
		fields=["started_on", "ended_on", "planned"],
		order_by="started_on asc",
		limit_page_length=0,
	)
	return [Interval(r.started_on, r.ended_on or now, bool(r.planned)) for r in rows]


def watched_hours(site, start: datetime, end: datetime, rounds: set[datetime] | None = None) -> set[datetime]:
	"""The hours the site was watched in [start, end); `rounds`, the hours with a round, when known."""
	if site.monitor_uptime:
		return round_hours(start, end) if rounds is None else rounds
	if not site.last_heartbeat_on:
		return set()
	return set(hours_of(max(start, get_datetime(site.creation)), end))


def round_hours(start: datetime, end: datetime) -> set[datetime]:
	"""The hours in [start, end) in which a round of uptime checks ran (the same for every checked site)."""
	rounds = frappe.get_all(
		"Support Uptime Round",
		filters=[["started_on", ">=", hour_floor(start)], ["started_on", "<", end]],
		pluck="started_on",
		limit_page_length=0,
	)
	return {hour_floor(r) for r in rounds}


def statement_uptime(contract: str, month: str) -> dict:
	"""Jinja (the SLA Statement): each production site of the contract with its uptime in the month."""
	doc = frappe.get_doc("Support Contract", contract)
	if not frappe.flags.ignore_print_permissions:
		doc.check_permission("read")
	zone = ZoneInfo(contract_zone(contract))
	start, end = (to_stored(b) for b in month_bounds(month, zone))
	end = min(end, now_datetime())
	rows, rounds = [], round_hours(start, end)  # read once for all the contract's sites
	for site in contract_sites(doc):
		figures = uptime(
			downtime_intervals(site.name, start, end), watched_hours(site, start, end, rounds), start, end
		)
		rows.append(
			{
				"site": site.name,
				"percent": figures.percent,
				"down": figures.down_minutes,
				"planned": figures.planned_minutes,
				"outages": figures.outages,
				"watched": _("Uptime checks") if site.monitor_uptime else _("Heartbeat"),
			}
		)
	return {"sites": rows, "zone": zone.key}


def contract_sites(contract) -> list:
	"""Production sites under this contract (or of its customer with no contract set)."""
	return frappe.get_all(
		"Support Site",
		filters={"customer": contract.customer, "environment": "Production"},
		or_filters=[["contract", "=", contract.name], ["contract", "is", "not set"]],
		fields=["name", "monitor_uptime", "last_heartbeat_on", "creation"],
		order_by="name",
	)
