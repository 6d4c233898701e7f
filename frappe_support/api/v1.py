"""The provider's connector API, version 1: what a customer's own ERPNext site (the connector) may ask.

Every method runs as the calling customer user (API key and secret of their provider-side user), reaches
only the records of the customers that user's Contact links to, and is rate limited per user. Writes are
POST only and take an idempotency key, so a retried call changes nothing twice. Errors are Frappe's:
403 for a record of another customer, 404 for one that does not exist, 417 with a translated message
for bad input, 429 over the rate limit.

    /api/method/frappe_support.api.v1.<method>
"""

from __future__ import annotations

import functools
import json
from datetime import datetime

import frappe
from frappe import _
from frappe.utils import cint, get_datetime, now_datetime

from frappe_support.permissions import customers_of, is_customer_user
from frappe_support.support import advisories, sla_view
from frappe_support.support.calendars import to_aware, to_stored
from frappe_support.support.probe import apply_versions

API_VERSION = 1
READS_PER_MINUTE = 120
WRITES_PER_MINUTE = 30
ISSUE_FIELDS = (
	"name",
	"subject",
	"status",
	"priority",
	"category",
	"site",
	"contract",
	"raised_by",
	"opening_date",
	"sla_state",
	"response_by",
	"first_responded_on",
	"resolution_by",
	"next_deadline",
	"resolved_on",
	"modified",
)
EXPOSURE_FIELDS = (
	"name",
	"advisory",
	"advisory_title",
	"severity",
	"site",
	"status",
	"app_name",
	"installed_version",
	"fixed_version",
	"reason",
	"acknowledged_on",
)


# -- the guard every method passes --------------------------------------------------------------------
def connector(write: bool = False):
	"""A connector method: a customer user only, rate limited per user and minute."""

	def decorate(fn):
		@functools.wraps(fn)
		def wrapper(*args, **kwargs):
			require_customer()
			limit(fn.__name__, WRITES_PER_MINUTE if write else READS_PER_MINUTE)
			return fn(*args, **kwargs)

		return frappe.whitelist(methods=["POST"] if write else ["GET", "POST"])(wrapper)

	return decorate


def require_customer() -> list[str]:
	if not is_customer_user() or not customers_of():
		frappe.throw(
			_(
				"The connector API is for customer users: use the API key of a user whose Contact links to a customer."
			),
			frappe.PermissionError,
		)
	return customers_of()


