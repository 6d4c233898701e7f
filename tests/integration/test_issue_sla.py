"""Support Issue deadlines, pauses, priority changes, first response and coverage on a real site."""

import frappe
from frappe.utils import get_datetime

from frappe_support.issues.recompute import recompute_open_issues
from tests.integration.utils import SupportTestCase


class TestIssueDeadlines(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.customer = self.make_customer()
		self.contract = self.make_contract(self.customer)

	def test_standard_targets_for_each_priority(self):
		# Fri 2025-06-06 16:30 Berlin, Mon-Fri 09:00-17:00 (docs/design.md's public examples)
		cases = {
			# priority: (response by, resolution by)
			"High": ("2025-06-09 09:30", "2025-06-09 16:30"),  # 1 BH, 8 BH
			"Medium": ("2025-06-09 12:30", "2025-06-12 16:30"),  # 4 BH, 4 BD
			"Low": ("2025-06-09 16:30", "2025-06-18 16:30"),  # 1 BD, 8 BD
		}
		for priority, (response_by, resolution_by) in cases.items():
			issue = self.make_issue(self.contract, opening=self.berlin("2025-06-06 16:30"), priority=priority)
			self.assertLocal(issue.response_by, response_by)
			self.assertLocal(issue.resolution_by, resolution_by)
			self.assertEqual(issue.sla_log[0].event, "Started")

	def test_raised_outside_hours_starts_at_next_opening(self):
		issue = self.make_issue(self.contract, opening=self.berlin("2025-06-07 10:00"), priority="High")
		self.assertLocal(issue.sla_start, "2025-06-09 09:00")
		self.assertLocal(issue.resolution_by, "2025-06-09 17:00")
		# at-risk at 75 % of 8 business hours = 6 h after the start
		self.assertLocal(issue.at_risk_on, "2025-06-09 15:00")

	def test_holiday_is_skipped(self):
		contract = self.make_contract(
			self.make_customer(), calendar=self.make_calendar(holidays=["2025-06-09"])
		)
		issue = self.make_issue(contract, opening=self.berlin("2025-06-06 16:30"), priority="High")
		self.assertLocal(issue.resolution_by, "2025-06-10 16:30")
		sections = frappe.get_attr(
			"frappe_support.frappe_support.doctype.support_issue.support_issue.explain_deadline"
		)(issue.name)
		for section in sections:  # the first response's and the resolution's
			self.assertTrue(any("2025-06-09" in line for line in section["lines"]), section)

	def test_contract_found_from_customer_and_from_site(self):
		issue = self.make_issue(customer=self.customer, opening=self.berlin("2025-06-06 16:30"))
		self.assertEqual(issue.contract, self.contract.name)
		site = self.make_site(self.customer, self.contract.name)
		issue = self.make_issue(site=site, opening=self.berlin("2025-06-06 16:30"))
		self.assertEqual((issue.contract, issue.customer), (self.contract.name, self.customer))

	def test_contract_not_active_on_issue_date_is_refused(self):
		expired = self.make_contract(self.make_customer(), start="2024-01-01", end="2024-12-31")
		before = frappe.db.count("Support Issue")
		with self.assertRaisesRegex(frappe.ValidationError, "is not active on"):
			self.make_issue(expired, opening=self.berlin("2025-06-06 16:30"))
		draft = self.make_contract(self.make_customer(), submit=False)
		with self.assertRaisesRegex(frappe.ValidationError, "is not active on"):
			self.make_issue(draft, opening=self.berlin("2025-06-06 16:30"))
		self.assertEqual(frappe.db.count("Support Issue"), before)

	def test_not_covered_gets_no_deadlines(self):
		contract = self.make_contract(self.make_customer(), covers_scaling=0)
		issue = self.make_issue(contract, category="Scaling", topic="Table Indexes")
		self.assertEqual(issue.sla_state, "Not Covered")
		self.assertIn("does not cover", issue.coverage_note)
		self.assertIsNone(issue.resolution_by)
		self.assertIsNone(issue.response_by)
		excluded = self.make_issue(self.contract, category="Excluded Service", topic="On-site Support")
		self.assertEqual(excluded.sla_state, "Not Covered")
		self.assertIn("On-site Support", excluded.coverage_note)
		self.assertEqual([r.event for r in excluded.sla_log], ["Not Covered"])

	def test_assignment_rule_assigns_an_engineer(self):
		from frappe.cache_manager import clear_doctype_map

		engineer = self.make_engineer()
		# the rule is rolled back with the test; Frappe's cached rule map must not outlive it
		self.addCleanup(clear_doctype_map, "Assignment Rule", "Support Issue")
		self.addCleanup(clear_doctype_map, "Assignment Rule", "due_date_rules_for_Support Issue")
		frappe.get_doc(
			{
				"doctype": "Assignment Rule",
				"name": "FS Round Robin " + frappe.generate_hash(length=6),
				"document_type": "Support Issue",
				"priority": 1,
				"rule": "Round Robin",
				"assign_condition": 'status == "Open" and priority == "High"',
				"users": [{"user": engineer}],
				"assignment_days": [
					{"day": d}
					for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
				],
			}
		).insert()
		issue = self.make_issue(self.contract, priority="High")
		self.assertEqual(
			frappe.get_all(
				"ToDo",
				filters={"reference_type": "Support Issue", "reference_name": issue.name, "status": "Open"},
				pluck="allocated_to",
			),
			[engineer],
		)

	def test_wrong_topic_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "is not a topic of"):
			self.make_issue(self.contract, category="Scaling", topic="Firewall")

	# -- helpers ---------------------------------------------------------------------------------------
	@staticmethod
	def berlin(local: str) -> str:
		"""A Europe/Berlin wall-clock time as the site stores it (system time zone, naive)."""
		from zoneinfo import ZoneInfo

		from frappe_support.common.dates import to_stored

		return str(to_stored(get_datetime(local).replace(tzinfo=ZoneInfo("Europe/Berlin"))))


