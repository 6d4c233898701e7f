"""How an issue's deadlines were reached, in plain words: the engine's explanation of each clock (the first
response, then the resolution with its pauses), in the calendar's zone."""

from __future__ import annotations

from frappe import _
from frappe.utils import get_datetime

from frappe_support.common.dates import to_aware
from frappe_support.issues.deadlines import Targets, issue_targets, pauses_from_log
from frappe_support.sla import explain_clock


def explain(issue, targets: Targets | None = None) -> list[str]:
	"""How the issue's resolution deadline was reached, in plain words."""
	if issue.sla_state == "Not Covered":
		return [issue.coverage_note or _("Not covered by the contract.")]
	if targets is None:
		targets = issue_targets(issue)
	return explain_clock(
		targets.calendar,
		to_aware(issue.opening_date),
		targets.resolution_time,
		targets.resolution_unit,
		pauses_from_log(issue),
		translate=_,
	)


def explain_response(issue, targets: Targets | None = None) -> list[str]:
	"""How the issue's first-response deadline was reached (pauses do not move it), and how it went."""
	if issue.sla_state == "Not Covered" or not issue.response_by:
		return []
	if targets is None:
		targets = issue_targets(issue)
	cal = targets.calendar
	lines = cal.explain(to_aware(issue.opening_date), targets.response_time, targets.response_unit, _)
	if issue.first_responded_on:
		answered = to_aware(issue.first_responded_on)
		outcome = (
			_("First answered {0}: within the deadline.")
			if get_datetime(issue.first_responded_on) <= get_datetime(issue.response_by)
			else _("First answered {0}: after the deadline.")
		)
		lines.append(outcome.format(cal.format_instant(answered.timestamp())))
	return lines


def explain_both(issue) -> list[dict]:
	"""Both clocks' explanations, first response then resolution, each with its label."""
	targets = None if issue.sla_state == "Not Covered" else issue_targets(issue)
	sections = [
		(_("First response"), explain_response(issue, targets)),
		(_("Resolution"), explain(issue, targets)),
	]
	return [{"label": label, "lines": lines} for label, lines in sections if lines]
