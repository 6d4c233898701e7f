"""One step on the customer site (a second site of this bench, with the app in Customer Site mode), run in
its own process as `bench execute` would, for the connector tests:

    python tests/integration/customer_site.py <site> <command> '<json kwargs>'

It prints the command's result as JSON. Everything it makes is named in its results, so the tests can
delete exactly that.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the app's checkout, for tests.integration

import frappe


def configure(provider_url: str, api_key: str, api_secret: str, provider_site: str) -> dict:
	settings = frappe.get_single("Frappe Support Settings")
	settings.update(
		{
			"site_mode": "Customer Site",
			"provider_url": provider_url,
			"provider_api_key": api_key,
			"provider_api_secret": api_secret,
			"provider_site": provider_site,
		}
	)
	settings.save()
	return {"site_mode": settings.site_mode}


def switch_mode(mode: str) -> dict:
	settings = frappe.get_single("Frappe Support Settings")
	settings.site_mode = mode
	try:
		settings.save()
	except frappe.ValidationError as e:
		frappe.db.rollback()
		return {
			"refused": str(e),
			"site_mode": frappe.db.get_single_value("Frappe Support Settings", "site_mode"),
		}
	return {"refused": None, "site_mode": mode}


def test_connection() -> dict:
	from frappe_support.connector.desk import test_connection as ping

	answer = ping()
	frappe.db.commit()  # as the request would
	if answer.get("connected"):
		return {"ok": answer}
	return {
		"error": answer["message"],
		"last_sync_status": frappe.db.get_single_value("Frappe Support Settings", "last_sync_status"),
	}


def raise_issue(subject: str, priority: str = "Medium", category: str = "Bug") -> dict:
	from frappe_support.connector.desk import raise_issue as raise_it

	result = raise_it(
		subject=subject, description="Raised from the customer's desk.", priority=priority, category=category
	)
	frappe.db.commit()
	forget_delivery_job()  # the tests run the delivery themselves
	return result


def raise_many(prefix: str, count: int) -> list[str]:
	"""`count` issues raised from the desk, "<prefix> 1" ...: their outbox entries."""
	from frappe_support.connector.desk import raise_issue as raise_it

	names = [raise_it(subject=f"{prefix} {k}", priority="Low")["outbox"] for k in range(1, count + 1)]
	frappe.db.commit()
	forget_delivery_job()
	return names


def queue_misses(since: str) -> int:
	"""Error Log rows of outbox deliveries that could not be queued since `since`."""
	return frappe.db.count(
		"Error Log",
		{"creation": (">=", since), "method": ("like", "Job queue unreachable: %deliver_outbox%")},
	)


def reply(issue: str, message: str) -> dict:
	from frappe_support.connector.desk import reply as send

	result = send(issue=issue, message=message)
	frappe.db.commit()
	forget_delivery_job()
	return result


def forget_delivery_job() -> None:
	from frappe.utils.background_jobs import get_job

	from frappe_support.common.queue import queue_reachable

	if not queue_reachable():
		return  # nothing was queued
	job = get_job("frappe_support:deliver_outbox")
	if job:
		job.delete()


def deliver(due: list[str] | None = None) -> dict:
	"""Make the named entries due now (as if their backoff had passed), then run the delivery job."""
	from frappe_support.connector.outbox import deliver_outbox

	for name in due or []:
		frappe.db.set_value("Support Outbox", name, "next_attempt_on", frappe.utils.now_datetime())
	frappe.db.commit()
	return {"delivered": deliver_outbox()}


def outbox(names: list[str]) -> list[dict]:
	return frappe.get_all(
		"Support Outbox",
		filters={"name": ("in", names or [""])},
		fields=["name", "kind", "status", "attempts", "remote_name", "last_error", "idempotency_key"],
	)


def outbox_of(user: str) -> list[dict]:
	"""The entries a desk user made."""
	forget_delivery_job()  # the tests run the delivery themselves
	return frappe.get_all("Support Outbox", filters={"owner": user}, fields=["name", "status"])


def report_versions() -> dict:
	from frappe.utils.change_log import get_versions

	from frappe_support.connector.sync import report_versions as report

	return {
		"reported": report(),
		"versions": {app: info["version"] for app, info in get_versions().items()},
		"status": frappe.db.get_single_value("Frappe Support Settings", "last_sync_status"),
	}


def get_issue(name: str) -> dict:
	from frappe_support.connector.client import ProviderRefused
	from frappe_support.connector.desk import get_issue as read

	try:
		return {"issue": read(name)}
	except ProviderRefused as e:
		return {"refused": e.status, "message": str(e)}


def desk(method: str, **kwargs):
	"""Any of the customer desk's server methods, as the desk calls them."""
	from frappe_support.connector import desk as methods

	result = getattr(methods, method)(**kwargs)
	frappe.db.commit()
	forget_delivery_job()
	return result


def setup_complete() -> bool:
	from frappe.utils import cint

	return bool(cint(frappe.db.get_single_value("System Settings", "setup_complete")))


def make_user(password: str) -> str:
	"""A desk user of the customer site who may use the connector (Support Desk User)."""
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": f"desk-{frappe.generate_hash(length=8)}@fs-customer-site.example.com",
			"first_name": "Desk",
			"send_welcome_email": 0,
			"new_password": password,
			"roles": [{"role": "Support Desk User"}],
		}
	).insert()
	return user.name


