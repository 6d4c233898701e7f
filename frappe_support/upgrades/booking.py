"""Upgrade Schedules: booking rules, allowed status changes, and what an outcome does.

The window checks themselves are pure functions (`frappe_support.upgrades.windows`); this module reads
the contract, its calendar and the engineer's other windows, and turns each problem into a message that
says what to change.
"""

from __future__ import annotations

import re
from datetime import datetime

import frappe
from frappe import _
from frappe.utils import flt, get_datetime, getdate, now_datetime

from frappe_support.common.dates import to_aware
from frappe_support.common.settings import get_settings
from frappe_support.contracts import lifecycle as contracts
from frappe_support.contracts.calendars import get_business_calendar
from frappe_support.permissions import customers_of, is_customer_user
from frappe_support.sla import CalendarError
from frappe_support.upgrades.windows import WindowError, check_window, parse_access_window

OPEN = ("Requested", "Scheduled", "In Progress")
BOOKED = ("Scheduled", "In Progress")
TRANSITIONS = {
	"Requested": {"Scheduled", "Cancelled"},
	"Scheduled": {"Requested", "In Progress", "Cancelled"},
	"In Progress": {"Completed", "Failed", "Rolled Back"},
	"Failed": {"Rolled Back", "Scheduled"},
	"Completed": set(),
	"Rolled Back": set(),
	"Cancelled": set(),
}
CUSTOMER_STATUSES = ("Requested", "Cancelled")
TOPIC = {
	"Failing Patch": "Failing Patches",
	"Slow Patch": "Slow Patches",
	"Dependency Issue": "Dependency Issues",
}


def fill_from_site(doc) -> None:
	site = frappe.get_cached_doc("Support Site", doc.site)
	doc.contract = doc.contract or site.contract
	if not doc.contract:
		frappe.throw(
			_("Site {0} has no contract: link the site to its support contract first.").format(doc.site),
			title=_("No contract"),
		)
	doc.customer = frappe.get_cached_value("Support Contract", doc.contract, "customer")
	if site.customer != doc.customer:
		frappe.throw(
			_("Site {0} belongs to {1}, not to the contract's customer {2}.").format(
				doc.site, site.customer, doc.customer
			),
			title=_("Wrong site"),
		)
	if is_customer_user() and doc.customer not in customers_of():
		frappe.throw(_("You can book upgrades only for your own sites."), frappe.PermissionError)
	installed = {a.app_name: a.version for a in site.apps}
	for row in doc.apps:
		row.app_name = (row.app_name or "").strip().lower()
		row.from_version = row.from_version or installed.get(row.app_name)


def validate_transition(doc) -> None:
	before = doc.get_doc_before_save()
	old = before.status if before else None
	if old is None:
		if doc.status not in ("Requested", "Scheduled"):
			frappe.throw(
				_("A new upgrade starts as Requested or Scheduled, not {0}.").format(_(doc.status)),
				title=_("Wrong status"),
			)
	elif old != doc.status and doc.status not in TRANSITIONS[old]:
		allowed = ", ".join(_(s) for s in sorted(TRANSITIONS[old])) or _("none: it is finished")
		frappe.throw(
			_("An upgrade that is {0} cannot become {1}. From {0} it can become: {2}.").format(
				_(old), _(doc.status), allowed
			),
			title=_("Status change not allowed"),
		)
	if is_customer_user() and doc.status not in CUSTOMER_STATUSES:
		frappe.throw(
			_("You can request or cancel an upgrade; the support team schedules it."), frappe.PermissionError
		)
	if doc.status == "Scheduled" and not doc.engineer:
		frappe.throw(
			_("Choose the monitoring engineer before scheduling the upgrade."), title=_("Engineer missing")
		)
	if doc.status == "Failed" and not doc.outcome_category:
		frappe.throw(
			_(
				"Say why the upgrade failed: choose an Outcome Category (failing patch, slow patch, dependency issue or other)."
			),
			title=_("Outcome missing"),
		)


def reset_reminders(doc) -> None:
	"""A window that moves, or an upgrade scheduled again (after a failure, say), is a new appointment: its
	reminders are due again, and so is the warning if it passes while still Scheduled."""
	before = doc.get_doc_before_save()
	if before is None or doc.status != "Scheduled":
		return
	if before.status != "Scheduled" or moved(before, doc, ("window_start",)):
		doc.reminders_sent = None
		doc.overdue_notified = 0


