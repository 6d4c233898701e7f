"""Columns the script reports share."""

from __future__ import annotations

from frappe import _

from frappe_support.permissions import is_customer_user


def customer_column(width: int = 160) -> dict:
	"""A link for staff; plain text for a customer user, who may not read Customer records (Frappe's report
	runner checks read access to every doctype a column links to)."""
	if is_customer_user():
		return {"label": _("Customer"), "fieldname": "customer", "fieldtype": "Data", "width": width}
	return {
		"label": _("Customer"),
		"fieldname": "customer",
		"fieldtype": "Link",
		"options": "Customer",
		"width": width,
	}
