"""'Report to Support' from the customer site's own errors: its recent Error Log entries offered to the raise
dialog, and an Error Log raised as a Bug issue with its traceback, the site's app versions and what Frappe
recorded with it (method, document, trace id). Tracebacks go as text files, secrets redacted before they
leave the site (`redaction`); through the outbox like every write."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_to_date, cint, now_datetime
from frappe.utils.change_log import get_versions

from frappe_support.common.dates import to_aware
from frappe_support.connector import outbox
from frappe_support.connector.outbox import keep_file_content, require_connector_user
from frappe_support.connector.redaction import first_line, redact

RECENT = 20
REPEATS_FOR_HIGH = 10  # the same method failing this often in a day suggests High


@frappe.whitelist()
def recent_errors() -> list[dict]:
	"""The site's last Error Log entries: when, where, and the first line (redacted)."""
	require_connector_user()
	rows = frappe.get_all(
		"Error Log",
		fields=["name", "method", "creation", "error"],
		order_by="creation desc",
		limit=RECENT,
	)
	return [
		{
			"name": r.name,
			"method": redact(r.method or ""),
			"when": to_aware(r.creation).isoformat(),
			"first_line": first_line(r.error),
		}
		for r in rows
	]


@frappe.whitelist(methods=["POST"])
def report_error(name: str, description: str | None = None) -> dict:
	"""Raise a Bug issue at the provider from one Error Log entry, its traceback attached (redacted)."""
	require_connector_user()
	log = error_log(name)
	settings = frappe.get_cached_doc("Frappe Support Settings")
	subject = _("Error in {0}: {1}").format(redact(log.method or _("(unknown)")), first_line(log.error, 90))
	priority = suggested_priority(log)
	entry = outbox.queue(
		"Issue",
		subject,
		{
			"subject": subject[:140],
			"description": error_description(log, description),
			"priority": priority,
			"category": "Bug",
			"site": settings.provider_site,
			"raised_by": frappe.db.get_value("User", frappe.session.user, "email"),
		},
	)
	attach_tracebacks(entry, [log.name])
	return {"outbox": entry, "status": "Waiting", "priority": priority}


def checked_errors(names) -> list[str]:
	"""The Error Log names sent with a raise (a JSON list or a list), each of this site; [] for none."""
	if not names:
		return []
	if isinstance(names, str):
		names = frappe.parse_json(names)
	if not isinstance(names, list) or len(names) > RECENT:
		frappe.throw(_("Send the Error Log entries to attach as a list of at most {0} names.").format(RECENT))
	return [error_log(name).name for name in names]


def error_log(name: str):
	if not isinstance(name, str) or not frappe.db.exists("Error Log", name):
		frappe.throw(_("Error Log {0} not found on this site.").format(name), frappe.DoesNotExistError)
	return frappe.get_doc("Error Log", name)


def suggested_priority(log) -> str:
	"""High when the same method failed again and again in the last day, else Medium."""
	repeats = frappe.db.count(
		"Error Log", {"method": log.method, "creation": (">=", add_to_date(now_datetime(), days=-1))}
	)
	return "High" if cint(repeats) >= REPEATS_FOR_HIGH else "Medium"


def error_description(log, note: str | None) -> str:
	parts = [f"<p>{frappe.utils.escape_html(note)}</p>"] if note else []
	parts.append(
		"<p>"
		+ _("Reported from Error Log {0} of {1}, recorded {2}: {3}").format(
			log.name,
			frappe.utils.get_url(),
			to_aware(log.creation).isoformat(),
			frappe.utils.escape_html(first_line(log.error)),
		)
		+ "</p>"
	)
	return "".join(parts)


def attach_tracebacks(entry: str, names: list[str]) -> int:
	"""Each Error Log as a text file on the outbox entry: context, versions, the redacted traceback."""
	for name in names:
		log = error_log(name)
		keep_file_content(entry, f"traceback-{log.name}.txt", traceback_text(log).encode())
	return len(names)


def traceback_text(log) -> str:
	versions = "\n".join(
		f"  {app}: {info.get('version')} ({info.get('branch') or ''})"
		for app, info in sorted(get_versions().items())
	)
	context = [
		_("Error Log: {0}").format(log.name),
		_("Site: {0}").format(frappe.utils.get_url()),
		_("Recorded: {0}").format(to_aware(log.creation).isoformat()),
		_("Method: {0}").format(log.method or ""),
		_("Document: {0} {1}").format(log.reference_doctype or "", log.reference_name or ""),
		_("Trace ID: {0}").format(log.get("trace_id") or ""),
		_("Apps:"),
		versions,
		"",
	]
	return redact("\n".join(context) + "\n" + (log.error or ""))
