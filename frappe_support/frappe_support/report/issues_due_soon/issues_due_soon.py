# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt
"""Issues Due Soon: open issues whose resolution deadline falls within the next hours (or has passed),
soonest first, with the business time left on their contract's calendar. Reads issues through the user's
permissions, so a customer sees only their own."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_to_date, cint, get_datetime, now_datetime

from frappe_support.common.dates import to_aware
from frappe_support.common.report_columns import customer_column
from frappe_support.contracts.calendars import get_business_calendar


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	hours = cint(filters.hours) or 24
	now = now_datetime()
	conditions = {
		"status": ("in", ("Open", "Replied")),
		"sla_state": ("in", ("Running", "At Risk", "Breached")),
		"resolution_by": ("<=", add_to_date(now, hours=hours)),
	}
	for field in ("customer", "priority"):
		if filters.get(field):
			conditions[field] = filters[field]
	found = frappe.get_list(
		"Support Issue",
		filters=conditions,
		fields=["name", "subject", "customer", "priority", "sla_state", "resolution_by", "contract"],
		order_by="resolution_by asc",
		limit_page_length=500,
	)
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
