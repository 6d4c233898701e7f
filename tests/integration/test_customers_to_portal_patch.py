"""The patch that takes customers off the desk: a customer user made the old way (a System User through a
desk role, with an API key and a Contact of their customer, and the desk grants they had) becomes a
Website User with the same roles, Contact, records and key; on a customer site, the connector desk's users
get Support Desk User and keep the desk. Run inside the test's transaction, rolled back afterwards."""

import frappe
from frappe.utils import random_string

from frappe_support.patches.v0_1 import customers_to_portal
from tests.integration.utils import SupportTestCase


class TestCustomersToPortal(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.addCleanup(frappe.clear_cache)  # roles and user types were cached inside the rolled-back work
		frappe.db.set_value("Role", "Support Customer", "desk_access", 1)  # as the app made it before
		frappe.clear_cache()
		self.customer = self.make_customer()
		self.issue = self.make_issue(self.make_contract(self.customer))
		self.user = self.make_customer_user(self.customer)
		self.key = random_string(15)
		frappe.db.set_value("User", self.user, {"api_key": self.key, "user_type": "System User"})
		frappe.get_doc(
			{
				"doctype": "Workspace",
				"label": "My Support",
				"title": "My Support",
				"public": 1,
				"content": "[]",
			}
		).insert()
		frappe.get_doc("Report", "SLA Compliance").append("roles", {"role": "Support Customer"}).db_insert()

	def test_an_old_customer_user_becomes_a_website_user_and_keeps_everything(self):
		contacts = frappe.get_all("Contact", filters={"user": self.user}, pluck="name")
		customers_to_portal.execute()
		user = frappe.get_doc("User", self.user)
		self.assertEqual(user.user_type, "Website User")
		roles = [r.role for r in user.roles]
		self.assertIn(
			"Support Customer", roles
		)  # (ERPNext adds its portal role Customer to the Contact's user)
		self.assertEqual(frappe.get_all("Role", filters={"name": ("in", roles), "desk_access": 1}), [])
		self.assertEqual(user.api_key, self.key)
		self.assertEqual(frappe.get_all("Contact", filters={"user": self.user}, pluck="name"), contacts)
		self.assertEqual(frappe.db.get_value("Support Issue", self.issue.name, "customer"), self.customer)
		self.assertFalse(frappe.db.get_value("Role", "Support Customer", "desk_access"))
		self.assertFalse(frappe.db.exists("Workspace", "My Support"))
		self.assertFalse(
			frappe.db.exists("Has Role", {"parent": "SLA Compliance", "role": "Support Customer"})
		)
		frappe.set_user(self.user)
		from frappe_support.api import v1

		self.assertEqual([i["name"] for i in v1.list_issues()], [self.issue.name])  # through the API now
		frappe.set_user("Administrator")
		customers_to_portal.execute()  # a second run changes nothing
		self.assertEqual(frappe.db.get_value("User", self.user, "user_type"), "Website User")

	def test_on_a_customer_site_the_desk_users_keep_the_desk(self):
		frappe.db.set_single_value("Frappe Support Settings", "site_mode", "Customer Site")
		self.addCleanup(frappe.clear_document_cache, "Frappe Support Settings", "Frappe Support Settings")
		customers_to_portal.execute()
		user = frappe.get_doc("User", self.user)
		self.assertIn("Support Desk User", [r.role for r in user.roles])
		self.assertNotIn("Support Customer", [r.role for r in user.roles])
		self.assertEqual(user.user_type, "System User")
		self.assertEqual(user.api_key, self.key)
