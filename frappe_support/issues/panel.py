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
from frappe_support.issues import deadlines
from frappe_support.sla import countdown
from frappe_support.sla.clock import measuring_calendar


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
	panel["explanation"] = deadlines.explain(issue, targets)
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
