"""The customer site's outbox: issues, replies, upgrade requests and fix bookings for the provider, kept until
delivered.

Each entry carries an idempotency key that goes with every attempt, so the provider makes its issue (or
reply, or request) once however often the entry is sent. An entry that cannot reach the provider waits
("waiting to be delivered") and is tried again with backoff: 1, 2, 4, ... minutes, at most 6 hours apart.
An entry the provider refuses (bad input, no permission) is Failed with the provider's reason.
"""

from __future__ import annotations

import json

import frappe
from frappe import _
from frappe.utils import add_to_date, now_datetime

from frappe_support.common.files import attach_private
from frappe_support.common.jobs import run_each
from frappe_support.common.queue import enqueue_after_commit
from frappe_support.connector import news
from frappe_support.connector.client import (
	ProviderRefused,
	ProviderUnreachable,
	call,
	is_customer_site,
	upload,
)

MAX_BACKOFF_MINUTES = 6 * 60
BATCH = 50
# outbox kind -> (provider method, field of the answer naming what it made)
METHODS = {
	"Issue": ("raise_issue", "name"),
	"Reply": ("reply", "reply"),
	"Upgrade Request": ("request_upgrade", "name"),
	"Fix Booking": ("book_fix", "name"),
}


def require_connector_user() -> None:
	"""Who may queue for the provider: on a customer site, a user who may read the outbox."""
	if not is_customer_site():
		frappe.throw(_("This site is not connected to a support provider: see Frappe Support Settings."))
	if not frappe.has_permission("Support Outbox", "read"):
		raise frappe.PermissionError(_("You may not use the support connector."))


def keep_files(entry: str, uploads: list[tuple[str, object]]) -> None:
	"""Each uploaded file kept on this site, private, on its outbox entry, until the outbox delivers it."""
	for name, stream in uploads:
		keep_file_content(entry, name, stream.read())


def keep_file_content(entry: str, name: str, content: bytes) -> str:
	return attach_private("Support Outbox", entry, name, content).name


def queue(kind: str, summary: str, payload: dict) -> str:
	"""A new outbox entry (committed by the caller's request); delivery is attempted right after commit."""
	key = frappe.generate_hash(length=32)
	doc = frappe.get_doc(
		{
			"doctype": "Support Outbox",
			"kind": kind,
			"summary": summary[:140],
			"status": "Waiting",
			"idempotency_key": key,
			"payload": json.dumps(payload, sort_keys=True, default=str),
			"next_attempt_on": now_datetime(),
		}
	).insert(ignore_permissions=True)
	enqueue_after_commit(
		"frappe_support.connector.outbox.deliver_outbox",
		queue="short",
		job_id="frappe_support:deliver_outbox",
		caught_up_by="frappe_support.connector.outbox.deliver_outbox",  # its own 5-minute run
	)
	return doc.name


def deliver_outbox(commit: bool = True) -> int:
	"""Scheduler job (every 5 minutes on a customer site, and right after an entry is queued): send what is
	due, oldest first. Returns how many were delivered."""
	if not is_customer_site():
		return 0
	due = frappe.get_all(
		"Support Outbox",
		filters={"status": "Waiting", "next_attempt_on": ("<=", now_datetime())},
		order_by="creation asc",
		pluck="name",
		limit=BATCH,
	)
	delivered, _failed = run_each(
		"Support Outbox", due, deliver_one, _("Delivering outbox entry {0} failed"), commit=commit
	)
	if delivered:
		news.pull_news(commit=commit)  # and what the provider says of the issues since
	return delivered


def deliver_one(name: str) -> int:
	"""1 when delivered now, else 0 (it waits for another attempt, or the provider refused it)."""
	doc = frappe.get_doc("Support Outbox", name, for_update=True)
	if doc.status != "Waiting":
		return 0  # another worker delivered it
	method, field = METHODS[doc.kind]
	args = json.loads(doc.payload or "{}")
	now = now_datetime()
	doc.attempts = (doc.attempts or 0) + 1
	try:
		answer = call(method, write=True, idempotency_key=doc.idempotency_key, **args)
		send_files(doc, args.get("issue") or (answer or {}).get("name"))
	except ProviderUnreachable as e:
		wait = min(2 ** (doc.attempts - 1), MAX_BACKOFF_MINUTES)
		doc.db_set(
			{
				"attempts": doc.attempts,
				"last_error": str(e),
				"next_attempt_on": add_to_date(now, minutes=wait),
			}
		)
		return 0
	except ProviderRefused as e:
		doc.db_set(
			{
				"attempts": doc.attempts,
				"status": "Failed",
				"last_error": str(e),
				"next_attempt_on": None,
			}
		)
		return 0
	doc.db_set(
		{
			"attempts": doc.attempts,
			"status": "Delivered",
			"delivered_on": now,
			# an issue's state as raised: the news sync tells its raiser what changes from here
			**(
				{"remote_status": answer.get("status"), "remote_sla_state": answer.get("sla_state")}
				if doc.kind == "Issue" and isinstance(answer, dict)
				else {}
			),
			"remote_name": (answer or {}).get(field),
			"last_error": None,
			"next_attempt_on": None,
		}
	)
	return 1


def send_files(doc, issue: str | None) -> None:
	"""The entry's files to the provider's issue, each once: streamed from disk and recorded as sent one by
	one, so a retry after an outage sends only the rest (and a file sent again before its record was
	committed is kept once: the provider knows it by its content)."""
	files = frappe.get_all(
		"File",
		filters={"attached_to_doctype": "Support Outbox", "attached_to_name": doc.name},
		fields=["name", "file_name"],
		order_by="creation asc",
	)
	sent = set(json.loads(doc.files_sent or "[]"))
	for row in files:
		if row.name in sent:
			continue
		file = frappe.get_doc("File", row.name)
		upload("attach_file", file.get_full_path(), file.file_name, issue=issue)
		sent.add(row.name)
		doc.db_set("files_sent", json.dumps(sorted(sent)), update_modified=False)
