"""What the Upgrade Schedule's booking rules read and say: the allowed status changes, the contract's
problems with a window, the engineer's other windows, and each problem as a message that says what to change.

The rules run on the document (`UpgradeSchedule.validate`); the window checks themselves are pure
functions (`frappe_support.upgrades.windows`).
"""

from __future__ import annotations

import re
from datetime import datetime

import frappe
from frappe import _
from frappe.utils import flt, get_datetime, getdate, now_datetime

from frappe_support.common.dates import local, local_and_user, to_aware
from frappe_support.common.mail import enabled_users_with_role
from frappe_support.common.settings import get_settings
from frappe_support.contracts import lifecycle as contracts
from frappe_support.contracts.calendars import contract_zone, get_business_calendar
from frappe_support.sla import CalendarError
from frappe_support.upgrades.access import WindowError, parse_access_window
from frappe_support.upgrades.windows import check_window

OPEN = ("Requested", "Scheduled", "In Progress")
MONITORS = ("Support Engineer", "Support Manager")  # who may monitor an upgrade (and is offered)
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


def check_status_change(old: str | None, new: str) -> None:
	"""Refuse a status the upgrade cannot take from `old` (None: a new upgrade)."""
	if old is None:
		if new not in ("Requested", "Scheduled"):
			frappe.throw(
				_("A new upgrade starts as Requested or Scheduled, not {0}.").format(_(new)),
				title=_("Wrong status"),
			)
	elif old != new and new not in TRANSITIONS[old]:
		allowed = ", ".join(_(s) for s in sorted(TRANSITIONS[old])) or _("none: it is finished")
		frappe.throw(
			_("An upgrade that is {0} cannot become {1}. From {0} it can become: {2}.").format(
				_(old), _(new), allowed
			),
			title=_("Status change not allowed"),
		)


def moved(before, doc, fields: tuple[str, ...]) -> bool:
	"""A window field that holds another instant (not the same one written another way, as a form may)."""
	return any(get_datetime(before.get(f)) != get_datetime(doc.get(f)) for f in fields)


def contract_problems(doc, contract) -> list[str]:
	"""What the contract says against this window: no upgrade service, or not active on its date."""
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
	return problems


def window_problems(doc, contract) -> list[str]:
	"""The pure window checks (open time, access window, notice period, engineer's bookings), in words."""
	problems = []
	try:
		access = parse_access_window(contract.remote_access_window)
	except WindowError as e:
		access = ()
		problems.append(unreadable_window(e, contract))
	cal = get_business_calendar(contract.calendar)
	try:
		found = check_window(
			cal,
			to_aware(get_datetime(doc.window_start)),
			to_aware(get_datetime(doc.window_end)),
			now=to_aware(now_datetime()),
			lead_hours=flt(get_settings().upgrade_lead_hours),
			access=access,
			busy=engineer_busy(doc),
		)
	except CalendarError as e:  # WindowError included
		frappe.throw(e.translated(_), title=_("Window not checked"))
	return problems + [problem_message(p, cal, contract) for p in found]


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
	"""Another open upgrade of this schedule's site."""
	return open_upgrade(doc.site, other_than=doc.name)


def open_upgrade(site: str, other_than: str | None = None) -> str | None:
	"""The site's open upgrade (Requested, Scheduled or In Progress), if it has one."""
	return frappe.db.get_value(
		"Upgrade Schedule", {"site": site, "status": ("in", OPEN), "name": ("!=", other_than or "")}, "name"
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


def problem_message(problem, cal, contract) -> str:
	zone = cal.timezone
	detail = problem.detail
	match problem.code:
		case "not_after_start":
			return _("The window must end after it starts.")
		case "outside_open_time":
			return _(
				"The window runs outside calendar {0}'s open time (closed at {1}): move it inside business hours."
			).format(contract.calendar, local_and_user(detail["closed_at"], zone))
		case "outside_access":
			return _(
				"The window leaves the contract's remote-access window ({0}) at {1}: move it inside that window."
			).format(contract.remote_access_window, local_and_user(detail["closed_at"], zone))
		case "too_soon":
			return _("Book at least the lead time ahead: the earliest start is {0}.").format(
				local_and_user(cal.clock_start(detail["earliest"]), zone)
			)
		case "engineer_busy":
			return _(
				"The engineer already monitors an upgrade from {0} to {1}: choose another engineer or time."
			).format(local_and_user(detail["start"], zone), local_and_user(detail["end"], zone))
	return problem.code


PATCH_LINE = re.compile(
	r"(?:Executing\s+)?(?P<patch>[\w.]+(?:\s*#[^\s]*)?)\D*?(?P<secs>\d+(?:\.\d+)?)\s*s(?:ec(?:ond)?s?)?\b"
)


def patch_timings(log: str) -> list[tuple[str, float]]:
	"""(patch, seconds) read from a pasted `bench migrate` log, slowest first."""
	timings = {}
	for line in log.splitlines():
		match = PATCH_LINE.search(line)
		if match and "." in match["patch"]:
			timings[match["patch"].strip()] = float(match["secs"])
	return sorted(timings.items(), key=lambda kv: -kv[1])


def issue_description(doc) -> str:
	lines = [
		_("Upgrade window {0} to {1}, monitored by {2}.").format(
			local(doc.window_start, contract_zone(doc.contract)),
			local(doc.window_end, contract_zone(doc.contract)),
			doc.engineer,
		),
		_("Outcome: {0}. {1}").format(_(doc.outcome_category), doc.outcome_notes or ""),
	]
	lines += [f"{a.app_name}: {a.from_version or '?'} → {a.to_version}" for a in doc.apps]
	slowest = sorted(doc.patch_timings, key=lambda r: -(r.seconds or 0))[:5]
	lines += [_("Slow patch: {0} ({1} s)").format(r.patch, r.seconds) for r in slowest]
	return "<br>".join(frappe.utils.escape_html(line) for line in lines)


@frappe.whitelist()
@frappe.validate_and_sanitize_search_inputs
def engineer_query(doctype, txt, searchfield, start, page_len, filters):
	"""The Monitoring Engineer picker: enabled Support Engineers and Support Managers."""
	user = frappe.qb.DocType("User")
	role = frappe.qb.DocType("Has Role")
	return (
		frappe.qb.from_(user)
		.join(role)
		.on((role.parent == user.name) & (role.parenttype == "User"))
		.select(user.name, user.full_name)
		.distinct()
		.where(
			(user.enabled == 1)
			& role.role.isin(MONITORS)
			& user.name.notin(("Administrator", "Guest"))
			& ((user.name.like(f"%{txt}%")) | (user.full_name.like(f"%{txt}%")))
		)
		.orderby(user.name)
		.limit(page_len)
		.offset(start)
		.run()
	)


def missing_engineer_message() -> str:
	"""What to do when no engineer is chosen, and what to do when there is nobody to choose."""
	if enabled_users_with_role(MONITORS):
		return _("Choose the monitoring engineer before scheduling the upgrade.")
	return _(
		"Choose the monitoring engineer before scheduling the upgrade. Nobody can be chosen yet: give a user the Support Engineer or Support Manager role in {0}, then pick them here."
	).format('<a href="/app/user">' + _("Users") + "</a>")
