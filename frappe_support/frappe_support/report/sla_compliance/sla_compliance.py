# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt
"""SLA Compliance: per month and priority, the resolved issues, how many met or missed their resolution
deadline, the share met, and the median business hours to resolve. For support staff (the report's roles).

Aggregated in the database over the issues' stored business hours to resolve and the covering
(resolved_on, status, sla_state, priority, resolution_hours) index: counts by GROUP BY, medians by a second
query that reads each group's middle values in order (`group_medians`). What reaches Python is one or two
rows per month and priority, and the report costs two queries whatever the number of issues."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

import frappe
from frappe import _
from frappe.query_builder.functions import Count, DateFormat, Sum
from frappe.utils import add_months, flt, get_datetime, getdate, nowdate
from pypika.terms import Case, ValueWrapper

from frappe_support.permissions import require_staff

PRIORITIES = ("High", "Medium", "Low")


def execute(filters: dict | None = None):
	require_staff(_("The SLA Compliance report"))
	filters = frappe._dict(filters or {})
	start = getdate(filters.from_date or add_months(getdate(nowdate()).replace(day=1), -5))
	end = getdate(filters.to_date or nowdate())
	rows = compliance_rows(start, end, filters)
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


def resolved_issues(lo: datetime, hi: datetime, filters):
	"""The issues resolved (met or breached) from lo to hi, both included, as a query to select from."""
	issue = frappe.qb.DocType("Support Issue")
	query = frappe.qb.from_(issue).where(
		issue.resolved_on[lo:hi]
		& issue.status.isin(("Resolved", "Closed"))
		& issue.sla_state.isin(("Met", "Breached"))
	)
	for field in ("customer", "priority", "contract"):
		if filters.get(field):
			query = query.where(issue[field] == filters[field])
	return issue, query


def compliance_rows(start, end, filters) -> list[dict]:
	lo, hi = get_datetime(f"{start} 00:00:00"), get_datetime(f"{end} 23:59:59")
	counts = group_counts(lo, hi, filters)
	medians = group_medians(counts, lo, hi, filters)
	return [row(c, medians.get((c.month, c.priority))) for c in counts]


def group_counts(lo: datetime, hi: datetime, filters) -> list:
	"""Resolved and met issues per month and priority, in the report's order."""
	issue, query = resolved_issues(lo, hi, filters)
	month = DateFormat(issue.resolved_on, "%Y-%m")
	counts = (
		query.select(
			month.as_("month"),
			issue.priority,
			Count("*").as_("issues"),
			Sum(Case().when(issue.sla_state == "Met", 1).else_(0)).as_("met"),
		)
		.groupby(month, issue.priority)
		.run(as_dict=True)
	)
	return sorted(counts, key=lambda c: (c.month, PRIORITIES.index(c.priority)))


def group_medians(counts: list, lo: datetime, hi: datetime, filters) -> dict[tuple[str, str], float]:
	"""The median business hours of each group, in one query: per group, its one or two middle values
	read in the order of the hours (LIMIT 1 or 2 OFFSET (n - 1) // 2, the groups joined by UNION ALL), so
	the rows of a group never reach Python."""
	picks = [middle_values(c, lo, hi, filters) for c in counts]
	if not picks:
		return {}
	union = picks[0]
	for pick in picks[1:]:
		union = union.union_all(pick)
	middle = defaultdict(list)
	for r in union.run(as_dict=True):
		middle[(r.month, r.priority)].append(flt(r.resolution_hours))
	return {group: sum(values) / len(values) for group, values in middle.items()}


def middle_values(count, lo: datetime, hi: datetime, filters):
	first = get_datetime(f"{count.month}-01 00:00:00")
	last = add_months(first, 1) - timedelta(microseconds=1)
	issue, query = resolved_issues(max(lo, first), min(hi, last), filters)
	return (
		query.select(
			ValueWrapper(count.month).as_("month"),
			ValueWrapper(count.priority).as_("priority"),
			issue.resolution_hours,
		)
		.where(issue.priority == count.priority)
		.orderby(issue.resolution_hours)
		.limit(2 - count.issues % 2)
		.offset((count.issues - 1) // 2)
	)


def row(count, median_hours) -> dict:
	met = int(count.met)
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
