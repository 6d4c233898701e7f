"""The demo data in a real browser: after `frappe-support demo`, the staff workspace's cards and charts show
non-zero figures that agree with the database, an issue shows its countdown, and a demo customer's user
sees their own issues on the portal. These screenshots are the README's (docs/images/, copied from
$FRAPPE_SUPPORT_ARTIFACTS). The demo is removed afterwards; on a site that holds one already the test is
skipped, and says so."""

from __future__ import annotations

import re
import unittest

import frappe

from frappe_support import demo
from tests.integration.test_browser import PASSWORD, BrowserCase, shot_on_failure


def card_counts() -> dict[str, int]:
	"""The two cards whose figure depends on the calendar, counted here from their definitions in words."""
	from frappe.utils import get_first_day, get_first_day_of_week, get_last_day, get_last_day_of_week, getdate

	today = getdate()
	month = (f"{get_first_day(today)} 00:00:00", f"{get_last_day(today)} 23:59:59.999999")
	week = (f"{get_first_day_of_week(today)} 00:00:00", f"{get_last_day_of_week(today)} 23:59:59.999999")
	return {
		"Breaches This Month": frappe.db.count(
			"Support Issue", {"resolution_breach_notified": 1, "resolution_by": ("between", month)}
		),
		"Upgrades This Week": frappe.db.count(
			"Upgrade Schedule",
			{"status": ("in", ("Scheduled", "In Progress")), "window_start": ("between", week)},
		),
	}


def chart_data() -> dict[str, dict]:
	"""What each chart should show, computed here from the database (the charts' own code, called
	directly; their agreement with the rows is tests/integration/test_charts.py's)."""
	from frappe.desk.doctype.dashboard_chart.dashboard_chart import get as group_by_chart

	from frappe_support.issues.charts import met_by_priority, raised_and_resolved
	from frappe_support.upgrades.charts import outcomes_per_month

	return {
		"Support Issues Raised and Resolved": raised_and_resolved(),
		"SLA Met by Priority": met_by_priority(),
		"Open Exposures by Severity": group_by_chart(chart_name="Open Exposures by Severity", refresh=1),
		"Upgrade Outcomes": outcomes_per_month(),
	}


class TestTheDemoInTheBrowser(BrowserCase):
	@classmethod
	def make_records(cls):
		if demo.made():
			raise unittest.SkipTest(
				"this site holds a demo already: remove it to run the demo's browser test"
			)
		demo.make()
		record = demo.made()
		cls.issues = [n for d, n in record["records"] if d == "Support Issue"]
		cls.customer = frappe.db.get_value("Customer", {"customer_name": "Demo Brauerei Adler GmbH"})
		cls.manager = cls.committed.user("Manager", ["Support Manager"], password=PASSWORD)[0]
		cls.customer_user = cls.committed.user(
			"Customer", ["Support Customer"], customer=cls.customer, password=PASSWORD
		)[0]
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		if demo.made():
			demo.remove()
		super().tearDownClass()

	def wait_for_chart(self, title: str, data: dict) -> None:
		"""Until the chart is drawn with the figures the database gives: its y axis reaches their maximum
		(a bar or line chart), or its legend names every group (the donut)."""
		widget = self.page.locator(".widget.dashboard-widget-box", has_text=title)
		widget.locator("svg").first.wait_for(timeout=30_000)
		highest = max(v for d in data["datasets"] for v in d["values"])
		self.assertGreater(highest, 0, title)  # the demo gives every chart something to show
		if title == "Open Exposures by Severity":
			for label in data["labels"]:
				widget.locator(".legend-dataset-text, .legend-dataset-label", has_text=label).first.wait_for(
					timeout=30_000
				)
			return
		self.page.wait_for_function(
			"""([title, highest]) => {
				const box = [...document.querySelectorAll('.widget.dashboard-widget-box')]
					.find(b => b.innerText.includes(title));
				const ticks = [...(box?.querySelectorAll('g.y.axis text') || [])].map(t => +t.textContent);
				return ticks.length && Math.max(...ticks) >= highest;
			}""",
			arg=[title, highest],
			timeout=30_000,
		)

	@shot_on_failure
	def test_the_workspace_the_issue_and_the_portal_of_the_demo(self):
		self.login(self.manager)
		self.open("/app/frappe-support", ".number-widget-box")
		open_issues = frappe.db.count(
			"Support Issue", {"status": ("in", ("Open", "Replied", "Waiting for Customer"))}
		)
		self.assertEqual(self.card_value("Open Support Issues"), open_issues)
		self.assertGreater(open_issues, 0)
		self.assertEqual(
			self.card_value("Issues Breached"),
			frappe.db.count(
				"Support Issue",
				{"sla_state": "Breached", "status": ("in", ("Open", "Replied", "Waiting for Customer"))},
			),
		)
		self.assertGreaterEqual(self.card_value("Issues At Risk"), 1)
		self.assertGreaterEqual(self.card_value("Open Advisory Exposures"), 1)
		for card, expected in card_counts().items():  # by day of the week or month, possibly none
			self.assertEqual(self.card_value(card), expected, card)
		for title, data in chart_data().items():
			self.wait_for_chart(title, data)
		self.page.wait_for_load_state("networkidle")
		self.page.wait_for_timeout(1500)  # frappe-charts' draw-in animation, for the picture only
		self.shot("readme-workspace")
		self.assertNoConsoleErrors()

		at_risk = frappe.get_all(
			"Support Issue", filters={"name": ("in", self.issues), "sla_state": "At Risk"}, pluck="name"
		)[0]
		self.open(f"/app/support-issue/{at_risk}", ".sla-clock[data-clock='Resolution'] .sla-countdown")
		self.assertRegex(
			self.page.locator(".sla-clock[data-clock='Resolution'] .sla-countdown").inner_text(), r"Due in"
		)
		self.shot("readme-issue")
		self.assertNoConsoleErrors()

		self.context.clear_cookies()
		page = self.page
		page.goto("/login")
		page.fill("#login_email", self.customer_user)
		page.fill("#login_password", PASSWORD)
		page.click(".btn-login")
		page.wait_for_url(re.compile(r"/support"), timeout=30_000)
		page.wait_for_selector("[data-portal-page='dashboard']", timeout=30_000)
		listed = {r.get_attribute("data-name") for r in page.locator(".fs-issue-row").all()}
		mine = frappe.get_all("Support Issue", filters={"customer": self.customer}, pluck="name")
		self.assertEqual(listed, set(mine))  # the demo customer's own issues, and no one else's
		self.shot("readme-portal")
		self.assertNoConsoleErrors()
