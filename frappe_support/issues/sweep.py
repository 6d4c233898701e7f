"""The SLA sweep: marks issues At Risk and Breached when their instants pass, logs it, and notifies.

It reads only due rows, through the indexed `next_sla_check_on` column, in batches. Each event is claimed
in the database (a conditional UPDATE of its flag) in the same transaction as its log row and its emails,
so a second run, or a second worker at the same time, sends nothing twice. The issue's row is locked from
the read, and a mark bumps `modified`, so the sweep and a save serialize: a save in progress is read after
it finishes, and a form opened before a mark cannot save over it. A failing issue is rolled back to its
savepoint and logged to Error Log with its traceback; the rest proceed.
"""

from __future__ import annotations

from datetime import datetime

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime

from frappe_support.common.claims import claimed
from frappe_support.common.jobs import run_each
from frappe_support.issues.deadlines import due_events, fill_row, load_targets, pauses_from_log
from frappe_support.issues.notifications import notify_sla_event

BATCH = 200
EVENTS = {
	# flag: (log event, clock, new SLA state or None)
	"response_breach_notified": ("Breached", "Response", None),
	"at_risk_notified": ("Warned", "Resolution", "At Risk"),
	"resolution_breach_notified": ("Breached", "Resolution", "Breached"),
}


def run_sla_sweep(commit: bool = True) -> int:
	"""Scheduler entry point (every 5 minutes). Returns how many events it marked.

	The scheduler commits after each issue; a caller inside its own transaction passes commit=False.
	"""
	now = now_datetime()
	marked, failed = 0, set()
	while True:
		names = due_issues(now, failed)
		done, failures = run_each(
			"Support Issue",
			names,
			lambda name: sweep_issue(name, now),
			_("SLA sweep failed for Support Issue {0}"),
			commit,
		)
		marked += done
		failed.update(failures)
		if len(names) < BATCH:
			return marked


def due_issues(now: datetime, skip: set[str]) -> list[str]:
	return due_query(now, skip).run(pluck=True)


def due_query(now: datetime, skip: set[str]):
	"""The next batch of issues with an SLA event due, read through the index on next_sla_check_on.

	A plain comparison (not frappe.get_all's, which wraps the column in coalesce()) so the index is used and
	issues with nothing left to check (NULL) are never read.
	"""
	issue = frappe.qb.DocType("Support Issue")
	query = (
		frappe.qb.from_(issue)
		.select(issue.name)
		.where(issue.next_sla_check_on <= now)
		.orderby(issue.next_sla_check_on)
		.limit(BATCH)
	)
	if skip:
		query = query.where(issue.name.notin(list(skip)))
	return query


def claim(name: str, flag: str) -> bool:
	"""Take the event for this run: true for exactly one of any number of concurrent sweeps."""
	issue = frappe.qb.DocType("Support Issue")
	return claimed(
		frappe.qb.update(issue).set(issue[flag], 1).where((issue.name == name) & (issue[flag] == 0))
	)


def sweep_issue(name: str, now: datetime) -> int:
	# the row is locked from the read: a save in progress finishes first and the sweep reads its outcome
	issue = frappe.get_doc("Support Issue", name, for_update=True)
	marked = 0
	for flag, instant, open_ in due_events(issue):
		if not (open_ and instant and get_datetime(instant) <= now and not issue.get(flag)):
			continue
		claimed = claim(name, flag)
		issue.set(flag, 1)  # taken by this run or by another: either way not pending here any more
		if not claimed:
			continue
		event, clock, state = EVENTS[flag]
		log_event(issue, event, clock, get_datetime(instant))
		if state and issue.sla_state not in ("Breached", "Paused"):
			issue.sla_state = state
		if flag == "response_breach_notified":
			issue.response_state = "Breached"
		notify_sla_event(issue, flag)
		marked += 1
	pending = [
		get_datetime(instant)
		for flag, instant, open_ in due_events(issue)
		if open_ and instant and not issue.get(flag)
	]
	frappe.db.set_value(
		"Support Issue",
		name,
		{
			"sla_state": issue.sla_state,
			"response_state": issue.response_state,
			"next_sla_check_on": min(pending) if pending else None,
		},
		# a mark makes every copy opened before it stale: their save is refused, so none can drop the log
		# rows or write the flags back
		update_modified=bool(marked),
	)
	return marked


def log_event(issue, event: str, clock: str, at: datetime, note: str | None = None) -> None:
	"""Append a row to the SLA log without saving the whole issue: the row keeps the instant it happened,
	the business time used by then and the deadline in force."""
	row = issue.append(
		"sla_log",
		{"event": event, "clock": clock, "at": at, "note": note or _("Marked by the SLA sweep.")},
	)
	targets = load_targets(issue, frappe.get_cached_doc("Support Contract", issue.contract))
	fill_row(issue, row, targets, pauses_from_log(issue))
	row.db_insert()
