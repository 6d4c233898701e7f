"""Advisory exposures through the customer API: which published advisories affect the caller's sites,
and acknowledging one."""

from __future__ import annotations

import frappe
from frappe.utils import cint

from frappe_support.api.v1.door import aware, customer_method, mine, own

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


@frappe.whitelist(methods=["GET", "POST"])
@customer_method()
def list_exposures(site: str | None = None, open_only: int = 1) -> list[dict]:
	filters = mine()
	if site:
		filters["site"] = own("Support Site", site).name
	if cint(open_only):
		filters["status"] = ("in", ("Affected", "Unknown"))
	rows = frappe.get_all(
		"Advisory Exposure", filters=filters, fields=list(EXPOSURE_FIELDS), order_by="modified desc"
	)
	return [aware(row) for row in rows]


@frappe.whitelist(methods=["POST"])
@customer_method(write=True)
def acknowledge_exposure(name: str) -> dict:
	doc = own("Advisory Exposure", name)
	doc.acknowledge()
	return {
		"name": doc.name,
		"acknowledged_on": frappe.db.get_value("Advisory Exposure", doc.name, "acknowledged_on"),
	}
