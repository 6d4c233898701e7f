"""What the desk shows of an issue's SLA (the countdown panel, the next deadline the list sorts by) and the
monthly SLA statement of a contract (figures, the customer's time zone, permissions, the PDF)."""

import frappe
from frappe.utils import get_datetime

from frappe_support.issues.panel import get_sla_panel, sla_panel
from frappe_support.issues.statement import sla_statement
from tests.integration.utils import SupportTestCase, count_queries
from tests.integration.utils import berlin as b


class TestSlaPanel(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.customer = self.make_customer()
		self.contract = self.make_contract(self.customer)

	def issue(self, opening: str, priority: str = "High"):
		with self.freeze_time(b(opening)):
			return self.make_issue(self.contract, opening=b(opening), priority=priority)

	def clocks(self, issue, now: str) -> dict:
		return {c["clock"]: c for c in sla_panel(issue, now=get_datetime(b(now)))["clocks"]}

	def test_countdown_in_business_time_moves_only_while_open(self):
		issue = self.issue("2025-06-09 15:40")  # Mon; High: respond in 1 business hour, resolve in 8
		clocks = self.clocks(issue, "2025-06-09 16:10")
		self.assertEqual(clocks["Response"]["remaining"], 30 * 60)  # Mon 16:40
		self.assertEqual(clocks["Resolution"]["remaining"], 7.5 * 3600)  # Tue 15:40
		self.assertTrue(clocks["Resolution"]["running"])
		self.assertEqual(clocks["Resolution"]["changes_in"], 50 * 60)  # closes at 17:00
		night = self.clocks(issue, "2025-06-09 22:00")
		self.assertEqual(night["Resolution"]["remaining"], 6 * 3600 + 40 * 60)  # 09:00-15:40 Tue
		self.assertFalse(night["Resolution"]["running"])
		self.assertEqual(night["Resolution"]["changes_in"], 11 * 3600)  # opens Tue 09:00
		self.assertEqual(night["Response"]["remaining"], -20 * 60)  # overdue 16:40-17:00
		late = self.clocks(issue, "2025-06-10 16:40")
		self.assertEqual(late["Resolution"]["remaining"], -3600)

	def test_paused_finished_and_not_covered(self):
		issue = self.issue("2025-06-09 10:00")
		with self.freeze_time(b("2025-06-09 12:00")):
			issue.reload()
			issue.status = "Waiting for Customer"
			issue.save()
		panel = sla_panel(issue, now=get_datetime(b("2025-06-10 12:00")))
		resolution = panel["clocks"][0]
		self.assertEqual((resolution["clock"], resolution["paused"]), ("Resolution", True))
		self.assertEqual(resolution["remaining"], 6 * 3600)  # 8 h less Mon 10:00-12:00
		self.assertEqual([r["event"] for r in panel["log"]], ["Started", "Responded", "Paused"])
		self.assertTrue(any("Paused since" in line for line in panel["explanation"]))
		self.assertIsNone(issue.next_deadline)
		with self.freeze_time(b("2025-06-10 12:00")):
			issue.reload()
			issue.status = "Open"
			issue.save()
		self.assertEqual(issue.next_deadline, get_datetime(b("2025-06-11 10:00")))  # 6 h left: 5 Tue, 1 Wed
		with self.freeze_time(b("2025-06-10 13:00")):
			issue.reload()
			issue.status = "Resolved"
			issue.save()
		resolution = sla_panel(issue)["clocks"][0]
		self.assertEqual((resolution["finished"], resolution["met"]), (True, True))
		self.assertIsNone(issue.next_deadline)
		excluded = self.issue("2025-06-09 10:00")
		excluded.reload()
		excluded.category = "Excluded Service"
		excluded.save()
		panel = sla_panel(excluded)
		self.assertEqual((panel["state"], panel["clocks"], excluded.next_deadline), ("Not Covered", [], None))

	def test_next_deadline_orders_the_list(self):
		low = self.issue("2025-06-09 10:00", "Low")
		high = self.issue("2025-06-09 11:00", "High")
		responded = self.issue("2025-06-09 09:30", "Medium")
		with self.freeze_time(b("2025-06-09 09:45")):
			responded.reload()
			responded.status = "Replied"
			responded.save()
		self.assertEqual(high.next_deadline, get_datetime(b("2025-06-09 12:00")))  # the response is due first
		self.assertEqual(responded.next_deadline, get_datetime(b("2025-06-13 09:30")))  # 4 business days
		names = frappe.get_list(  # in the DocType's own order, as the list view asks for it
			"Support Issue",
			filters={"name": ("in", [low.name, high.name, responded.name])},
			pluck="name",
		)
		self.assertEqual(low.next_deadline, get_datetime(b("2025-06-10 10:00")))  # respond in 1 business day
		self.assertEqual(names, [high.name, low.name, responded.name])
		meta = frappe.get_meta("Support Issue")
		self.assertEqual(
			(meta.sort_field, meta.sort_order), ("due_order", "ASC")
		)  # next_deadline, empty last

	def test_a_customer_reads_only_their_own_panel(self):
		mine = self.issue("2025-06-09 10:00")
		other = self.make_contract(self.make_customer())
		with self.freeze_time(b("2025-06-09 10:00")):
			theirs = self.make_issue(other, opening=b("2025-06-09 10:00"))
		from frappe_support.api import v1

		frappe.set_user(self.make_customer_user(self.customer))
		with self.assertRaises(frappe.PermissionError):
			get_sla_panel(mine.name)  # the desk's panel is for staff
		issue = v1.get_issue(mine.name)  # the customer API serves the same clocks
		self.assertEqual(issue["sla_state"], "Running")
		self.assertEqual(
			[c["clock"] for c in issue["clocks"]], [c["clock"] for c in sla_panel(mine)["clocks"]]
		)
		with self.assertRaises(frappe.PermissionError):
			v1.get_issue(theirs.name)


class TestSlaStatement(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.customer = self.make_customer()
		# the customer works in New York; the site's system time zone is not theirs
		self.contract = self.make_contract(
			self.customer,
			calendar=self.make_calendar(timezone="America/New_York"),
		)

	def ny(self, local: str) -> str:
		from zoneinfo import ZoneInfo

		from frappe_support.common.dates import to_stored

		return str(to_stored(get_datetime(local).replace(tzinfo=ZoneInfo("America/New_York"))))

	def resolved(self, opening: str, resolve_at: str, priority: str = "High"):
		with self.freeze_time(self.ny(opening)):
			issue = self.make_issue(self.contract, opening=self.ny(opening), priority=priority)
		if resolve_at:
			with self.freeze_time(self.ny(resolve_at)):
				issue.reload()
				issue.status = "Resolved"
				issue.save()
		return issue

	def test_monthly_statement_in_the_customers_time_zone(self):
		met = self.resolved("2025-10-06 10:00", "2025-10-06 12:00")  # 2 business hours: met
		missed = self.resolved("2025-10-07 10:00", "2025-10-08 12:00")  # 10 business hours: missed
		medium = self.resolved("2025-10-31 16:00", "2025-11-03 10:00", "Medium")  # raised Oct, resolved Nov
		# 20:30 on 31 October in New York is already 1 November in UTC and in Europe: still October here
		evening = self.resolved("2025-10-31 20:30", None, "Low")
		november = self.resolved("2025-11-03 10:00", None)
		s = sla_statement(self.contract.name, "2025-10")
		self.assertEqual(s["timezone"], "America/New_York")
		self.assertEqual(s["title"], "SLA Statement for October 2025")
		names = [r["name"] for r in s["issues"]]
		self.assertEqual(names, [met.name, missed.name, medium.name, evening.name])
		self.assertNotIn(november.name, names)
		rows = {r["name"]: r for r in s["issues"]}
		self.assertEqual(rows[evening.name]["raised"], "2025-10-31 20:30")
		self.assertEqual((rows[met.name]["outcome"], rows[met.name]["hours"]), ("Met", 2.0))
		self.assertEqual((rows[missed.name]["outcome"], rows[missed.name]["hours"]), ("Breached", 10.0))
		self.assertEqual(rows[medium.name]["outcome"], "Resolved in another month")
		summary = {r["priority"]: r for r in s["summary"]}
		high = summary["High"]
		self.assertEqual(
			(high["raised"], high["resolved"], high["met"], high["breached"], high["percent_met"]),
			(2, 2, 1, 1, 50.0),
		)
		self.assertEqual(high["median_hours"], 6.0)
		self.assertEqual((summary["Total"]["raised"], summary["Total"]["resolved"]), (4, 2))
		nov = sla_statement(self.contract.name, "2025-11")
		self.assertEqual([r["name"] for r in nov["issues"]], [medium.name, november.name])
		self.assertEqual({r["priority"]: r["met"] for r in nov["summary"]}["Medium"], 1)

	def test_bad_month_and_other_customers_contract_are_refused(self):
		with self.assertRaises(frappe.ValidationError):
			sla_statement(self.contract.name, "2025-13")
		with self.assertRaises(frappe.ValidationError):
			sla_statement(self.contract.name, "October")
		from frappe_support.api import v1

		other = self.make_contract(self.make_customer())
		frappe.set_user(self.make_customer_user(self.customer))
		with self.assertRaises(frappe.PermissionError):
			sla_statement(self.contract.name, "2025-10")  # the desk's print is for staff
		with self.assertRaises(frappe.PermissionError):
			v1.statement_pdf(other.name, "2025-10")
		with self.assertRaises(frappe.ValidationError):
			v1.statement_pdf(self.contract.name, "October")

	def test_print_format_renders_the_statement(self):
		"""The PDF, which needs the site served over HTTP for its styles, is made in the browser tests."""
		from frappe.www.printview import get_html_and_style

		issue = self.resolved("2025-10-06 10:00", "2025-10-06 12:00")
		frappe.form_dict.month = "2025-10"
		try:
			html = get_html_and_style(
				"Support Contract", self.contract.name, print_format="SLA Statement", no_letterhead=1
			)["html"]
		finally:
			frappe.form_dict.pop("month", None)
		self.assertIn("SLA Statement for October 2025", html)
		self.assertIn(issue.name, html)
		self.assertIn("America/New_York", html)
		self.assertIn("100.0 %", html)  # the one High issue met

	def statement_queries(self) -> tuple[int, int, int]:
		"""(rows, queries of the statement, queries of its print) for October 2025, caches warm."""
		from frappe.www.printview import get_html_and_style

		def printed():
			get_html_and_style(
				"Support Contract", self.contract.name, print_format="SLA Statement", no_letterhead=1
			)

		frappe.form_dict.month = "2025-10"
		try:
			rows = len(sla_statement(self.contract.name, "2025-10")["issues"])
			printed()
			return (
				rows,
				count_queries(lambda: sla_statement(self.contract.name, "2025-10")),
				count_queries(printed),
			)
		finally:
			frappe.form_dict.pop("month", None)

	def test_the_statement_and_its_print_cost_the_same_queries_for_3_issues_as_for_12(self):
		"""No query per issue or per priority (issue 15): the statement's cost is its rows, not the table."""
		for day in range(6, 9):
			self.resolved(f"2025-10-{day:02d} 10:00", f"2025-10-{day:02d} 12:00", "High")
		few = self.statement_queries()
		for k, day in enumerate(range(13, 22)):
			resolve = None if k % 3 == 0 else f"2025-10-{day:02d} 15:00"  # a third left open
			self.resolved(f"2025-10-{day:02d} 10:00", resolve, ("High", "Medium", "Low")[k % 3])
		many = self.statement_queries()
		self.assertEqual((few[0], many[0]), (3, 12))
		self.assertEqual(many[1:], few[1:])
		self.assertLessEqual(few[1], 4)  # the contract (and its tables), the issues raised, those resolved
