"""Advisory exposures through the customer API: which published advisories affect the caller's sites,
acknowledging one, and booking its fix (an upgrade to the fixed version in one of the next free windows)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cint

from frappe_support.api.v1.door import aware, clean_key, customer_method, mine, moment, own
from frappe_support.api.v1.upgrades import upgrade_summary
from frappe_support.upgrades import fixes

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
	"upgrade_schedule",
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


@frappe.whitelist(methods=["GET", "POST"])
@customer_method()
def fix_plan(name: str) -> dict:
	"""What "Book the fix" would book for the caller's exposure: the app and versions, the upgrade already
	booked or open for the site, and the next free windows (ISO 8601 with offsets)."""
	plan = fixes.fix_plan(own("Advisory Exposure", name).name)
	plan["slots"] = [{"start": s.isoformat(), "end": e.isoformat()} for s, e, _engineer in plan["slots"]]
	return plan


@frappe.whitelist(methods=["POST"])
@customer_method(write=True)
def book_fix(name: str, window_start: str | None = None, idempotency_key: str | None = None) -> dict:
	"""Book the upgrade that fixes the caller's exposure, in the free window starting at `window_start` (one
	of fix_plan's), or add the fix to the site's open upgrade; returns the upgrade."""
	doc = own("Advisory Exposure", name)
	start = moment(window_start, _("Window Start")) if window_start else None
	return upgrade_summary(fixes.book_fix(doc.name, start, clean_key(idempotency_key)))
