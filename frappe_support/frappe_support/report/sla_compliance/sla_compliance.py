# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt
"""SLA Compliance: per month and priority, the resolved issues, how many met or missed their resolution
deadline, the share met, and the median business hours to resolve. For support staff (the report's roles).

The figures come from `frappe_support.issues.compliance_months`: the months that are over from the rows
the daily job keeps for them (SLA Compliance Month), the rest aggregated in the database from the issues,
in two queries for each run of months not found kept. The report only reads."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_months, getdate, nowdate

from frappe_support.issues import compliance_months
from frappe_support.permissions import require_staff


def execute(filters: dict | None = None):
	require_staff(_("The SLA Compliance report"))
	filters = frappe._dict(filters or {})
	start = getdate(filters.from_date or add_months(getdate(nowdate()).replace(day=1), -5))
	end = getdate(filters.to_date or nowdate())
	rows = [row(f) for f in compliance_months.figures(start, end, filters)]
	return columns(), rows, None if rows else empty_message(start, end), chart(rows)


def empty_message(start, end) -> str:
	"""Why the report is empty: it counts resolved issues only."""
	return _(
		"Only issues resolved (their deadline Met or Breached) from {0} to {1} count here, and none was. Widen the dates, or see the open issues in the Issues Due Soon report."
	).format(frappe.format(start, "Date"), frappe.format(end, "Date"))


def columns() -> list[dict]:
	return [
		{"label": _("Month"), "fieldname": "month", "fieldtype": "Data", "width": 100},
		{"label": _("Priority"), "fieldname": "priority", "fieldtype": "Data", "width": 90},
		{"label": _("Resolved Issues"), "fieldname": "issues", "fieldtype": "Int", "width": 130},
		{"label": _("Met"), "fieldname": "met", "fieldtype": "Int", "width": 80},
		{"label": _("Breached"), "fieldname": "breached", "fieldtype": "Int", "width": 90},
		{"label": _("% Met"), "fieldname": "percent_met", "fieldtype": "Percent", "width": 90},
		{
			"label": _("Median Business Hours to Resolve"),
			"fieldname": "median_hours",
			"fieldtype": "Float",
			"precision": 2,
			"width": 230,
		},
	]


def row(count) -> dict:
	met, median_hours = int(count.met), count.median_hours
	return {
		"month": count.month,
		"priority": _(count.priority),
		"issues": count.issues,
		"met": met,
		"breached": count.issues - met,
		"percent_met": round(100 * met / count.issues, 1),
		"median_hours": None if median_hours is None else round(float(median_hours), 2),
	}


def chart(rows: list[dict]) -> dict | None:
	if not rows:
		return None
	months = sorted({r["month"] for r in rows})
	totals = {m: [0, 0] for m in months}
	for r in rows:
		totals[r["month"]][0] += r["met"]
		totals[r["month"]][1] += r["issues"]
	return {
		"data": {
			"labels": months,
			"datasets": [
				{
					"name": _("% Met"),
					"values": [round(100 * m / n, 1) if n else 0 for m, n in totals.values()],
				}
			],
		},
		"type": "bar",
		"colors": ["#29CD42"],
	}
