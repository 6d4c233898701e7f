"""What the customer site's desk calls: its own server, which talks to the provider with the stored key.
Nothing here sends the provider's secret to the browser. Writes go through the outbox, so an issue raised
while the provider is down waits ("waiting to be delivered") and is delivered exactly once later.
"""

from __future__ import annotations

import frappe
from frappe import _
from werkzeug.wrappers import Response

from frappe_support.common.attachments import check_size, checked_name
from frappe_support.connector import client, error_report, health, outbox
from frappe_support.connector.outbox import keep_files, require_connector_user

PRIORITIES = ("High", "Medium", "Low")


@frappe.whitelist(methods=["POST"])
def raise_issue(
	subject: str,
	description: str | None = None,
	priority: str = "Medium",
	category: str = "Bug",
	errors: list | str | None = None,
) -> dict:
	"""A new issue for the provider, with the files sent with it and the tracebacks of the Error Log
	entries named in `errors` (redacted), delivered through the outbox."""
	require_connector_user()
	errors = error_report.checked_errors(errors)
	subject = (subject or "").strip()
	if not subject:
		frappe.throw(_("Give the issue a subject."))
	if priority not in PRIORITIES:
		frappe.throw(_("Priority must be High, Medium or Low, not {0}.").format(priority))
	uploads = received_uploads()  # all checked before anything is queued
	settings = frappe.get_cached_doc("Frappe Support Settings")
	name = outbox.queue(
		"Issue",
		subject,
		{
			"subject": subject,
			"description": description,
			"priority": priority,
			"category": category,
			"site": settings.provider_site,
			"raised_by": frappe.db.get_value("User", frappe.session.user, "email"),
			# the site's health goes with the issues it bears on (taken now, when the issue is raised)
			"health": health.snapshot_or_none() if category in health.HEALTH_CATEGORIES else None,
		},
	)
	keep_files(name, uploads)
	error_report.attach_tracebacks(name, errors)
	return {"outbox": name, "status": "Waiting", "files": len(uploads) + len(errors)}


@frappe.whitelist(methods=["POST"])
def reply(issue: str, message: str) -> dict:
	require_connector_user()
	if not (message or "").strip():
		frappe.throw(_("The reply is empty: write a message."))
	uploads = received_uploads()
	name = outbox.queue("Reply", _("Reply to {0}").format(issue), {"issue": issue, "message": message})
	keep_files(name, uploads)
	return {"outbox": name, "status": "Waiting", "files": len(uploads)}


def received_uploads() -> list[tuple[str, object]]:
	"""The files sent with the request (multipart field `files`), each of an allowed type and size, or a
	refusal that says the limit: nothing is queued then."""
	request = getattr(frappe.local, "request", None)
	uploads = request.files.getlist("files") if request is not None else []
	checked = []
	for upload in uploads:
		name = checked_name(upload.filename)
		upload.stream.seek(0, 2)
		check_size(name, upload.stream.tell())
		upload.stream.seek(0)
		checked.append((name, upload.stream))
	return checked


@frappe.whitelist()
def download_file(name: str):
	"""A file of one of this site's issues at the provider, passed on as it arrives."""
	require_connector_user()
	remote = client.download("download_file", name=name)
	disposition = remote.headers.get("Content-Disposition") or "attachment"
	return Response(
		remote.iter_content(64 * 1024),
		status=200,
		headers={
			"Content-Type": remote.headers.get("Content-Type") or "application/octet-stream",
			"Content-Disposition": disposition,
		},
		direct_passthrough=True,
	)


@frappe.whitelist()
def list_issues(status: str | None = None) -> list[dict]:
	require_connector_user()
	return client.call("list_issues", status=status)


@frappe.whitelist()
def get_issue(name: str) -> dict:
	require_connector_user()
	return client.call("get_issue", name=name)


@frappe.whitelist()
def list_exposures() -> list[dict]:
	"""Open advisory exposures of this site at the provider."""
	require_connector_user()
	return client.call("list_exposures", site=frappe.get_cached_doc("Frappe Support Settings").provider_site)


@frappe.whitelist(methods=["POST"])
def acknowledge_exposure(name: str) -> dict:
	"""Acknowledging twice is harmless, so this goes straight to the provider (no outbox)."""
	require_connector_user()
	return client.call("acknowledge_exposure", write=True, name=name)


@frappe.whitelist()
def upgrade_slots() -> list[dict]:
	require_connector_user()
	return client.call("upgrade_slots", site=frappe.get_cached_doc("Frappe Support Settings").provider_site)


@frappe.whitelist(methods=["POST"])
def request_upgrade(window_start: str, window_end: str, apps: list | str) -> dict:
	require_connector_user()
	site = frappe.get_cached_doc("Frappe Support Settings").provider_site
	name = outbox.queue(
		"Upgrade Request",
		_("Upgrade of {0} from {1}").format(site, window_start),
		{"site": site, "window_start": window_start, "window_end": window_end, "apps": apps},
	)
	return {"outbox": name, "status": "Waiting"}


@frappe.whitelist()
def fix_plan(name: str) -> dict:
	"""What booking the fix of this site's exposure would book, with the provider's next free windows."""
	require_connector_user()
	return client.call("fix_plan", name=name)


@frappe.whitelist(methods=["POST"])
def book_fix(name: str, window_start: str | None = None) -> dict:
	"""Book the fix through the outbox (delivered once, after an outage too)."""
	require_connector_user()
	entry = outbox.queue(
		"Fix Booking",
		_("Fix of {0}").format(name),
		{"name": name, "window_start": window_start},
	)
	return {"outbox": entry, "status": "Waiting"}


@frappe.whitelist()
def waiting() -> list[dict]:
	"""The user's entries not delivered yet, shown as "waiting to be delivered"."""
	require_connector_user()
	return frappe.get_list(
		"Support Outbox",
		filters={"status": ("in", ("Waiting", "Failed"))},
		fields=["name", "kind", "summary", "status", "attempts", "last_error", "creation"],
		order_by="creation desc",
	)


@frappe.whitelist(methods=["POST"])
def test_connection() -> dict:
	"""Settings' "Test Connection": who this site is at the provider, or why it could not tell. Either way
	the result is kept as the last sync (the request commits it: a failure is an answer, not an error)."""
	frappe.only_for("System Manager")
	try:
		answer = client.call("ping")
	except (client.ProviderUnreachable, client.ProviderRefused) as e:
		return failed(_("Connection failed: {0}").format(str(e)), _("Provider not reached"))
	site = frappe.get_cached_doc("Frappe Support Settings").provider_site
	if site not in (answer.get("sites") or []):
		return failed(
			_(
				"Connected as {0}, but site {1} is not one of that user's sites at the provider: check This Site at the Provider."
			).format(answer.get("user"), site),
			_("Wrong site"),
		)
	record_sync(
		_("Connected as {0} for {1}.").format(answer.get("user"), ", ".join(answer.get("customers") or []))
	)
	return {**answer, "connected": True}


def failed(message: str, title: str) -> dict:
	record_sync(message)
	return {"connected": False, "message": message, "title": title}


def record_sync(status: str) -> None:
	frappe.db.set_single_value(
		"Frappe Support Settings",
		{"last_sync_on": frappe.utils.now_datetime(), "last_sync_status": status},
	)
