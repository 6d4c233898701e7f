"""Issue 19, items 5 and 8 on the server: the issue list's deadlines in support time (one query for the
page, the clock standing still while the calendar is closed), the At Risk mail's time left in the same
words, both clocks explained, and a first reply that came before the clock started saying so."""

from __future__ import annotations

import frappe
from frappe.utils import get_datetime

from frappe_support.frappe_support.doctype.support_issue.support_issue import explain_deadline
from frappe_support.issues import panel
from frappe_support.issues.notifications import notify_sla_event
from frappe_support.issues.panel import list_clocks, log_rows, next_clock
from tests.integration.utils import SupportTestCase, berlin, count_queries


class TestListClocks(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.customer = self.make_customer()
		self.contract = self.make_contract(self.customer)  # Berlin, Mon-Fri 09:00-17:00

	def issue(self, opening: str, priority: str = "Medium"):
		with self.freeze_time(berlin(opening)):
			return self.make_issue(self.contract, opening=berlin(opening), priority=priority)

	def row(self, issue) -> frappe._dict:
		return frappe.get_all("Support Issue", filters={"name": issue.name}, fields=list(panel.CLOCK_FIELDS))[
			0
		]

	def test_four_business_days_are_32_hours_standing_still_at_night(self):
		issue = self.issue("2025-06-09 09:00")  # Mon; Medium: 4 business days
		responded = self.issue("2025-06-09 09:00")
		responded.db_set("first_responded_on", berlin("2025-06-09 09:30"))
		monday = next_clock(self.row(issue), get_datetime(berlin("2025-06-09 09:00")))
		self.assertEqual(monday["clock"], "Response")  # the first-response deadline comes first
		clock = next_clock(self.row(responded), get_datetime(berlin("2025-06-09 09:00")))
		self.assertEqual(
			(clock["clock"], clock["remaining"], clock["running"]), ("Resolution", 32 * 3600, True)
		)
		night = next_clock(self.row(responded), get_datetime(berlin("2025-06-09 23:00")))
		self.assertEqual((night["remaining"], night["running"]), (24 * 3600, False))  # stands still
		self.assertEqual(panel.format_support_time(night["remaining"]), "24 h")

	def test_the_page_costs_one_query_and_shows_only_what_the_user_may_read(self):
		issues = [self.issue(f"2025-06-0{d} 10:00") for d in (2, 3, 4, 5, 6)]
		names = [i.name for i in issues]
		list_clocks(names)  # warm the cached contract, plan and calendar
		queries = count_queries(lambda: list_clocks(names))
		self.assertEqual(queries, 1)
		self.assertEqual(set(list_clocks(names)), set(names))
		for bad in (["x"] * (panel.LIST_LIMIT + 1), [{"name": names[0]}], {"a": 1}, "not json"):
			with self.assertRaises(frappe.ValidationError):
				list_clocks(bad)

	def test_the_at_risk_mail_says_the_support_time_left_in_the_same_words(self):
		issue = self.issue("2025-06-09 09:00", priority="High")
		self.ensure_outgoing_account()
		frappe.get_doc("User", self.make_engineer()).add_roles("Support Manager")
		with self.freeze_time(berlin("2025-06-09 15:00")):  # 6 of 8 business hours gone: 2 h left
			notify_sla_event(issue, "at_risk_notified")
		bodies = [m for _r, m in self.queued_mails(issue.name)]
		self.assertTrue(bodies)
		self.assertTrue(all("Support time left: 2 h." in m for m in bodies), bodies[0][:600])


class TestBothClocksExplained(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.customer = self.make_customer()
		self.contract = self.make_contract(self.customer)

	def test_explain_deadline_covers_the_first_response_then_the_resolution(self):
		with self.freeze_time(berlin("2025-06-09 10:00")):
			issue = self.make_issue(self.contract, opening=berlin("2025-06-09 10:00"))
		issue.db_set("first_responded_on", berlin("2025-06-09 10:20"))
		sections = explain_deadline(issue.name)
		self.assertEqual([s["label"] for s in sections], ["First response", "Resolution"])
		response, resolution = (s["lines"] for s in sections)
		self.assertIn("Mon 2025-06-09 11:00 CEST", " ".join(response))  # High: 1 business hour
		self.assertIn("First answered Mon 2025-06-09 10:20 CEST: within the deadline.", response)
		self.assertIn("Tue 2025-06-10 10:00 CEST", " ".join(resolution))  # 8 business hours
		self.assertNotEqual(response, resolution)

	def test_a_reply_before_the_clock_started_says_why_it_comes_first(self):
		opening = berlin("2025-06-07 10:00")  # Saturday: the clock starts Monday 09:00
		with self.freeze_time(opening):
			issue = self.make_issue(self.contract, opening=opening)
		with self.freeze_time(berlin("2025-06-07 11:00")):
			issue.reload()
			issue.flags.first_response_at = berlin("2025-06-07 11:00")
			issue.save()
		rows = log_rows(issue)
		events = [r["event"] for r in rows]
		self.assertLess(events.index("Responded"), events.index("Started"))  # by instant
		responded = next(r for r in rows if r["event"] == "Responded")
		self.assertIn("Answered before support hours began", responded["note"])
		started = next(r for r in rows if r["event"] == "Started")
		self.assertIn("outside business hours", started["note"])
