"""Upgrade reminders and cadence, run by the scheduler.

Before a window: the contract holders who asked for upgrade news and the monitoring engineer hear 72, 24
and 1 hours ahead (the settings' offsets), once each: each offset is claimed in the database (a
conditional UPDATE of `reminders_sent`) in the transaction that queues the mail. A reminder booked late
sends only the nearest offset and counts the earlier ones as done. After a window that is still
Scheduled, the Support Managers hear once. Daily, a covered site with no completed upgrade for the
cadence days and none open gets, at most weekly, a reminder proposing the next free slots.
"""

from __future__ import annotations

from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import add_days, add_to_date, cint, flt, get_datetime, getdate, now_datetime, nowdate

from frappe_support.common.claims import claimed
from frappe_support.common.dates import local, to_aware, to_stored
from frappe_support.common.jobs import claim_numbers, run_each
from frappe_support.common.mail import (
	contract_holders,
	enabled_managers,
	enabled_users_with_role,
	send,
)
from frappe_support.common.settings import get_settings, numbers_in
from frappe_support.contracts.calendars import contract_zone, get_business_calendar
from frappe_support.permissions import require_staff_on
from frappe_support.upgrades.booking import MONITORS, OPEN, access_window
from frappe_support.upgrades.slots import free_slots


def send_upgrade_reminders(commit: bool = True) -> int:
	"""Scheduler entry point (every 15 minutes). Returns how many reminders it sent."""
	now = now_datetime()
	hours = get_settings().upgrade_reminder_offsets()
	if not hours:
		return 0
	names = frappe.get_all(
		"Upgrade Schedule",
		filters={"status": "Scheduled", "window_start": ("between", (now, add_to_date(now, hours=hours[0])))},
		pluck="name",
	)
	done, _failed = run_each(
		"Upgrade Schedule",
		names,
		lambda n: remind(n, now, hours),
		_("Upgrade reminder failed for {0}"),
		commit,
	)
	overdue = frappe.get_all(
		"Upgrade Schedule",
		filters={"status": "Scheduled", "window_end": ("<", now), "overdue_notified": 0},
		pluck="name",
	)
	late, _failed = run_each(
		"Upgrade Schedule", overdue, tell_overdue, _("Overdue upgrade notice failed for {0}"), commit
	)
	return done + late


def remind(name: str, now, hours: tuple[int, ...]) -> int:
	doc = frappe.get_doc("Upgrade Schedule", name)
	left = (get_datetime(doc.window_start) - get_datetime(now)).total_seconds() / 3600
	due = {h for h in hours if left <= h}
	pending = due - numbers_in(doc.reminders_sent)
	if not pending or not claim_numbers("Upgrade Schedule", name, "reminders_sent", doc.reminders_sent, due):
		return 0
	nearest = min(pending)
	zone = contract_zone(doc.contract)
	args = {
		"doc": doc,
		"hours": nearest,
		"start": local(doc.window_start, zone),
		"end": local(doc.window_end, zone),
	}
	if doc.engineer:
		send(
			doc,
			customer=False,
			recipients=[doc.engineer],
			subject=_("Upgrade {0} of {1} starts in {2} hours").format(doc.name, doc.site, nearest),
			template="upgrade_reminder",
			args={**args, "internal": True},
		)
	customers = contract_holders(doc.contract, "upgrades")
	if customers:
		send(
			doc,
			customer=True,
			recipients=customers,
			subject=_("Your upgrade of {0} starts in {1} hours").format(doc.site, nearest),
			template="upgrade_reminder",
			args={**args, "internal": False},
		)
	return 1


def tell_overdue(name: str) -> int:
	schedule = frappe.qb.DocType("Upgrade Schedule")
	if not claimed(
		frappe.qb.update(schedule)
		.set(schedule.overdue_notified, 1)
		.where((schedule.name == name) & (schedule.overdue_notified == 0))
	):
		return 0
	doc = frappe.get_doc("Upgrade Schedule", name)
	managers = enabled_managers()
	if managers:
		send(
			doc,
			customer=False,
			recipients=managers,
			subject=_("Upgrade {0} of {1}: its window has passed and it is still Scheduled").format(
				doc.name, doc.site
			),
			template="upgrade_overdue",
			args={"doc": doc, "end": local(doc.window_end, contract_zone(doc.contract))},
		)
	return 1


