"""The SLA of a Support Issue: clock start, response and resolution deadlines, pauses, and the SLA log.

The log is the record of every clock event; pauses are read back from its Paused/Resumed rows, so a
recomputation (priority change, calendar or plan edit) always credits exactly the paused business time.
Closed issues are never recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import frappe
from frappe import _
from frappe.utils import flt, get_datetime, now_datetime

from frappe_support.common.dates import local, to_aware, to_stored
from frappe_support.contracts.calendars import contract_zone, get_business_calendar
from frappe_support.issues.coverage import not_covered_reason
from frappe_support.permissions import is_staff
from frappe_support.sla import BusinessCalendar, CalendarError, Pause, consumed, run_clock
from frappe_support.sla.clock import measuring_calendar

PAUSED = ("Waiting for Customer", "Resolved")
FINISHED = ("Resolved", "Closed")
EPSILON = 0.5  # seconds: deadlines are stored to the second


# The due_order of an issue with no deadline (finished, paused, not covered): the lists show it last.
NO_DEADLINE = datetime(9999, 12, 31, 23, 59, 59)


@dataclass(frozen=True)
class Targets:
	calendar: BusinessCalendar
	response_time: float
	response_unit: str
	resolution_time: float
	resolution_unit: str
	at_risk_fraction: float


def load_targets(issue, contract) -> Targets:
	plan = frappe.get_cached_doc("Support Plan", contract.plan)
	row = next((t for t in plan.targets if t.priority == issue.priority), None)
	if row is None:
		frappe.throw(
			_("Support Plan {0} has no target for priority {1}: add a row for it to the plan.").format(
				plan.name, _(issue.priority)
			),
			title=_("Missing target"),
		)
	percent = flt(frappe.get_cached_doc("Frappe Support Settings").at_risk_percent) or 75
	return Targets(
		calendar=get_business_calendar(contract.calendar),
		response_time=flt(row.response_time),
		response_unit=row.response_unit,
		resolution_time=flt(row.resolution_time),
		resolution_unit=row.resolution_unit,
		at_risk_fraction=min(max(percent, 1), 100) / 100,
	)


def issue_targets(issue) -> Targets:
	"""The targets of the issue's priority under its contract (cached documents)."""
	return load_targets(issue, frappe.get_cached_doc("Support Contract", issue.contract))


def pauses_from_log(issue) -> list[Pause]:
	pauses, open_row = [], None
	for row in issue.get("sla_log") or []:
		if row.event == "Paused" and open_row is None:
			open_row = row
		elif row.event == "Resumed" and open_row is not None:
			pauses.append(Pause(to_aware(open_row.at), to_aware(row.at), open_row.note or ""))
			open_row = None
	if open_row is not None:
		pauses.append(Pause(to_aware(open_row.at), None, open_row.note or ""))
	return pauses