def needs_booking_check(doc) -> bool:
	if doc.status not in ("Requested", "Scheduled"):
		return False
	before = doc.get_doc_before_save()
	return (
		before is None
		or moved(before, doc, ("window_start", "window_end"))
		or any(before.get(f) != doc.get(f) for f in ("engineer", "site", "status"))
	)


def moved(before, doc, fields: tuple[str, ...]) -> bool:
	"""A window field that holds another instant (not the same one written another way, as a form may)."""
	return any(get_datetime(before.get(f)) != get_datetime(doc.get(f)) for f in fields)


def validate_booking(doc) -> None:
	"""Every booking rule; all broken rules are said at once."""
	if not needs_booking_check(doc):
		return
	contract = frappe.get_cached_doc("Support Contract", doc.contract)
	start, end = to_aware(get_datetime(doc.window_start)), to_aware(get_datetime(doc.window_end))
	problems = []
	if not contract.covers_upgrade:
		problems.append(
			_("Contract {0} does not cover upgrades: add the upgrade service to the contract.").format(
				contract.name
			)
		)
	if not contracts.is_active_on(contract, getdate(doc.window_start)):
		problems.append(
			_("Contract {0} is not active on {1}: choose a date from {2} to {3}, or renew it.").format(
				contract.name,
				frappe.format(getdate(doc.window_start), "Date"),
				frappe.format(contract.start_date, "Date"),
				frappe.format(contract.end_date, "Date"),
			)
		)
	other = open_upgrade_of_site(doc)
	if other:
		problems.append(
			_("Site {0} already has an open upgrade, {1}: finish or cancel it first.").format(doc.site, other)
		)
	try:
		access = parse_access_window(contract.remote_access_window)
	except WindowError as e:
		access = ()
		problems.append(unreadable_window(e, contract))
	cal = get_business_calendar(contract.calendar)
	try:
		found = check_window(
			cal,
			start,
			end,
			now=to_aware(now_datetime()),
			lead_hours=flt(get_settings().upgrade_lead_hours),
			access=access,
			busy=engineer_busy(doc),
		)
	except CalendarError as e:  # WindowError included
		frappe.throw(e.translated(_), title=_("Window not checked"))
	problems += [problem_message(p, cal, contract) for p in found]
	if problems:
		frappe.throw("<br>".join(problems), title=_("This window cannot be booked"))


def unreadable_window(error: WindowError, contract) -> str:
	return _("The contract's remote-access window cannot be read ({0}): correct it on contract {1}.").format(
		error.translated(_), contract.name
	)


def access_window(contract) -> tuple:
	"""The contract's remote-access window; one that cannot be read allows no window at all."""
	try:
		return parse_access_window(contract.remote_access_window)
	except WindowError as e:
		frappe.throw(unreadable_window(e, contract), title=_("No upgrade window can be offered"))


def open_upgrade_of_site(doc) -> str | None:
	return frappe.db.get_value(
		"Upgrade Schedule",
		{"site": doc.site, "status": ("in", OPEN), "name": ("!=", doc.name or "")},
		"name",
	)


def engineer_busy(doc) -> list[tuple[datetime, datetime]]:
	"""The monitoring engineer's other open windows that could overlap this one."""
	if not doc.engineer:
		return []
	schedule = frappe.qb.DocType("Upgrade Schedule")
	rows = (
		frappe.qb.from_(schedule)
		.select(schedule.window_start, schedule.window_end)
		.where(
			(schedule.engineer == doc.engineer)
			& schedule.status.isin(OPEN)
			& (schedule.name != (doc.name or ""))
			& (schedule.window_start < doc.window_end)
			& (schedule.window_end > doc.window_start)
		)
		.run()
	)
	return [(to_aware(get_datetime(s)), to_aware(get_datetime(e))) for s, e in rows]


def local(value: datetime, zone: str) -> str:
	from zoneinfo import ZoneInfo

	return value.astimezone(ZoneInfo(zone)).strftime("%a %Y-%m-%d %H:%M %Z")


