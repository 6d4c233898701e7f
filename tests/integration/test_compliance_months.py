"""SLA Compliance's kept months (SLA Compliance Month): a finished month the daily job kept is read from its
three rows and agrees with its issues; any change to an issue counted in it marks it out of date, and the
report reads that month from the issues until it is kept again; figures computed before a change are
never stored over it, and the job never waits for an issue's transaction.

Everything runs in the test's transaction and is rolled back, except the second connection's lock, which
is rolled back by that connection."""

from __future__ import annotations

import threading

import frappe
import pymysql
from frappe.desk.query_report import run
from frappe.utils import get_datetime

from frappe_support.issues import compliance, compliance_months
from tests.integration.utils import SupportTestCase
from tests.integration.utils import berlin as b

JUNE = "2021-06"
FILTERS = {"from_date": "2021-06-01", "to_date": "2021-06-30"}


class TestKeptMonths(SupportTestCase):
	def setUp(self):
		super().setUp()
		# a month no daily job on a real site keeps any more (it keeps the last two years)
		self.contract = self.make_contract(self.make_customer(), start="2021-01-01")

	def resolved(self, priority: str, resolve_at: str):
		with self.freeze_time(b("2021-06-09 10:00")):
			issue = self.make_issue(self.contract, opening=b("2021-06-09 10:00"), priority=priority)
		with self.freeze_time(b(resolve_at)):
			issue.reload()
			issue.status = "Resolved"
			issue.save()
		return issue

	def report(self) -> list[tuple]:
		result = run("SLA Compliance", FILTERS)["result"]
		return [(r["month"], r["priority"], r["issues"], r["met"], r["median_hours"]) for r in result]

	def from_issues(self) -> list[tuple]:
		"""The oracle: June's figures aggregated from the issues, as a filtered range is."""
		lo, hi = get_datetime("2021-06-01 00:00:00"), get_datetime("2021-06-30 23:59:59.999999")
		return [
			(f.month, f.priority, f.issues, f.met, f.median_hours) for f in compliance.figures(lo, hi, {})
		]

	def kept(self) -> dict[str, tuple[int, int]]:
		rows = frappe.get_all(
			"SLA Compliance Month", filters={"month": JUNE}, fields=["name", "computed", "version"]
		)
		return {r.name: (r.computed, r.version) for r in rows}

	def issue_queries(self, step) -> int:
		queries = []
		original = frappe.db.__class__.sql

		def sql(db, query, *args, **kwargs):
			queries.append(str(query))
			return original(db, query, *args, **kwargs)

		frappe.db.__class__.sql = sql
		try:
			step()
		finally:
			frappe.db.__class__.sql = original
		return len([q for q in queries if "`tabSupport Issue`" in q])

	def test_a_finished_month_is_kept_and_then_read_from_its_rows_alone(self):
		self.resolved("High", "2021-06-09 12:00")  # 2 business hours: met
		self.resolved("High", "2021-06-10 12:00")  # 10: breached
		self.resolved("Medium", "2021-06-09 11:00")
		expected = self.from_issues()
		before = self.kept()
		self.assertEqual(self.report(), expected)
		self.assertEqual(self.kept(), before)  # the report only reads
		compliance_months.keep_months([JUNE])
		self.assertEqual(
			{name: c for name, (c, _v) in self.kept().items()},
			{
				"2021-06-High": 1,
				"2021-06-Medium": 1,
				"2021-06-Low": 1,
			},
		)
		self.assertEqual(self.issue_queries(lambda: self.assertEqual(self.report(), expected)), 0)
		cleared = run("SLA Compliance", {**FILTERS, "priority": ""})["result"]  # a cleared filter
		self.assertEqual(len(cleared), len(expected))

	def test_reopening_reprioritising_and_deleting_a_counted_issue_recompute_its_month(self):
		first = self.resolved("High", "2021-06-09 12:00")
		second = self.resolved("High", "2021-06-10 12:00")
		compliance_months.keep_months([JUNE])
		versions = self.kept()
		second.reload()
		second.priority = "Low"
		second.save()
		after = self.kept()
		self.assertEqual(after["2021-06-High"], (0, versions["2021-06-High"][1] + 1))
		self.assertEqual(after["2021-06-Low"], (0, versions["2021-06-Low"][1] + 1))
		self.assertEqual(after["2021-06-Medium"], versions["2021-06-Medium"])  # not counted in: kept
		self.assertEqual(self.report(), self.from_issues())
		self.assertIn(JUNE, [r[0] for r in self.report() if r[1] == "Low"])
		compliance_months.keep_months([JUNE])
		self.assertEqual(self.kept()["2021-06-Low"][0], 1)
		self.assertEqual(self.report(), self.from_issues())
		first.reload()
		first.status = "Open"  # reopened: it no longer counts in June
		first.save()
		self.assertEqual(self.kept()["2021-06-High"][0], 0)
		self.assertEqual(self.report(), self.from_issues())
		frappe.delete_doc("Support Issue", second.name, force=True)
		self.assertEqual(self.kept()["2021-06-Low"][0], 0)
		self.assertEqual(self.report(), self.from_issues())

	def test_figures_computed_before_a_change_are_not_stored_over_it(self):
		issue = self.resolved("High", "2021-06-09 12:00")
		compliance_months.forget_months([JUNE])
		rows = {r.name: r for r in compliance_months.read_rows([JUNE])}
		stale = {r.priority: r for r in compliance_months.compute([JUNE])}
		compliance_months.forget_issue(issue)  # the issue changed after the figures were read
		compliance_months.store_all({f"{JUNE}-{p}": stale.get(p) for p in compliance.PRIORITIES}, rows)
		self.assertEqual(self.kept()["2021-06-High"][0], 0)  # the change won: recomputed next time
		self.assertEqual(self.kept()["2021-06-Medium"][0], 1)  # untouched groups were stored

	def test_the_job_does_not_wait_for_an_issue_transaction_holding_a_month(self):
		self.resolved("High", "2021-06-09 12:00")
		expected = self.from_issues()
		other = other_connection()
		try:
			hold_the_high_row(other)
			release = threading.Timer(3, other.rollback)  # a waiting job would then store its row
			release.start()
			before = frappe.db.sql("select @@session.innodb_lock_wait_timeout")[0][0]
			compliance_months.keep_months([JUNE])
			release.join()
		finally:
			other.close()
		self.assertNotEqual(self.kept().get("2021-06-High", (0, 0))[0], 1)  # left for the next run
		self.assertEqual(frappe.db.sql("select @@session.innodb_lock_wait_timeout")[0][0], before)
		self.assertEqual(self.report(), expected)
		compliance_months.keep_months([JUNE])
		self.assertEqual(self.kept()["2021-06-High"][0], 1)
		self.assertEqual(self.report(), expected)

	def test_the_current_month_and_one_customer_are_computed_from_the_issues(self):
		today = frappe.utils.getdate()
		filters = {"from_date": str(today.replace(day=1)), "to_date": str(today)}
		self.assertEqual(compliance_months.kept_months(today.replace(day=1), today, frappe._dict()), [])
		june = (frappe.utils.getdate("2021-06-01"), frappe.utils.getdate("2021-06-30"))
		mine = frappe._dict(customer=self.contract.customer)
		self.assertEqual(compliance_months.kept_months(*june, mine), [])
		self.assertEqual(compliance_months.kept_months(*june, frappe._dict()), [JUNE])
		part = (frappe.utils.getdate("2021-06-02"), frappe.utils.getdate("2021-07-31"))
		self.assertEqual(compliance_months.kept_months(*part, frappe._dict()), ["2021-07"])
		self.assertGreater(self.issue_queries(lambda: run("SLA Compliance", filters)), 0)
		this_month = today.strftime("%Y-%m")
		compliance_months.keep_months([this_month])  # not settled: never kept
		self.assertEqual(frappe.db.count("SLA Compliance Month", {"month": this_month, "computed": 1}), 0)
		compliance_months.keep_finished_months()  # the daily job: last month, over for more than a day
		last_month = frappe.utils.add_months(today.replace(day=1), -1).strftime("%Y-%m")
		self.assertEqual(frappe.db.count("SLA Compliance Month", {"month": last_month, "computed": 1}), 3)


def other_connection():
	conf = frappe.conf
	return pymysql.connect(
		host=conf.db_host or "127.0.0.1",
		port=int(conf.db_port or 3306),
		user=conf.db_user or conf.db_name,
		password=conf.db_password,
		database=conf.db_name,
		autocommit=False,
	)


def hold_the_high_row(connection) -> None:
	"""What an issue's transaction does to June's High row (`forget`), left uncommitted."""
	connection.cursor().execute(
		"insert into `tabSLA Compliance Month` (name, creation, modified, owner, modified_by, month,"
		" priority, version, computed) values ('2021-06-High', now(6), now(6), 'Administrator',"
		" 'Administrator', '2021-06', 'High', 0, 0) on duplicate key update version = version + 1,"
		" computed = 0"
	)
