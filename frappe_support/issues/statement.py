"""The monthly SLA statement of a support contract: what was raised and resolved in a calendar month of the
customer's time zone (the contract calendar's), per priority how many deadlines were met, and every issue
with its deadlines and outcome, all times in that zone.

The "SLA Statement" print format on Support Contract renders it (`sla_statement` is a Jinja method); the
month comes from the print URL's `month=YYYY-MM`, else it is the last complete month.
"""

from __future__ import annotations

from datetime import datetime
from statistics import median
from zoneinfo import ZoneInfo

import frappe
from frappe import _

from frappe_support.common.dates import month_bounds, system_zone, to_aware, to_stored, wall_clock
from frappe_support.contracts.calendars import calendar_zone

PRIORITIES = ("High", "Medium", "Low")
ISSUE_FIELDS = [
	"name",
	"subject",
	"priority",
	"status",
	"sla_state",
	"opening_date",
	"response_by",
	"first_responded_on",
	"response_state",
	"resolution_by",
	"resolved_on",
	"resolution_hours",
	"coverage_note",
]


def sla_statement(contract: str, month: str | None = None) -> dict:
	doc = frappe.get_doc("Support Contract", contract)
	if not frappe.flags.ignore_print_permissions:  # set by the customer API, which checked the contract
		doc.check_permission("read")
	zone = statement_zone(doc)
	start, end = month_bounds(month or frappe.form_dict.get("month") or last_month(zone), zone)
	issues = statement_issues(doc.name, to_stored(start), to_stored(end))
	period = Month(zone, start, end)
	rows = [issue_row(i, period) for i in issues]
	return {
		"month": start.strftime("%Y-%m"),
		"title": _("SLA Statement for {0}").format(_(start.strftime("%B")) + start.strftime(" %Y")),
		"timezone": zone.key,
		"calendar": frappe.get_cached_doc("Support Calendar", doc.calendar).calendar_name
		if doc.calendar
		else "",
		"summary": summary(rows),
		"issues": rows,
	}


SHORT = "%Y-%m-%d %H:%M"  # the statement's columns: the zone is said once, in its heading


def statement_zone(doc) -> ZoneInfo:
	return ZoneInfo(calendar_zone(doc.calendar))


def last_month(zone: ZoneInfo) -> str:
	today = datetime.now(zone)
	year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
	return f"{year:04d}-{month:02d}"


def statement_issues(contract: str, start: datetime, end: datetime) -> list:
	"""The contract's issues raised or resolved in [start, end) (the caller has checked the contract may be
	read: every issue of a contract is its customer's)."""
	fields = ISSUE_FIELDS
	raised = frappe.get_all(
		"Support Issue",
		filters=[["contract", "=", contract], ["opening_date", ">=", start], ["opening_date", "<", end]],
		fields=fields,
		limit_page_length=0,
	)
	resolved_later = frappe.get_all(  # raised before the month (those raised in it are read above)
		"Support Issue",
		filters=[
			["contract", "=", contract],
			["resolved_on", ">=", start],
			["resolved_on", "<", end],
			["opening_date", "<", start],
		],
		fields=fields,
		limit_page_length=0,
	)
	return sorted(raised + resolved_later, key=lambda i: (i.opening_date, i.name))


class Month:
	"""What every row of one statement shares: its bounds, its zone's clock, the labels translated once."""

	def __init__(self, zone: ZoneInfo, start: datetime, end: datetime):
		self.start, self.end = start, end
		self.clock = wall_clock(zone, SHORT)
		self.stored_zone = system_zone()
		self.labels: dict[str, str] = {}

	def label(self, value: str) -> str:
		if value not in self.labels:
			self.labels[value] = _(value)
		return self.labels[value]

	def holds(self, stored: datetime | None) -> bool:
		return bool(stored) and self.start <= to_aware(stored, self.stored_zone) < self.end


def issue_row(issue, month: Month) -> dict:
	resolved_in_month = month.holds(issue.resolved_on) and issue.sla_state in ("Met", "Breached")
	clock = month.clock
	return {
		"name": issue.name,
		"subject": issue.subject,
		"priority": issue.priority,
		"priority_label": month.label(issue.priority),
		"raised": clock(issue.opening_date),
		"raised_in_month": month.holds(issue.opening_date),
		"response_by": clock(issue.response_by),
		"responded": clock(issue.first_responded_on),
		"response_met": issue.response_state == "Met",
		"resolution_by": clock(issue.resolution_by),
		"resolved": clock(issue.resolved_on),
		"resolved_in_month": resolved_in_month,
		"met": resolved_in_month and issue.sla_state == "Met",
		"hours": issue.resolution_hours if resolved_in_month else None,
		"outcome": outcome(issue, resolved_in_month, month),
	}


def outcome(issue, resolved_in_month: bool, month: Month) -> str:
	if issue.sla_state == "Not Covered":
		return _("Not covered: {0}").format(issue.coverage_note or "")
	if resolved_in_month:
		return _("Met") if issue.sla_state == "Met" else _("Breached")
	if issue.resolved_on:
		return _("Resolved in another month")
	return _("Open ({0})").format(month.label(issue.sla_state or issue.status))


def summary(rows: list[dict]) -> list[dict]:
	"""Per priority: raised in the month, responses in time, resolved in the month, met, breached, % met and
	the median business hours to resolve; and a total."""
	out = []
	for priority in (*PRIORITIES, None):
		members = [r for r in rows if priority is None or r["priority"] == priority]
		if priority is not None and not members:
			continue
		raised = [r for r in members if r["raised_in_month"]]
		resolved = [r for r in members if r["resolved_in_month"]]
		met = sum(1 for r in resolved if r["met"])
		spent = [r["hours"] for r in resolved if r["hours"] is not None]
		out.append(
			{
				"priority": _(priority) if priority else _("Total"),
				"raised": len(raised),
				"responded_in_time": sum(1 for r in raised if r["response_met"]),
				"resolved": len(resolved),
				"met": met,
				"breached": len(resolved) - met,
				"percent_met": round(100 * met / len(resolved), 1) if resolved else None,
				"median_hours": round(median(spent), 2) if spent else None,
			}
		)
	return out
