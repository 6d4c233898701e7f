"""The doctor: `bench --site S frappe-support doctor`, and the same on Frappe Support Settings. Each check
reports what is wrong and how to fix it; the command exits non-zero when anything is, for monitoring."""

from __future__ import annotations

import frappe
from frappe import _

from frappe_support.doctor import checks

EVERY_SITE = ("time_zone", "scheduler", "workers", "email")
PROVIDER = ("sla_sweep", "calendars", "contracts", "sites", "advisories")
CUSTOMER_SITE = ("connector",)


def labels() -> dict[str, str]:
	return {
		"time_zone": _("System time zone"),
		"scheduler": _("Scheduler"),
		"workers": _("Background workers"),
		"email": _("Outgoing email"),
		"sla_sweep": _("SLA sweep"),
		"calendars": _("Calendar holidays"),
		"contracts": _("Active contracts"),
		"sites": _("Sites"),
		"advisories": _("Security advisories"),
		"connector": _("Connector"),
	}


CHECKS = EVERY_SITE + PROVIDER + CUSTOMER_SITE
MANAGERS = {"System Manager", "Support Manager"}


def applicable() -> tuple[str, ...]:
	mode = frappe.db.get_single_value("Frappe Support Settings", "site_mode") or "Provider"
	return EVERY_SITE + (CUSTOMER_SITE if mode == "Customer Site" else PROVIDER)


def run_checks(only: list[str] | None = None) -> list[dict]:
	"""[{check, label, problems: [{problem, fix}]}] for each check that applies to this site."""
	names = [n for n in applicable() if not only or n in only]
	return [
		{
			"check": name,
			"label": labels()[name],
			"problems": [vars(p) for p in getattr(checks, name)()],
		}
		for name in names
	]


def exit_code(results: list[dict]) -> int:
	return 1 if any(r["problems"] for r in results) else 0


@frappe.whitelist()
def run_doctor() -> list[dict]:
	"""The doctor's report for the settings page: System Managers and Support Managers (not
	`frappe.only_for`, which lets everyone through while tests run)."""
	if frappe.session.user != "Administrator" and not MANAGERS.intersection(frappe.get_roles()):
		frappe.throw(
			_("The doctor is for System Managers and Support Managers: ask one of them to run it."),
			frappe.PermissionError,
		)
	return run_checks()
