"""Records a test class commits, because a site served over HTTP (another connection) must see them, and
their exact removal afterwards: what the records leave behind when deleted, the users' sessions, activity,
route history and list settings, and a check that the row counts of those tables are back where they were.
"""

from __future__ import annotations

import frappe
from frappe.utils import random_string

from tests.integration.utils import SupportTestCase, delete_trail

TRAIL_TABLES = (
	"Activity Log",
	"Access Log",
	"Sessions",
	"Route History",
	"__UserSettings",
	"Version",
	"Comment",
	"Deleted Document",
	"Error Log",
	"Email Queue",
	"Communication",
	"File",
	"Notification Log",
	"User",
	"Contact",
	"Customer",
	"Series",
	"Support Issue",
	"Support Contract",
	"Support Site",
	"Upgrade Schedule",
	"Advisory Exposure",
	"Security Advisory",
)


def row_counts() -> dict[str, int]:
	return {
		t: frappe.db.sql(f"select count(*) from `{frappe.utils.get_table_name(t)}`")[0][0]
		for t in TRAIL_TABLES
	}


def forget_user_settings(user: str) -> None:
	"""A user's list and form settings: the rows synced to the database, and the cached copies the sync
	writes there again (Frappe keeps them in Redis and never drops them)."""
	for key in frappe.cache.hgetall("_user_settings") or {}:
		if frappe.safe_decode(key).endswith(f"::{user}"):
			frappe.cache.hdel("_user_settings", key)
	settings = frappe.qb.Table("__UserSettings")  # a table without the "tab" prefix
	frappe.qb.from_(settings).delete().where(settings.user == user).run()


def flush_deferred() -> None:
	"""What the scheduler would do with the route history and list settings a browser queued in Redis."""
	from frappe.deferred_insert import save_to_db
	from frappe.model.utils.user_settings import sync_user_settings

	save_to_db()
	sync_user_settings()


def delete_user(user: str, delete) -> None:
	"""A test user, the Contact Frappe made with it, and what logging in and browsing left behind."""
	from frappe.sessions import clear_sessions

	for contact in frappe.get_all("Contact", filters={"email_id": user}, pluck="name"):
		delete("Contact", contact)
	clear_sessions(user, force=True)
	frappe.db.delete("Activity Log", {"user": user})
	frappe.db.delete("Access Log", {"user": user})
	frappe.db.delete("Route History", {"user": user})
	forget_user_settings(user)
	delete("User", user)


