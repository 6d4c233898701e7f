# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt
"""Issues Due Soon: open issues whose resolution deadline falls within the next hours (or has passed),
soonest first, with the business time left on their contract's calendar. For support staff (the report's
roles)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_to_date, cint, get_datetime, now_datetime

from frappe_support.common.dates import to_aware
from frappe_support.common.report_columns import customer_column
from frappe_support.contracts.calendars import get_business_calendar
from frappe_support.permissions import require_staff


def execute(filters: dict | None = None):
	require_staff(_("The Issues Due Soon report"))
	filters = frappe._dict(filters or {})
	now = now_datetime()
	found = due_issues(now, cint(filters.hours) or 24, filters)
	calendars = {}
	for row in found:
		calendar = calendars.get(row.contract)
		if calendar is None:
			calendar = calendars[row.contract] = frappe.get_cached_value(
				"Support Contract", row.contract, "calendar"
			)
		left = get_business_calendar(calendar).business_seconds(
			to_aware(now), to_aware(get_datetime(row.resolution_by))
		)
		row.hours_left = round(left / 3600, 2)
		row.priority = _(row.priority)
		row.sla_state = _(row.sla_state)
	return columns(), found


def due_issues(now, hours: int, filters) -> list:
	"""Open issues on the clock whose resolution deadline is before now + hours, soonest first (a plain
	range on resolution_by: no IFNULL around it, so the index is used)."""
	issue = frappe.qb.DocType("Support Issue")
	query = (
		frappe.qb.from_(issue)
		.select(
			issue.name,
			issue.subject,
			issue.customer,
			issue.priority,
			issue.sla_state,
			issue.resolution_by,
			issue.contract,
		)
		.where(
			issue.status.isin(("Open", "Replied"))
			& issue.sla_state.isin(("Running", "At Risk", "Breached"))
			& (issue.resolution_by <= add_to_date(now, hours=hours))
		)
		.orderby(issue.resolution_by)
		.limit(500)
	)
	for field in ("customer", "priority"):
		if filters.get(field):
			query = query.where(issue[field] == filters[field])
	return query.run(as_dict=True)


def columns() -> list[dict]:
	return [
		{
			"label": _("Issue"),
			"fieldname": "name",
			"fieldtype": "Link",
			"options": "Support Issue",
			"width": 150,
		},
		{"label": _("Subject"), "fieldname": "subject", "fieldtype": "Data", "width": 240},
		customer_column(),
		{"label": _("Priority"), "fieldname": "priority", "fieldtype": "Data", "width": 80},
		{"label": _("SLA State"), "fieldname": "sla_state", "fieldtype": "Data", "width": 90},
		{"label": _("Resolution Due"), "fieldname": "resolution_by", "fieldtype": "Datetime", "width": 160},
		{
			"label": _("Business Hours Left"),
			"fieldname": "hours_left",
			"fieldtype": "Float",
			"precision": 2,
			"width": 150,
		},
	]
