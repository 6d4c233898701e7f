# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt
"""SLA Compliance: per month and priority, the resolved issues, how many met or missed their resolution
deadline, the share met, and the median business hours to resolve. Reads issues through the user's
permissions, so a customer sees only their own."""

from __future__ import annotations

from collections import defaultdict
from statistics import median

import frappe
from frappe import _
from frappe.utils import add_months, get_datetime, getdate, nowdate

from frappe_support.issues.deadlines import resolution_hours

PRIORITIES = ("High", "Medium", "Low")


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	start = getdate(filters.from_date or add_months(getdate(nowdate()).replace(day=1), -5))
	end = getdate(filters.to_date or nowdate())
	rows = compliance_rows(issues(start, end, filters), resolution_hours)
	return columns(), rows, None, chart(rows)


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


def issues(start, end, filters) -> list[frappe._dict]:
	conditions = {
		"status": ("in", ("Resolved", "Closed")),
		"sla_state": ("in", ("Met", "Breached")),
		"resolved_on": ("between", (get_datetime(f"{start} 00:00:00"), get_datetime(f"{end} 23:59:59"))),
	}
	for field in ("customer", "priority", "contract"):
		if filters.get(field):
			conditions[field] = filters[field]
	return frappe.get_list(
		"Support Issue",
		filters=conditions,
		fields=["name", "priority", "resolved_on", "sla_state"],
		order_by="resolved_on asc",
		limit_page_length=0,
	)


def compliance_rows(found: list, hours_of) -> list[dict]:
	hours = hours_of([i.name for i in found])
	groups: dict[tuple[str, str], list] = defaultdict(list)
	for issue in found:
		groups[(getdate(issue.resolved_on).strftime("%Y-%m"), issue.priority)].append(issue)
	rows = []
	for (month, priority), members in sorted(
		groups.items(), key=lambda kv: (kv[0][0], PRIORITIES.index(kv[0][1]))
	):
		met = sum(1 for i in members if i.sla_state == "Met")
		spent = [hours[i.name] for i in members if hours.get(i.name) is not None]
		rows.append(
			{
				"month": month,
				"priority": _(priority),
				"issues": len(members),
				"met": met,
				"breached": len(members) - met,
				"percent_met": round(100 * met / len(members), 1),
				"median_hours": round(median(spent), 2) if spent else None,
			}
		)
	return rows


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