def problem_message(problem, cal, contract) -> str:
	zone = cal.timezone
	detail = problem.detail
	match problem.code:
		case "not_after_start":
			return _("The window must end after it starts.")
		case "outside_open_time":
			return _(
				"The window runs outside calendar {0}'s open time (closed at {1}): move it inside business hours."
			).format(contract.calendar, local(detail["closed_at"], zone))
		case "outside_access":
			return _(
				"The window leaves the contract's remote-access window ({0}) at {1}: move it inside that window."
			).format(contract.remote_access_window, local(detail["closed_at"], zone))
		case "too_soon":
			return _("Book at least the lead time ahead: the earliest start is {0}.").format(
				local(cal.clock_start(detail["earliest"]), zone)
			)
		case "engineer_busy":
			return _(
				"The engineer already monitors an upgrade from {0} to {1}: choose another engineer or time."
			).format(local(detail["start"], zone), local(detail["end"], zone))
	return problem.code


def stamp_progress(doc) -> None:
	before = doc.get_doc_before_save()
	if before is None or before.status == doc.status:
		return
	if doc.status == "In Progress":
		doc.started_on = doc.started_on or now_datetime()
	elif doc.status in ("Completed", "Failed", "Rolled Back"):
		doc.finished_on = now_datetime()


PATCH_LINE = re.compile(
	r"(?:Executing\s+)?(?P<patch>[\w.]+(?:\s*#[^\s]*)?)\D*?(?P<secs>\d+(?:\.\d+)?)\s*s(?:ec(?:ond)?s?)?\b"
)


def read_patch_timings(doc) -> None:
	"""Patch timings from the pasted log, slowest first (kept as typed when the log has none)."""
	if not doc.log or not doc.has_value_changed("log"):
		return
	timings = {}
	for line in doc.log.splitlines():
		match = PATCH_LINE.search(line)
		if match and "." in match["patch"]:
			timings[match["patch"].strip()] = float(match["secs"])
	if timings:
		doc.set(
			"patch_timings",
			[{"patch": p, "seconds": s} for p, s in sorted(timings.items(), key=lambda kv: -kv[1])],
		)


def apply_outcome(doc) -> None:
	"""After a status change: Completed updates the site's versions; Failed opens a High issue."""
	before = doc.get_doc_before_save()
	if before is None or before.status == doc.status:
		return
	if doc.status == "Completed":
		complete(doc)
	elif doc.status == "Failed" and not doc.issue:
		open_issue(doc)


def complete(doc) -> None:
	site = frappe.get_doc("Support Site", doc.site)
	rows = {a.app_name: a for a in site.apps}
	for app in doc.apps:
		row = rows.get(app.app_name) or site.append("apps", {"app_name": app.app_name})
		row.version = app.to_version
	site.last_upgraded_on = doc.finished_on or now_datetime()
	site.cadence_reminded_on = None
	site.flags.ignore_permissions = True
	site.save()  # matches the site again against published advisories


def open_issue(doc) -> None:
	issue = frappe.get_doc(
		{
			"doctype": "Support Issue",
			"subject": _("Upgrade {0} of {1} failed: {2}").format(
				doc.name, doc.site, _(doc.outcome_category)
			),
			"customer": doc.customer,
			"contract": doc.contract,
			"site": doc.site,
			"priority": "High",
			"category": "Upgrade",
			"topic": TOPIC.get(doc.outcome_category),
			"upgrade_schedule": doc.name,
			"description": issue_description(doc),
		}
	)
	issue.flags.ignore_permissions = True
	issue.insert()
	doc.db_set("issue", issue.name)


def issue_description(doc) -> str:
	lines = [
		_("Upgrade window {0} to {1}, monitored by {2}.").format(
			frappe.format(doc.window_start, "Datetime"),
			frappe.format(doc.window_end, "Datetime"),
			doc.engineer,
		),
		_("Outcome: {0}. {1}").format(_(doc.outcome_category), doc.outcome_notes or ""),
	]
	lines += [f"{a.app_name}: {a.from_version or '?'} → {a.to_version}" for a in doc.apps]
	slowest = sorted(doc.patch_timings, key=lambda r: -(r.seconds or 0))[:5]
	lines += [_("Slow patch: {0} ({1} s)").format(r.patch, r.seconds) for r in slowest]
	return "<br>".join(frappe.utils.escape_html(line) for line in lines)
