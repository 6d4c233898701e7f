"""The script reports, run through Frappe's report runner: right figures, and a customer sees only their
own issues in them."""

import frappe
from frappe.desk.query_report import run

from tests.integration.utils import SupportTestCase
from tests.integration.utils import berlin as b


class TestReports(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.mine, self.theirs = self.make_customer(), self.make_customer()
		self.contracts = {c: self.make_contract(c) for c in (self.mine, self.theirs)}

	def resolved(self, customer: str, priority: str, resolve_at: str):
		with self.freeze_time(b("2025-06-09 10:00")):
			issue = self.make_issue(
				self.contracts[customer], opening=b("2025-06-09 10:00"), priority=priority
			)
		with self.freeze_time(b(resolve_at)):
			issue.reload()
			issue.status = "Resolved"
			issue.save()
		return issue

	def compliance(self, **filters) -> list[tuple]:
		result = run("SLA Compliance", {"from_date": "2025-06-01", "to_date": "2025-06-30", **filters})
		return [
			(
				r["month"],
				r["priority"],
				r["issues"],
				r["met"],
				r["breached"],
				r["percent_met"],
				r["median_hours"],
			)
			for r in result["result"]
		]

	def test_sla_compliance_per_month_and_priority(self):
		self.resolved(self.mine, "High", "2025-06-09 12:00")  # 2 business hours: met
		self.resolved(self.mine, "High", "2025-06-10 12:00")  # 10 business hours: missed 8
		self.resolved(self.mine, "Medium", "2025-06-09 11:00")  # 1 business hour: met
		self.resolved(self.theirs, "High", "2025-06-09 11:00")
		self.assertEqual(
			self.compliance(customer=self.mine),
			[("2025-06", "High", 2, 1, 1, 50.0, 6.0), ("2025-06", "Medium", 1, 1, 0, 100.0, 1.0)],
		)
		result = run(
			"SLA Compliance", {"from_date": "2025-06-01", "to_date": "2025-06-30", "customer": self.mine}
		)
		self.assertEqual(result["chart"]["data"]["datasets"][0]["values"], [66.7])  # 2 of 3 met in June

	def test_reports_are_for_staff_only(self):
		"""Customers have the portal and its statement; the desk's reports, which compare customers, are not
		theirs to run."""
		self.resolved(self.mine, "High", "2025-06-09 12:00")
		frappe.set_user(self.make_customer_user(self.mine))
		for report in (
			"SLA Compliance",
			"Issues Due Soon",
			"Upgrade Cadence",
			"Advisory Exposure by Customer",
		):
			with self.assertRaises(frappe.PermissionError, msg=report):
				run(report, {})
		frappe.set_user("Administrator")
		frappe.set_user(self.make_engineer())
		self.assertEqual(self.compliance()[0][:2], ("2025-06", "High"))


class TestCadenceAndExposureReports(SupportTestCase):
	def test_cadence_and_exposures_per_customer_for_staff_only(self):
		from frappe_support.advisories.matching import match_advisory

		mine, theirs = self.make_customer(), self.make_customer()
		sites = {}
		for customer in (mine, theirs):
			contract = self.make_contract(customer)
			sites[customer] = self.make_site(customer, contract.name, {"frappe": "15.44.2"})
		frappe.db.set_value(
			"Support Site",
			sites[mine],
			"last_upgraded_on",
			frappe.utils.add_days(frappe.utils.now_datetime(), -40),
		)
		advisory = frappe.get_doc(
			{
				"doctype": "Security Advisory",
				"title": "Report test advisory",
				"severity": "High",
				"ranges": [
					{"app_name": "frappe", "vulnerable_range": "< 15.72.0", "patched_version": "15.72.0"}
				],
			}
		).insert()
		advisory.publish()
		match_advisory(advisory.name)
		cadence = {r["site"]: r for r in run("Upgrade Cadence", {})["result"]}
		self.assertEqual((cadence[sites[mine]]["days_since"], cadence[sites[mine]]["due"]), (40, "Yes"))
		self.assertIsNone(cadence[sites[theirs]]["days_since"])
		exposure = {
			r["customer"]: r
			for r in run("Advisory Exposure by Customer", {"advisory": advisory.name})["result"]
		}
		self.assertEqual((exposure[mine]["affected"], exposure[mine]["unacknowledged"]), (1, 1))
		self.assertEqual(exposure[theirs]["affected"], 1)
		frappe.set_user(self.make_customer_user(mine))
		for report in ("Upgrade Cadence", "Advisory Exposure by Customer"):
			with self.assertRaises(frappe.PermissionError, msg=report):
				run(report, {})