def limit(method: str, per_minute: int) -> None:
	if not getattr(frappe.local, "request", None):
		return  # called in-process (a job or a test), not over HTTP
	window = int(now_datetime().timestamp() // 60)
	key = f"frappe_support:api:{method}:{frappe.session.user}:{window}"
	count = frappe.cache.incrby(key, 1)
	if count == 1:
		frappe.cache.expire(key, 120)
	if count > per_minute:
		frappe.throw(
			_("Too many calls to {0}: at most {1} a minute. Try again in a minute.").format(
				method, per_minute
			),
			frappe.RateLimitExceededError,
		)


def own(doctype: str, name: str, ptype: str = "read"):
	"""The record, if the caller's customer owns it (403 otherwise, 404 when there is none)."""
	if not name or not frappe.db.exists(doctype, name):
		raise frappe.DoesNotExistError(_("{0} {1} not found").format(_(doctype), name))
	doc = frappe.get_doc(doctype, name)
	if doc.get("customer") not in customers_of():
		raise frappe.PermissionError(_("{0} {1} is not one of your records.").format(_(doctype), name))
	doc.check_permission(ptype)
	return doc


def aware(row: dict) -> dict:
	"""Datetimes as ISO 8601 with the provider's offset: the customer site shows them in its users' zones."""
	return {k: to_aware(v).isoformat() if isinstance(v, datetime) else v for k, v in row.items()}


def stored(value: str) -> datetime:
	"""A datetime the connector sent (ISO 8601, with or without an offset) as this site stores it."""
	moment = get_datetime(value)
	return to_stored(moment) if moment.tzinfo else moment


def parsed(value, label: str):
	if isinstance(value, str):
		try:
			return json.loads(value)
		except ValueError:
			frappe.throw(_("{0} is not valid JSON: send a JSON object or list.").format(label))
	return value


# -- connection and site ------------------------------------------------------------------------------
@connector()
def ping() -> dict:
	"""What the connector's "Test Connection" shows: who it is at the provider, for which customers and
	sites."""
	mine = customers_of()
	return {
		"api": API_VERSION,
		"user": frappe.session.user,
		"customers": mine,
		"sites": frappe.get_all("Support Site", filters={"customer": ("in", mine)}, pluck="name"),
	}


@connector(write=True)
def report_site(site: str, apps: list | dict | str) -> dict:
	"""The site's app versions (as `frappe.utils.change_log.get_versions` gives them, or a list of
	{app_name, version, branch, commit}) and a heartbeat. Changed versions re-match advisories."""
	doc = own("Support Site", site)
	apps = parsed(apps, _("Apps"))
	if isinstance(apps, list):
		apps = {str(a.get("app_name") or ""): a for a in apps if isinstance(a, dict)}
	if not isinstance(apps, dict) or not apps or not all(apps):
		frappe.throw(
			_("Apps must name each app with its version, e.g. {0}.").format(
				'{"frappe": {"version": "15.50.0"}}'
			)
		)
	now = now_datetime()
	apply_versions(
		doc, {name: (info if isinstance(info, dict) else {"version": info}) for name, info in apps.items()}
	)
	doc.versions_source = "Connector"
	doc.versions_reported_on = now
	doc.last_heartbeat_on = now
	doc.heartbeat_alerted_on = None
	doc.flags.versions_source = doc.flags.versions_reported_on = True  # not a manual edit
	doc.flags.ignore_permissions = True
	doc.save()
	return {"site": doc.name, "apps": {row.app_name: row.version for row in doc.apps}, "received": str(now)}


@connector(write=True)
def heartbeat(site: str) -> dict:
	doc = own("Support Site", site)
	now = now_datetime()
	doc.db_set({"last_heartbeat_on": now, "heartbeat_alerted_on": None}, update_modified=False)
	return {"site": doc.name, "received": str(now)}


# -- issues -------------------------------------------------------------------------------------------
@connector(write=True)
def raise_issue(
	subject: str,
	description: str | None = None,
	priority: str = "Medium",
	category: str = "Bug",
	site: str | None = None,
	raised_by: str | None = None,
	idempotency_key: str | None = None,
) -> dict:
	"""A new issue on the caller's active contract (the site's, when given). The same idempotency key
	returns the issue it made the first time."""
	key = clean_key(idempotency_key)
	if key:
		existing = issue_with_key(key)
		if existing:
			return issue_summary(existing)
	if site:
		own("Support Site", site)
	issue = frappe.get_doc(
		{
			"doctype": "Support Issue",
			"subject": subject,
			"description": description,
			"priority": priority,
			"category": category,
			"site": site,
			"raised_by": raised_by or frappe.db.get_value("User", frappe.session.user, "email"),
			"idempotency_key": key,
		}
	)
	try:
		issue.insert()
	except frappe.UniqueValidationError:
		frappe.db.rollback()
		existing = issue_with_key(key)  # the same call, made twice at once
		if not existing:
			raise
		return issue_summary(existing)
	return issue_summary(issue.name)


def clean_key(key: str | None) -> str | None:
	key = (key or "").strip()
	if len(key) > 140:
		frappe.throw(_("The idempotency key is too long: at most 140 characters."))
	return key or None


def issue_with_key(key: str) -> str | None:
	found = frappe.db.get_value("Support Issue", {"idempotency_key": key}, ["name", "customer"], as_dict=True)
	if not found:
		return None
	if found.customer not in customers_of():
		raise frappe.PermissionError(_("That idempotency key belongs to another customer's issue."))
	return found.name


def issue_summary(issue) -> dict:
	"""The issue's public fields; `issue` is a name (read fresh, so dates are typed) or a loaded doc."""
	doc = frappe.get_doc("Support Issue", issue) if isinstance(issue, str) else issue
	return aware({field: doc.get(field) for field in ISSUE_FIELDS})


@connector()
def list_issues(status: str | None = None, start: int = 0, page_length: int = 20) -> list[dict]:
	filters = {"customer": ("in", customers_of())}
	if status:
		filters["status"] = status
	rows = frappe.get_list(
		"Support Issue",
		filters=filters,
		fields=list(ISSUE_FIELDS),
		order_by="modified desc",
		start=cint(start),
		page_length=min(max(cint(page_length), 1), 100),
	)
	return [aware(row) for row in rows]


@connector()
def get_issue(name: str) -> dict:
	"""The issue with its SLA clocks and its email thread (never the staff's internal notes)."""
	doc = own("Support Issue", name)
	issue = issue_summary(doc)
	issue["description"] = doc.description
	panel = sla_view.sla_panel(doc)
	issue["clocks"] = [aware(clock) for clock in panel["clocks"]]
	issue["timezone"] = panel.get("timezone")
	replies = frappe.get_all(
		"Communication",
		filters={
			"reference_doctype": "Support Issue",
			"reference_name": doc.name,
			"communication_type": "Communication",
		},
		fields=[
			"name",
			"sender",
			"sender_full_name",
			"sent_or_received",
			"subject",
			"content",
			"communication_date",
		],
		order_by="communication_date asc",
	)
	issue["replies"] = [aware(r) for r in replies]
	return issue


@connector(write=True)
def reply(issue: str, message: str, idempotency_key: str | None = None) -> dict:
	"""The caller's reply, threaded into the issue as a received email: it moves the SLA clock as a
	customer's mail does (a waiting or resolved issue goes back to Open)."""
	doc = own("Support Issue", issue)
	if not (message or "").strip():
		frappe.throw(_("The reply is empty: write a message."))
	if doc.status == "Closed":
		frappe.throw(_("Issue {0} is closed: raise a new issue instead.").format(doc.name))
	key = clean_key(idempotency_key)
	message_id = f"<{key}@frappe-support-connector>" if key else None
	if message_id:
		existing = frappe.db.get_value(
			"Communication", {"message_id": message_id, "reference_name": doc.name}, "name"
		)
		if existing:
			return {"issue": doc.name, "reply": existing, "status": doc.status}
	user = frappe.db.get_value("User", frappe.session.user, ["email", "full_name"], as_dict=True)
	comm = frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Received",
			"subject": _("Re: {0}").format(doc.subject),
			"content": message,
			"sender": user.email,
			"sender_full_name": user.full_name,
			"reference_doctype": "Support Issue",
			"reference_name": doc.name,
			"message_id": message_id,
			"communication_date": now_datetime(),
		}
	).insert(ignore_permissions=True)
	return {
		"issue": doc.name,
		"reply": comm.name,
		"status": frappe.db.get_value("Support Issue", doc.name, "status"),
	}


