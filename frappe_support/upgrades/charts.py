"""The staff workspace's upgrade chart: upgrades finished per month, by outcome."""

from __future__ import annotations

from datetime import date

import frappe
from frappe import _
from frappe.query_builder.functions import Count, DateFormat
from frappe.utils import add_months, get_datetime, getdate

OUTCOMES = ("Completed", "Failed", "Rolled Back")
MONTHS = 6


def outcomes_per_month(months: int = MONTHS, today: date | None = None) -> dict:
	"""Per month of their finish (system time zone), the last `months` months: upgrades completed, failed
	and rolled back."""
	today = today or getdate()
	start = add_months(today.replace(day=1), 1 - months)
	labels = [add_months(start, k).strftime("%Y-%m") for k in range(months)]
	schedule = frappe.qb.DocType("Upgrade Schedule")
	month = DateFormat(schedule.finished_on, "%Y-%m")
	rows = (
		frappe.qb.from_(schedule)
		.select(month.as_("month"), schedule.status, Count("*"))
		.where((schedule.finished_on >= get_datetime(start)) & schedule.status.isin(OUTCOMES))
		.groupby(month, schedule.status)
		.run()
	)
	counts = {(m, status): n for m, status, n in rows}
	return {
		"labels": labels,
		"datasets": [
			{"name": _(status), "values": [counts.get((m, status), 0) for m in labels]} for status in OUTCOMES
		],
	}