class Committed:
	"""What one test class committed: records (deleted newest first), customers (their issues, upgrade
	schedules and emails go too), advisories (their exposures go too) and users."""

	def __init__(self):
		frappe.db.commit()
		self.counts_before = row_counts()
		self.started = frappe.utils.now()
		self.series = set(frappe.db.sql("select name from tabSeries", pluck=True))
		self.records: list[tuple[str, str]] = []
		self.customers: list[str] = []
		self.advisories: list[str] = []
		self.users: list[str] = []

	def add(self, doctype: str, name: str) -> str:
		self.records.append((doctype, name))
		if doctype == "Customer":
			self.customers.append(name)
		elif doctype == "Security Advisory":
			self.advisories.append(name)
		return name

	def user(
		self, first_name: str, roles: list[str], customer: str | None = None, password: str | None = None
	):
		"""A user (with a Contact of the customer, if given); returns (user, api key, api secret)."""
		email = f"{first_name.lower()}-{random_string(8).lower()}@fs-committed.example.com"
		key, secret = random_string(15), random_string(15)
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first_name,
				"send_welcome_email": 0,
				"new_password": password,
				"api_key": key,
				"api_secret": secret,
				"roles": [{"role": r} for r in roles],
			}
		).insert()
		self.users.append(user.name)
		if customer:
			contact = frappe.get_doc(
				{
					"doctype": "Contact",
					"first_name": first_name,
					"last_name": random_string(6),
					"email_ids": [{"email_id": email, "is_primary": 1}],
					"user": user.name,
					"links": [{"link_doctype": "Customer", "link_name": customer}],
				}
			).insert()
			self.add("Contact", contact.name)
		return user.name, key, secret

	def cleanup(self) -> dict:
		"""Delete everything; returns the tables whose row counts differ from before: {table: (before, after)}."""
		try:
			frappe.db.rollback()
		except Exception:  # the test took the connection away (a killed connection, a server restart)
			frappe.db.connect()
		frappe.set_user("Administrator")
		flush_deferred()
		deleted: list[tuple[str, str]] = []

		def delete(doctype, name):
			if name and frappe.db.exists(doctype, name):
				doc = frappe.get_doc(doctype, name)
				if doc.docstatus == 1:
					doc.cancel()
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
				deleted.append((doctype, name))

		for advisory in self.advisories:
			for exposure in frappe.get_all("Advisory Exposure", filters={"advisory": advisory}, pluck="name"):
				delete("Advisory Exposure", exposure)
			for queue in frappe.get_all(
				"Email Queue",
				filters={"reference_doctype": "Security Advisory", "reference_name": advisory},
				pluck="name",
			):
				delete("Email Queue", queue)  # the holders' advisory mail
			# a published advisory refuses deletion; this one was the test's
			frappe.db.set_value("Security Advisory", advisory, "status", "Draft", update_modified=False)
		mine = {"customer": ("in", self.customers or [""])}
		for exposure in frappe.get_all("Advisory Exposure", filters=mine, pluck="name"):
			delete("Advisory Exposure", exposure)  # their sites' exposures to anyone's advisories
		issues = frappe.get_all("Support Issue", filters=mine, pluck="name")
		comms = frappe.get_all(
			"Communication",
			filters={"reference_doctype": "Support Issue", "reference_name": ("in", issues or [""])},
			pluck="name",
		)
		for queue in frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Support Issue", "reference_name": ("in", issues or [""])},
			pluck="name",
		):
			delete("Email Queue", queue)
		for file in frappe.get_all(
			"File",
			filters={
				"attached_to_doctype": ("in", ("Support Issue", "Communication")),
				"attached_to_name": ("in", [*issues, *comms] or [""]),
			},
			pluck="name",
		):
			delete("File", file)
		for comm in comms:
			delete("Communication", comm)
		frappe.db.delete(
			"Notification Log", {"document_type": "Support Issue", "document_name": ("in", issues or [""])}
		)
		for downtime in frappe.get_all("Support Site Downtime", filters=mine, pluck="name"):
			delete("Support Site Downtime", downtime)
		for day in frappe.get_all("Support Site Health", filters=mine, pluck="name"):
			delete("Support Site Health", day)
		frappe.db.delete("Support Uptime Round", {"creation": (">=", self.started)})  # the tests' rounds
		for upgrade in sorted(frappe.get_all("Upgrade Schedule", filters=mine, pluck="name"), reverse=True):
			delete("Upgrade Schedule", upgrade)
		for issue in sorted(issues, reverse=True):  # newest first, so the naming series goes back
			delete("Support Issue", issue)
		for doctype, name in reversed(self.records):
			delete(doctype, name)
		for user in self.users:
			delete_user(user, delete)
			deleted.append(("Notification Settings", user))
		delete_trail(deleted, self.started, self.series)
		names = [name for _doctype, name in deleted]
		if names:
			frappe.db.delete("Error Log", {"reference_name": ("in", names)})
		frappe.db.commit()
		after = row_counts()
		return {t: (n, after[t]) for t, n in self.counts_before.items() if after[t] != n}


class CommittedTestCase(SupportTestCase):
	"""A test class whose records are committed for a served site: make_records, then start_services;
	afterwards stop_services and delete exactly what was made, failing if any row is left behind."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.committed = Committed()
		try:
			cls.make_records()
			frappe.db.commit()
			cls.start_services()
		except Exception:
			cls.tearDownClass()
			raise

	@classmethod
	def tearDownClass(cls):
		try:
			cls.stop_services()
		finally:
			left = cls.committed.cleanup()  # whatever stopping the services did
			super().tearDownClass()
		if left:
			raise AssertionError(f"{cls.__name__} left rows behind (table: before, after): {left}")

	@classmethod
	def make_records(cls):
		pass

	@classmethod
	def two_customers(cls, helper) -> str:
		"""cls.mine and cls.theirs, and a 24x7 calendar (open whenever the test runs), whose name is returned."""
		made = cls.committed.add
		calendar = made("Support Calendar", helper.make_calendar(always_open=1))
		cls.mine, cls.theirs = (
			made("Customer", helper.make_customer()),
			made("Customer", helper.make_customer()),
		)
		return calendar

	@classmethod
	def start_services(cls):
		pass

	@classmethod
	def stop_services(cls):
		pass


class ServedTestCase(CommittedTestCase):
	"""Committed records, and this site served over real HTTP on loopback while the class runs."""

	@classmethod
	def start_services(cls):
		from tests.integration.served import LoopbackSite

		cls.served = LoopbackSite(frappe.local.site).start()

	@classmethod
	def stop_services(cls):
		if getattr(cls, "served", None):
			cls.served.stop()