# -- cadence ----------------------------------------------------------------------------------------------
def send_cadence_reminders(commit: bool = True) -> int:
	"""Daily: covered sites with no completed upgrade for the cadence days and none open."""
	settings = get_settings()
	days = cint(settings.upgrade_cadence_days) or 28
	today = getdate(nowdate())
	names = due_sites(days, today)
	busy = engineers_busy() if names else {}
	done, _failed = run_each(
		"Support Site",
		names,
		lambda n: remind_cadence(n, days, today, busy),
		_("Upgrade cadence reminder failed for {0}"),
		commit,
	)
	return done


def due_sites(days: int, today) -> list[str]:
	site = frappe.qb.DocType("Support Site")
	contract = frappe.qb.DocType("Support Contract")
	schedule = frappe.qb.DocType("Upgrade Schedule")
	cutoff = add_days(today, -days)
	open_upgrades = frappe.qb.from_(schedule).select(schedule.site).where(schedule.status.isin(OPEN))
	return (
		frappe.qb.from_(site)
		.join(contract)
		.on(contract.name == site.contract)
		.select(site.name)
		.where(
			(contract.docstatus == 1)
			& (contract.status == "Active")
			& (contract.covers_upgrade == 1)
			& (site.last_upgraded_on.isnull() | (site.last_upgraded_on < cutoff))
			& (site.cadence_reminded_on.isnull() | (site.cadence_reminded_on <= add_days(today, -7)))
			& site.name.notin(open_upgrades)
		)
		.run(pluck=True)
	)


def claim_cadence(name: str, today) -> bool:
	site = frappe.qb.DocType("Support Site")
	return claimed(
		frappe.qb.update(site)
		.set(site.cadence_reminded_on, today)
		.where(
			(site.name == name)
			& (site.cadence_reminded_on.isnull() | (site.cadence_reminded_on <= add_days(today, -7)))
		)
	)


def remind_cadence(name: str, days: int, today, busy: dict) -> int:
	if not claim_cadence(name, today):
		return 0
	doc = frappe.get_doc("Support Site", name)
	recipients = contract_holders(doc.contract, "upgrades")
	if not recipients:
		return 1
	slots = proposed_slots(doc, busy)
	zone = contract_zone(doc.contract)
	since = (today - getdate(doc.last_upgraded_on)).days if doc.last_upgraded_on else None
	send(
		doc,
		customer=True,
		recipients=recipients,
		subject=_("Time to upgrade {0}").format(doc.site_url),
		template="upgrade_cadence",
		args={
			"site": doc,
			"days": days,
			"since": since,
			"slots": [(local(s, zone), local(e, zone)) for s, e, _engineer in slots],
		},
	)
	return 1


def proposed_slots(site, busy: dict) -> list:
	"""The next free windows of the support engineers, in the contract's calendar and access window."""
	contract = frappe.get_cached_doc("Support Contract", site.contract)
	cal = get_business_calendar(contract.calendar)
	access = access_window(contract)  # unreadable: refused with the reason, never offered unrestricted
	if not busy:
		return []
	now = now_datetime()
	settings = get_settings()
	return free_slots(
		cal,
		after=to_aware(now),
		duration=timedelta(hours=flt(settings.upgrade_slot_hours) or 2),
		engineers=busy,
		access=access,
		lead_hours=flt(settings.upgrade_lead_hours),
		now=to_aware(now),
		count=3,
	)


def engineers_busy() -> dict[str, list]:
	"""{enabled monitoring engineer (Support Engineer or Manager): their open windows still to come}, read
	once per run."""
	engineers = enabled_users_with_role(MONITORS)
	if not engineers:
		return {}
	now = now_datetime()
	busy = {e: [] for e in engineers}
	for row in frappe.get_all(
		"Upgrade Schedule",
		filters={"engineer": ("in", engineers), "status": ("in", OPEN), "window_end": (">", now)},
		fields=["engineer", "window_start", "window_end"],
	):
		busy[row.engineer].append(
			(to_aware(get_datetime(row.window_start)), to_aware(get_datetime(row.window_end)))
		)
	return busy


@frappe.whitelist()
def free_windows(site: str) -> list[dict]:
	"""The desk's free-window finder for an upgrade of the site: the windows the customer API and the
	cadence reminders offer (contract calendar, access window, lead time, a free engineer), stored times."""
	doc = frappe.get_doc("Support Site", site)
	require_staff_on(doc)
	if not doc.contract:
		frappe.throw(_("Site {0} has no contract: link the site to its support contract first.").format(site))
	return [
		{"window_start": to_stored(start), "window_end": to_stored(end), "engineer": engineer}
		for start, end, engineer in proposed_slots(doc, engineers_busy())
	]
