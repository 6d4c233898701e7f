"""Daily follow-up, as Frappe Support Settings say: issues left waiting for the customer too long go back
to Open (their clock resumes, so an engineer follows up), and issues still unresolved days after missing
their resolution deadline are escalated once to the Support Managers.

Both read only the rows that qualify, through a filtered query, and claim each escalation in the
database (a conditional UPDATE of `escalated_on`) before notifying, so a second run sends nothing twice.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_days, cint, get_datetime, now_datetime

from frappe_support.common.claims import claimed
from frappe_support.common.jobs import run_each
from frappe_support.common.settings import get_settings
from frappe_support.issues.deadlines import fill_rows
from frappe_support.issues.notifications import notify_sla_event

OPEN = ("Open", "Replied", "Waiting for Customer")


def run_daily_follow_up(commit: bool = True) -> dict[str, int]:
	"""Scheduler entry point (daily). Returns how many issues it reopened and escalated."""
	settings = get_settings()
	now = now_datetime()
	return {
		"reopened": reopen_waiting(cint(settings.reopen_waiting_after_days), now, commit),
		"escalated": escalate_breached(cint(settings.escalate_breached_after_days), now, commit),
	}


def issues_where(condition) -> list[str]:
	"""Names of the issues that qualify, read by one filtered query (never the open issues wholesale)."""
	issue = frappe.qb.DocType("Support Issue")
	return frappe.qb.from_(issue).select(issue.name).where(condition).run(pluck=True)


def reopen_waiting(days: int, now, commit: bool) -> int:
	if days <= 0:
		return 0
	issue = frappe.qb.DocType("Support Issue")
	names = issues_where(
		(issue.status == "Waiting for Customer") & (issue.paused_since <= add_days(now, -days))
	)
	done, _failed = run_each(
		"Support Issue",
		names,
		lambda name: reopen(name, days),
		_("Daily follow-up could not reopen Support Issue {0}"),
		commit,
	)
	return done


def reopen(name: str, days: int) -> int:
	issue = frappe.get_doc("Support Issue", name, for_update=True)
	if issue.status != "Waiting for Customer":
		return 0
	issue.status = "Open"
	issue.save(ignore_permissions=True)
	issue.add_comment(
		"Info",
		_("Reopened by the daily follow-up: no reply from the customer in {0} days.").format(days),
	)
	return 1


def escalate_breached(days: int, now, commit: bool) -> int:
	if days <= 0:
		return 0
	issue = frappe.qb.DocType("Support Issue")
	names = issues_where(
		(issue.resolution_breach_notified == 1)
		& issue.escalated_on.isnull()
		& issue.status.isin(OPEN)
		& (issue.resolution_by <= add_days(now, -days))
	)
	done, _failed = run_each(
		"Support Issue",
		names,
		lambda name: escalate(name, now, days),
		_("Daily follow-up could not escalate Support Issue {0}"),
		commit,
	)
	return done


def claim_escalation(name: str, now) -> bool:
	issue = frappe.qb.DocType("Support Issue")
	return claimed(
		frappe.qb.update(issue)
		.set(issue.escalated_on, now)
		.where((issue.name == name) & issue.escalated_on.isnull())
	)


def escalate(name: str, now, days: int) -> int:
	if not claim_escalation(name, now):
		return 0
	issue = frappe.get_doc("Support Issue", name)
	log_event(
		issue,
		"Escalated",
		"Resolution",
		get_datetime(now),
		_("Unresolved {0} days after the resolution deadline: escalated to the Support Managers.").format(
			days
		),
	)
	notify_sla_event(issue, "escalated")
	return 1


def log_event(issue, event: str, clock: str, at, note: str) -> None:
	"""Append a row to the SLA log without saving the whole issue: the row keeps the instant it happened,
	the business time used by then and the deadline in force."""
	row = issue.append("sla_log", {"event": event, "clock": clock, "at": at, "note": note})
	fill_rows(issue, [row])
	row.db_insert()
