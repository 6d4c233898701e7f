"""The SLA sweep: marks issues At Risk and Breached when their instants pass, logs it, and queues the mail.

It reads only due rows, through the indexed `next_sla_check_on` column, and marks them a batch at a time in
set statements: the batch's rows are locked from the read (a save in progress finishes first and the sweep
reads its outcome), each event's flag is claimed with a conditional UPDATE that must change exactly the
rows locked, the log rows go in as one insert, and a mark bumps `modified`, so a form opened before it cannot
save over it. Each log row it writes is left `mail_pending`: `sla_mail` sends it, exactly once, inline for a
few events and through parallel background jobs for many. A batch that fails is rolled back and its issues
are marked one at a time, so one failing issue is logged to Error Log with its traceback and the rest
proceed.
"""

from __future__ import annotations

from datetime import datetime

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime
from pypika.terms import Case

from frappe_support.common.claims import changed
from frappe_support.common.jobs import run_each
from frappe_support.issues.deadlines import EVENTS, due_events, fill_rows
from frappe_support.issues.sla_mail import dispatch_mail

BATCH = 200
LOCKED = (
	"name",
	"contract",
	"priority",
	"status",
	"sla_state",
	"response_state",
	"sla_start",
	"first_responded_on",
	"response_by",
	"at_risk_on",
	"resolution_by",
	*EVENTS,
)


def failure_title() -> str:
	return _("SLA sweep failed for Support Issue {0}")


class BatchConflict(Exception):
	"""A claim changed fewer rows than were locked: the batch is redone an issue at a time."""


def run_sla_sweep(commit: bool = True) -> int:
	"""Scheduler entry point (every 5 minutes). Returns how many events it marked.

	The scheduler commits after each batch; a caller inside its own transaction passes commit=False (the mail
	is then sent in that transaction too).
	"""
	now = now_datetime()
	marked, failed = 0, set()
	while True:
		names = due_issues(now, failed)
		done, failures = sweep_batch(names, now, commit)
		marked += done
		failed.update(failures)
		if len(names) < BATCH:
			break
	dispatch_mail(now, commit)
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


def sweep_batch(names: list[str], now: datetime, commit: bool) -> tuple[int, list[str]]:
	"""Mark the batch in one transaction; if that fails, each issue alone (the failing ones are logged)."""
	if not names:
		return 0, []
	frappe.db.savepoint("support_sweep_batch")
	try:
		marked, failed = mark(names, now)
	except Exception:
		frappe.db.rollback(save_point="support_sweep_batch")
		return run_each("Support Issue", names, lambda name: sweep_issue(name, now), failure_title(), commit)
	if commit:
		frappe.db.commit()
	return marked, failed


def sweep_issue(name: str, now: datetime) -> int:
	"""Mark one issue's due events: a batch of one, raising what the batch would log and leave."""
	return mark([name], now, strict=True)[0]


def mark(names: list[str], now: datetime, strict: bool = False) -> tuple[int, list[str]]:
	"""Claim, log and set the state of every due event of the issues `names`; returns the events marked and
	the issues left (logged) because their events could not be worked out."""
	issues = lock(names)
	logs = log_rows([i.name for i in issues])
	rows, marked_names = [], []
	for issue in issues:
		issue.sla_log = logs.get(issue.name, [])
		new = issue_events(issue, now, strict)
		if new:
			rows += new
			marked_names.append(issue.name)
	for flag in EVENTS:
		claim_all([r.parent for r in rows if r.flag == flag], flag)
	insert_log(rows, now)
	save_states(issues, marked_names, now)
	return len(rows), [i.name for i in issues if i.get("skip")]


def lock(names: list[str]) -> list[frappe._dict]:
	issue = frappe.qb.DocType("Support Issue")
	query = frappe.qb.from_(issue).select(*LOCKED).where(issue.name.isin(names)).for_update()
	return query.run(as_dict=True)


