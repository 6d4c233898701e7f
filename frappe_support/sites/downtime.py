"""A site's downtimes as the uptime checks (and heartbeats) find them: opened at the first failure, counted,
closed at the first good check; the High "Site down" issue raised once per outage (an outage while the last
one's issue is still open joins it), and the recovery logged on the issue and told to the holders.

Who is told of a site-down issue: the site's assigned engineer, the Support Managers and the holders who
asked for issue news, each once (the issue is raised under the site's row lock, in the check's transaction).
"""

from __future__ import annotations

import json
from datetime import datetime

import frappe
from frappe import _
from frappe.utils import escape_html, get_url_to_form, getdate

from frappe_support.common.dates import local
from frappe_support.common.mail import alert_desk, contract_holders, enabled_managers, send
from frappe_support.contracts.calendars import contract_zone
from frappe_support.contracts.lifecycle import active_contracts
from frappe_support.sites.uptime_rules import Decision, Step, duration_units

CATEGORY, TOPIC = "Server Deployment", "Uptime Monitoring"
CLOSED = ("Resolved", "Closed")


def apply(site: str, current, decision: Decision, at: datetime, reason: str, upgrade, source="Uptime Check"):
	"""Write one check's decision; returns the downtime it concerns (None when there is none)."""
	if decision.step in (Step.RECOVER, Step.SPLIT):
		close(current, at)
	if decision.step in (Step.OPEN, Step.SPLIT):
		current = open_downtime(site, at, reason, upgrade, source)
	elif decision.step is Step.COUNT:
		current.db_set(
			{"failures": decision.failures, "last_failed_on": at, "reason": reason}, update_modified=False
		)
	return current


def open_downtime(site: str, at: datetime, reason: str, upgrade: str | None, source: str):
	info = frappe.get_cached_value("Support Site", site, ["customer", "contract"], as_dict=True)
	doc = frappe.get_doc(
		{
			"doctype": "Support Site Downtime",
			"site": site,
			"customer": info.customer,
			"contract": info.contract,
			"source": source,
			"planned": int(bool(upgrade)),
			"upgrade_schedule": upgrade,
			"started_on": at,
			"last_failed_on": at,
			"failures": 1,
			"reason": reason,
		}
	).insert(ignore_permissions=True)
	frappe.db.set_value("Support Site", site, {"downtime": doc.name, "health": "Down"}, update_modified=False)
	return doc


def close(doc, at: datetime) -> None:
	minutes = max((at - doc.started_on).total_seconds() / 60, 0)
	doc.db_set({"ended_on": at, "duration_minutes": round(minutes, 1)}, update_modified=False)
	frappe.db.set_value(
		"Support Site", doc.site, {"downtime": None, "health": "Healthy"}, update_modified=False
	)
	if doc.issue:
		tell_recovered(doc)


def alert(doc) -> None:
	"""Raise the site-down issue for this downtime, or join the site's open one."""
	issue = open_site_down_issue(doc.site)
	if issue:
		doc.db_set("issue", issue, update_modified=False)
		log_on_issue(issue, _("Down again since {0}: {1}.").format(span_start(doc), doc.reason))
		tell_staff(frappe.get_doc("Support Issue", issue), doc, again=True)
		return
	issue = raise_issue(doc)
	doc.db_set("issue", issue.name, update_modified=False)
	tell_staff(issue, doc, again=False)
	tell_holders(issue, doc, recovered=False)


def open_site_down_issue(site: str) -> str | None:
	"""The site's unresolved issue raised by an earlier downtime, if any."""
	downtime, issue = frappe.qb.DocType("Support Site Downtime"), frappe.qb.DocType("Support Issue")
	rows = (
		frappe.qb.from_(downtime)
		.join(issue)
		.on(issue.name == downtime.issue)
		.select(issue.name)
		.where((downtime.site == site) & issue.status.notin(CLOSED))
		.orderby(issue.creation, order=frappe.qb.desc)
		.limit(1)
		.run()
	)
	return rows[0][0] if rows else None


def raise_issue(doc):
	site = frappe.get_cached_doc("Support Site", doc.site)
	issue = frappe.get_doc(
		{
			"doctype": "Support Issue",
			"subject": _("Site down: {0}").format(site.name),
			"customer": site.customer,
			"site": site.name,
			"priority": "High",
			"category": CATEGORY,
			"topic": TOPIC,
			"opening_date": doc.started_on,  # the clock starts at the first failed check
			"description": issue_description(site, doc),
		}
	)
	contract = site.contract or only_active_contract(site.customer, getdate(doc.started_on))
	issue.contract = contract
	if not contract:
		issue.flags.not_covered_reason = _("No active support contract covers site {0}.").format(site.name)
	issue.flags.ignore_permissions = True
	issue.insert()
	if site.engineer:
		assign(issue, site.engineer)
	return issue


