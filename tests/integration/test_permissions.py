"""A Support Customer sees only their own customer's contracts, sites and issues."""

import contextlib

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


def forget_request() -> None:
	with contextlib.suppress(AttributeError):
		del frappe.local.request


class TestInternalNotes(SupportTestCase):
	"""The desk form's timeline of an issue, loaded through Frappe's request dispatcher as the browser does."""

	def setUp(self):
		super().setUp()
		customer = self.make_customer()
		self.issue = self.make_issue(self.make_contract(customer))
		self.engineer = self.make_engineer()
		self.issue.add_comment("Comment", "Internal: their database server is undersized")
		frappe.get_attr("frappe.desk.form.assign_to.add")(
			{"doctype": "Support Issue", "name": self.issue.name, "assign_to": [self.engineer]}
		)
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Sent",
				"subject": "Re: " + self.issue.subject,
				"content": "We are looking into it.",
				"reference_doctype": "Support Issue",
				"reference_name": self.issue.name,
			}
		).insert(ignore_permissions=True)
		self.customer_user = self.make_customer_user(customer)
		self.addCleanup(forget_request)

	def docinfo(self, user: str, cmd: str) -> frappe._dict:
		from frappe.handler import execute_cmd
		from werkzeug.test import EnvironBuilder
		from werkzeug.wrappers import Request

		frappe.local.request = Request(EnvironBuilder(method="GET", path="/api/method/" + cmd).get_environ())
		frappe.set_user(user)
		frappe.local.response = frappe._dict(docs=[])
		frappe.local.form_dict = frappe._dict(doctype="Support Issue", name=self.issue.name)
		execute_cmd(cmd)
		return frappe.response.docinfo

	def test_customer_timeline_has_the_emails_but_no_internal_notes(self):
		for cmd in ("frappe.desk.form.load.getdoc", "frappe.desk.form.load.get_docinfo"):
			staff = self.docinfo("Administrator", cmd)
			self.assertEqual(
				[c.content.strip() for c in staff.comments],
				["<p>Internal: their database server is undersized</p>"],
			)
			self.assertEqual(len(staff.assignment_logs), 1)
			customer = self.docinfo(self.customer_user, cmd)
			self.assertEqual(customer.comments, [], cmd)
			self.assertEqual(customer.assignment_logs, [], cmd)
			self.assertEqual(customer.assignments, [], cmd)
			self.assertEqual(customer.versions, [], cmd)
			self.assertEqual([c.content for c in customer.communications], ["We are looking into it."], cmd)

	def test_customer_cannot_list_comments_directly(self):
		frappe.set_user(self.customer_user)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_attr("frappe.client.get_list")(
				"Comment", filters={"reference_name": self.issue.name}, fields=["content"]
			)
