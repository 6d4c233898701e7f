"""REST `/api/resource` and `/api/method` over HTTP, as a customer's API key sees them.

The HTTP requests are served by Frappe's own WSGI application in another thread with its own database
connection, so this class commits the records it makes and deletes exactly those records afterwards.
"""

import threading
import unittest

import frappe
from frappe.utils import random_string
from werkzeug.test import Client

from tests.integration.utils import SupportTestCase, delete_trail


class HttpClient:
	def __init__(self, site: str, key: str, secret: str):
		self.site = site
		self.headers = {"Authorization": f"token {key}:{secret}", "Accept": "application/json"}

	def get(self, path: str, **query):
		result = {}

		def run():
			from frappe.app import application

			response = Client(application).get(
				path, query_string=query, headers=self.headers, environ_overrides={"HTTP_HOST": self.site}
			)
			result["status"] = response.status_code
			result["json"] = response.get_json(silent=True)

		thread = threading.Thread(target=run)
		thread.start()
		thread.join(60)
		return result["status"], result["json"]


class TestRestIsolation(SupportTestCase):
	created: list[tuple[str, str]]

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.series = set(frappe.db.sql("select name from tabSeries", pluck=True))
		cls.created = []
		helper = cls("test_list_shows_only_own_records")
		cls.mine, cls.theirs = helper.make_customer(), helper.make_customer()
		cls.records = {}
		calendar = helper.make_calendar()
		for customer in (cls.mine, cls.theirs):
			contract = helper.make_contract(customer, calendar=calendar)
			issue = helper.make_issue(contract)
			cls.records[customer] = {"Support Contract": contract.name, "Support Issue": issue.name}
		cls.user = helper.make_customer_user(cls.mine)
		user = frappe.get_doc("User", cls.user)
		cls.key, cls.secret = random_string(15), random_string(15)
		user.api_key, user.api_secret = cls.key, cls.secret
		user.save()
		frappe.db.commit()
		cls.calendar = calendar

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		cls.delete_created()
		frappe.db.commit()
		super().tearDownClass()

	@classmethod
	def delete_created(cls):
		"""Delete exactly what setUpClass made, children first."""
		started = frappe.utils.now()
		issues = sorted((r["Support Issue"] for r in cls.records.values()), reverse=True)
		for issue in issues:  # newest first, so the naming series goes back too
			frappe.delete_doc("Support Issue", issue, force=True, ignore_permissions=True)
		for name in sorted((r["Support Contract"] for r in cls.records.values()), reverse=True):
			contract = frappe.get_doc("Support Contract", name)
			if contract.docstatus == 1:
				contract.cancel()
			frappe.delete_doc("Support Contract", contract.name, force=True, ignore_permissions=True)
		contacts = frappe.get_all("Contact", filters={"user": cls.user}, pluck="name")
		for contact in contacts:
			frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
		frappe.delete_doc("User", cls.user, force=True, ignore_permissions=True)
		holiday_list = frappe.db.get_value("Support Calendar", cls.calendar, "holiday_list")
		frappe.delete_doc("Support Calendar", cls.calendar, force=True, ignore_permissions=True)
		if holiday_list:
			frappe.delete_doc("Holiday List", holiday_list, force=True, ignore_permissions=True)
		for customer in (cls.mine, cls.theirs):
			frappe.delete_doc("Customer", customer, force=True, ignore_permissions=True)
		# deleting leaves an archive row and a "Deleted" comment per record: those are ours too
		deleted = [
			("User", cls.user),
			("Notification Settings", cls.user),
			("Support Calendar", cls.calendar),
		]
		deleted.append(("Holiday List", holiday_list))
		deleted += [("Customer", c) for c in (cls.mine, cls.theirs)] + [("Contact", c) for c in contacts]
		for records in cls.records.values():
			deleted.extend(records.items())
		delete_trail(deleted, started, cls.series)

	def setUp(self):
		super().setUp()
		self.client = HttpClient(frappe.local.site, self.key, self.secret)

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_list_shows_only_own_records(self):
		for doctype in ("Support Contract", "Support Issue"):
			status, body = self.client.get(f"/api/resource/{doctype}", limit_page_length=0)
			self.assertEqual(status, 200, body)
			names = {row["name"] for row in body["data"]}
			self.assertIn(self.records[self.mine][doctype], names)
			self.assertNotIn(self.records[self.theirs][doctype], names)

	def test_other_customers_record_is_forbidden(self):
		for doctype in ("Support Contract", "Support Issue"):
			status, _body = self.client.get(f"/api/resource/{doctype}/{self.records[self.theirs][doctype]}")
			self.assertEqual(status, 403, doctype)
			status, body = self.client.get(f"/api/resource/{doctype}/{self.records[self.mine][doctype]}")
			self.assertEqual(status, 200, body)

	def test_client_get_list_over_http(self):
		status, body = self.client.get(
			"/api/method/frappe.client.get_list", doctype="Support Issue", limit_page_length=0
		)
		self.assertEqual(status, 200, body)
		names = {row["name"] for row in body["message"]}
		self.assertEqual(names, {self.records[self.mine]["Support Issue"]})


if __name__ == "__main__":
	unittest.main()
