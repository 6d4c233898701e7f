"""Queueing the app's background jobs, and what happens when the job queue's Redis cannot be reached.

Every job the app queues from a request is also done by a scheduled run (the outbox delivery every 5 minutes,
the advisory catch-up every 15), so a queue that is down delays the job and loses nothing: the user's action
is saved, the failure is logged, and the scheduled run does the job once the queue is back. Where nothing
would catch up, `require_queue` refuses the action before anything is saved, saying why.
"""

from __future__ import annotations

import frappe
import redis
from frappe import _
from frappe.utils.background_jobs import get_redis_conn

UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


def queue_reachable() -> bool:
	try:
		return bool(get_redis_conn().ping())
	except UNREACHABLE:
		return False


def require_queue(action: str) -> None:
	"""Refuse `action` (nothing saved) when the job it needs cannot be queued. (Not while installing or
	migrating: a bench run by hand may have no Redis, and the run would stop halfway.)"""
	if frappe.flags.in_install or frappe.flags.in_migrate:
		return
	if not queue_reachable():
		frappe.throw(
			_(
				"The background job queue (Redis at {0}) cannot be reached, so {1} cannot be done now. Nothing was changed: start the queue's Redis (bench start, or its service) and try again."
			).format(frappe.conf.redis_queue, action),
			title=_("Job queue unreachable"),
		)


def enqueue_after_commit(method: str, *, job_id: str, queue: str, caught_up_by: str, **kwargs) -> bool:
	"""Queue `method` once this transaction commits (one job per `job_id`). When the queue cannot be reached,
	the transaction still commits and the miss is logged (with Redis's error): `caught_up_by` says which
	scheduled run will do the job instead. Returns whether the job will be queued."""
	try:
		get_redis_conn().ping()
	except UNREACHABLE:
		frappe.log_error(title=_("Job queue unreachable: {0} left to {1}").format(method, caught_up_by))
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
