"""Book the fix of an exposure: the next free windows, one step to a Scheduled upgrade to the fixed version
(linked from the exposure, once however often it is asked), a site's open upgrade joined instead, a window
not offered refused with nothing made, the advisory mail's link, and the exposure Patched when the booked
upgrade completes. The same through the customer API (as the portal and the connector call it)."""

from __future__ import annotations

from datetime import timedelta

import frappe

from frappe_support.api import v1
from frappe_support.common.dates import to_stored
from frappe_support.upgrades.fixes import book_fix, fix_plan
from tests.integration.utils import SupportTestCase, publish_frappe_advisory


class TestBookTheFix(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.ensure_outgoing_account()
		self.use_settings(upgrade_lead_hours=24, upgrade_slot_hours=2, pause_customer_mail=0)
		self.customer = self.make_customer()
		holder = self.make_holder(self.customer)
		self.holder = holder.email_ids[0].email_id
		self.contract = self.make_contract(
			self.customer,
			covers_upgrade=1,
			covers_security_alerts=1,
			holders=[{"contact": holder.name, "notify_advisories": 1, "notify_upgrades": 1}],
		)
		self.site = self.make_site(self.customer, self.contract.name, {"frappe": "15.50.0"})
		self.engineer = self.make_engineer()
		self.advisory = publish_frappe_advisory("Book the fix advisory")
		self.exposure = frappe.db.get_value(
			"Advisory Exposure", {"advisory": self.advisory.name, "site": self.site}, "name"
		)

	def upgrades(self) -> list:
		return frappe.get_all("Upgrade Schedule", filters={"site": self.site}, fields=["*"])

	def test_one_step_books_a_scheduled_upgrade_to_the_fixed_version_once(self):
		plan = fix_plan(self.exposure)
		self.assertEqual(
			(plan["app_name"], plan["from_version"], plan["to_version"]), ("frappe", "15.50.0", "15.72.0")
		)
		self.assertIsNone(plan["open_upgrade"])
		self.assertEqual(len(plan["slots"]), 3)
		start, end, engineer = plan["slots"][1]  # not just the first: the one chosen
		name = book_fix(self.exposure, start)
		(upgrade,) = self.upgrades()
		self.assertEqual(upgrade.name, name)
		self.assertEqual(upgrade.status, "Scheduled")
		self.assertEqual((upgrade.window_start, upgrade.window_end), (to_stored(start), to_stored(end)))
		self.assertEqual(upgrade.engineer, engineer)
		apps = frappe.get_all(
			"Upgrade Schedule App",
			filters={"parent": name},
			fields=["app_name", "from_version", "to_version"],
		)
		self.assertEqual(
			[(a.app_name, a.from_version, a.to_version) for a in apps], [("frappe", "15.50.0", "15.72.0")]
		)
		self.assertEqual(frappe.db.get_value("Advisory Exposure", self.exposure, "upgrade_schedule"), name)
		self.assertEqual(book_fix(self.exposure, start), name)  # asked again: the same upgrade
		self.assertEqual(len(self.upgrades()), 1)
		self.assertEqual(fix_plan(self.exposure)["booked"], name)

	def test_completing_the_booked_upgrade_patches_the_exposure(self):
		start, _end, _engineer = fix_plan(self.exposure)["slots"][0]
		doc = frappe.get_doc("Upgrade Schedule", book_fix(self.exposure, start))
		self.complete_upgrade(doc)
		self.assertEqual(frappe.db.get_value("Advisory Exposure", self.exposure, "status"), "Patched")

	def test_an_open_upgrade_of_the_site_takes_the_fix(self):
		start, end, _engineer = fix_plan(self.exposure)["slots"][0]
		open_upgrade = frappe.get_doc(
			{
				"doctype": "Upgrade Schedule",
				"site": self.site,
				"status": "Requested",
				"window_start": to_stored(start),
				"window_end": to_stored(end),
				"apps": [
					{"app_name": "erpnext", "to_version": "15.90.0"},
					{"app_name": "frappe", "to_version": "15.60.0"},
				],
			}
		).insert()
		plan = fix_plan(self.exposure)
		self.assertEqual((plan["open_upgrade"], plan["slots"]), (open_upgrade.name, []))
		self.assertEqual(book_fix(self.exposure), open_upgrade.name)
		rows = {
			a.app_name: a.to_version
			for a in frappe.get_all(
				"Upgrade Schedule App",
				filters={"parent": open_upgrade.name},
				fields=["app_name", "to_version"],
			)
		}
		self.assertEqual(rows, {"erpnext": "15.90.0", "frappe": "15.72.0"})  # raised to the fixed version
		self.assertEqual(len(self.upgrades()), 1)

	def test_a_window_not_offered_or_a_fixed_exposure_books_nothing(self):
		start = fix_plan(self.exposure)["slots"][0][0]
		with self.assertRaisesRegex(frappe.ValidationError, "is not one of the free windows"):
			book_fix(self.exposure, start + timedelta(minutes=7))
		with self.assertRaisesRegex(frappe.ValidationError, "is not one of the free windows"):
			book_fix(self.exposure)
		self.assertEqual(self.upgrades(), [])
		self.assertIsNone(frappe.db.get_value("Advisory Exposure", self.exposure, "upgrade_schedule"))
		frappe.db.set_value("Advisory Exposure", self.exposure, "status", "Patched")
		with self.assertRaisesRegex(frappe.ValidationError, "only an affected site"):
			book_fix(self.exposure, start)
		self.assertEqual(self.upgrades(), [])

	def test_the_advisory_mail_links_to_booking_the_fix(self):
		mails = [m for r, m in self.queued_mails(self.advisory.name) if r == self.holder]
		self.assertEqual(len(mails), 1)
		self.assertIn("/support?fix=" + self.exposure, mails[0].replace("=\r\n", "").replace("=3D", "="))

	def test_through_the_customer_api(self):
		user = self.make_customer_user(self.customer)
		frappe.set_user(user)
		plan = v1.fix_plan(self.exposure)
		self.assertNotIn("engineer", plan["slots"][0])  # staff names stay on the provider's side
		booked = v1.book_fix(self.exposure, plan["slots"][0]["start"], idempotency_key="fix-" + self.exposure)
		frappe.set_user("Administrator")
		self.assertEqual(booked["status"], "Scheduled")
		self.assertEqual(
			frappe.db.get_value("Advisory Exposure", self.exposure, "upgrade_schedule"), booked["name"]
		)
		frappe.set_user(user)
		listed = {r["name"]: r["upgrade_schedule"] for r in v1.list_exposures()}
		frappe.set_user("Administrator")
		self.assertEqual(listed, {self.exposure: booked["name"]})
