"""SLA work on an issue save costs a small, fixed number of queries (calendars and plans cached).

Each measured save starts like a new request: the connection's value cache is empty; the Redis document
cache is warm, as it is on a running site. ERPNext's Issue with an SLA took 18 queries to insert and 25
for a priority change on the same bench.
"""

import frappe

from tests.integration.utils import SupportTestCase

INSERT_BUDGET = 7
PRIORITY_CHANGE_BUDGET = 10
PANEL_BUDGET = 2  # the issue and its SLA log: calendars, plans and settings come from caches


class TestQueryCounts(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.contract = self.make_contract(self.make_customer())
		self.make_issue(self.contract, priority="Medium")  # warms the document caches

	def fresh_request(self):
		frappe.db.value_cache = {}

	def test_insert(self):
		self.fresh_request()
		with self.assertQueryCount(INSERT_BUDGET):
			issue = self.make_issue(self.contract, priority="High")
		self.assertIsNotNone(issue.resolution_by)

	def test_priority_change(self):
		issue = self.make_issue(self.contract, priority="High")
		high_deadline = issue.resolution_by
		issue = frappe.get_doc("Support Issue", issue.name)
		self.fresh_request()
		with self.assertQueryCount(PRIORITY_CHANGE_BUDGET):
			issue.priority = "Low"
			issue.save()
		self.assertNotEqual(issue.resolution_by, high_deadline)
		self.assertEqual(issue.sla_log[-1].event, "Priority Changed")

	def test_countdown_panel(self):
		from frappe_support.issues.panel import get_sla_panel

		issue = self.make_issue(self.contract, priority="High")
		get_sla_panel(issue.name)  # the contract's calendar compiled in this worker, as on a running site
		self.fresh_request()
		with self.assertQueryCount(PANEL_BUDGET):
			panel = get_sla_panel(issue.name)
		self.assertEqual([c["clock"] for c in panel["clocks"]], ["Response", "Resolution"])
