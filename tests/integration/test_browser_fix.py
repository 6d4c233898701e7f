"""Book the fix in Chromium: a customer follows the advisory mail's link to the portal, picks a free window and
books the upgrade to the fixed version; a Support Manager books another site's fix from the exposure form
in the desk; completing the upgrade turns the exposure Patched. No console errors; screenshots beside the
other browser artefacts. (The customer-site desk's button: test_connector_sites.)"""

from __future__ import annotations

import re
from datetime import datetime

import frappe

from frappe_support.common.dates import to_stored
from tests.integration.test_browser import PASSWORD, BrowserCase, shot_on_failure
from tests.integration.utils import publish_frappe_advisory


class TestBookTheFixInTheBrowser(BrowserCase):
	@classmethod
	def make_records(cls):
		helper = cls("test_a_customer_books_the_fix_from_the_advisory_mail")
		made = cls.committed.add
		calendar = cls.two_customers(helper)
		contract = helper.make_contract(
			cls.mine, calendar=calendar, covers_upgrade=1, covers_security_alerts=1
		)
		made("Support Contract", contract.name)
		cls.sites = [
			made("Support Site", helper.make_site(cls.mine, contract.name, {"frappe": "15.50.0"}))
			for _ in range(2)
		]
		cls.advisory = made("Security Advisory", publish_frappe_advisory("Browser fix advisory").name)
		cls.exposures = [
			frappe.db.get_value("Advisory Exposure", {"advisory": cls.advisory, "site": site})
			for site in cls.sites
		]
		cls.manager = cls.committed.user("Manager", ["Support Manager"], password=PASSWORD)[0]
		cls.customer_user = cls.committed.user(
			"Customer", ["Support Customer"], customer=cls.mine, password=PASSWORD
		)[0]
		cls.engineer = cls.committed.user("Engineer", ["Support Engineer"], password=PASSWORD)[0]

	def booked(self, exposure: str) -> frappe._dict:
		frappe.db.rollback()  # what the served site committed
		name = frappe.db.get_value("Advisory Exposure", exposure, "upgrade_schedule")
		self.assertTrue(name, f"no upgrade booked for {exposure}")
		upgrade = frappe.get_doc("Upgrade Schedule", name)
		self.assertEqual(upgrade.status, "Scheduled")
		self.assertEqual([(a.app_name, a.to_version) for a in upgrade.apps], [("frappe", "15.72.0")])
		return upgrade

	def complete(self, upgrade) -> None:
		self.complete_upgrade(upgrade)
		frappe.db.commit()

	@shot_on_failure
	def test_a_customer_books_the_fix_from_the_advisory_mail(self):
		page, exposure = self.page, self.exposures[0]
		page.goto("/login")
		page.fill("#login_email", self.customer_user)
		page.fill("#login_password", PASSWORD)
		page.click(".btn-login")
		page.wait_for_url(re.compile(r"/support"), timeout=30_000)
		self.open(
			f"/support?fix={exposure}#advisories", f".fs-fix-panel[data-for='{exposure}'] .fs-confirm-fix"
		)
		panel = page.locator(f".fs-fix-panel[data-for='{exposure}']")
		self.assertIn("15.72.0", panel.inner_text())
		choices = panel.locator("input[type=radio]")
		self.assertEqual(choices.count(), 3)
		choices.nth(1).check()
		chosen = choices.nth(1).get_attribute("value")
		self.shot("portal-book-fix")
		panel.locator(".fs-confirm-fix").click()
		panel.locator(".fs-fix-booked").wait_for(timeout=20_000)
		self.shot("portal-fix-booked")
		upgrade = self.booked(exposure)
		self.assertEqual(upgrade.window_start, to_stored(datetime.fromisoformat(chosen)))  # the one picked
		self.complete(upgrade)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Advisory Exposure", exposure, "status"), "Patched")
		self.open("/support#advisories", ".fs-exposure-row")
		self.assertIn(
			"Booked: upgrade " + upgrade.name,
			page.locator(f".fs-exposure-row[data-name='{exposure}']").inner_text(),
		)
		self.assertNoConsoleErrors()

	@shot_on_failure
	def test_staff_book_the_fix_from_the_exposure_form(self):
		page, exposure = self.page, self.exposures[1]
		self.login(self.manager)
		self.open(f"/app/advisory-exposure/{exposure}", ".page-actions")
		page.get_by_role("button", name="Book the Fix").click()
		dialog = page.locator(".modal.show")
		dialog.locator("select[data-fieldname='slot']").wait_for(timeout=20_000)
		self.assertIn("15.72.0", dialog.inner_text())
		self.shot("desk-book-fix")
		dialog.get_by_role("button", name="Book").click()
		page.locator(".modal.show").first.wait_for(state="hidden", timeout=20_000)
		upgrade = self.booked(exposure)
		self.assertEqual(upgrade.engineer, self.engineer)
		self.open(f"/app/security-advisory/{self.advisory}", ".advisory-exposures")
		fix = page.locator(".advisory-exposures tr", has_text=self.sites[1]).locator(".exposure-fix")
		self.assertIn("Booked", fix.inner_text())
		self.complete(upgrade)
		self.open(f"/app/security-advisory/{self.advisory}", ".advisory-exposures")
		self.assertIn("Done", page.locator(".advisory-exposures tr", has_text=self.sites[1]).inner_text())
		self.shot("desk-advisory-fixes")
		self.assertNoConsoleErrors()
