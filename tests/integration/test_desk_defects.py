"""Issue 19, what a new provider trips over in the desk (item 3, the pickers: test_browser_pickers):
item 4, the Monitoring Engineer offers Support Engineers and Support Managers, and the refusal on a site
where nobody holds those roles says how to give one; item 8, the workspace's shortcuts to the records a
provider sets up first, and an empty SLA Compliance that says why."""

from __future__ import annotations

import frappe

from frappe_support.upgrades.booking import MONITORS, engineer_query
from frappe_support.upgrades.reminders import engineers_busy
from tests.integration.utils import SupportTestCase


class TestMonitoringEngineer(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.manager = self.make_engineer()
		frappe.get_doc("User", self.manager).remove_roles("Support Engineer")
		frappe.get_doc("User", self.manager).add_roles("Support Manager")
		self.engineer = self.make_engineer()
		self.clerk = self.make_engineer()
		frappe.get_doc("User", self.clerk).remove_roles("Support Engineer")
		customer = self.make_customer()
		contract = self.make_contract(customer, covers_upgrade=1)
		self.site = self.make_site(customer, contract.name)

	def offered(self, txt: str = "") -> set[str]:
		return {row[0] for row in engineer_query("User", txt, "name", 0, 500, {})}

	def schedule_without_engineer(self) -> str:
		doc = frappe.get_doc(
			{
				"doctype": "Upgrade Schedule",
				"site": self.site,
				"status": "Scheduled",
				"window_start": "2027-03-02 10:00:00",
				"window_end": "2027-03-02 12:00:00",
				"apps": [{"app_name": "frappe", "to_version": "15.90.0"}],
			}
		)
		with self.assertRaises(frappe.ValidationError) as refused:
			doc.insert()
		return str(refused.exception)

	def test_support_managers_are_offered_and_free_for_windows(self):
		offered = self.offered()
		self.assertTrue({self.manager, self.engineer} <= offered)
		self.assertNotIn(self.clerk, offered)
		self.assertEqual(
			self.offered(self.manager[:8]) & {self.manager, self.engineer, self.clerk}, {self.manager}
		)
		self.assertIn(self.manager, engineers_busy())  # the slot finder proposes their windows too

	def test_the_refusal_says_whom_to_give_the_role_when_nobody_holds_it(self):
		self.assertEqual(
			self.schedule_without_engineer(), "Choose the monitoring engineer before scheduling the upgrade."
		)
		holders = frappe.get_all(
			"Has Role", filters={"role": ("in", MONITORS), "parenttype": "User"}, pluck="parent"
		)
		user = frappe.qb.DocType("User")
		frappe.qb.update(user).set(user.enabled, 0).where(user.name.isin(holders)).run()  # rolled back after
		message = self.schedule_without_engineer()
		self.assertIn("give a user the Support Engineer or Support Manager role", message)
		self.assertIn('href="/app/user"', message)
		self.assertEqual(self.offered(), set())


class TestWorkspace(SupportTestCase):
	def test_the_workspace_links_what_a_provider_sets_up_first(self):
		workspace = frappe.get_doc("Workspace", "Frappe Support")
		shortcuts = {s.label: s.link_to for s in workspace.shortcuts}
		for doctype in ("Support Calendar", "Support Plan", "Customer", "Contact"):
			self.assertEqual(shortcuts.get(doctype), doctype)
			self.assertIn(f'"shortcut_name": "{doctype}"', workspace.content)


class TestEmptyCompliance(SupportTestCase):
	def test_an_empty_sla_compliance_says_only_resolved_issues_count(self):
		from frappe.desk.query_report import run

		empty = run("SLA Compliance", {"from_date": "2099-01-01", "to_date": "2099-01-31"})
		self.assertEqual(empty["result"], [])
		self.assertIn("Only issues resolved", empty["message"])
		self.assertIn("Issues Due Soon", empty["message"])
