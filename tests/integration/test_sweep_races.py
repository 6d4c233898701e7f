"""The SLA sweep against a save that is under way in another connection: the sweep waits for it and reads
what it saved, so it never marks a resolved issue At Risk or writes its stale state over the save.

Two real connections (the test's and a thread's), so the records are committed and deleted afterwards.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import frappe
from frappe.utils import now_datetime

from frappe_support.issues.sweep import run_sla_sweep
from tests.integration.committed import CommittedTestCase

HOLD = 2.0  # seconds the other connection keeps its saved (uncommitted) issue locked


def in_other_connection(site: str, sites_path: str, work, saved: threading.Event, errors: list) -> None:
	frappe.init(site=site, sites_path=sites_path)
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		work()
		saved.set()
		time.sleep(HOLD)
		frappe.db.commit()
	except Exception as error:  # reported to the test, which fails on it
		errors.append(repr(error))
		saved.set()
	finally:
		frappe.destroy()


class TestSweepAgainstASave(CommittedTestCase):
	@classmethod
	def make_records(cls):
		helper = cls("test_an_issue_resolved_while_the_sweep_reads_it_is_not_marked")
		calendar = cls.two_customers(helper)  # 24x7: business time is elapsed time
		contract = helper.make_contract(cls.mine, calendar=calendar)
		cls.committed.add("Support Contract", contract.name)
		# High: first response in 1 h, resolution in 8 h, at risk after 6 h; raised 7 h ago
		cls.issue = helper.make_issue(
			contract, opening=now_datetime() - timedelta(hours=7), priority="High"
		).name

	def test_an_issue_resolved_while_the_sweep_reads_it_is_not_marked(self):
		self.assertLessEqual(
			frappe.db.get_value("Support Issue", self.issue, "next_sla_check_on"), now_datetime()
		)  # the sweep has this issue due

		def resolve():
			doc = frappe.get_doc("Support Issue", self.issue)
			doc.status = "Resolved"
			doc.save()

		saved, errors = threading.Event(), []
		other = threading.Thread(
			target=in_other_connection,
			args=(frappe.local.site, frappe.local.sites_path, resolve, saved, errors),
		)
		other.start()
		self.assertTrue(saved.wait(60))
		started = time.monotonic()
		run_sla_sweep()  # waits for the resolution to be committed
		waited = time.monotonic() - started
		other.join(60)
		self.assertEqual(errors, [])
		self.fresh()
		issue = frappe.get_doc("Support Issue", self.issue)
		self.assertEqual((issue.status, issue.sla_state), ("Resolved", "Met"))
		self.assertEqual((issue.at_risk_notified, issue.resolution_breach_notified), (0, 0))
		self.assertNotIn("Warned", [row.event for row in issue.sla_log])
		self.assertGreater(waited, HOLD / 2)  # it did wait for the other connection

	def fresh(self):
		frappe.db.rollback()