class IssueSla:
	"""Brings one Support Issue's SLA fields and log up to date during its validate."""

	def __init__(self, issue, now: datetime | None = None):
		self.issue = issue
		self.before = None if issue.is_new() else issue.get_doc_before_save()
		self.now = get_datetime(now or now_datetime())
		self.new_rows: list = []
		self.resolution_met: bool | None = None

	# -- entry point -----------------------------------------------------------------------------------
	def update(self) -> None:
		issue = self.issue
		if self.before and self.before.status == "Closed":
			return
		if not issue.contract:
			self.mark_not_covered(issue.flags.not_covered_reason or _("No support contract."))
			return
		contract = frappe.get_cached_doc("Support Contract", issue.contract)
		reason = not_covered_reason(contract, issue.category, issue.topic)
		if reason:
			self.mark_not_covered(reason)
			return
		targets = load_targets(issue, contract)
		self.start_clock(targets)
		self.track_response()
		self.track_status()
		self.track_priority()
		old_deadline = self.before.resolution_by if self.before else None
		try:
			self.recompute(targets)
		except CalendarError as e:
			frappe.throw(e.translated(_), title=_("SLA could not be computed"))
		self.track_recompute(old_deadline)
		self.fill_new_rows(targets)
		self.schedule_sweep()
		self.set_next_deadline()

	# -- steps -----------------------------------------------------------------------------------------
	def log(self, event: str, clock: str, at: datetime, note: str = ""):
		row = self.issue.append("sla_log", {"event": event, "clock": clock, "at": at, "note": note})
		self.new_rows.append(row)
		return row

	def mark_not_covered(self, reason: str) -> None:
		issue = self.issue
		if issue.sla_state != "Not Covered" or issue.coverage_note != reason:
			self.log("Not Covered", "Both", self.now, reason)
		issue.update(
			{
				"sla_state": "Not Covered",
				"coverage_note": reason,
				"sla_start": None,
				"response_by": None,
				"response_state": "",
				"resolution_by": None,
				"at_risk_on": None,
				"paused_since": None,
				"resolution_hours_left": 0,
				"resolution_hours": 0,
				"next_sla_check_on": None,
				"next_deadline": None,
				"due_order": NO_DEADLINE,
			}
		)

	def start_clock(self, targets: Targets) -> None:
		issue = self.issue
		if issue.sla_start and issue.sla_state != "Not Covered":
			return
		issue.coverage_note = None
		raised = to_aware(issue.opening_date)
		issue.sla_start = to_stored(targets.calendar.clock_start(raised))
		if issue.sla_start == get_datetime(issue.opening_date):
			note = _("Clock started when the issue was raised.")
		else:
			note = _("Raised outside business hours: the clock starts at the next opening.")
		self.log("Started", "Both", issue.sla_start, note)

	def track_response(self) -> None:
		issue = self.issue
		if issue.first_responded_on:
			return
		at = issue.flags.get("first_response_at")
		if not at and self.before and self.before.status != issue.status and is_staff():
			at = self.now
		if at:
			issue.first_responded_on = get_datetime(at)
			self.log("Responded", "Response", issue.first_responded_on, self.response_note())

	def response_note(self) -> str:
		"""Why a first reply can come before the clock's start in the timeline (sorted by instant)."""
		issue = self.issue
		if not issue.sla_start or issue.first_responded_on >= get_datetime(issue.sla_start):
			return ""
		return _("Answered before support hours began: the clock starts later, so no support time was used.")

	def track_status(self) -> None:
		issue, before = self.issue, self.before
		old = before.status if before else None
		new = issue.status
		if old == new:
			return
		if new in PAUSED and old not in PAUSED:
			issue.paused_since = self.now
			self.log("Paused", "Resolution", self.now, _(new))
		elif old in PAUSED and new not in PAUSED and new != "Closed":
			issue.paused_since = None
			self.log("Resumed", "Resolution", self.now, _("Back to {0}").format(_(new)))
		if new in FINISHED and old not in FINISHED:
			issue.resolved_on = self.now
		elif old == "Resolved" and new not in FINISHED:
			issue.resolved_on = None
			self.log("Reopened", "Resolution", self.now)

	def track_priority(self) -> None:
		if self.before and self.before.priority != self.issue.priority:
			self.log(
				"Priority Changed",
				"Both",
				self.now,
				_("{0} to {1}: deadlines measured again from the start.").format(
					_(self.before.priority), _(self.issue.priority)
				),
			)

	def track_recompute(self, old_deadline) -> None:
		note = self.issue.flags.get("sla_recompute_note")
		if note:
			self.log(
				"Recomputed",
				"Both",
				self.now,
				_("{0}: resolution deadline {1} is now {2}.").format(
					note,
					local(old_deadline, contract_zone(self.issue.contract)) or _("(none)"),
					local(self.issue.resolution_by, contract_zone(self.issue.contract)) or _("(paused)"),
				),
			)

	def recompute(self, targets: Targets) -> None:
		issue, cal = self.issue, targets.calendar
		raised = to_aware(issue.opening_date)
		response = run_clock(cal, raised, targets.response_time, targets.response_unit)
		issue.response_by = to_stored(response.deadline)

		pauses = pauses_from_log(issue)
		open_pause = bool(pauses) and pauses[-1].end is None
		finished = issue.status in FINISHED
		running_pauses = pauses[:-1] if (open_pause and finished) else pauses
		resolution = run_clock(
			cal,
			raised,
			targets.resolution_time,
			targets.resolution_unit,
			running_pauses,
			targets.at_risk_fraction,
		)
		measure = measuring_calendar(cal, targets.resolution_unit)
		issue.resolution_by = to_stored(resolution.deadline)
		issue.at_risk_on = None if finished else to_stored(resolution.at_risk)
		if open_pause and not finished:
			used = consumed(measure, resolution.start, to_aware(self.now), pauses)
			issue.resolution_hours_left = round(max(resolution.target_seconds - used, 0) / 3600, 2)
		else:
			issue.resolution_hours_left = 0
		issue.resolution_hours = 0
		if finished and issue.resolved_on:
			used = consumed(measure, resolution.start, to_aware(issue.resolved_on), pauses)
			self.resolution_met = used <= resolution.target_seconds + EPSILON
			issue.resolution_hours = round(used / 3600, 2)  # what the reports and statements add up
		self.set_states(open_pause)

	def set_states(self, paused: bool) -> None:
		issue, now = self.issue, self.now
		response_by = get_datetime(issue.response_by)
		if issue.first_responded_on:
			issue.response_state = (
				"Met" if get_datetime(issue.first_responded_on) <= response_by else "Breached"
			)
		else:
			issue.response_state = "Breached" if now > response_by else "Pending"
		if issue.status in FINISHED:
			issue.sla_state = "Met" if self.resolution_met else "Breached"
		elif paused:
			# a deadline survives a pause only when it was reached before the pause began
			issue.sla_state = "Breached" if issue.resolution_by else "Paused"
		elif issue.resolution_by and now >= get_datetime(issue.resolution_by):
			issue.sla_state = "Breached"
		elif issue.at_risk_on and now >= get_datetime(issue.at_risk_on):
			issue.sla_state = "At Risk"
		else:
			issue.sla_state = "Running"
		if self.before is not None and self.before.status not in FINISHED and issue.status in FINISHED:
			self.log(issue.sla_state, "Resolution", get_datetime(issue.resolved_on))

	def schedule_sweep(self) -> None:
		"""Set the instant the SLA sweep must next look at this issue (empty: nothing pending).

		An event whose instant moved into the future again (a new target) may be notified again.
		"""
		issue, now = self.issue, self.now
		pending = []
		for flag, instant, open_ in due_events(issue):
			if instant and get_datetime(instant) > now and issue.get(flag):
				issue.set(flag, 0)
			if open_ and instant and not issue.get(flag):
				pending.append(get_datetime(instant))
		issue.next_sla_check_on = min(pending) if pending else None

	def set_next_deadline(self) -> None:
		self.issue.next_deadline = next_deadline(self.issue)
		self.issue.due_order = self.issue.next_deadline or NO_DEADLINE

	def fill_new_rows(self, targets: Targets) -> None:
		"""Business time used and the deadline in force, on every row this save added."""
		fill_rows(self.issue, self.new_rows, targets)


