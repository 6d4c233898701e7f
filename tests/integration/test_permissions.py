"""The app's DocTypes are for staff: a Support Customer is a Website User without any DocType access, and
reaches their own customer's records through the customer API only (in-process here; over HTTP, with
every generic surface tried, in test_adversarial_customer.py)."""

import frappe
from frappe.desk.search import search_link

from frappe_support.api import v1
from tests.integration.utils import SupportTestCase

SCOPED = ("Support Contract", "Support Site", "Support Issue")


class TestCustomerIsolation(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.mine = self.make_customer()
		self.theirs = self.make_customer()
		self.records = {}
		for customer in (self.mine, self.theirs):
			contract = self.make_contract(customer)
			site = self.make_site(customer, contract.name)
			issue = self.make_issue(contract, site=site)
			issue.add_comment("Comment", "Internal: their database server is undersized")
			self.records[customer] = {
				"Support Contract": contract.name,
				"Support Site": site,
				"Support Issue": issue.name,
			}
		self.user = self.make_customer_user(self.mine)
		frappe.set_user(self.user)

	def test_a_customer_is_a_website_user_without_doctype_access(self):
		self.assertEqual(frappe.db.get_value("User", self.user, "user_type"), "Website User")
		for doctype in SCOPED:
			for call in (
				lambda: frappe.get_attr("frappe.client.get_list")(doctype, fields=["name"]),
				lambda: frappe.get_attr("frappe.client.get_count")(doctype),
				lambda: frappe.get_attr("frappe.client.get")(doctype, self.records[self.mine][doctype]),
				lambda: search_link(doctype, ""),
			):
				with self.assertRaises(frappe.PermissionError, msg=doctype):
					call()
		# and a role permission an administrator adds by mistake changes nothing
		frappe.set_user("Administrator")
		from frappe.permissions import add_permission

		add_permission("Support Issue", "Support Customer", 0, "read")
		frappe.clear_cache(doctype="Support Issue")
		self.addCleanup(frappe.clear_cache, doctype="Support Issue")  # after the rollback
		frappe.set_user(self.user)
		self.assertEqual(frappe.get_list("Support Issue", pluck="name"), [])
		doc = frappe.get_doc("Support Issue", self.records[self.mine]["Support Issue"])
		self.assertFalse(doc.has_permission("read"))

	def test_the_customer_api_reaches_their_own_records_only(self):
		issues = v1.list_issues()
		self.assertEqual([i["name"] for i in issues], [self.records[self.mine]["Support Issue"]])
		self.assertEqual(v1.ping()["sites"], [self.records[self.mine]["Support Site"]])
		self.assertEqual(
			[c["name"] for c in v1.list_contracts()], [self.records[self.mine]["Support Contract"]]
		)
		got = v1.get_issue(self.records[self.mine]["Support Issue"])
		self.assertNotIn("undersized", frappe.as_json(got))  # internal notes never reach customers
		for call, name in (
			(v1.get_issue, self.records[self.theirs]["Support Issue"]),
			(v1.get_site, self.records[self.theirs]["Support Site"]),
			(v1.get_contract, self.records[self.theirs]["Support Contract"]),
		):
			with self.assertRaises(frappe.PermissionError):
				call(name)
		with self.assertRaises(frappe.DoesNotExistError):
			v1.get_issue("SUP-ISS-NO-SUCH")

	def test_customer_raises_issues_only_for_own_customer(self):
		made = v1.raise_issue(subject="Mine", priority="Low")
		self.assertEqual(
			frappe.db.get_value("Support Issue", made["name"], ["customer", "contract"]),
			(self.mine, self.records[self.mine]["Support Contract"]),
		)
		before = frappe.db.count("Support Issue")
		with self.assertRaises(frappe.PermissionError):
			v1.raise_issue(subject="Theirs", site=self.records[self.theirs]["Support Site"])
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{"doctype": "Support Issue", "subject": "Theirs", "customer": self.theirs}
			).insert()
		self.assertEqual(frappe.db.count("Support Issue"), before)

	def test_customer_without_contact_reaches_nothing(self):
		frappe.set_user("Administrator")
		lonely = frappe.get_doc(
			{
				"doctype": "User",
				"email": f"{frappe.generate_hash(length=10)}@fs-customer.example.com",
				"first_name": "Lonely",
				"send_welcome_email": 0,
				"roles": [{"role": "Support Customer"}],
			}
		).insert()
		frappe.set_user(lonely.name)
		with self.assertRaises(frappe.PermissionError):
			v1.list_issues()

	def test_staff_keep_the_desk(self):
		frappe.set_user("Administrator")
		frappe.set_user(self.make_engineer())
		names = set(frappe.get_list("Support Issue", pluck="name"))
		self.assertTrue({r["Support Issue"] for r in self.records.values()} <= names)
		with self.assertRaises(frappe.PermissionError):
			v1.list_issues()  # the customer API is for customers