# -- advisories ---------------------------------------------------------------------------------------
@connector()
def list_exposures(site: str | None = None, open_only: int = 1) -> list[dict]:
	filters = {"customer": ("in", customers_of())}
	if site:
		filters["site"] = own("Support Site", site).name
	if cint(open_only):
		filters["status"] = ("in", ("Affected", "Unknown"))
	rows = frappe.get_list(
		"Advisory Exposure", filters=filters, fields=list(EXPOSURE_FIELDS), order_by="modified desc"
	)
	return [aware(row) for row in rows]


@connector(write=True)
def acknowledge_exposure(name: str) -> dict:
	doc = own("Advisory Exposure", name)
	advisories.acknowledge(doc)
	return {
		"name": doc.name,
		"acknowledged_on": frappe.db.get_value("Advisory Exposure", doc.name, "acknowledged_on"),
	}


# -- upgrades -----------------------------------------------------------------------------------------
@connector()
def upgrade_slots(site: str) -> list[dict]:
	"""The next free upgrade windows of the site (ISO 8601 with offsets), in the contract's calendar and
	access window, when a support engineer is free."""
	from frappe_support.support.upgrade_reminders import engineers_busy, proposed_slots

	doc = own("Support Site", site)
	return [
		{"start": start.isoformat(), "end": end.isoformat()}
		for start, end, _engineer in proposed_slots(doc, engineers_busy())
	]


@connector(write=True)
def request_upgrade(
	site: str,
	window_start: str,
	window_end: str,
	apps: list | str | None = None,
	idempotency_key: str | None = None,
) -> dict:
	"""An upgrade request (status Requested) for the caller's site; staff schedule it."""
	doc = own("Support Site", site)
	key = clean_key(idempotency_key)
	if key:
		existing = frappe.db.get_value(
			"Upgrade Schedule", {"idempotency_key": key}, ["name", "customer"], as_dict=True
		)
		if existing:
			if existing.customer not in customers_of():
				raise frappe.PermissionError(_("That idempotency key belongs to another customer's upgrade."))
			return upgrade_summary(existing.name)
	rows = parsed(apps, _("Apps")) or []
	if not rows or not all(isinstance(r, dict) and r.get("app_name") and r.get("to_version") for r in rows):
		frappe.throw(
			_("Name each app to upgrade with its target version, e.g. {0}.").format(
				'[{"app_name": "erpnext", "to_version": "15.90.0"}]'
			)
		)
	schedule = frappe.get_doc(
		{
			"doctype": "Upgrade Schedule",
			"site": doc.name,
			"status": "Requested",
			"window_start": stored(window_start),
			"window_end": stored(window_end),
			"apps": [
				{"app_name": r.get("app_name"), "to_version": r.get("to_version")}
				for r in rows
				if isinstance(r, dict)
			],
			"idempotency_key": key,
		}
	).insert()
	return upgrade_summary(schedule.name)


def upgrade_summary(name: str) -> dict:
	doc = frappe.get_doc("Upgrade Schedule", name)
	return {
		"name": doc.name,
		"site": doc.site,
		"status": doc.status,
		"window_start": doc.window_start,
		"window_end": doc.window_end,
	}