def make_api_user(password: str) -> dict:
	"""A connector desk user with an API key and secret (a test calls the desk methods over HTTP)."""
	user = frappe.get_doc("User", make_user(password))
	key, secret = frappe.generate_hash(length=15), frappe.generate_hash(length=15)
	user.api_key, user.api_secret = key, secret
	user.save(ignore_permissions=True)
	frappe.db.commit()
	return {"user": user.name, "key": key, "secret": secret}


def set_attachment_limits(max_mb: int, types: str | None = None) -> dict:
	frappe.db.set_single_value(
		"Frappe Support Settings", {"attachment_max_mb": max_mb, "attachment_types": types}
	)
	frappe.db.commit()
	return {"attachment_max_mb": max_mb}


def plant_error(method: str, error: str) -> str:
	"""An Error Log of this site, as Frappe records one (a test plants secrets in it)."""
	doc = frappe.get_doc({"doctype": "Error Log", "method": method, "error": error}).insert(
		ignore_permissions=True
	)
	frappe.db.commit()
	return doc.name


def delivered_entries(remote_names: list[str], owner: str) -> list[str]:
	"""Outbox entries as if these provider issues had been raised here by `owner` and delivered."""
	names = []
	for remote in remote_names:
		doc = frappe.get_doc(
			{
				"doctype": "Support Outbox",
				"kind": "Issue",
				"summary": f"Raised here: {remote}",
				"status": "Delivered",
				"remote_name": remote,
				"remote_status": "Open",
				"remote_sla_state": "Running",
				"idempotency_key": frappe.generate_hash(length=32),
				"payload": "{}",
			}
		).insert(ignore_permissions=True)
		frappe.db.set_value("Support Outbox", doc.name, "owner", owner, update_modified=False)
		names.append(doc.name)
	frappe.db.commit()
	return names


def pull_news_counted() -> dict:
	"""One news sync, counting its calls to the provider."""
	from frappe_support.connector import news

	calls = []
	original = news.call

	def counted(method, *args, **kwargs):
		calls.append(method)
		return original(method, *args, **kwargs)

	news.call = counted
	try:
		told = news.pull_news()
	finally:
		news.call = original
	return {"told": told, "calls": calls}


def notices(user: str) -> list[dict]:
	return frappe.get_all(
		"Notification Log",
		filters={"for_user": user, "document_type": "Support Outbox"},
		fields=["name", "subject", "link", "read"],
		order_by="creation asc",
	)


def outbox_count() -> int:
	return frappe.db.count("Support Outbox")


def reset(names: list[str], since: str, users: list[str] | None = None) -> dict:
	"""Delete the named outbox entries (and their files) and the settings' history since `since`; back to
	Provider mode."""
	for file in frappe.get_all(
		"File",
		filters={"attached_to_doctype": "Support Outbox", "attached_to_name": ("in", names or [""])},
		pluck="name",
	):
		frappe.delete_doc("File", file, force=True, ignore_permissions=True)  # and from the disk
	frappe.db.delete(
		"Notification Log", {"document_type": "Support Outbox", "document_name": ("in", names or [""])}
	)
	for name in names:
		frappe.db.delete("Support Outbox", {"name": name})
	frappe.db.delete("Version", {"ref_doctype": "Support Outbox", "docname": ("in", names or [""])})
	settings = frappe.get_single("Frappe Support Settings")
	settings.update(
		{
			"site_mode": "Provider",
			"provider_url": None,
			"provider_api_key": None,
			"provider_site": None,
			"last_sync_on": None,
			"last_sync_status": None,
		}
	)
	settings.save()
	frappe.utils.password.remove_encrypted_password(
		"Frappe Support Settings", "Frappe Support Settings", "provider_api_secret"
	)
	frappe.db.delete("Version", {"ref_doctype": "Frappe Support Settings", "creation": (">=", since)})
	frappe.db.delete("Error Log", {"creation": (">=", since), "reference_doctype": "Support Outbox"})
	frappe.db.delete("Error Log", {"creation": (">=", since), "method": ("like", "Job queue unreachable: %")})
	frappe.db.delete("Error Log", {"creation": (">=", since), "method": ("like", "FS planted %")})
	forget_delivery_job()
	if users:
		from tests.integration.committed import delete_user, flush_deferred
		from tests.integration.utils import delete_trail

		flush_deferred()
		deleted = []

		def delete(doctype, name):
			if frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
				deleted.append((doctype, name))

		for user in users:
			delete_user(user, delete)
			deleted.append(("Notification Settings", user))
		delete_trail(deleted, since)
	frappe.db.commit()
	return {"outbox_left": frappe.db.count("Support Outbox", {"name": ("in", names or [""])})}


COMMANDS = {
	f.__name__: f
	for f in (
		make_api_user,
		set_attachment_limits,
		plant_error,
		delivered_entries,
		pull_news_counted,
		notices,
		outbox_count,
		configure,
		switch_mode,
		test_connection,
		raise_issue,
		raise_many,
		queue_misses,
		reply,
		deliver,
		outbox,
		outbox_of,
		report_versions,
		get_issue,
		desk,
		make_user,
		setup_complete,
		reset,
	)
}


def main() -> None:
	site, command = sys.argv[1], sys.argv[2]
	kwargs = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
	frappe.init(site)
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		result = COMMANDS[command](**kwargs)
		frappe.db.commit()
	finally:
		frappe.destroy()
	print(json.dumps(result, default=str))


if __name__ == "__main__":
	main()
