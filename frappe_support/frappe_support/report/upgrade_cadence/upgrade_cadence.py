# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt
"""Upgrade Cadence: per site, days since its last completed upgrade and its next booked one; sites past
the cadence first. Reads sites through the user's permissions, so a customer sees only their own."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cint, getdate, nowdate

from frappe_support.common.report_columns import customer_column
from frappe_support.common.settings import get_settings

OPEN = ("Requested", "Scheduled", "In Progress")


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	cadence = cint(get_settings().upgrade_cadence_days) or 28
	conditions = {"customer": filters.customer} if filters.get("customer") else {}
	sites = frappe.get_list(
		"Support Site",
		filters=conditions,
		fields=["name", "site_url", "customer", "last_upgraded_on"],
		limit_page_length=0,
	)
	booked = {}
	for row in frappe.get_list(
		"Upgrade Schedule",
		filters={"site": ("in", [s.name for s in sites] or [""]), "status": ("in", OPEN)},
		fields=["site", "name", "window_start", "status"],
		order_by="window_start asc",
		limit_page_length=0,
	):
		booked.setdefault(row.site, row)
	today = getdate(nowdate())
	rows = []
	for site in sites:
		days = (today - getdate(site.last_upgraded_on)).days if site.last_upgraded_on else None
		upgrade = booked.get(site.name)
		rows.append(
			{
				"site": site.name,
				"site_url": site.site_url,
				"customer": site.customer,
				"last_upgraded_on": site.last_upgraded_on,
				"days_since": days,
				"next_upgrade": upgrade.name if upgrade else None,
				"next_window": upgrade.window_start if upgrade else None,
				"due": _("Yes") if (days is None or days > cadence) and not upgrade else _("No"),
			}
		)
	rows.sort(
		key=lambda r: (r["due"] != _("Yes"), -(r["days_since"] if r["days_since"] is not None else 10**6))
	)
	return columns(), rows


def columns() -> list[dict]:
	return [
		{
			"label": _("Site"),
			"fieldname": "site",
			"fieldtype": "Link",
			"options": "Support Site",
			"width": 200,
		},
		{"label": _("URL"), "fieldname": "site_url", "fieldtype": "Data", "width": 220},
		customer_column(),
		{
			"label": _("Last Upgraded On"),
			"fieldname": "last_upgraded_on",
			"fieldtype": "Datetime",
			"width": 160,
		},
		{"label": _("Days Since"), "fieldname": "days_since", "fieldtype": "Int", "width": 100},
		{
			"label": _("Next Upgrade"),
			"fieldname": "next_upgrade",
			"fieldtype": "Link",
			"options": "Upgrade Schedule",
			"width": 150,
		},
		{"label": _("Next Window"), "fieldname": "next_window", "fieldtype": "Datetime", "width": 160},
		{"label": _("Upgrade Due"), "fieldname": "due", "fieldtype": "Data", "width": 100},
	]