def only_active_contract(customer: str, on) -> str | None:
	names = active_contracts(customer, on)
	return names[0] if len(names) == 1 else None


def assign(issue, engineer: str) -> None:
	from frappe.desk.form.assign_to import add

	add(
		{"doctype": "Support Issue", "name": issue.name, "assign_to": [engineer]},
		ignore_permissions=True,
	)
	issue.reload()


def issue_description(site, doc) -> str:
	lines = [
		_("The uptime checks of {0} failed {1} times in a row since {2}: {3}.").format(
			escape_html(site.site_url), doc.failures, span_start(doc), escape_html(doc.reason)
		)
		if doc.source == "Uptime Check"
		else _("The connector of {0} stopped reporting in: {1}.").format(
			escape_html(site.site_url), escape_html(doc.reason)
		),
		_("Recovery is logged here when the site answers again; close the issue once the cause is known."),
	]
	return "".join(f"<p>{line}</p>" for line in lines)


def zone_of(doc) -> str:
	return contract_zone(doc.contract)


def span_start(doc) -> str:
	return local(doc.started_on, zone_of(doc), "%Y-%m-%d %H:%M %Z")


def span_words(doc) -> str:
	"""'down 12 min, 09:03-09:15 CET' (the dates too when it did not start and end on one day)."""
	zone = zone_of(doc)
	same_day = getdate(doc.started_on) == getdate(doc.ended_on)
	start = local(doc.started_on, zone, "%H:%M" if same_day else "%Y-%m-%d %H:%M")
	end = local(doc.ended_on, zone, "%H:%M %Z" if same_day else "%Y-%m-%d %H:%M %Z")
	return _("down {0}, {1}-{2}").format(duration_words(doc.duration_minutes), start, end)


def duration_words(minutes: float) -> str:
	units = {"d": _("{0} d"), "h": _("{0} h"), "min": _("{0} min"), "s": _("{0} s")}
	return " ".join(units[unit].format(n) for unit, n in duration_units(minutes))


def reason_words(code: str, timeout: float) -> str:
	"""A check's failure in words (uptime_check gives it as a code)."""
	kind, _sep, detail = code.partition(":")
	words = {
		"http": _("HTTP {0}"),
		"timeout": _("no answer in {0} s").format(f"{timeout:g}"),
		"refused": _("connection refused"),
		"tls": _("TLS certificate not valid"),
		"not-json": _("HTTP 200 but not JSON"),
		"no-pong": _("HTTP 200 but no pong"),
		"connect": _("cannot connect: {0}"),
		"error": _("failed: {0}"),
	}
	return words.get(kind, code).format(detail)


def log_on_issue(issue: str, text: str) -> None:
	frappe.get_doc("Support Issue", issue).add_comment(
		"Info", text, comment_email="Administrator", comment_by=_("Uptime checks")
	)


def tell_recovered(doc) -> None:
	issue = frappe.get_doc("Support Issue", doc.issue)
	words = span_words(doc)
	log_on_issue(issue.name, _("Site {0} is up again: {1}.").format(doc.site, words))
	if issue.status not in CLOSED:
		tell_holders(issue, doc, recovered=True)


def staff_of(issue) -> list[str]:
	assigned = json.loads(issue.get("_assign") or "[]")
	return sorted(set(assigned) | set(enabled_managers()))


def tell_staff(issue, doc, again: bool) -> None:
	staff = staff_of(issue)
	if not staff:
		return
	subject = (_("{0} is down again ({1})") if again else _("{0} is down: High issue {1} raised")).format(
		doc.site, issue.name
	)
	send(
		issue,
		customer=False,
		recipients=staff,
		subject=subject,
		template="support_site_down",
		args={
			"internal": True,
			"issue": issue,
			"doc": doc,
			"since": span_start(doc),
			"link": get_url_to_form("Support Issue", issue.name),
		},
	)
	alert_desk(issue, subject, staff)


def tell_holders(issue, doc, recovered: bool) -> None:
	holders = contract_holders(issue.contract, "issues") if issue.contract else []
	if not holders:
		return
	if recovered:
		subject = _("Your site {0} is up again").format(doc.site)
		template = "support_site_up"
		args = {"issue": issue, "doc": doc, "words": span_words(doc)}
	else:
		subject = _("Your site {0} is down: we are on it (issue {1})").format(doc.site, issue.name)
		template = "support_site_down"
		args = {"internal": False, "issue": issue, "doc": doc, "since": span_start(doc), "link": None}
	send(issue, customer=True, recipients=holders, subject=subject, template=template, args=args)
