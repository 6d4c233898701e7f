"""Sites through the customer API: who the caller is, their sites (apps, versions, health), and what the
connector reports (versions, heartbeat)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import frappe
from frappe import _
from frappe.utils import now_datetime

from frappe_support.api.v1.door import API_VERSION, aware, customer_method, mine, own, parsed
from frappe_support.permissions import customers_of
from frappe_support.sites import health as site_health
from frappe_support.sites.probe import apply_versions
from frappe_support.sites.uptime import heard_from

SITE_FIELDS = (
	"name",
	"site_url",
	"customer",
	"contract",
	"environment",
	"health",
	"versions_reported_on",
	"versions_source",
	"last_upgraded_on",
	"last_heartbeat_on",
)

if TYPE_CHECKING:
	from frappe_support.frappe_support.doctype.support_site.support_site import SupportSite


@frappe.whitelist(methods=["GET", "POST"])
@customer_method()
def ping() -> dict:
	"""What the connector's "Test Connection" shows: who it is at the provider, for which customers and
	sites."""
	return {
		"api": API_VERSION,
		"user": frappe.session.user,
		"customers": customers_of(),
		"sites": frappe.get_all("Support Site", filters=mine(), pluck="name", order_by="name"),
	}


@frappe.whitelist(methods=["GET", "POST"])
@customer_method()
def list_sites() -> list[dict]:
	rows = frappe.get_all("Support Site", filters=mine(), fields=list(SITE_FIELDS), order_by="site_url")
	return [aware(row) for row in rows]


@frappe.whitelist(methods=["GET", "POST"])
@customer_method()
def get_site(site: str) -> dict:
	"""A site with the apps it runs (never the API key the provider probes it with)."""
	return site_summary(own("Support Site", site))


def site_summary(doc: SupportSite) -> dict:
	summary = aware({field: doc.get(field) for field in SITE_FIELDS})
	summary["apps"] = [
		{"app_name": a.app_name, "version": a.version, "branch": a.branch, "commit": a.commit}
		for a in doc.apps
	]
	return summary


@frappe.whitelist(methods=["POST"])
@customer_method(write=True)
def report_site(site: str, apps: list | dict | str, health: dict | str | None = None) -> dict:
	"""The site's app versions (as `frappe.utils.change_log.get_versions` gives them, or a list of
	{app_name, version, branch, commit}), a heartbeat and, optionally, its health snapshot (the connector's,
	from Frappe's System Health Report). Changed versions re-match advisories."""
	doc = own("Support Site", site)
	apps = reported_apps(parsed(apps, _("Apps")))
	health = parsed(health, _("Health")) if health else None
	now = now_datetime()
	apply_versions(doc, apps)
	doc.versions_source = "Connector"
	doc.versions_reported_on = now
	doc.last_heartbeat_on = now
	doc.heartbeat_alerted_on = None
	doc.flags.versions_source = doc.flags.versions_reported_on = True  # not a manual edit
	doc.flags.ignore_permissions = True
	doc.save()
	heard_from(doc.name)
	kept = site_health.store(doc.name, health) if health else {}
	return {
		"site": doc.name,
		"apps": {row.app_name: row.version for row in doc.apps},
		"health": sorted(kept),
		"received": str(now),
	}


def reported_apps(apps) -> dict:
	if isinstance(apps, list):
		apps = {str(a.get("app_name") or ""): a for a in apps if isinstance(a, dict)}
	if not isinstance(apps, dict) or not apps or not all(isinstance(a, str) and a for a in apps):
		frappe.throw(
			_("Apps must name each app with its version, e.g. {0}.").format(
				'{"frappe": {"version": "15.50.0"}}'
			)
		)
	reported = {}
	for name, info in apps.items():
		info = info if isinstance(info, dict) else {"version": info}
		reported[name[:140]] = {
			k: str(info.get(k) or "")[:140] for k in ("version", "branch", "branch_version")
		}
	return reported


@frappe.whitelist(methods=["POST"])
@customer_method(write=True)
def heartbeat(site: str) -> dict:
	doc = own("Support Site", site)
	now = now_datetime()
	doc.db_set({"last_heartbeat_on": now, "heartbeat_alerted_on": None}, update_modified=False)
	heard_from(doc.name)
	return {"site": doc.name, "received": str(now)}
