"""Who hears about an SLA event, and what they are told.

At risk: the assigned engineers and the Support Managers. A breach: the same staff and, for the
resolution deadline, the contract holders who asked for issue news. Staff get an email through Frappe's
Email Queue and a desk notification; contract holders get an email without internal details.
"""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import make_notification_logs
from frappe.utils import get_datetime, get_system_timezone, get_url_to_form

from frappe_support.support.calendars import to_aware


def what(flag: str) -> str:
	return {
		"at_risk_notified": _("is at risk of missing its resolution deadline"),
		"resolution_breach_notified": _("has missed its resolution deadline"),
		"response_breach_notified": _("has missed its first-response deadline"),
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
	}[flag]


def staff_recipients(issue) -> dict[str, str]:
	"""Enabled assigned engineers and Support Managers, each with the time zone they read times in."""
	assigned = json.loads(issue.get("_assign") or "[]")
	managers = frappe.get_all(
		"Has Role",
		filters={
			"role": "Support Manager",
			"parenttype": "User",
			"parent": ("not in", ("Administrator", "Guest")),
		},
		pluck="parent",
	)
	users = set(assigned) | set(managers)
	if not users:
		return {}
	rows = frappe.get_all(
		"User", filters={"name": ("in", list(users)), "enabled": 1}, fields=["name", "time_zone"]
	)
	return {r.name: r.time_zone or get_system_timezone() for r in rows}


def holder_recipients(issue) -> list[str]:
	rows = frappe.get_all(
		"Support Contract Holder",
		filters={"parent": issue.contract, "parenttype": "Support Contract", "notify_issues": 1},
		pluck="email_id",
	)
	return sorted({r for r in rows if r})


def deadline_for(issue, flag: str, zone: str) -> str:
	field = "response_by" if flag == "response_breach_notified" else "resolution_by"
	value = issue.get(field) or issue.get("at_risk_on")
	return to_aware(get_datetime(value)).astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


def send(doc, **kwargs) -> None:
	"""Queue one email about `doc`; without an outgoing Email Account the event still counts as handled,
	and the failure is logged."""
	try:
		frappe.sendmail(reference_doctype=doc.doctype, reference_name=doc.name, **kwargs)
	except frappe.OutgoingEmailError:
		frappe.log_error(
			title=_("{0} {1}: email not queued").format(_(doc.doctype), doc.name),
			reference_doctype=doc.doctype,
			reference_name=doc.name,
		)


def mail_event(issue, flag: str, recipients: list[str], subject: str, zone: str, internal: bool) -> None:
	"""One SLA event email; contract holders (internal=False) get no customer, contract or desk link."""
	send(
		issue,
		recipients=recipients,
		subject=subject,
		template="support_sla_event",
		args={
			"internal": internal,
			"issue": issue,
			"what": what(flag),
			"deadline": deadline_for(issue, flag, zone),
			"next_step": next_step(flag)
			if internal
			else _("Our engineers are on it; you will hear from us as soon as it is resolved."),
			"link": get_url_to_form("Support Issue", issue.name) if internal else None,
		},
	)


def notify_sla_event(issue, flag: str) -> None:
	staff = staff_recipients(issue)
	subject = _("{0} {1}: {2}").format(issue.name, what(flag), issue.subject)
	for user, zone in staff.items():
		mail_event(issue, flag, [user], subject, zone, internal=True)
	if staff:
		make_notification_logs(
			{
				"type": "Alert",
				"document_type": "Support Issue",
				"document_name": issue.name,
				"subject": subject,
				"from_user": "Administrator",
			},
			list(staff),
		)
	if flag == "resolution_breach_notified":
		holders = holder_recipients(issue)
		if holders:
			calendar = frappe.get_cached_value("Support Contract", issue.contract, "calendar")
			zone = frappe.get_cached_value("Support Calendar", calendar, "timezone") or get_system_timezone()
			subject = _("Your support issue {0} is past its promised resolution time").format(issue.name)
			mail_event(issue, flag, holders, subject, zone, internal=False)
