"""Where an advisory's matching stands, for its form: queued, running, done or failed (the job's own state
in the queue), when, and whether a worker is there to run it. The match job announces its start and its
end on the advisory's realtime room, so an open form follows it without being reloaded."""

from __future__ import annotations

from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime
from frappe.utils.background_jobs import get_job, get_queue, get_workers
from frappe.utils.data import convert_utc_to_system_timezone

from frappe_support.common.queue import UNREACHABLE
from frappe_support.permissions import require_staff_on

EVENT = "frappe_support_advisory_matching"
QUEUE = "long"
STUCK_AFTER = timedelta(minutes=5)  # queued this long without a worker taking it: say so


def match_job_id(advisory: str) -> str:
	return f"frappe_support:advisory_match:{advisory}"


def announce(advisory: str, state: str) -> None:
	"""Tell the advisory's open forms; "done" only once the match's transaction commits."""
	frappe.publish_realtime(
		EVENT,
		{"advisory": advisory, "state": state},
		doctype="Security Advisory",
		docname=advisory,
		after_commit=state == "done",
	)


@frappe.whitelist()
def matching_state(advisory: str) -> dict:
	doc = frappe.get_doc("Security Advisory", advisory)
	require_staff_on(doc)
	return state_of(doc)


def state_of(doc) -> dict:
	"""{state: draft | done | queued | running | failed | lost | unreachable, at: stored time or None,
	warning: why it may not finish, or None}."""
	if doc.status == "Draft":
		return {"state": "draft", "at": None, "warning": None}
	if doc.matched_on and (doc.matched_revision or 0) == (doc.revision or 0):
		return {"state": "done", "at": doc.matched_on, "warning": None}
	try:
		job = get_job(match_job_id(doc.name))
		state, at = job_state(job)
		warning = worker_warning(state, at)
	except UNREACHABLE:
		return {"state": "unreachable", "at": None, "warning": None}
	return {"state": state, "at": at, "warning": warning}


def job_state(job) -> tuple[str, object]:
	"""The RQ job's state and its instant (RQ keeps UTC), as the site stores times."""
	status = job.get_status() if job else None
	if status in ("queued", "deferred", "scheduled"):
		return "queued", system_time(job.enqueued_at)
	if status == "started":
		return "running", system_time(job.started_at)
	if status in ("failed", "stopped", "canceled"):
		return "failed", system_time(job.ended_at)
	return "lost", None  # finished without matching to the end (killed), expired or never queued


def system_time(utc) -> object:
	return convert_utc_to_system_timezone(utc).replace(tzinfo=None) if utc else None


def worker_warning(state: str, at) -> str | None:
	if state not in ("queued", "lost"):
		return None
	if not get_workers(get_queue(QUEUE)):
		return _(
			"No background worker is listening on the {0} queue, so matching will not run: start the workers (bench start, or the supervisor's frappe workers)."
		).format(QUEUE)
	if state == "queued" and at and now_datetime() - get_datetime(at) > STUCK_AFTER:
		return _(
			"No worker has taken this job for over {0} minutes: the {1} queue's workers are busy or stuck (see Background Jobs)."
		).format(int(STUCK_AFTER.total_seconds() // 60), QUEUE)
	return None
