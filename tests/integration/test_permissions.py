"""A Support Customer sees only their own customer's contracts, sites and issues."""

import frappe
from frappe.desk.search import search_link

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
			self.records[customer] = {
				"Support Contract": contract.name,
				"Support Site": site,
				"Support Issue": issue.name,
			}
		self.user = self.make_customer_user(self.mine)
		frappe.set_user(self.user)

	def test_lists_and_counts_show_only_own_records(self):
		for doctype in SCOPED:
			names = frappe.get_attr("frappe.client.get_list")(doctype, fields=["name"], limit_page_length=0)
			names = {r["name"] for r in names}
			self.assertIn(self.records[self.mine][doctype], names, doctype)
			self.assertNotIn(self.records[self.theirs][doctype], names, doctype)
			self.assertEqual(frappe.get_attr("frappe.client.get_count")(doctype), len(names), doctype)
			reportview = frappe.get_attr("frappe.desk.reportview.get_list")
			frappe.local.form_dict = frappe._dict(doctype=doctype, fields=["name"])
			self.assertNotIn(self.records[self.theirs][doctype], {r.name for r in reportview()}, doctype)

	def test_other_customers_documents_are_denied(self):
		for doctype in SCOPED:
			own = frappe.get_attr("frappe.client.get")(doctype, self.records[self.mine][doctype])
			self.assertEqual(own["name"], self.records[self.mine][doctype])
			with self.assertRaises(frappe.PermissionError, msg=doctype):
				frappe.get_attr("frappe.client.get")(doctype, self.records[self.theirs][doctype])

	def test_link_search_shows_only_own_records(self):
		for doctype in SCOPED:
			results = search_link(doctype, "", page_length=1000)
			values = {r["value"] for r in results}
			self.assertNotIn(self.records[self.theirs][doctype], values, doctype)
			self.assertIn(self.records[self.mine][doctype], values, doctype)

	def test_customer_creates_issues_only_for_own_customer(self):
		contract = self.records[self.mine]["Support Contract"]
		issue = frappe.get_doc(
			{"doctype": "Support Issue", "subject": "Mine", "contract": contract, "priority": "Low"}
		).insert()
		self.assertEqual(issue.customer, self.mine)
		before = frappe.db.count("Support Issue")
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{
					"doctype": "Support Issue",
					"subject": "Theirs",
					"customer": self.theirs,
					"contract": self.records[self.theirs]["Support Contract"],
					"priority": "Low",
				}
			).insert()
		self.assertEqual(frappe.db.count("Support Issue"), before)

	def test_customer_cannot_write_sla_fields(self):
		issue = frappe.get_doc("Support Issue", self.records[self.mine]["Support Issue"])
		deadline = issue.resolution_by
		issue.resolution_by = "2099-01-01 00:00:00"
		issue.sla_state = "Met"
		issue.save()
		issue.reload()
		self.assertEqual(issue.resolution_by, deadline)
		self.assertNotEqual(issue.sla_state, "Met")

	def test_customer_without_contact_sees_nothing(self):
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
		for doctype in SCOPED:
			self.assertEqual(frappe.get_attr("frappe.client.get_count")(doctype), 0, doctype)
