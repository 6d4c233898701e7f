"""Test records for the integration tier: every name is unique to the test run, and everything is
created inside the test's transaction, which is rolled back afterwards."""

from __future__ import annotations

from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import random_string

from frappe_support.common.dates import to_aware
from frappe_support.common.trail import delete_trail  # noqa: F401 (the tests import it from here)
from frappe_support.permissions import clear_customer_cache

BERLIN_WEEK = [
	{"weekday": d, "start_time": "09:00:00", "end_time": "17:00:00"}
	for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
]


def berlin(local: str) -> str:
	"""A Europe/Berlin wall-clock time as the site stores it (system time zone, naive)."""
	from zoneinfo import ZoneInfo

	from frappe.utils import get_datetime

	from frappe_support.common.dates import to_stored

	return str(to_stored(get_datetime(local).replace(tzinfo=ZoneInfo("Europe/Berlin"))))


def count_queries(step) -> int:
	"""How many SQL statements `step()` sends through frappe.db.sql."""
	queries = []
	original = frappe.db.__class__.sql

	def sql(db, *args, **kwargs):
		queries.append(args[0])
		return original(db, *args, **kwargs)

	frappe.db.__class__.sql = sql
	try:
		step()
	finally:
		frappe.db.__class__.sql = original
	return len(queries)


def unique(prefix: str) -> str:
	return f"{prefix} {random_string(8)}"


def publish_frappe_advisory(
	title: str, vulnerable_range: str = ">= 15.0.0, < 15.72.0", patched: str = "15.72.0"
):
	"""A published advisory on frappe, matched against the covered sites (what the queued job does)."""
	from frappe_support.advisories.matching import match_advisory

	advisory = draft_advisory(title, vulnerable_range, patched)
	advisory.publish()
	match_advisory(advisory.name)
	return advisory


def run_in_sites(args: list[str], what: str, timeout: int = 600) -> str:
	"""Run a Python command of this bench (bench's own, or a helper script) from the sites folder, as bench
	does; its stdout, or an AssertionError with both outputs."""
	import os
	import subprocess
	import sys

	result = subprocess.run(
		[sys.executable, *args],
		cwd=frappe.local.sites_path,
		capture_output=True,
		text=True,
		timeout=timeout,
		env=os.environ.copy(),
	)
	if result.returncode != 0:
		raise AssertionError(f"{what} failed:\n{result.stdout}\n{result.stderr}")
	return result.stdout


def start_in_sites(args: list[str], count: int = 1) -> list:
	"""`count` processes of a Python command of this bench, started from the sites folder and not waited
	for (several at once, or one to stop halfway)."""
	import subprocess
	import sys

	return [
		subprocess.Popen(
			[sys.executable, *args],
			cwd=frappe.local.sites_path,
			stdout=subprocess.PIPE,
			stderr=subprocess.PIPE,
			text=True,
		)
		for _k in range(count)
	]


# a Python process of this bench connected to the test site, running `body` (sys.argv[2:] are its arguments)
PROCESS = (
	"import frappe, sys\n"
	"frappe.init(site=sys.argv[1], sites_path='.')\n"
	"frappe.connect()\n"
	"frappe.set_user('Administrator')\n"
	"{body}\n"
	"frappe.db.commit()\n"
	"frappe.destroy()\n"
)


def processes(body: str, *args: str, count: int = 2) -> list:
	"""`count` processes running `body` on the test site at once (see PROCESS)."""
	return start_in_sites(["-c", PROCESS.format(body=body), frappe.local.site, *args], count=count)


def finished(procs: list, timeout: int = 300) -> list[str]:
	"""The stdout of each process once it has ended; an AssertionError with its stderr if one failed."""
	outputs = []
	for proc in procs:
		out, err = proc.communicate(timeout=timeout)
		assert proc.returncode == 0, err
		outputs.append(out)
	return outputs


def draft_advisory(title: str, vulnerable_range: str, patched: str, severity: str = "High"):
	"""An inserted (draft) Security Advisory of frappe, uniquely named."""
	return frappe.get_doc(
		{
			"doctype": "Security Advisory",
			"title": unique(title),
			"ghsa_id": "GHSA-" + frappe.generate_hash(length=12),
			"severity": severity,
			"ranges": [
				{"app_name": "frappe", "vulnerable_range": vulnerable_range, "patched_version": patched}
			],
		}
	).insert()