class TestIssueClock(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.customer = self.make_customer()
		self.contract = self.make_contract(self.customer)
		self.b = TestIssueDeadlines.berlin

	def at(self, local: str):
		return self.freeze_time(self.b(local))

	def change(self, issue, **values):
		"""Save changes the way a desk request does: on a freshly loaded document."""
		issue = frappe.get_doc("Support Issue", issue.name)
		issue.update(values)
		issue.save()
		return issue

	def test_pause_and_resume_credit_business_time(self):
		# docs/design.md: Mon 06-09 10:00, paused Mon 12:00 to Wed 06-11 10:00, 8 BH -> Wed 06-11 16:00
		with self.at("2025-06-09 10:00"):
			issue = self.make_issue(self.contract, opening=self.b("2025-06-09 10:00"), priority="High")
		self.assertLocal(issue.resolution_by, "2025-06-10 10:00")
		with self.at("2025-06-09 12:00"):
			issue = self.change(issue, status="Waiting for Customer")
		self.assertEqual(issue.sla_state, "Paused")
		self.assertIsNone(issue.resolution_by)
		self.assertEqual(issue.resolution_hours_left, 6)
		with self.at("2025-06-11 10:00"):
			issue = self.change(issue, status="Open")
		self.assertLocal(issue.resolution_by, "2025-06-11 16:00")
		self.assertEqual([r.event for r in issue.sla_log], ["Started", "Responded", "Paused", "Resumed"])
		resumed = issue.sla_log[-1]
		self.assertAlmostEqual(resumed.consumed_hours, 2.0)

	def test_priority_change_recomputes_from_start_keeping_pauses(self):
		with self.at("2025-06-09 10:00"):
			issue = self.make_issue(self.contract, opening=self.b("2025-06-09 10:00"), priority="Low")
		self.assertLocal(issue.resolution_by, "2025-06-19 10:00")  # 8 BD from Mon 10:00: Thu+1w 10:00
		with self.at("2025-06-09 12:00"):
			issue = self.change(issue, status="Waiting for Customer")
		with self.at("2025-06-11 10:00"):
			issue = self.change(issue, status="Open")
		with self.at("2025-06-11 11:00"):
			issue = self.change(issue, priority="High")
		# 8 BH from Mon 10:00 with Mon 12:00-Wed 10:00 paused: Wed 16:00
		self.assertLocal(issue.resolution_by, "2025-06-11 16:00")
		self.assertEqual(issue.sla_log[-1].event, "Priority Changed")

	def test_resolve_met_and_closed_issue_is_never_recomputed(self):
		with self.at("2025-06-09 10:00"):
			issue = self.make_issue(self.contract, opening=self.b("2025-06-09 10:00"), priority="High")
		with self.at("2025-06-09 15:00"):
			issue = self.change(issue, status="Resolved")
		self.assertEqual(issue.sla_state, "Met")
		self.assertEqual(issue.sla_log[-1].event, "Met")
		with self.at("2025-06-12 09:00"):
			issue = self.change(issue, status="Closed")
		frozen = (issue.resolution_by, issue.sla_state, len(issue.sla_log))
		with self.at("2025-07-01 09:00"):
			issue = self.change(issue, priority="Low")
		self.assertEqual((issue.resolution_by, issue.sla_state, len(issue.sla_log)), frozen)
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be reopened"):
			issue = self.change(issue, status="Open")

	def test_pause_after_the_deadline_stays_breached(self):
		with self.at("2025-06-09 10:00"):
			issue = self.make_issue(self.contract, opening=self.b("2025-06-09 10:00"), priority="High")
		with self.at("2025-06-10 12:00"):
			issue = self.change(issue, status="Waiting for Customer")
		self.assertEqual(issue.sla_state, "Breached")
		self.assertLocal(issue.resolution_by, "2025-06-10 10:00")
		self.assertEqual(issue.resolution_hours_left, 0)

	def test_late_resolution_is_breached(self):
		with self.at("2025-06-09 10:00"):
			issue = self.make_issue(self.contract, opening=self.b("2025-06-09 10:00"), priority="High")
		with self.at("2025-06-10 11:00"):
			issue = self.change(issue, status="Resolved")
		self.assertEqual(issue.sla_state, "Breached")

	def test_first_response_from_a_real_outgoing_communication(self):
		engineer = self.make_engineer()
		with self.at("2025-06-09 10:00"):
			issue = self.make_issue(self.contract, opening=self.b("2025-06-09 10:00"), priority="High")
		self.assertEqual(issue.response_state, "Pending")
		frappe.set_user(engineer)
		with self.at("2025-06-09 10:20"):
			frappe.get_doc(
				{
					"doctype": "Communication",
					"communication_type": "Communication",
					"communication_medium": "Email",
					"sent_or_received": "Sent",
					"subject": "Re: " + issue.subject,
					"content": "We are on it.",
					"sender": engineer,
					"recipients": "customer@example.com",
					"reference_doctype": "Support Issue",
					"reference_name": issue.name,
				}
			).insert(ignore_permissions=True)
		frappe.set_user("Administrator")
		issue.reload()
		self.assertLocal(issue.first_responded_on, "2025-06-09 10:20")
		self.assertEqual(issue.response_state, "Met")
		self.assertEqual(issue.status, "Replied")
		self.assertIn("Responded", [r.event for r in issue.sla_log])

	def test_calendar_edit_recomputes_open_issues_only(self):
		calendar = self.make_calendar()
		contract = self.make_contract(self.make_customer(), calendar=calendar)
		with self.at("2025-06-09 10:00"):
			open_issue = self.make_issue(contract, opening=self.b("2025-06-09 10:00"), priority="High")
			closed = self.make_issue(contract, opening=self.b("2025-06-09 10:00"), priority="High")
			closed = self.change(closed, status="Closed")
		self.assertLocal(open_issue.resolution_by, "2025-06-10 10:00")
		cal = frappe.get_doc("Support Calendar", calendar)
		for row in cal.hours:
			row.end_time = "18:00:00"
		cal.save()
		done = recompute_open_issues("calendar", calendar, "Calendar edited in a test")
		self.assertEqual(done, 1)
		open_issue.reload()
		closed_before = closed.resolution_by
		closed.reload()
		self.assertLocal(open_issue.resolution_by, "2025-06-09 18:00")  # 9 h days now
		self.assertEqual(open_issue.sla_log[-1].event, "Recomputed")
		self.assertEqual(closed.resolution_by, closed_before)
