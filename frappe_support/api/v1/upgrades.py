"""Upgrades through the customer API: free windows, requests, the caller's upgrades, cancelling one."""

from __future__ import annotations

import frappe
from frappe import _

from frappe_support.api.v1.door import aware, clean_key, customer_method, mine, moment, one_line, own, parsed
from frappe_support.permissions import customers_of
from frappe_support.upgrades.reminders import engineers_busy, proposed_slots

UPGRADE_FIELDS = ("name", "site", "status", "window_start", "window_end", "outcome_category", "modified")


@frappe.whitelist(methods=["GET", "POST"])
@customer_method()
def upgrade_slots(site: str) -> list[dict]:
	"""The next free upgrade windows of the site (ISO 8601 with offsets), in the contract's calendar and
	access window, when a support engineer is free."""
	doc = own("Support Site", site)
	return [
		{"start": start.isoformat(), "end": end.isoformat()}
		for start, end, _engineer in proposed_slots(doc, engineers_busy())
	]


@frappe.whitelist(methods=["POST"])
@customer_method(write=True)
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
	existing = key and upgrade_with_key(key)
	if existing:
		return upgrade_summary(existing)
	schedule = frappe.get_doc(
		{
			"doctype": "Upgrade Schedule",
			"site": doc.name,
			"status": "Requested",
			"window_start": moment(window_start, _("Window Start")),
			"window_end": moment(window_end, _("Window End")),
			"apps": requested_apps(parsed(apps, _("Apps"))),
			"idempotency_key": key,
		}
	).insert(ignore_permissions=True)
	return upgrade_summary(schedule.name)


def requested_apps(rows) -> list[dict]:
	if (
		not rows
		or not isinstance(rows, list)
		or not all(isinstance(r, dict) and r.get("app_name") and r.get("to_version") for r in rows)
	):
		frappe.throw(
			_("Name each app to upgrade with its target version, e.g. {0}.").format(
				'[{"app_name": "erpnext", "to_version": "15.90.0"}]'
			)
		)
	return [
		{
			"app_name": one_line(r.get("app_name"), _("App"), 140),
			"to_version": one_line(r.get("to_version"), _("Target Version"), 140),
		}
		for r in rows
	]


def upgrade_with_key(key: str) -> str | None:
	found = frappe.db.get_value(
		"Upgrade Schedule", {"idempotency_key": key}, ["name", "customer"], as_dict=True
	)
	if not found:
		return None
	if found.customer not in customers_of():
		frappe.throw(_("That idempotency key belongs to another customer's upgrade."), frappe.PermissionError)
	return found.name


def upgrade_summary(name: str) -> dict:
	doc = frappe.get_doc("Upgrade Schedule", name)
	summary = aware({field: doc.get(field) for field in UPGRADE_FIELDS})
	summary["apps"] = [
		{"app_name": a.app_name, "from_version": a.from_version, "to_version": a.to_version} for a in doc.apps
	]
	return summary


@frappe.whitelist(methods=["GET", "POST"])
@customer_method()
def list_upgrades(site: str | None = None) -> list[dict]:
	filters = mine()
	if site:
		filters["site"] = own("Support Site", site).name
	rows = frappe.get_all(
		"Upgrade Schedule",
		filters=filters,
		fields=list(UPGRADE_FIELDS),
		order_by="window_start desc",
		limit=100,
	)
	return [aware(row) for row in rows]


@frappe.whitelist(methods=["POST"])
@customer_method(write=True)
def cancel_upgrade(name: str) -> dict:
	"""The caller withdraws a requested or scheduled upgrade of their site."""
	doc = own("Upgrade Schedule", name, for_update=True)
	if doc.status not in ("Requested", "Scheduled"):
		frappe.throw(
			_("Upgrade {0} is {1}: only a requested or scheduled upgrade can be cancelled.").format(
				doc.name, _(doc.status)
			)
		)
	doc.status = "Cancelled"
	doc.save(ignore_permissions=True)
	return upgrade_summary(doc.name)
