"""The staff workspace's charts (Dashboard Charts of the Frappe Support module): each agrees with the
database, counted here another way, and they are for staff only. In the test's transaction, rolled back."""

from __future__ import annotations

from datetime import timedelta

import frappe
from frappe.desk.doctype.dashboard_chart.dashboard_chart import get as group_by_chart
from frappe.utils import get_datetime, getdate, now_datetime

from frappe_support.frappe_support.dashboard_chart_source import sources
from frappe_support.issues import compliance
from tests.integration.utils import SupportTestCase, draft_advisory


def chart(name: str) -> dict:
	"""A Custom chart's data, as its widget asks its source for it (uncached)."""
	return sources.get(chart=frappe.as_json({"name": name, "source": name}), no_cache=1)


def last(data: dict, dataset: str):
	(values,) = [d["values"] for d in data["datasets"] if d["name"] == dataset]
	return values[-1]


class TestWorkspaceCharts(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.contract = self.make_contract(self.make_customer())

	def test_the_charts_are_on_the_workspace(self):
		workspace = frappe.get_doc("Workspace", "Frappe Support")
		self.assertEqual(
			sorted(c.chart_name for c in workspace.charts),
			sorted([*sources.SOURCES, "Open Exposures by Severity"]),
		)
		for name in workspace.charts:
			self.assertTrue(frappe.db.exists("Dashboard Chart", name.chart_name))

	def test_raised_and_resolved_this_week(self):
		monday = getdate() - timedelta(days=getdate().weekday())
		before = chart("Support Issues Raised and Resolved")
		issue = self.make_issue(self.contract, opening=now_datetime())
		self.make_issue(self.contract, opening=now_datetime())
		issue.status = "Resolved"
		issue.save()
		after = chart("Support Issues Raised and Resolved")
		self.assertEqual(last(after, "Raised"), last(before, "Raised") + 2)
		self.assertEqual(last(after, "Resolved"), last(before, "Resolved") + 1)
		since = get_datetime(f"{monday} 00:00:00")
		self.assertEqual(
			last(after, "Raised"), frappe.db.count("Support Issue", {"opening_date": (">=", since)})
		)
		self.assertEqual(
			last(after, "Resolved"), frappe.db.count("Support Issue", {"resolved_on": (">=", since)})
		)
		self.assertEqual(len(after["labels"]), 12)

	def test_met_by_priority_is_the_compliance_figure_of_the_month(self):
		issue = self.make_issue(self.contract, opening=now_datetime() - timedelta(minutes=30))
		issue.status = "Resolved"
		issue.save()
		data = chart("SLA Met by Priority")
		today = getdate()
		lo, hi = get_datetime(f"{today.replace(day=1)} 00:00:00"), now_datetime()
		(high,) = [f for f in compliance.figures(lo, hi + timedelta(days=1), {}) if f.priority == "High"]
		self.assertEqual(last(data, "High"), round(100 * high.met / high.issues, 1))
		self.assertEqual(data["labels"][-1], today.strftime("%Y-%m"))

	def test_upgrade_outcomes_this_month(self):
		before = last(chart("Upgrade Outcomes"), "Failed")
		site = self.make_site(self.contract.customer, self.contract.name)
		schedule = frappe.get_doc(
			{
				"doctype": "Upgrade Schedule",
				"site": site,
				"status": "Requested",
				"window_start": now_datetime() + timedelta(days=10),
				"window_end": now_datetime() + timedelta(days=10, hours=2),
				"apps": [{"app_name": "frappe", "to_version": "15.80.0"}],
			}
		)
		schedule.flags.ignore_validate = True  # the booking rules are tested elsewhere
		schedule.insert()
		frappe.db.set_value(
			"Upgrade Schedule", schedule.name, {"status": "Failed", "finished_on": now_datetime()}
		)
		self.assertEqual(last(chart("Upgrade Outcomes"), "Failed"), before + 1)

	def test_open_exposures_by_severity(self):
		advisory = draft_advisory("Chart advisory", "< 15.72.0", "15.72.0", severity="Critical")
		site = self.make_site(self.contract.customer, self.contract.name, {"frappe": "15.10.0"})
		frappe.db.set_value("Security Advisory", advisory.name, "status", "Published")
		from frappe_support.advisories.matching import match_advisory

		match_advisory(advisory.name, notify=False)
		data = group_by_chart(chart_name="Open Exposures by Severity", refresh=1)
		counts = dict(zip(data["labels"], data["datasets"][0]["values"], strict=True))
		expected = frappe.db.count(
			"Advisory Exposure", {"severity": "Critical", "status": ("in", ("Affected", "Unknown"))}
		)
		self.assertEqual(counts.get("Critical"), expected)
		self.assertTrue(frappe.db.exists("Advisory Exposure", {"site": site, "status": "Affected"}))

	def test_the_chart_sources_are_for_staff(self):
		frappe.set_user(self.make_customer_user(self.contract.customer))
		for name in sources.SOURCES:
			with self.assertRaises(frappe.PermissionError, msg=name):
				chart(name)
		frappe.set_user("Administrator")
		frappe.set_user(self.make_engineer())
		self.assertEqual(len(chart("Upgrade Outcomes")["labels"]), 6)
		with self.assertRaises(frappe.ValidationError):
			chart("Issue Summary")  # only the app's own charts
