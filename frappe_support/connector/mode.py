"""Switching a site between Provider and Customer Site mode, refused when it would strand data."""

from __future__ import annotations

import frappe
from frappe import _

from frappe_support.connector.client import check_provider_url

PROVIDER_DATA = ("Support Contract", "Support Site", "Support Issue", "Security Advisory", "Upgrade Schedule")


def validate_settings(doc) -> None:
	before = doc.get_doc_before_save()
	old = (before.site_mode if before else None) or "Provider"
	new = doc.site_mode or "Provider"
	if new != old:
		refuse_switch(old, new)
	if new == "Customer Site":
		doc.provider_url = check_provider_url(doc.provider_url)
		doc.provider_site = (doc.provider_site or "").strip()


def refuse_switch(old: str, new: str) -> None:
	if new == "Customer Site":
		held = [d for d in PROVIDER_DATA if frappe.db.count(d)]
		if held:
			frappe.throw(
				_(
					"This site holds provider data ({0}): it cannot become a customer site. Use a site without support records."
				).format(", ".join(_(d) for d in held)),
				title=_("Mode not changed"),
			)
	elif frappe.db.count("Support Outbox", {"status": "Waiting"}):
		frappe.throw(
			_(
				"Entries are still waiting to be delivered to the provider: deliver them (or let them fail) before switching to Provider mode."
			),
			title=_("Mode not changed"),
		)


CUSTOMER_WORKSPACES = ("Support Desk",)
PROVIDER_WORKSPACES = ("Frappe Support",)


def apply_workspace_visibility() -> None:
	"""The desk shows the Support Desk workspace on a customer site and the provider's workspaces on a
	provider. Run when the mode changes and after every migrate (which may re-sync the workspaces)."""
	customer = frappe.db.get_single_value("Frappe Support Settings", "site_mode") == "Customer Site"
	for names, hidden in ((CUSTOMER_WORKSPACES, not customer), (PROVIDER_WORKSPACES, customer)):
		for name in names:
			if frappe.db.exists("Workspace", name):
				frappe.db.set_value("Workspace", name, "is_hidden", int(hidden), update_modified=False)
	frappe.clear_cache()


def extend_bootinfo(bootinfo) -> None:
	"""The desk knows the site's mode: a customer site's pages offer what goes to the provider."""
	bootinfo.frappe_support = {
		"site_mode": frappe.db.get_single_value("Frappe Support Settings", "site_mode") or "Provider"
	}
