"""The SLA sweep's mail, sent from its log rows: every row the sweep writes waits with `mail_pending` set.

Sending a row claims it (a conditional UPDATE of `mail_pending`) in the same transaction as its Email Queue
rows and desk notifications, so each event is mailed exactly once however many jobs run at once, and a job
killed halfway leaves its unsent rows pending for the next sweep. The claim also bumps the issue's
`modified`: a form opened before it would otherwise save the row back as pending and mail it twice. A few
rows are sent inline; many are split into jobs on the `short` queue, which the bench's workers run in
parallel.
"""

from __future__ import annotations

from datetime import datetime

import frappe
from frappe import _
from redis.exceptions import RedisError

from frappe_support.common.claims import claimed
from frappe_support.common.jobs import run_each
from frappe_support.issues.deadlines import EVENTS
from frappe_support.issues.notifications import notify_sla_event

CHUNK = 50  # rows per mail job; a sweep with no more than this sends inline
MOST = 5000  # rows dispatched per sweep: the rest wait for the next one
FLAGS = {(event, clock): flag for flag, (event, clock, _state) in EVENTS.items()}


def pending() -> list[str]:
	"""The log rows waiting for their mail, oldest first (through the index on mail_pending)."""
	log = frappe.qb.DocType("Support Issue SLA Log")
	query = frappe.qb.from_(log).select(log.name).where(log.mail_pending == 1)
	return query.orderby(log.creation).orderby(log.name).limit(MOST).run(pluck=True)


def dispatch_mail(now: datetime, commit: bool) -> None:
	"""Send what is pending: inline inside a caller's transaction or for a few rows, else in parallel jobs."""
	rows = pending()
	if not commit or len(rows) <= CHUNK:
		send_sla_mail(rows, commit)
		return
	for start in range(0, len(rows), CHUNK):
		chunk = rows[start : start + CHUNK]
		if not enqueue_chunk(chunk, now):
			send_sla_mail(chunk, commit)


def enqueue_chunk(rows: list[str], now: datetime) -> bool:
	"""One mail job; false when the queue cannot be reached. The sweep's instant is in the id: a job left
	"started" by a killed worker does not hold back the next sweep's, and two at once share ids."""
	try:
		frappe.enqueue(
			"frappe_support.issues.sla_mail.send_sla_mail",
			queue="short",
			job_id=f"sla-mail:{rows[0]}:{now:%Y%m%d%H%M%S}",
			deduplicate=True,
			rows=rows,
		)
	except RedisError:
		return False
	return True


def send_sla_mail(rows: list[str], commit: bool = True) -> int:
	"""Mail each pending row's event, each in its own savepoint; returns how many this job sent."""
	sent, _failed = run_each(
		"Support Issue SLA Log", rows, send_row, _("Sending the SLA mail of log row {0} failed"), commit
	)
	return sent


def send_row(name: str) -> int:
	row = frappe.db.get_value("Support Issue SLA Log", name, ["parent", "event", "clock"], as_dict=True)
	if not row:
		return 0
	issue = frappe.qb.DocType("Support Issue")
	# the issue first, as a save locks it before its log rows: the two cannot deadlock
	frappe.qb.from_(issue).select(issue.name).where(issue.name == row.parent).for_update().run()
	log = frappe.qb.DocType("Support Issue SLA Log")
	if not claimed(
		frappe.qb.update(log).set(log.mail_pending, 0).where((log.name == name) & (log.mail_pending == 1))
	):
		return 0
	frappe.db.set_value(
		"Support Issue", row.parent, "modified", frappe.utils.now_datetime(), update_modified=False
	)
	notify_sla_event(frappe.get_doc("Support Issue", row.parent), FLAGS[(row.event, row.clock)])
	return 1