def fill_rows(issue, rows: list, targets: Targets | None = None) -> None:
	"""fill_row for rows just appended to the issue's log, with its targets and pauses read once."""
	if not rows:
		return
	targets, pauses = targets or issue_targets(issue), pauses_from_log(issue)
	for row in rows:
		fill_row(issue, row, targets, pauses)


def fill_row(issue, row, targets: Targets, pauses: list[Pause]) -> None:
	"""The business time the row's clock had used at the row's instant, and the deadline then in force."""
	start, at = to_aware(issue.sla_start), to_aware(row.at)
	if row.clock == "Response":
		measure = measuring_calendar(targets.calendar, targets.response_unit)
		row.consumed_hours = round(measure.business_seconds(start, at) / 3600, 2)
		row.deadline = issue.response_by
	else:
		measure = measuring_calendar(targets.calendar, targets.resolution_unit)
		row.consumed_hours = round(consumed(measure, start, at, pauses) / 3600, 2)
		row.deadline = issue.resolution_by


def next_deadline(issue) -> datetime | None:
	"""The deadline the issue must meet next (the issue list is sorted by it); None once finished, or while
	paused with no deadline passed."""
	if issue.status in FINISHED or issue.sla_state == "Not Covered":
		return None
	pending = [get_datetime(issue.resolution_by)] if issue.resolution_by else []
	if not issue.first_responded_on and issue.response_by:
		pending.append(get_datetime(issue.response_by))
	return min(pending) if pending else None


EVENTS = {
	# the sweep's flag: (log event, clock, new SLA state or None)
	"response_breach_notified": ("Breached", "Response", None),
	"at_risk_notified": ("Warned", "Resolution", "At Risk"),
	"resolution_breach_notified": ("Breached", "Resolution", "Breached"),
}


def due_events(issue) -> list[tuple[str, object, bool]]:
	"""(flag field, instant, still open) of each event the sweep marks: response breach, at risk, breach."""
	running = issue.status not in FINISHED and issue.sla_state != "Not Covered"
	return [
		("response_breach_notified", issue.response_by, running and not issue.first_responded_on),
		("at_risk_notified", issue.at_risk_on, running),
		("resolution_breach_notified", issue.resolution_by, running),
	]
