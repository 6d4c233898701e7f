"""Who hears about an SLA event, and what they are told.

At risk: the assigned engineers and the Support Managers. A breach: the same staff and, for the
resolution deadline, the contract holders who asked for issue news. An escalation: the same staff. A
resolved issue: its raiser. Frappe Support Settings can switch each audience off, choose the sending
account and pause all customer mail. Staff get an email through Frappe's Email Queue (one per time zone,
so each reads the deadline in their own) and a desk notification; customers get an email without
internal details.
"""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import get_datetime, get_system_timezone, get_url_to_form

from frappe_support.common.dates import to_aware
from frappe_support.common.mail import alert_desk, contract_holders, send, users_with_role
from frappe_support.common.settings import get_settings
from frappe_support.contracts.calendars import contract_zone
from frappe_support.issues.panel import resolution_time_left


def what(flag: str) -> str:
	return {
		"at_risk_notified": _("is at risk of missing its resolution deadline"),
		"resolution_breach_notified": _("has missed its resolution deadline"),
		"response_breach_notified": _("has missed its first-response deadline"),
		"escalated": _("is escalated: it is still unresolved past its resolution deadline"),
	}[flag]


def next_step(flag: str) -> str:
	return {
		"at_risk_notified": _(
			"Resolve it, or reply and set it to Waiting for Customer if you need their input."
		),
		"resolution_breach_notified": _(
			"Resolve it as soon as possible and tell the customer what happens next."
		),
		"response_breach_notified": _("Reply to the customer now: the first response is overdue."),
		"escalated": _(
			"A Support Manager should take it over or agree the next step with the engineer today."
		),
	}[flag]


def staff_recipients(issue) -> dict[str, str]:
	"""Enabled assigned engineers and Support Managers (as the settings say), each with their time zone."""
	users = set()
	if get_settings().notifies("notify_assigned_engineers"):
		users |= set(json.loads(issue.get("_assign") or "[]"))
	if get_settings().notifies("notify_support_managers"):
		users |= set(users_with_role("Support Manager"))
	if not users:
		return {}
	rows = frappe.get_all(
		"User", filters={"name": ("in", list(users)), "enabled": 1}, fields=["name", "time_zone"]
	)
	return {r.name: r.time_zone or get_system_timezone() for r in rows}


def by_zone(recipients: dict[str, str]) -> dict[str, list[str]]:
	zones: dict[str, list[str]] = {}
	for user, zone in sorted(recipients.items()):
		zones.setdefault(zone, []).append(user)
	return zones


def deadline_for(issue, flag: str, zone: str) -> str:
	field = "response_by" if flag == "response_breach_notified" else "resolution_by"
	value = issue.get(field) or issue.get("at_risk_on")
	return to_aware(get_datetime(value)).astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


def mail_event(issue, flag: str, recipients: list[str], subject: str, zone: str, internal: bool) -> None:
	"""One SLA event email; contract holders (internal=False) get no customer, contract or desk link."""
	send(
		issue,
		customer=not internal,
		recipients=recipients,
		subject=subject,
		template="support_sla_event",
		args={
			"internal": internal,
			"issue": issue,
			"what": what(flag),
			"deadline": deadline_for(issue, flag, zone),
			"left": resolution_time_left(issue) if flag == "at_risk_notified" else None,
			"next_step": next_step(flag)
			if internal
			else _("Our engineers are on it; you will hear from us as soon as it is resolved."),
			"link": get_url_to_form("Support Issue", issue.name) if internal else None,
		},
	)


def notify_sla_event(issue, flag: str) -> None:
	"""Mail and desk alerts for one SLA event (a sweep flag, or "escalated")."""
	staff = staff_recipients(issue)
	subject = _("{0} {1}: {2}").format(issue.name, what(flag), issue.subject)
	for zone, users in by_zone(staff).items():
		mail_event(issue, flag, users, subject, zone, internal=True)
	alert_desk(issue, subject, list(staff))
	if flag == "resolution_breach_notified" and get_settings().notifies("notify_holders_on_breach"):
		holders = contract_holders(issue.contract, "issues")
		if holders:
			subject = _("Your support issue {0} is past its promised resolution time").format(issue.name)
			mail_event(issue, flag, holders, subject, contract_zone(issue.contract), internal=False)


def raiser_of(issue) -> tuple[str | None, str]:
	"""The raiser's address and the time zone they read times in (their user's, else the calendar's)."""
	email = issue.raised_by
	if not email and issue.owner not in ("Administrator", "Guest"):
		email = frappe.db.get_value("User", issue.owner, "email")
	if not email:
		return None, ""
	zone = frappe.db.get_value("User", {"email": email, "enabled": 1}, "time_zone")
	return email, zone or contract_zone(issue.contract)


def notify_resolved(issue) -> None:
	"""Tell the raiser their issue is resolved, and whether it was within the promised time."""
	if not get_settings().notifies("notify_raiser_on_resolve"):
		return
	email, zone = raiser_of(issue)
	if not email:
		return
	if issue.sla_state == "Met":
		verdict = _("It was resolved within the promised time.")
	elif issue.sla_state == "Breached":
		verdict = _("It was resolved after the promised time; we are sorry for the delay.")
	else:
		verdict = ""
	resolved = to_aware(get_datetime(issue.resolved_on)).astimezone(ZoneInfo(zone))
	deadline = (
		to_aware(get_datetime(issue.resolution_by)).astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")
		if issue.resolution_by
		else None
	)
	send(
		issue,
		customer=True,
		recipients=[email],
		subject=_("Your support issue {0} is resolved: {1}").format(issue.name, issue.subject),
		template="support_issue_resolved",
		args={
			"issue": issue,
			"resolved": resolved.strftime("%Y-%m-%d %H:%M %Z"),
			"deadline": deadline,
			"verdict": verdict,
		},
	)
