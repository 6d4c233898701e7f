"""Building the demo provider through the app's own documents and jobs, and taking it away again."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import frappe
from frappe.utils import add_days, getdate, now_datetime

from frappe_support.common.trail import delete_trail
from frappe_support.demo.data import CALENDARS, CUSTOMERS, ISSUES, THREAD

ENGINEER = "demo.engineer@frappe-support.example.com"
ADVISORIES = Path(__file__).with_name("advisories.json")


class Record:
	"""What the demo made, in the order it made it (removed newest first)."""

	def __init__(self, records=None, started=None, series_before=None, sites=None):
		self.records: list[list[str]] = records or []
		self.started: str = started or frappe.utils.now()
		self.series_before: list[str] = series_before or naming_series()
		self.sites: list[str] = sites or []

	def add(self, doctype: str, name: str) -> str:
		self.records.append([doctype, name])
		return name

	def as_dict(self) -> dict:
		return vars(self)

	@classmethod
	def from_dict(cls, value: dict) -> Record:
		return cls(**value)


def naming_series() -> list[str]:
	series = frappe.qb.Table("tabSeries")  # not a DocType
	return frappe.qb.from_(series).select(series.name).run(pluck=True)


def build(record: Record) -> None:
	record.add("User", make_engineer())
	record.add("Contact", engineer_contact())
	calendars = {key: make_calendar(record, spec) for key, spec in CALENDARS.items()}
	customers = {key: make_customer(record, spec, calendars[key]) for key, spec in CUSTOMERS.items()}
	import_advisories(record)
	for spec in ISSUES:
		raise_issue(record, customers[spec[0]], *spec[1:])
	from frappe_support.issues.sweep import run_sla_sweep

	run_sla_sweep(commit=False)  # marks the at-risk and breached ones, as the scheduler would
	book_upgrades(record, customers)


# -- people, calendars, customers ----------------------------------------------------------------------
def make_engineer() -> str:
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": ENGINEER,
			"first_name": "Dana",
			"last_name": "Demo (Engineer)",
			"send_welcome_email": 0,
			"roles": [{"role": "Support Engineer"}],
		}
	)
	user.flags.no_welcome_mail = True
	return user.insert(ignore_permissions=True).name


def engineer_contact() -> str:
	"""The engineer's Contact, which Frappe makes for a new user in a job after the commit (at once in
	tests): made here, so that job finds it and makes none that would outlive the demo's removal."""
	from frappe.contacts.doctype.contact.contact import get_contact_name

	if name := get_contact_name(ENGINEER):
		return name
	contact = frappe.get_doc(
		{
			"doctype": "Contact",
			"first_name": "Dana",
			"last_name": "Demo (Engineer)",
			"user": ENGINEER,
			"email_ids": [{"email_id": ENGINEER, "is_primary": 1}],
		}
	)
	return contact.insert(ignore_permissions=True).name


def make_calendar(record: Record, spec: dict) -> str:
	values = {
		"doctype": "Support Calendar",
		"calendar_name": spec["calendar_name"],
		"timezone": spec["timezone"],
	}
	values["always_open"] = spec.get("always_open", 0)
	values["hours"] = [{"weekday": d, "start_time": a, "end_time": b} for d, a, b in spec.get("hours", [])]
	if spec.get("holidays"):
		values["holiday_list"] = make_holidays(record, spec)
	return record.add("Support Calendar", frappe.get_doc(values).insert(ignore_permissions=True).name)


def make_holidays(record: Record, spec: dict) -> str:
	year = getdate().year
	days = [d for y in (year, year + 1) for d in spec["holidays"](y)]
	doc = frappe.get_doc(
		{
			"doctype": "Holiday List",
			"holiday_list_name": spec["calendar_name"] + " Holidays",
			"from_date": f"{year}-01-01",
			"to_date": f"{year + 1}-12-31",
			"holidays": [{"holiday_date": d, "description": text} for d, text in days],
		}
	)
	return record.add("Holiday List", doc.insert(ignore_permissions=True).name)


def make_customer(record: Record, spec: dict, calendar: str) -> frappe._dict:
	customer = frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": spec["customer_name"],
			"customer_type": "Company",
			"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}),
			"territory": frappe.db.get_value("Territory", {"is_group": 0}),
		}
	).insert(ignore_permissions=True)
	record.add("Customer", customer.name)
	holder = make_holder(record, customer.name, *spec["holder"])
	contract = make_contract(record, customer.name, calendar, holder, spec["contract"])
	sites = [make_site(record, customer.name, contract, host, apps) for host, apps in spec["sites"].items()]
	return frappe._dict(customer=customer.name, contract=contract, holder=holder, sites=sites)


