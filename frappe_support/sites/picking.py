"""What the desk fills in when a site or a customer is picked on a form (issue, upgrade, site), so the
form shows the contract and the installed versions before it is saved, as the server would fill them."""

from __future__ import annotations

import frappe
from frappe.utils import getdate

from frappe_support.contracts.lifecycle import active_contracts
from frappe_support.permissions import require_staff_on


@frappe.whitelist()
def site_defaults(site: str) -> dict:
	"""The site's customer, contract and installed apps ({app_name, version}, as the site reported them)."""
	doc = frappe.get_doc("Support Site", site)
	require_staff_on(doc)
	return {
		"customer": doc.customer,
		"contract": doc.contract,
		"apps": [{"app_name": a.app_name, "version": a.version} for a in doc.apps],
	}


@frappe.whitelist()
def customer_contract(customer: str) -> str | None:
	"""The customer's contract when exactly one is active today (several: the user chooses)."""
	require_staff_on(frappe.get_doc("Customer", customer))
	names = active_contracts(customer, getdate())
	return names[0] if len(names) == 1 else None
