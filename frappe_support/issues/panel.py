"""What the Support Issue form shows of its SLA: a live countdown per clock, why the deadline is where it is,
and the SLA log as a timeline.

The countdown is in business time: the server says how many business seconds are left now, whether the
contract's calendar is open (the countdown is moving) and in how many seconds it next opens or closes; the
browser counts down from that without asking again until then.
"""

from __future__ import annotations

from datetime import datetime

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime

from frappe_support.common.dates import to_aware
from frappe_support.common.fields import parsed
from frappe_support.issues import deadlines, explanations
from frappe_support.sla import countdown
from frappe_support.sla.clock import measuring_calendar
from frappe_support.sla.durations import format_support_time


@frappe.whitelist()
def get_sla_panel(name: str) -> dict:
	issue = frappe.get_doc("Support Issue", name)
	issue.check_permission("read")
	return sla_panel(issue)


def sla_panel(issue, now: datetime | None = None) -> dict:
	now = get_datetime(now or now_datetime())
	panel = {
		"state": issue.sla_state,
		"status": issue.status,
		"coverage_note": issue.coverage_note,
		"clocks": [],
		"explanation": [],
		"response_explanation": [],
		"log": log_rows(issue),
	}
	if issue.sla_state == "Not Covered" or not issue.contract:
		return panel
	contract = frappe.get_cached_doc("Support Contract", issue.contract)
	targets = deadlines.load_targets(issue, contract)
	panel["timezone"] = targets.calendar.timezone
	panel["clocks"] = [
		clock
		for clock in (response_clock(issue, targets, now), resolution_clock(issue, targets, now))
		if clock
	]
	panel["explanation"] = explanations.explain(issue, targets)
	panel["response_explanation"] = explanations.explain_response(issue, targets)
	return panel


def response_clock(issue, targets: deadlines.Targets, now: datetime) -> dict | None:
	if issue.first_responded_on or issue.status in deadlines.FINISHED or not issue.response_by:
		return None
	measure = measuring_calendar(targets.calendar, targets.response_unit)
	return ticking(_("First response"), "Response", measure, now, issue.response_by)


def resolution_clock(issue, targets: deadlines.Targets, now: datetime) -> dict | None:
	label = _("Resolution")
	if issue.status in deadlines.FINISHED:
		return {
			"clock": "Resolution",
			"label": label,
			"finished": True,
			"met": issue.sla_state == "Met",
			"deadline": issue.resolution_by,
			"resolved_on": issue.resolved_on,
		}
	if issue.paused_since and not issue.resolution_by:
		return {
			"clock": "Resolution",
			"label": label,
			"paused": True,
			"paused_since": issue.paused_since,
			"remaining": round(issue.resolution_hours_left * 3600),
			"running": False,
		}
	if not issue.resolution_by:
		return None
	measure = measuring_calendar(targets.calendar, targets.resolution_unit)
	# paused after the deadline passed: overdue by what it was when the pause began, standing still
	paused = bool(issue.paused_since)
	at = get_datetime(issue.paused_since) if paused else now
	clock = ticking(label, "Resolution", measure, at, issue.resolution_by)
	clock["at_risk_on"] = issue.at_risk_on
	clock["paused"] = paused
	if paused:
		clock["running"] = False
		clock["changes_in"] = None
	return clock


def ticking(label: str, clock: str, measure, now: datetime, deadline) -> dict:
	c = countdown(measure, to_aware(now), to_aware(deadline))
	return {
		"clock": clock,
		"label": label,
		"deadline": deadline,
		"remaining": round(c.remaining),
		"running": c.running,
		"changes_in": None
		if c.changes_at is None
		else round(c.changes_at.timestamp() - to_aware(now).timestamp()),
	}


def log_rows(issue) -> list[dict]:
	return [
		{
			"event": row.event,
			"clock": row.clock,
			"at": row.at,
			"note": row.note,
			"consumed_hours": row.consumed_hours,
			"deadline": row.deadline,
		}
		for row in sorted(issue.get("sla_log") or [], key=lambda r: (get_datetime(r.at), r.idx))
	]


LIST_LIMIT = 500
CLOCK_FIELDS = (
	"name",
	"contract",
	"priority",
	"sla_state",
	"next_deadline",
	"response_by",
	"first_responded_on",
	"resolution_by",
	"paused_since",
)


@frappe.whitelist()
def list_clocks(names: list | str) -> dict[str, dict]:
	"""The issue list's deadline column in support time, for the issues on the page (one query)."""
	names = parsed(names, _("Names"))
	if not isinstance(names, list) or len(names) > LIST_LIMIT or not all(isinstance(n, str) for n in names):
		frappe.throw(_("Send the issue names as a list of at most {0}.").format(LIST_LIMIT))
	rows = frappe.get_list(
		"Support Issue",
		filters={"name": ("in", names or [""]), "next_deadline": ("is", "set")},
		fields=list(CLOCK_FIELDS),
		limit_page_length=0,
	)
	now = now_datetime()
	return {row.name: next_clock(row, now) for row in rows}


def next_clock(row, now: datetime) -> dict | None:
	"""How much support time is left before the issue's next deadline (negative: overdue by), and whether
	that clock is moving now: the contract's calendar is open and the issue is not paused."""
	if not row.next_deadline or not row.contract or row.sla_state == "Not Covered":
		return None
	clock, deadline = pending_clock(row)
	if not deadline:
		return None
	targets = deadlines.issue_targets(row)
	unit = targets.response_unit if clock == "Response" else targets.resolution_unit
	at = get_datetime(row.paused_since) if row.paused_since else now
	c = countdown(measuring_calendar(targets.calendar, unit), to_aware(at), to_aware(deadline))
	running, paused = c.running and not row.paused_since, bool(row.paused_since)
	return {
		"clock": clock,
		"remaining": round(c.remaining),
		"running": running,
		"paused": paused,
		# due, and standing still only because the calendar is closed: lists say so, not "Running"
		"off_hours": not running and not paused and c.remaining > 0,
	}


def pending_clock(row) -> tuple[str, object]:
	"""The clock whose deadline comes first: the first response while unanswered, else the resolution."""
	response, resolution = row.response_by, row.resolution_by
	if response and not row.first_responded_on:
		if not resolution or get_datetime(response) <= get_datetime(resolution):
			return "Response", response
	return "Resolution", resolution


def resolution_time_left(issue, now: datetime | None = None) -> str | None:
	"""The support time left before the resolution deadline in words ("6 h 30 min"); None once passed."""
	if not issue.resolution_by or not issue.contract or issue.sla_state == "Not Covered":
		return None
	targets = deadlines.issue_targets(issue)
	measure = measuring_calendar(targets.calendar, targets.resolution_unit)
	at = to_aware(get_datetime(now or now_datetime()))
	c = countdown(measure, at, to_aware(issue.resolution_by))
	return format_support_time(c.remaining, _) if c.remaining > 0 else None