def make_holder(record: Record, customer: str, first: str, last: str, email: str) -> frappe._dict:
	contact = frappe.get_doc(
		{
			"doctype": "Contact",
			"first_name": first,
			"last_name": last,
			"email_ids": [{"email_id": email, "is_primary": 1}],
			"links": [{"link_doctype": "Customer", "link_name": customer}],
		}
	).insert(ignore_permissions=True)
	return frappe._dict(name=record.add("Contact", contact.name), email=email)


def make_contract(record: Record, customer: str, calendar: str, holder, spec: dict) -> str:
	today = getdate()
	notify = {f: 1 for f in ("notify_issues", "notify_upgrades", "notify_advisories", "notify_renewals")}
	contract = frappe.get_doc(
		{
			"doctype": "Support Contract",
			"customer": customer,
			"plan": frappe.db.get_single_value("Frappe Support Settings", "default_plan")
			or "Standard Support",
			"calendar": calendar,
			"start_date": add_days(today, spec["start"]),
			"end_date": add_days(today, spec["end"]),
			"covers_upgrade": spec.get("covers_upgrade", 1),
			"holders": [{"contact": holder.name, **notify}],
		}
	).insert(ignore_permissions=True)
	contract.submit()
	return record.add("Support Contract", contract.name)


def make_site(record: Record, customer: str, contract: str, host: str, apps: dict) -> str:
	rows = []
	for app, version in apps.items():
		version, branch = version if isinstance(version, tuple) else (version, "version-15")
		rows.append({"app_name": app, "version": version, "branch": branch})
	site = frappe.get_doc(
		{
			"doctype": "Support Site",
			"site_url": f"https://{host}",
			"customer": customer,
			"contract": contract,
			"environment": "Staging" if host.startswith("staging.") else "Production",
			"versions_source": "Manual",
			"versions_reported_on": now_datetime(),
			"apps": rows,
		}
	).insert(ignore_permissions=True)
	record.sites.append(site.name)
	return record.add("Support Site", site.name)


# -- advisories, issues, upgrades -----------------------------------------------------------------------
def import_advisories(record: Record) -> None:
	"""GitHub's advisories, imported as the Import button does; the ones it created are the demo's."""
	from frappe_support.advisories.github_import import read_advisory, save_advisory
	from frappe_support.advisories.matching import rematch_site

	for position, item in enumerate(json.loads(ADVISORIES.read_text()), start=1):
		values, _problems = read_advisory(item, position)
		if save_advisory(values) == "created":
			record.add(
				"Security Advisory", frappe.db.get_value("Security Advisory", {"ghsa_id": values["ghsa_id"]})
			)
	for site in record.sites:  # now, rather than when a worker takes the publish's matching job
		rematch_site(site)


def raise_issue(record: Record, customer, hours_ago: float, priority: str, category: str, steps, subject):
	opened = now_datetime() - timedelta(hours=hours_ago)
	issue = frappe.get_doc(
		{
			"doctype": "Support Issue",
			"subject": subject,
			"customer": customer.customer,
			"contract": customer.contract,
			"site": customer.sites[0],
			"priority": priority,
			"category": category,
			"raised_by": customer.holder.email,
			"opening_date": opened,
			"description": subject + ".",
		}
	).insert(ignore_permissions=True)
	record.add("Support Issue", issue.name)
	for k, step in enumerate(steps, start=1):
		at = opened + (now_datetime() - opened) * k / (len(steps) + 1)
		do_step(issue.name, step, at, customer)


def do_step(issue: str, step: str, at, customer) -> None:
	if step in ("reply", "wait", "customer"):
		staff = step != "customer"
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Sent" if staff else "Received",
				"sender": ENGINEER if staff else customer.holder.email,
				"subject": frappe.db.get_value("Support Issue", issue, "subject"),
				"content": THREAD[step],
				"communication_date": at,
				"reference_doctype": "Support Issue",
				"reference_name": issue,
			}
		).insert(ignore_permissions=True)
	if step in ("wait", "resolve"):
		doc = frappe.get_doc("Support Issue", issue)
		doc.status = "Waiting for Customer" if step == "wait" else "Resolved"
		doc.save(ignore_permissions=True)


def book_upgrades(record: Record, customers: dict) -> None:
	"""Booked (the vulnerable site, to the fixed version), completed and booked again (around the clock)
	and failed (the staging site, which opens its High issue), each in the first free window the booking
	rules allow."""
	berlin, always = customers["berlin"], customers["always"]
	book(record, berlin.sites[0], {"frappe": "15.72.0"}, "Scheduled")
	book(record, always.sites[0], {"frappe": "15.85.0"}, "Completed")
	book(record, always.sites[0], {"erpnext": "15.100.0"}, "Scheduled")  # the next one, in a day or so
	book(record, berlin.sites[1], {"erpnext": "15.100.0"}, "Failed")