def log_rows(names: list[str]) -> dict[str, list]:
	"""Each issue's SLA log (event, clock, instant, note, idx), in order: the pauses and the next idx."""
	by_issue: dict[str, list] = {}
	if not names:
		return by_issue
	log = frappe.qb.DocType("Support Issue SLA Log")
	query = (
		frappe.qb.from_(log)
		.select(log.parent, log.event, log.clock, log.at, log.note, log.idx)
		.where(log.parent.isin(names) & (log.parenttype == "Support Issue") & (log.parentfield == "sla_log"))
		.orderby(log.parent)
		.orderby(log.idx)
	)
	for row in query.run(as_dict=True):
		by_issue.setdefault(row.parent, []).append(row)
	return by_issue


def issue_events(issue, now: datetime, strict: bool) -> list[frappe._dict]:
	"""The log rows of the issue's events due by `now` and not yet marked; the issue's flags, states and
	next check are updated in memory. An issue whose rows cannot be worked out is logged and left."""
	try:
		return due_rows(issue, now)
	except Exception:
		if strict:
			raise
		frappe.log_error(
			title=failure_title().format(issue.name),
			reference_doctype="Support Issue",
			reference_name=issue.name,
		)
		issue.skip = True
		return []


def due_rows(issue, now: datetime) -> list[frappe._dict]:
	rows = [
		event_row(issue, flag, get_datetime(instant))
		for flag, instant, open_ in due_events(issue)
		if open_ and instant and get_datetime(instant) <= now and not issue.get(flag)
	]
	fill_rows(issue, rows)
	issue.next_sla_check_on = next_check(issue)
	return rows


def event_row(issue, flag: str, at: datetime) -> frappe._dict:
	event, clock, state = EVENTS[flag]
	row = frappe._dict(
		parent=issue.name, flag=flag, event=event, clock=clock, at=at, note=_("Marked by the SLA sweep.")
	)
	issue.sla_log.append(row)
	row.idx = len(issue.sla_log)
	issue[flag] = 1
	if state and issue.sla_state not in ("Breached", "Paused"):
		issue.sla_state = state
	if flag == "response_breach_notified":
		issue.response_state = "Breached"
	return row


def next_check(issue) -> datetime | None:
	pending = [
		get_datetime(instant)
		for flag, instant, open_ in due_events(issue)
		if open_ and instant and not issue.get(flag)
	]
	return min(pending) if pending else None


def claim_all(names: list[str], flag: str) -> None:
	"""Take the flag for every issue in `names`; the rows are locked, so each must still be free."""
	if not names:
		return
	issue = frappe.qb.DocType("Support Issue")
	if changed(
		frappe.qb.update(issue).set(issue[flag], 1).where(issue.name.isin(names) & (issue[flag] == 0))
	) != len(names):
		raise BatchConflict(flag)


def insert_log(rows: list[frappe._dict], now: datetime) -> None:
	"""The batch's log rows in one statement, each waiting for its mail."""
	fields = ["name", "creation", "modified", "owner", "modified_by", "parent", "parenttype", "parentfield"]
	fields += ["idx", "event", "clock", "at", "consumed_hours", "deadline", "note", "mail_pending"]
	user = frappe.session.user
	values = [
		(
			frappe.generate_hash(length=10),
			now,
			now,
			user,
			user,
			r.parent,
			"Support Issue",
			"sla_log",
			*row_values(r),
		)
		for r in rows
	]
	if values:
		frappe.db.bulk_insert("Support Issue SLA Log", fields, values)


def row_values(row: frappe._dict) -> tuple:
	return (row.idx, row.event, row.clock, row.at, row.consumed_hours, row.deadline, row.note, 1)


def save_states(issues: list, marked: list[str], now: datetime) -> None:
	"""States and next check of every issue read, in one UPDATE; `modified` bumped only where marked, so
	every copy opened before a mark is stale: its save is refused and cannot drop the log rows."""
	issues = [i for i in issues if not i.get("skip")]
	if not issues:
		return
	table = frappe.qb.DocType("Support Issue")
	query = frappe.qb.update(table).where(table.name.isin([i.name for i in issues]))
	for field in ("sla_state", "response_state", "next_sla_check_on"):
		case = Case()
		for issue in issues:
			case = case.when(table.name == issue.name, issue[field])
		query = query.set(table[field], case.else_(table[field]))
	query.run()
	if marked:
		bumped = frappe.qb.update(table).set(table.modified, now).set(table.modified_by, frappe.session.user)
		bumped.where(table.name.isin(marked)).run()
