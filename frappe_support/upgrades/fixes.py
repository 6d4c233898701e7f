"""Book the fix of an advisory exposure: the next free windows of the exposure's site, and an upgrade of the
affected app to the fixed version booked in one step (status Scheduled, with the engineer free in that
window), linked from the exposure. When that upgrade completes, the site's versions change and the
exposure turns Patched (the advisories' own re-match).

A site already holding an open upgrade gets the fix added to it instead (one upgrade per site at a time):
the app's row is raised to the fixed version, or added. The desk, the customer API (portal and connector)
and the advisory mail's link all come here.
"""

from __future__ import annotations

from datetime import datetime

import frappe
from frappe import _
from packaging.version import InvalidVersion, Version

from frappe_support.common.dates import to_aware, to_stored
from frappe_support.upgrades.booking import OPEN, open_upgrade
from frappe_support.upgrades.reminders import engineers_busy, proposed_slots

EDITABLE = ("Requested", "Scheduled")  # an open upgrade a fix may still join


def fix_plan(exposure: str) -> dict:
	"""What booking the fix would do: the app, its versions, the site's open upgrade (if any) and the next
	free windows (start, end, engineer; aware datetimes)."""
	doc = bookable_exposure(exposure)
	site = frappe.get_doc("Support Site", doc.site)
	open_one = open_upgrade(site.name)
	return {
		"exposure": doc.name,
		"site": site.name,
		"app_name": doc.app_name,
		"from_version": doc.installed_version,
		"to_version": doc.fixed_version,
		"booked": doc.get("upgrade_schedule") if upgrade_is_open(doc.get("upgrade_schedule")) else None,
		"open_upgrade": open_one,
		"slots": [] if open_one else proposed_slots(site, engineers_busy()),
	}


def book_fix(exposure: str, window_start: datetime | None = None, idempotency_key: str | None = None) -> str:
	"""Book (or join) the upgrade that fixes the exposure; returns the Upgrade Schedule's name. The window is
	one of fix_plan's free windows, named by its start; none is needed when the site has an open upgrade."""
	doc = bookable_exposure(exposure, lock=True)
	if upgrade_is_open(doc.upgrade_schedule):
		return doc.upgrade_schedule  # booked already (a second click, a retried request)
	site = frappe.get_doc("Support Site", doc.site)
	open_one = open_upgrade(site.name)
	if open_one:
		name = join_upgrade(open_one, doc)
	else:
		name = new_upgrade(site, doc, chosen_slot(site, window_start), idempotency_key)
	doc.db_set("upgrade_schedule", name, notify=True)
	return name


def bookable_exposure(name: str, lock: bool = False):
	doc = frappe.get_doc("Advisory Exposure", name, for_update=lock)
	if doc.status != "Affected" or not doc.fixed_version:
		frappe.throw(
			_(
				"Exposure {0} is {1}: only an affected site with a fixed version to upgrade to can book the fix."
			).format(doc.name, _(doc.status)),
			title=_("Nothing to fix"),
		)
	if not frappe.get_cached_value("Support Site", doc.site, "contract"):
		frappe.throw(
			_("Site {0} has no support contract: set its contract before booking an upgrade.").format(
				doc.site
			),
			title=_("No contract"),
		)
	return doc


def upgrade_is_open(name: str | None) -> bool:
	return bool(name) and frappe.db.get_value("Upgrade Schedule", name, "status") in OPEN


def chosen_slot(site, window_start: datetime | None) -> tuple[datetime, datetime, str]:
	"""The free window starting at `window_start` (the engineer free then comes with it)."""
	slots = proposed_slots(site, engineers_busy())
	wanted = to_aware(window_start) if window_start else None
	for start, end, engineer in slots:
		if wanted is not None and start == wanted:
			return start, end, engineer
	offered = ", ".join(start.isoformat() for start, _end, _engineer in slots) or _("none")
	frappe.throw(
		_("{0} is not one of the free windows of site {1}: choose one of {2}.").format(
			wanted.isoformat() if wanted else _("No window"), site.name, offered
		),
		title=_("Window not free"),
	)


def new_upgrade(site, exposure, slot: tuple[datetime, datetime, str], key: str | None) -> str:
	start, end, engineer = slot
	upgrade = frappe.get_doc(
		{
			"doctype": "Upgrade Schedule",
			"site": site.name,
			"status": "Scheduled",
			"engineer": engineer,
			"window_start": to_stored(start),
			"window_end": to_stored(end),
			"apps": [{"app_name": exposure.app_name, "to_version": exposure.fixed_version}],
			"idempotency_key": key,
		}
	)
	upgrade.flags.booked_free_window = True  # customers may book it so: the app chose the window
	upgrade.insert(ignore_permissions=True)
	upgrade.add_comment("Info", fix_note(exposure), comment_email="Administrator")
	return upgrade.name


def join_upgrade(name: str, exposure) -> str:
	upgrade = frappe.get_doc("Upgrade Schedule", name, for_update=True)
	if upgrade.status not in EDITABLE:
		frappe.throw(
			_("Site {0} is being upgraded now ({1}, {2}): book the fix once it has finished.").format(
				upgrade.site, upgrade.name, _(upgrade.status)
			),
			title=_("Upgrade in progress"),
		)
	row = next((r for r in upgrade.apps if r.app_name == exposure.app_name), None)
	if row is None:
		upgrade.append("apps", {"app_name": exposure.app_name, "to_version": exposure.fixed_version})
	elif not at_least(row.to_version, exposure.fixed_version):
		row.to_version = exposure.fixed_version
	upgrade.save(ignore_permissions=True)
	upgrade.add_comment("Info", fix_note(exposure), comment_email="Administrator")
	return upgrade.name


def at_least(version: str | None, wanted: str) -> bool:
	try:
		return Version(version or "0") >= Version(wanted)
	except InvalidVersion:
		return False


def fix_note(exposure) -> str:
	return _("Fixes {0} ({1}): {2} {3} or later.").format(
		exposure.advisory, exposure.advisory_title or "", exposure.app_name, exposure.fixed_version
	)
