"""SLA compliance per month and priority: the resolved issues, how many met their resolution deadline, and
the median business hours to resolve.

Aggregated in the database over the issues' stored business hours to resolve and the covering
(resolved_on, status, sla_state, priority, resolution_hours) index: counts by GROUP BY, medians by a second
query that reads each group's middle values in order (`group_medians`). What reaches Python is one or two
rows per month and priority: two queries for any range, whatever the number of issues in it. Finished
months are kept (`compliance_months`), so a range costs the months it does not keep."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

import frappe
from frappe.query_builder.functions import Count, DateFormat, Sum
from frappe.utils import add_months, flt, get_datetime
from pypika.terms import Case, ValueWrapper

PRIORITIES = ("High", "Medium", "Low")
FIELDS = ("resolved_on", "status", "sla_state", "priority", "resolution_hours")  # what the figures read
FINISHED = ("Resolved", "Closed")
JUDGED = ("Met", "Breached")


def counts_in(doc) -> bool:
	"""Whether an issue counts in the figures of the month it was resolved in."""
	return bool(doc.resolved_on) and doc.status in FINISHED and doc.sla_state in JUDGED


def month_of(instant) -> str:
	return get_datetime(instant).strftime("%Y-%m")


def month_bounds(month: str) -> tuple[datetime, datetime]:
	"""The first and the last microsecond of a month ("YYYY-MM")."""
	first = get_datetime(f"{month}-01 00:00:00")
	return first, add_months(first, 1) - timedelta(microseconds=1)


def months_between(start: date, end: date) -> list[str]:
	months, month = [], start.replace(day=1)
	while month <= end:
		months.append(month.strftime("%Y-%m"))
		month = add_months(month, 1)
	return months


def figures(lo: datetime, hi: datetime, filters) -> list[frappe._dict]:
	"""Per month and priority of the issues resolved from lo to hi (both included): month, priority,
	issues, met and median_hours, in month and priority order."""
	counts = group_counts(lo, hi, filters)
	medians = group_medians(counts, lo, hi, filters)
	for count in counts:
		count.met = int(count.met)
		count.median_hours = medians.get((count.month, count.priority))
	return counts


def resolved_issues(lo: datetime, hi: datetime, filters):
	"""The issues resolved (met or breached) from lo to hi, both included, as a query to select from."""
	issue = frappe.qb.DocType("Support Issue")
	query = frappe.qb.from_(issue).where(
		issue.resolved_on[lo:hi] & issue.status.isin(FINISHED) & issue.sla_state.isin(JUDGED)
	)
	for field in ("customer", "priority", "contract"):
		if filters.get(field):
			query = query.where(issue[field] == filters[field])
	return issue, query


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
	return {group: round(sum(values) / len(values), 2) for group, values in middle.items()}


def middle_values(count, lo: datetime, hi: datetime, filters):
	first, last = month_bounds(count.month)
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
