"""Queueing the app's background jobs, and what happens when the job queue's Redis cannot be reached.

Every job the app queues from a request is also done by a scheduled run (the outbox delivery every 5 minutes,
the advisory catch-up every 15), so a queue that is down delays the job and loses nothing: the user's action
is saved, the failure is logged, and the scheduled run does the job once the queue is back. Where nothing
would catch up, the action is refused (`required_for`), saying why, and nothing is saved.
"""

from __future__ import annotations

import traceback

import frappe
import redis
from frappe import _
from frappe.utils.background_jobs import get_redis_conn

UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


def queue_error() -> Exception | None:
	"""Why the queue's Redis cannot be reached; None when it answers."""
	try:
		get_redis_conn().ping()
	except UNREACHABLE as e:
		return e
	return None


def queue_reachable() -> bool:
	return queue_error() is None


def refuse(action: str) -> None:
	"""Refuse `action` (nothing saved): the job it needs cannot be queued."""
	frappe.throw(
		_(
			"The background job queue (Redis at {0}) cannot be reached, so {1} cannot be done now. Nothing was changed: start the queue's Redis (bench start, or its service) and try again."
		).format(frappe.conf.redis_queue, action),
		title=_("Job queue unreachable"),
	)


def enqueue_after_commit(
	method: str,
	*,
	job_id: str,
	queue: str,
	caught_up_by: str | None = None,
	required_for: str | None = None,
	**kwargs,
) -> bool:
	"""Queue `method` once this transaction commits (one job per `job_id`). When the queue cannot be reached,
	the transaction still commits and the miss is logged (with Redis's error): `caught_up_by` says which
	scheduled run will do the job instead. A job nothing would catch up names the action it is
	`required_for` instead, and that action is refused (not while installing or migrating: a bench run by
	hand may have no Redis, and the run would stop halfway). Returns whether the job will be queued."""
	error = queue_error()
	if error:
		if required_for and not (frappe.flags.in_install or frappe.flags.in_migrate):
			refuse(required_for)
		frappe.log_error(
			title=_("Job queue unreachable: {0} left to {1}").format(method, caught_up_by or _("nothing")),
			message="".join(traceback.format_exception(error)),  # Redis's own error, with its traceback
		)
		return False

	def enqueue() -> None:
		try:
			frappe.enqueue(method, queue=queue, job_id=job_id, deduplicate=True, **kwargs)
		except UNREACHABLE:  # gone between the check and the commit: the transaction is already committed
			frappe.logger("frappe_support").exception(
				"job queue unreachable after commit: %s left to %s", method, caught_up_by
			)

	frappe.db.after_commit.add(enqueue)
	return True
