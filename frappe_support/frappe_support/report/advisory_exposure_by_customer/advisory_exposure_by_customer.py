# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt
"""Advisory Exposure by Customer: per customer, the exposures by status and the affected ones nobody has
acknowledged yet. Reads exposures through the user's permissions, so a customer sees only their own."""

from __future__ import annotations

from collections import defaultdict

import frappe
from frappe import _

from frappe_support.common.report_columns import customer_column

STATUSES = ("Affected", "Unknown", "Patched", "Not Affected", "Withdrawn")


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	conditions = {}
	for field in ("customer", "advisory"):
		if filters.get(field):
			conditions[field] = filters[field]
	counts: dict[str, dict] = defaultdict(lambda: defaultdict(int))
	for row in frappe.get_list(
		"Advisory Exposure",
		filters=conditions,
		fields=["customer", "status", "acknowledged_on", "site"],
		limit_page_length=0,
	):
		group = counts[row.customer]
		group[row.status] += 1
		if row.status == "Affected" and not row.acknowledged_on:
			group["unacknowledged"] += 1
	rows = [
		{
			"customer": customer,
			**{frappe.scrub(s): c.get(s, 0) for s in STATUSES},
			"unacknowledged": c.get("unacknowledged", 0),
		}
		for customer, c in counts.items()
	]
	rows.sort(key=lambda r: (-r["affected"], -r["unknown"], r["customer"] or ""))
	return columns(), rows


def columns() -> list[dict]:
	return [
		customer_column(220),
		*({"label": _(s), "fieldname": frappe.scrub(s), "fieldtype": "Int", "width": 110} for s in STATUSES),
		{
			"label": _("Affected, Not Acknowledged"),
			"fieldname": "unacknowledged",
			"fieldtype": "Int",
			"width": 200,
		},
	]
