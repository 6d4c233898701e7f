"""The workspace's onboarding (Module Onboarding "Frappe Support"): each step turns done as the record it asks
for appears, through the document's own save, and not before; the hourly job marks the scheduler step on a
site whose scheduler runs. In the test's transaction: the steps are set back to not done and the other
records out of the way there, all rolled back; what Redis remembers is cleared before and after."""

from __future__ import annotations

import frappe

from frappe_support import onboarding
from tests.integration.utils import SupportTestCase


class TestOnboarding(SupportTestCase):
	def setUp(self):
		super().setUp()
		frappe.cache.delete_value(onboarding.DONE)
		self.addCleanup(frappe.cache.delete_value, onboarding.DONE)
		for table, values in {
			"Onboarding Step": {"is_complete": 0},
			"Email Account": {"enable_outgoing": 0},
			"Support Calendar": {"holiday_list": None},
			"Support Contract": {"docstatus": 2},
		}.items():
			self.set_all(table, values, onboarding.STEPS if table == "Onboarding Step" else None)
		plan = frappe.qb.DocType("Support Plan")
		frappe.qb.update(plan).set(plan.modified, plan.creation).run()
		frappe.db.delete("Support Site", {})  # rolled back with the test
		frappe.db.delete("Support Issue", {})

	def set_all(self, doctype: str, values: dict, names=None) -> None:
		table = frappe.qb.DocType(doctype)
		query = frappe.qb.update(table)
		for field, value in values.items():
			query = query.set(table[field], value)
		if names:
			query = query.where(table.name.isin(list(names)))
		query.run()

	def done(self) -> set[str]:
		return set(
			frappe.get_all(
				"Onboarding Step",
				filters={"name": ("in", list(onboarding.STEPS)), "is_complete": 1},
				pluck="name",
			)
		)

	def test_each_step_turns_done_as_its_record_appears(self):
		self.assertEqual(self.done(), set())
		self.assertIsNotNone(self.ensure_outgoing_account())  # none is outgoing now: it makes one
		self.assertEqual(self.done(), {"Set Up Outgoing Email"})
		calendar = self.make_calendar(holidays=["2027-01-01"])
		self.assertIn("Make Your Calendar", self.done())
		customer = self.make_customer()
		self.make_contract(customer, calendar=calendar)  # no holder yet: not done
		self.assertNotIn("Create a Contract with a Holder", self.done())
		holder = self.make_holder(customer)
		contract = self.make_contract(customer, calendar=calendar, holders=[{"contact": holder.name}])
		self.assertIn("Create a Contract with a Holder", self.done())
		self.assertNotIn("Register a Site", self.done())
		self.make_site(customer, contract.name)
		self.assertIn("Register a Site", self.done())
		self.make_issue(contract)
		self.assertIn("Raise a First Issue", self.done())
		plan = frappe.get_doc("Support Plan", "Standard Support")
		plan.save()
		self.assertIn("Review the Plan", self.done())
		self.assertEqual(
			self.done(), set(onboarding.STEPS) - {"Check the Scheduler"}
		)  # the scheduler's step is the hourly job's
		frappe.db.set_single_value("System Settings", "enable_scheduler", 1)
		if not onboarding.scheduler_on():
			self.skipTest("this site's config pauses the scheduler")
		onboarding.update_steps()  # as the hourly job, which runs only where the scheduler does
		self.assertEqual(self.done(), set(onboarding.STEPS))
		self.assertTrue(frappe.get_doc("Module Onboarding", "Frappe Support").check_completion())

	def test_a_step_known_done_costs_no_query(self):
		from tests.integration.utils import count_queries

		contract = self.make_contract(self.make_customer())
		self.make_issue(contract)
		self.assertIn("Raise a First Issue", self.done())
		frappe.cache.hset(onboarding.DONE, "Raise a First Issue", 1)  # what the commit would remember
		issue = frappe.new_doc("Support Issue")
		self.assertEqual(count_queries(lambda: onboarding.on_record(issue)), 0)


class TestAppsScreen(SupportTestCase):
	def tiles(self) -> list[str]:
		from frappe.apps import get_apps

		return [a["name"] for a in get_apps()]

	def test_the_apps_screen_shows_the_support_desk_to_staff_only(self):
		frappe.set_user(self.make_engineer())
		self.assertIn("frappe_support", self.tiles())
		frappe.set_user("Administrator")
		frappe.set_user(self.make_customer_user(self.make_customer()))
		self.assertNotIn("frappe_support", self.tiles())
