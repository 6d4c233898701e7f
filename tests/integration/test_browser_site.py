"""The Support Site form in Chromium: the uptime strip (an hour a cell, 7 days) with its outage and the
month's uptime, and the site's health with its monthly trend, from records the checks and the connector
wrote. No console errors; a screenshot beside the other browser artefacts."""

from __future__ import annotations

import json

import frappe
from frappe.utils import add_days, add_to_date, getdate, now_datetime

from tests.integration.test_browser import PASSWORD, BrowserCase, shot_on_failure


class TestSiteFormInTheBrowser(BrowserCase):
	@classmethod
	def make_records(cls):
		helper = cls("test_the_site_form_shows_uptime_and_health")
		made = cls.committed.add
		calendar = cls.two_customers(helper)
		contract = made("Support Contract", helper.make_contract(cls.mine, calendar=calendar).name)
		cls.support_site = made("Support Site", helper.make_site(cls.mine, contract))
		now = now_datetime()
		for hours in range(0, 30):  # rounds in each of the last 30 hours: those hours were watched
			round_doc = frappe.new_doc("Support Uptime Round")
			round_doc.update({"name": frappe.generate_hash(), "started_on": add_to_date(now, hours=-hours)})
			round_doc.db_insert()
		start = add_to_date(now, hours=-5).replace(minute=10, second=0, microsecond=0)  # inside one hour
		made(
			"Support Site Downtime",
			frappe.get_doc(
				{
					"doctype": "Support Site Downtime",
					"site": cls.support_site,
					"customer": cls.mine,
					"started_on": start,
					"last_failed_on": add_to_date(start, minutes=11),
					"ended_on": add_to_date(start, minutes=12),
					"duration_minutes": 12,
					"failures": 12,
					"reason": "connection refused",
				}
			)
			.insert()
			.name,
		)
		for days, size in ((-40, 900.0), (-10, 1000.0), (0, 1100.0)):
			made(
				"Support Site Health",
				frappe.get_doc(
					{
						"doctype": "Support Site Health",
						"site": cls.support_site,
						"customer": cls.mine,
						"day": add_days(getdate(), days),
						"db_size_mb": size,
						"errors_24h": 7,
						"snapshot": json.dumps(
							{
								"db_size_mb": size,
								"errors_24h": 7.0,
								"scheduler": "Active",
								"largest_tables": [],
							}
						),
					}
				)
				.insert()
				.name,
			)
		cls.manager = cls.committed.user("Manager", ["Support Manager"], password=PASSWORD)[0]

	@shot_on_failure
	def test_the_site_form_shows_uptime_and_health(self):
		page = self.page
		self.login(self.manager)
		self.open(f"/app/support-site/{self.support_site}", ".uptime-strip")
		cells = page.locator(".uptime-strip .uptime-cell")
		self.assertEqual(cells.count(), 7 * 24)
		self.assertEqual(page.locator(".uptime-cell[data-state='down']").count(), 1)
		self.assertGreater(page.locator(".uptime-cell[data-state='up']").count(), 20)
		down = page.locator(".uptime-cell[data-state='down']")
		self.assertIn("12 min", down.get_attribute("title"))
		self.assertEqual(down.evaluate("(e) => getComputedStyle(e).backgroundColor"), "rgb(226, 76, 76)")
		self.assertRegex(page.locator(".uptime-percent").inner_text(), r"^\d+\.\d{3} % up in ")
		page.locator(".site-health-trend").wait_for(timeout=20_000)
		self.assertIn("1100", page.locator(".site-health-latest").inner_text())
		self.assertIn("+100", page.locator(".site-health-trend").inner_text())  # the month's growth
		page.locator(".uptime-strip").scroll_into_view_if_needed()
		self.shot("desk-site-uptime-health")
		self.assertNoConsoleErrors()
