"""The staff workspace's issue charts: issues raised and resolved per week, and the share of resolved
issues that met their deadline per month and priority. Each costs a query or two over the period shown."""

from __future__ import annotations

from datetime import date, timedelta

import frappe
from frappe import _
from frappe.query_builder.functions import Count, DateFormat
from frappe.utils import add_months, formatdate, getdate

from frappe_support.issues import compliance_months
from frappe_support.issues.compliance import PRIORITIES, months_between

WEEKS = 12
MONTHS = 6


def raised_and_resolved(weeks: int = WEEKS, today: date | None = None) -> dict:
	"""Per ISO week (Monday first, system time zone), the last `weeks` weeks: issues raised (opened) and
	issues resolved (their resolution time in the week; a reopened issue no longer counts)."""
	today = today or getdate()
	first = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
	mondays = [first + timedelta(weeks=k) for k in range(weeks)]
	keys = [d.strftime("%G-%V") for d in mondays]
	raised, resolved = per_week("opening_date", first), per_week("resolved_on", first)
	return {
		"labels": [formatdate(d, "dd MMM") for d in mondays],
		"datasets": [
			{"name": _("Raised"), "values": [raised.get(k, 0) for k in keys]},
			{"name": _("Resolved"), "values": [resolved.get(k, 0) for k in keys]},
		],
	}


def per_week(field: str, first: date) -> dict[str, int]:
	issue = frappe.qb.DocType("Support Issue")
	week = DateFormat(issue[field], "%x-%v")  # MariaDB's ISO year and week, as Python's %G-%V
	rows = (
		frappe.qb.from_(issue)
		.select(week.as_("week"), Count("*"))
		.where(issue[field] >= first)
		.groupby(week)
		.run()
	)
	return dict(rows)


def met_by_priority(months: int = MONTHS, today: date | None = None) -> dict:
	"""Per month, the last `months` months (this one included), the share of each priority's resolved
	issues that met their resolution deadline, from the SLA Compliance figures (0 for a month with none)."""
	today = today or getdate()
	start = add_months(today.replace(day=1), 1 - months)
	labels = months_between(start, today)
	found = {(f.month, f.priority): f for f in compliance_months.figures(start, today, frappe._dict())}
	return {
		"labels": labels,
		"datasets": [
			{
				"name": _(priority),
				"values": [percent(found.get((month, priority))) for month in labels],
			}
			for priority in PRIORITIES
		],
	}


def percent(figure) -> float:
	return round(100 * int(figure.met) / figure.issues, 1) if figure and figure.issues else 0
