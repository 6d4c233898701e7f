"""A job step whose database connection dies under it (killed from another connection, as a MariaDB
restart or a network cut does): the step is logged with its traceback and the records after it still run.
The records are committed, since the job commits after each record and connects anew."""

from __future__ import annotations

from datetime import timedelta

import frappe
import pymysql
from frappe.utils import now_datetime

from frappe_support.common.jobs import run_each
from frappe_support.issues.sweep import sweep_issue
from tests.integration.committed import CommittedTestCase


def kill_my_connection() -> None:
	"""KILL this connection's thread from a second connection of the same database user."""
	thread = frappe.db.sql("select connection_id()")[0][0]
	conf = frappe.conf
	other = pymysql.connect(
		host=conf.db_host or "127.0.0.1",
		port=int(conf.db_port or 3306),
		user=conf.db_user or conf.db_name,
		password=conf.db_password,
		database=conf.db_name,
	)
	try:
		other.cursor().execute(f"KILL {int(thread)}")
	finally:
		other.close()


class TestAStepLosesItsConnection(CommittedTestCase):
	@classmethod
	def make_records(cls):
		helper = cls("test_the_records_after_a_lost_connection_still_run")
		calendar = cls.two_customers(helper)
		contract = helper.make_contract(cls.mine, calendar=calendar)
		cls.committed.add("Support Contract", contract.name)
		opening = now_datetime() - timedelta(hours=7)  # High on 24x7: response breached, at risk
		cls.issues = [helper.make_issue(contract, opening=opening, priority="High").name for _i in range(3)]

	def test_the_records_after_a_lost_connection_still_run(self):
		now = now_datetime()
		errors = frappe.db.count("Error Log", {"reference_name": self.issues[1]})

		def step(name: str) -> int:
			if name == self.issues[1]:
				sweep_issue(name, now)  # its work is done, then the connection goes before the commit
				kill_my_connection()
				frappe.db.sql("select 1")
			return sweep_issue(name, now)

		marked, failed = run_each("Support Issue", self.issues, step, "Sweep failed for {0}", commit=True)
		self.assertEqual((marked, failed), (4, [self.issues[1]]))
		frappe.db.rollback()
		flags = {
			name: frappe.db.get_value("Support Issue", name, ["response_breach_notified", "at_risk_notified"])
			for name in self.issues
		}
		self.assertEqual(flags, {self.issues[0]: (1, 1), self.issues[1]: (0, 0), self.issues[2]: (1, 1)})
		self.assertEqual(frappe.db.count("Error Log", {"reference_name": self.issues[1]}), errors + 1)
		self.addCleanup(frappe.db.delete, "Error Log", {"reference_name": self.issues[1]})
		# the next run marks what the lost one could not, once
		self.assertEqual(
			run_each(
				"Support Issue", [self.issues[1]], lambda n: sweep_issue(n, now_datetime()), "x {0}", True
			),
			(2, []),
		)
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value(
				"Support Issue", self.issues[1], ["response_breach_notified", "at_risk_notified"]
			),
			(1, 1),
		)