class SupportTestCase(FrappeTestCase):
	"""Each test runs as Administrator in its own transaction, rolled back at the end."""

	def setUp(self):
		frappe.set_user("Administrator")
		clear_customer_cache()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		clear_customer_cache()

	def use_settings(self, **values) -> None:
		"""Change Frappe Support Settings for this test: saved in its transaction, and the cached copy
		dropped again after the rollback."""
		settings = frappe.get_doc("Frappe Support Settings")
		settings.update(values)
		settings.save()
		self.addCleanup(frappe.clear_document_cache, "Frappe Support Settings", "Frappe Support Settings")

	@staticmethod
	def queued_mails(reference: str) -> list[tuple[str, str]]:
		"""(recipient, message) of every queued email about the record named `reference`, oldest first."""
		queues = frappe.get_all(
			"Email Queue",
			filters={"reference_name": reference},
			fields=["name", "message"],
			order_by="creation",
		)
		return [
			(recipient, queue.message)
			for queue in queues
			for recipient in frappe.get_all(
				"Email Queue Recipient", filters={"parent": queue.name}, pluck="recipient"
			)
		]

	# -- records ---------------------------------------------------------------------------------------
	def make_customer(self, name: str | None = None) -> str:
		doc = frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name or unique("FS Customer"),
				"customer_type": "Company",
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}),
				"territory": frappe.db.get_value("Territory", {"is_group": 0}),
			}
		).insert()
		return doc.name

	def make_holiday_list(self, dates: list[str]) -> str:
		doc = frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": unique("FS Holidays"),
				"from_date": "2025-01-01",
				"to_date": "2027-12-31",
				"holidays": [{"holiday_date": d, "description": "Holiday"} for d in dates],
			}
		).insert()
		return doc.name

	def make_calendar(
		self, timezone: str = "Europe/Berlin", holidays: list[str] | None = None, **extra
	) -> str:
		doc = frappe.get_doc(
			{
				"doctype": "Support Calendar",
				"calendar_name": unique("FS Calendar"),
				"timezone": timezone,
				"hours": BERLIN_WEEK,
				"holiday_list": self.make_holiday_list(holidays) if holidays else None,
				**extra,
			}
		).insert()
		return doc.name

	def make_contract(
		self,
		customer: str,
		calendar: str | None = None,
		plan: str = "Standard Support",
		start: str = "2025-01-01",
		end: str = "2027-12-31",
		submit: bool = True,
		**extra,
	):
		doc = frappe.get_doc(
			{
				"doctype": "Support Contract",
				"customer": customer,
				"plan": plan,
				"calendar": calendar or self.make_calendar(),
				"start_date": start,
				"end_date": end,
				**extra,
			}
		).insert()
		if submit:
			doc.submit()
		return doc

	def make_site(
		self, customer: str, contract: str | None = None, apps: dict[str, str] | None = None
	) -> str:
		doc = frappe.get_doc(
			{
				"doctype": "Support Site",
				"site_url": f"https://{random_string(10).lower()}.example.com",
				"customer": customer,
				"contract": contract,
				"apps": [
					{"app_name": app, "version": v} for app, v in (apps or {"frappe": "15.50.0"}).items()
				],
			}
		).insert()
		return doc.name

	def make_issue(
		self, contract=None, opening: str = "2025-06-06 16:30:00", priority: str = "High", **extra
	):
		values = {
			"doctype": "Support Issue",
			"subject": unique("FS Issue"),
			"priority": priority,
			"opening_date": opening,
			**extra,
		}
		if contract is not None:
			values.setdefault("customer", contract.customer)
			values.setdefault("contract", contract.name)
		return frappe.get_doc(values).insert()

	def make_holder(self, customer: str):
		"""A Contact of the customer with an email address, to hold a contract."""
		return frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": unique("Holder"),
				"email_ids": [
					{"email_id": f"{random_string(8).lower()}@holder.example.com", "is_primary": 1}
				],
				"links": [{"link_doctype": "Customer", "link_name": customer}],
			}
		).insert()

	@staticmethod
	def ensure_outgoing_account() -> str | None:
		"""A default outgoing Email Account, so sendmail can queue; the name when this call made it."""
		if frappe.db.exists("Email Account", {"enable_outgoing": 1, "default_outgoing": 1}):
			return None
		return (
			frappe.get_doc(
				{
					"doctype": "Email Account",
					"email_account_name": unique("FS Outgoing"),
					"email_id": "support@fs-provider.example.com",
					"enable_outgoing": 1,
					"default_outgoing": 1,
					"smtp_server": "localhost",
					"no_smtp_authentication": 1,
				}
			)
			.insert()
			.name
		)

	def make_customer_user(self, customer: str) -> str:
		email = f"{random_string(10).lower()}@fs-customer.example.com"
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": "Customer",
				"send_welcome_email": 0,
				"user_type": "System User",
				"roles": [{"role": "Support Customer"}],
			}
		).insert()
		frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": "Customer",
				"last_name": random_string(6),
				"email_ids": [{"email_id": email, "is_primary": 1}],
				"user": user.name,
				"links": [{"link_doctype": "Customer", "link_name": customer}],
			}
		).insert()
		return user.name

	def make_engineer(self) -> str:
		email = f"{random_string(10).lower()}@fs-staff.example.com"
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": "Engineer",
				"send_welcome_email": 0,
				"roles": [{"role": "Support Engineer"}],
			}
		).insert()
		return email

	def complete_upgrade(self, upgrade) -> None:
		"""Run a Scheduled upgrade as its engineer would: In Progress 5 minutes into its window, Completed
		an hour in (the site's versions follow, and its exposures re-match)."""
		for status, minutes in (("In Progress", 5), ("Completed", 60)):
			with self.freeze_time(upgrade.window_start + timedelta(minutes=minutes)):
				upgrade.reload()
				upgrade.status = status
				upgrade.save()

	# -- assertions ------------------------------------------------------------------------------------
	def assertLocal(self, stored, expected: str, zone: str = "Europe/Berlin"):
		"""A stored datetime equals `expected`, read as wall-clock time in `zone`."""
		from zoneinfo import ZoneInfo

		self.assertIsNotNone(stored, f"expected {expected}, got nothing")
		got = to_aware(stored).astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
		self.assertEqual(got, expected)
