"""The daily follow-up: waiting issues reopened and missed issues escalated, as the settings say."""

import frappe
from frappe.desk.form.assign_to import add as assign

from frappe_support.issues.follow_up import run_daily_follow_up
from frappe_support.issues.sweep import run_sla_sweep
from tests.integration.utils import SupportTestCase
from tests.integration.utils import berlin as b


class TestDailyFollowUp(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.ensure_outgoing_account()
		self.contract = self.make_contract(self.make_customer())
		self.engineer = self.make_engineer()
		self.manager = self.make_engineer()
		frappe.get_doc("User", self.manager).add_roles("Support Manager")

	def issue(self):
		with self.freeze_time(b("2025-06-09 10:00")):
			issue = self.make_issue(self.contract, opening=b("2025-06-09 10:00"), priority="High")
			assign({"doctype": "Support Issue", "name": issue.name, "assign_to": [self.engineer]})
		return issue

	def waiting_issue(self):
		"""An issue set to Waiting for Customer on Mon 11:00."""
		issue = self.issue()
		with self.freeze_time(b("2025-06-09 11:00")):
			issue.reload()
			issue.status = "Waiting for Customer"
			issue.save()
		return issue

	def events(self, name: str) -> list[str]:
		return [r.event for r in frappe.get_doc("Support Issue", name).sla_log]

	def test_waiting_issue_is_reopened_after_the_set_days_only(self):
		self.use_settings(reopen_waiting_after_days=3)
		issue = self.waiting_issue()
		with self.freeze_time(b("2025-06-11 11:00")):  # two days: not yet
			self.assertEqual(run_daily_follow_up(commit=False)["reopened"], 0)
		self.assertEqual(frappe.db.get_value("Support Issue", issue.name, "status"), "Waiting for Customer")
		with self.freeze_time(b("2025-06-12 11:30")):
			self.assertEqual(run_daily_follow_up(commit=False)["reopened"], 1)
			self.assertEqual(run_daily_follow_up(commit=False)["reopened"], 0)
		issue.reload()
		self.assertEqual(issue.status, "Open")
		self.assertIsNone(issue.paused_since)
		self.assertEqual(self.events(issue.name)[-2:], ["Paused", "Resumed"])
		# paused Mon 11:00 to Thu 11:30 in business time: 6 + 8 + 8 + 2.5 = 24.5 h credited to the deadline
		self.assertLocal(issue.resolution_by, "2025-06-13 10:30")

	def test_reopening_is_off_by_default(self):
		self.use_settings(reopen_waiting_after_days=0)
		issue = self.waiting_issue()
		with self.freeze_time(b("2025-07-09 11:00")):
			self.assertEqual(run_daily_follow_up(commit=False)["reopened"], 0)
		self.assertEqual(frappe.db.get_value("Support Issue", issue.name, "status"), "Waiting for Customer")

	def test_missed_issue_is_escalated_once_to_the_managers(self):
		self.use_settings(escalate_breached_after_days=1)
		issue = self.issue()
		with self.freeze_time(b("2025-06-10 11:00")):
			run_sla_sweep(commit=False)  # resolution deadline Tue 10:00 missed
			self.assertEqual(run_daily_follow_up(commit=False)["escalated"], 0)  # not a day late yet
		with self.freeze_time(b("2025-06-11 10:30")):
			for _run in range(3):
				run_daily_follow_up(commit=False)
		self.assertEqual(self.events(issue.name).count("Escalated"), 1)
		self.assertLocal(frappe.db.get_value("Support Issue", issue.name, "escalated_on"), "2025-06-11 10:30")
		queues = frappe.get_all(
			"Email Queue",
			filters={"reference_name": issue.name, "message": ("like", "%is escalated%")},
			pluck="name",
		)
		recipients = frappe.get_all(
			"Email Queue Recipient", filters={"parent": ("in", queues or [""])}, pluck="recipient"
		)
		self.assertEqual(sorted(recipients), sorted([self.engineer, self.manager]))

	def test_resolved_issue_is_not_escalated(self):
		self.use_settings(escalate_breached_after_days=1)
		issue = self.issue()
		with self.freeze_time(b("2025-06-10 11:00")):
			run_sla_sweep(commit=False)
			issue.reload()
			issue.status = "Resolved"
			issue.save()
		with self.freeze_time(b("2025-06-12 11:00")):
			self.assertEqual(run_daily_follow_up(commit=False)["escalated"], 0)
		self.assertNotIn("Escalated", self.events(issue.name))