def book(record: Record, site: str, apps: dict, outcome: str) -> str:
	from frappe_support.common.dates import to_stored
	from frappe_support.upgrades.reminders import proposed_slots

	(start, end, _engineer), *_later = proposed_slots(
		frappe.get_doc("Support Site", site), {ENGINEER: busy_windows()}
	)
	doc = frappe.get_doc(
		{
			"doctype": "Upgrade Schedule",
			"site": site,
			"status": "Scheduled",
			"engineer": ENGINEER,
			"window_start": to_stored(start),
			"window_end": to_stored(end),
			"apps": [{"app_name": a, "to_version": v} for a, v in apps.items()],
		}
	).insert(ignore_permissions=True)
	record.add("Upgrade Schedule", doc.name)
	for status in {"Scheduled": (), "Completed": ("In Progress", "Completed")}.get(
		outcome, ("In Progress", "Failed")
	):
		doc.status = status
		if status == "Failed":
			doc.outcome_category = "Failing Patch"
			doc.log = "Executing erpnext.patches.v15_0.demo_patch in demo (0.4s)\nTraceback: patch failed"
		doc.save(ignore_permissions=True)
	if doc.issue:
		record.add("Support Issue", doc.issue)
	return doc.name


def busy_windows() -> list:
	from frappe_support.upgrades.reminders import engineers_busy

	return engineers_busy().get(ENGINEER, [])


# -- removal --------------------------------------------------------------------------------------------
ORDER = (
	"Upgrade Schedule",
	"Support Issue",
	"Support Site",
	"Support Contract",
	"Contact",
	"Customer",
	"Support Calendar",
	"Holiday List",
	"Security Advisory",
	"User",
)


def remove(record: Record) -> None:
	names = [name for _doctype, name in record.records]
	derived = caused_by(names, record.sites, record.started) + linked_only_to_customers(record)
	for doctype in ORDER:  # what links to the rest goes first; within a DocType, newest first
		for d, name in reversed(record.records):
			if d == doctype and frappe.db.exists(d, name):
				delete(d, name)
	deleted = [tuple(r) for r in record.records] + derived + [("Notification Settings", ENGINEER)]
	delete_trail(deleted, record.started, set(record.series_before))


def caused_by(names: list[str], sites: list[str], since: str) -> list[tuple[str, str]]:
	"""What the demo's records made happen: exposures of its sites, the mail, notifications and messages
	about them. Deleted here; returned for their trail."""
	exposures = frappe.get_all("Advisory Exposure", filters={"site": ("in", sites or [""])}, pluck="name")
	frappe.db.delete("Advisory Exposure", {"name": ("in", exposures or [""])})
	refs = names + exposures
	queues = frappe.get_all("Email Queue", filters={"reference_name": ("in", refs)}, pluck="name")
	frappe.db.delete("Email Queue Recipient", {"parent": ("in", queues or [""])})
	frappe.db.delete("Email Queue", {"name": ("in", queues or [""])})
	frappe.db.delete("Notification Log", {"document_name": ("in", refs)})
	messages = frappe.get_all("Communication", filters={"reference_name": ("in", refs)}, pluck="name")
	frappe.db.delete("Communication Link", {"parent": ("in", messages or [""])})
	frappe.db.delete("Communication", {"name": ("in", messages or [""])})
	frappe.db.delete("ToDo", {"reference_name": ("in", refs)})
	# "Email not queued", on a site without an outgoing account
	frappe.db.delete("Error Log", {"reference_name": ("in", refs), "creation": (">=", since)})
	return [("Advisory Exposure", n) for n in exposures] + [("Communication", n) for n in messages]


def linked_only_to_customers(record: Record) -> list[tuple[str, str]]:
	"""Contacts and addresses someone added to a demo customer since: ERPNext deletes those linked to
	that customer alone with it, so they are part of the removal's trail."""
	customers = [name for doctype, name in record.records if doctype == "Customer"]
	links = frappe.get_all(
		"Dynamic Link",
		filters={"link_doctype": "Customer", "link_name": ("in", customers or [""])},
		fields=["parenttype", "parent"],
	)
	ours = {tuple(r) for r in record.records}
	return [(r.parenttype, r.parent) for r in links if (r.parenttype, r.parent) not in ours]


def delete(doctype: str, name: str) -> None:
	if doctype == "Support Contract" and frappe.db.get_value(doctype, name, "docstatus") == 1:
		frappe.get_doc(doctype, name).cancel()
	frappe.delete_doc(
		doctype,
		name,
		force=True,
		ignore_permissions=True,
		delete_permanently=True,
		flags={"removing_demo": True},
	)
