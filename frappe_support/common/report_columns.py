"""Columns the script reports share."""

from __future__ import annotations

from frappe import _


def customer_column(width: int = 160) -> dict:
	return {
		"label": _("Customer"),
		"fieldname": "customer",
		"fieldtype": "Link",
		"options": "Customer",
		"width": width,
	}
