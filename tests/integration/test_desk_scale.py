"""What keeps the desk flat as issues pile up: the business hours to resolve stored on the issue when it is
resolved, the lists' due order (what is due first, issues without a deadline last), the reports aggregated
in the database in a fixed number of queries, and the patch that fills both stored values on older issues.
The times are measured by benchmarks/desk_scale.py; here only figures and query counts are checked."""

from collections import defaultdict
from datetime import date, timedelta
from statistics import median
from unittest import mock

import frappe
from frappe.desk.query_report import run
from frappe.tests.utils import FrappeTestCase

from frappe_support.api import v1
from frappe_support.frappe_support.doctype.support_issue.support_issue import INDEXES, OBSOLETE_INDEXES
from frappe_support.issues.deadlines import NO_DEADLINE
from frappe_support.patches.v0_1 import fill_due_order_and_resolution_hours, issue_indexes_for_sidebar_counts
from tests.integration.utils import SupportTestCase, count_queries
from tests.integration.utils import berlin as b


class DeskCase(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.contract = self.make_contract(self.make_customer())

	def raised(self, opening: str, priority: str = "High"):
		with self.freeze_time(b(opening)):
			return self.make_issue(self.contract, opening=b(opening), priority=priority)

	def set_status(self, issue, status: str, at: str):
		with self.freeze_time(b(at)):
			issue.reload()
			issue.status = status
			issue.save()
		return issue

	def resolved(self, opening: str, resolve_at: str, priority: str = "High"):
		return self.set_status(self.raised(opening, priority), "Resolved", resolve_at)


class TestStoredValues(DeskCase):
	def test_business_hours_to_resolve_are_the_sla_logs_figure(self):
		issue = self.resolved("2025-06-09 10:00", "2025-06-10 12:00")  # Mon 10:00 to Tue 12:00, 9-17
		outcome = [r for r in issue.sla_log if r.event in ("Met", "Breached")][-1]
		self.assertEqual((issue.sla_state, issue.resolution_hours), ("Breached", 10.0))
		self.assertEqual(issue.resolution_hours, outcome.consumed_hours)
		self.assertEqual(frappe.db.get_value("Support Issue", issue.name, "resolution_hours"), 10.0)

		issue = self.set_status(issue, "Open", "2025-06-10 13:00")  # reopened: no outcome any more
		self.assertEqual((issue.resolution_hours, issue.resolved_on), (0, None))

	def test_pauses_are_not_counted_in_the_hours_to_resolve(self):
		issue = self.raised("2025-06-09 10:00")
		self.set_status(issue, "Waiting for Customer", "2025-06-09 11:00")
		self.set_status(issue, "Open", "2025-06-09 15:00")  # 4 business hours paused
		issue = self.set_status(issue, "Resolved", "2025-06-09 16:00")
		self.assertEqual((issue.sla_state, issue.resolution_hours), ("Met", 2.0))

	def test_due_order_puts_what_is_due_first_and_the_rest_last(self):
		running = self.raised("2025-06-09 10:00")
		finished = self.resolved("2025-06-09 09:00", "2025-06-09 11:00")
		paused = self.set_status(self.raised("2025-06-09 08:00"), "Waiting for Customer", "2025-06-09 10:00")
		self.assertEqual(running.due_order, running.next_deadline)
		self.assertEqual((finished.next_deadline, finished.due_order), (None, NO_DEADLINE))
		self.assertEqual((paused.next_deadline, paused.due_order), (None, NO_DEADLINE))
		names = [running.name, finished.name, paused.name]
		listed = frappe.get_list("Support Issue", filters={"name": ("in", names)}, pluck="name")
		self.assertEqual(listed[0], running.name)  # the DocType's own sort, as the list view uses it
		self.assertEqual(frappe.get_meta("Support Issue").sort_field, "due_order")
		frappe.set_user(self.make_customer_user(self.contract.customer))
		mine = [i["name"] for i in v1.list_issues()]  # the customer's own list: due first too
		self.assertEqual((mine[0], sorted(mine)), (running.name, sorted(names)))

	def test_the_patch_fills_older_issues_and_changes_nothing_when_run_again(self):
		resolved = self.resolved("2025-06-09 10:00", "2025-06-10 12:00")
		running = self.raised("2025-06-11 10:00")
		for name in (resolved.name, running.name):  # as an issue saved before the fields existed
			frappe.db.set_value(
				"Support Issue", name, {"resolution_hours": 0, "due_order": None}, update_modified=False
			)
		for _run in range(2):
			fill_due_order_and_resolution_hours.execute()
			self.assertEqual(
				frappe.db.get_value("Support Issue", resolved.name, ["resolution_hours", "due_order"]),
				(10.0, NO_DEADLINE),
			)
			self.assertEqual(
				frappe.db.get_value("Support Issue", running.name, ["resolution_hours", "due_order"]),
				(0.0, running.next_deadline),
			)


class TestComplianceInTheDatabase(DeskCase):
	def resolve_many(self, count: int) -> list[str]:
		"""Issues resolved in June and July 2025, of every priority, met and breached."""
		made = []
		for k in range(count):
			day = date(2025, 6, 9) + timedelta(weeks=k % 5)  # Mondays from 9 June to 7 July
			close_day = day + timedelta(days=1) if k % 4 == 3 else day  # the next day: High is breached
			opening, close = f"{day} 10:00", f"{close_day} {11 + k % 6:02d}:30"
			made.append(self.resolved(opening, close, ("High", "Medium", "Low")[k % 3]).name)
		return made

	def oracle(self, names: list[str]) -> list[tuple]:
		"""The report's rows worked out in Python from each issue and its SLA log's outcome row."""
		groups = defaultdict(list)
		for name in names:
			issue = frappe.get_doc("Support Issue", name)
			outcome = [r for r in issue.sla_log if r.event in ("Met", "Breached")][-1]
			issue.hours = outcome.consumed_hours
			groups[(issue.resolved_on.strftime("%Y-%m"), issue.priority)].append(issue)
		rows = []
		for (month, priority), members in sorted(
			groups.items(), key=lambda kv: (kv[0][0], ("High", "Medium", "Low").index(kv[0][1]))
		):
			met = sum(1 for i in members if i.sla_state == "Met")
			hours = round(median(i.hours for i in members), 2)
			rows.append((month, priority, len(members), met, len(members) - met, hours))
		return rows

	def report(self) -> tuple[list[tuple], int]:
		filters = {"from_date": "2025-06-01", "to_date": "2025-07-31", "customer": self.contract.customer}
		with mock.patch.object(frappe.db, "sql", wraps=frappe.db.sql) as sql:
			result = run("SLA Compliance", filters)
		rows = [
			(r["month"], r["priority"], r["issues"], r["met"], r["breached"], r["median_hours"])
			for r in result["result"]
		]
		issue_queries = [c for c in sql.call_args_list if "`tabSupport Issue`" in str(c.args[0])]
		return rows, len(issue_queries)  # Frappe's own report machinery (cached after a first run) aside

	def test_the_report_agrees_with_the_issues_in_a_fixed_number_of_queries(self):
		names = self.resolve_many(4)
		few, few_queries = self.report()
		self.assertEqual(few, self.oracle(names))
		names += self.resolve_many(14)
		many, many_queries = self.report()
		self.assertEqual(many, self.oracle(names))
		self.assertGreater(sum(r[2] for r in many), sum(r[2] for r in few))
		self.assertEqual((few_queries, many_queries), (2, 2))  # counts, then medians: none per issue or group

	def test_the_reports_read_past_permissions_so_they_refuse_anyone_but_staff_themselves(self):
		from frappe_support.frappe_support.report.issues_due_soon import issues_due_soon
		from frappe_support.frappe_support.report.sla_compliance import sla_compliance

		self.resolve_many(1)
		mine = {"from_date": "2025-06-01", "customer": self.contract.customer}
		self.assertEqual(len(sla_compliance.execute(mine)[1]), 1)  # staff: the row
		frappe.set_user(self.make_customer_user(self.contract.customer))
		for report in (sla_compliance, issues_due_soon):  # called directly, past the report runner's roles
			with self.assertRaisesRegex(frappe.PermissionError, "Support Manager or Support Engineer role"):
				report.execute({})


class TestDueSoonQueries(SupportTestCase):
	def due_soon(self, customer: str) -> tuple[set[str], int]:
		"""The report's issues of `customer` due within four weeks, and its queries (caches warm)."""
		filters = {"customer": customer, "hours": 24 * 28}
		run("Issues Due Soon", filters)
		found = []
		queries = count_queries(lambda: found.extend(run("Issues Due Soon", filters)["result"]))
		return {r["name"] for r in found}, queries

	def test_issues_due_soon_costs_the_same_queries_for_2_issues_as_for_10(self):
		"""No query per issue: the contract's calendar is read once per contract, then cached."""
		customer = self.make_customer()
		contracts = [self.make_contract(customer) for _ in range(2)]
		first = {self.make_issue(c, priority="Medium").name for c in contracts}
		few, few_queries = self.due_soon(customer)
		later = {self.make_issue(contracts[k % 2], priority="Medium").name for k in range(8)}
		many, many_queries = self.due_soon(customer)
		self.assertEqual((few, many), (first, first | later))
		self.assertEqual(many_queries, few_queries)


class TestIssueIndexesPatch(FrappeTestCase):
	"""Schema only (DDL commits, so no test data is made here): the patch gives an existing site the
	sidebar's covering index and drops the two it replaces, and a second run changes nothing."""

	def indexes(self) -> set[str]:
		return {r.Key_name for r in frappe.db.sql("show index from `tabSupport Issue`", as_dict=True)}

	def test_the_patch_makes_the_covering_index_and_drops_the_replaced_ones(self):
		covering = frappe.db.get_index_name(["status", "sla_state", "owner"])
		replaced = {frappe.db.get_index_name(fields) for fields in OBSOLETE_INDEXES}
		frappe.db.sql_ddl(f"alter table `tabSupport Issue` drop index `{covering}`")
		self.addCleanup(issue_indexes_for_sidebar_counts.execute)
		for fields in OBSOLETE_INDEXES:  # as an older install has them
			frappe.db.add_index("Support Issue", list(fields))
		self.assertLessEqual(replaced, self.indexes())
		issue_indexes_for_sidebar_counts.execute()
		after = self.indexes()
		self.assertIn(covering, after)
		self.assertLessEqual({frappe.db.get_index_name(list(fields)) for fields in INDEXES}, after)
		self.assertFalse(after & replaced)
		issue_indexes_for_sidebar_counts.execute()
		self.assertEqual(self.indexes(), after)
