"""The customer site's hourly report to its provider: its app versions, a heartbeat and its health."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils.change_log import get_versions

from frappe_support.connector.client import ProviderRefused, ProviderUnreachable, call, is_customer_site
from frappe_support.connector.desk import record_sync
from frappe_support.connector.health import snapshot_or_none


def report_versions() -> bool:
	"""Scheduler job (hourly, customer sites only). Returns whether the provider took the report."""
	if not is_customer_site():
		return False
	site = frappe.get_cached_doc("Frappe Support Settings").provider_site
	apps = {
		app: {
			"version": info.get("version"),
			"branch": info.get("branch"),
			"branch_version": info.get("branch_version"),
		}
		for app, info in get_versions().items()
	}
	try:
		answer = call("report_site", write=True, site=site, apps=apps, health=snapshot_or_none())
	except (ProviderUnreachable, ProviderRefused) as e:
		record_sync(_("Versions not reported: {0}").format(str(e)))
		return False
	record_sync(_("Reported {0} apps.").format(len(answer.get("apps") or {})))
	return True
