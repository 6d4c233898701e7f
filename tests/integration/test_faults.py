"""The SLA sweep under real faults, over many due issues: a `bench worker` killed with SIGKILL halfway through
the mail, the cache's Redis flushed halfway, MariaDB shut down and started again halfway. Each time the next
run (a fresh worker and the scheduler's sweep) sends what was left, and every event ends up marked, logged and
mailed exactly once.

The sweep runs in a real worker process (`bench --site S worker`), started by the test in its own process
group so that the kill takes its work horse too. The records are committed and deleted afterwards.
The MariaDB restart needs the server's root password (see tests/integration/faults.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import frappe
from frappe.utils import now_datetime

from frappe_support.issues.sweep import run_sla_sweep
from tests.integration.committed import CommittedTestCase
from tests.integration.faults import BenchRedis, restart_mariadb, skip_without_mariadb_root

ISSUES = 150  # x 3 events each (response breach, at risk, resolution breach): long enough to stop halfway
EVENTS = {("Breached", "Response"), ("Warned", "Resolution"), ("Breached", "Resolution")}


class SweepFaultCase(CommittedTestCase):
	@classmethod
	def make_records(cls):
		helper = cls("test_a_killed_worker_leaves_nothing_lost_or_twice")
		made = cls.committed.add
		calendar = cls.two_customers(helper)
		cls.ensure = made("Email Account", helper.ensure_outgoing_account() or "")
		cls.manager = cls.committed.user("Manager", ["Support Manager"])[0]
		cls.contract = helper.make_contract(cls.mine, calendar=calendar)
		made("Support Contract", cls.contract.name)

	def setUp(self):
		super().setUp()
		self.worker = None
		self.addCleanup(self.stop_worker)
		opening = now_datetime() - timedelta(hours=9)  # High on 24x7: every clock is past its mark
		self.issues = [
			self.make_issue(self.contract, opening=opening, priority="High").name for _i in range(ISSUES)
		]
		frappe.db.commit()  # the worker reads them; deleted with the class's customer

	# -- the worker ------------------------------------------------------------------------------------
	def start_worker(self) -> None:
		self.worker = subprocess.Popen(
			[
				sys.executable,
				"-m",
				"frappe.utils.bench_helper",
				"frappe",
				"--site",
				frappe.local.site,
				"worker",
				"--queue",
				"short",
			],
			cwd=frappe.local.sites_path,
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
			start_new_session=True,  # its own process group: the kill reaches the work horse too
		)

	def stop_worker(self) -> None:
		if self.worker and self.worker.poll() is None:
			os.killpg(self.worker.pid, signal.SIGKILL)
			self.worker.wait(30)

	def enqueue_sweep(self) -> None:
		frappe.enqueue(
			"frappe_support.issues.sweep.run_sla_sweep",
			queue="short",
			job_id=f"fs-fault-sweep-{frappe.generate_hash(length=8)}",
			enqueue_after_commit=False,
		)

	def next_run(self, timeout: float = 240) -> None:
		"""What the scheduler does next: a sweep with a worker to run its mail jobs, until none is pending."""
		if not (self.worker and self.worker.poll() is None):
			self.start_worker()
		run_sla_sweep()
		self.wait_until_mailed(ISSUES * len(EVENTS), timeout)

	# -- what the sweep did ----------------------------------------------------------------------------
	def marked(self, mailed: bool = False) -> list[tuple[str, str, str]]:
		frappe.db.rollback()
		log = frappe.qb.DocType("Support Issue SLA Log")
		query = (
			frappe.qb.from_(log)
			.select(log.parent, log.event, log.clock)
			.where(log.parent.isin(self.issues) & (log.note == "Marked by the SLA sweep."))
		)
		return (query.where(log.mail_pending == 0) if mailed else query).run()

	def wait_until_mailed(self, count: int = 15, timeout: float = 120) -> int:
		deadline = time.monotonic() + timeout
		while time.monotonic() < deadline:
			done = len(self.marked(mailed=True))
			if done >= count:
				return done
			time.sleep(0.05)
		self.fail(f"{len(self.marked(mailed=True))} events mailed in {timeout} s, not {count}")

	def assertEachEventOnce(self) -> None:
		rows = self.marked()
		per_issue: dict[str, list] = {}
		for parent, event, clock in rows:
			per_issue.setdefault(parent, []).append((event, clock))
		self.assertEqual(len(rows), ISSUES * len(EVENTS), "events marked in all")
		for name in self.issues:
			self.assertEqual(sorted(per_issue.get(name, [])), sorted(EVENTS), name)
		mails = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Support Issue", "reference_name": ("in", self.issues)},
			fields=["reference_name", "message"],
		)
		per_mail = {}
		for mail in mails:
			subject = next(line for line in mail.message.splitlines() if line.startswith("Subject:"))
			per_mail.setdefault((mail.reference_name, subject), 0)
			per_mail[(mail.reference_name, subject)] += 1
		self.assertEqual(sorted(set(per_mail.values())), [1], "a mail queued twice")
		counts = {}
		for name, _subject in per_mail:
			counts[name] = counts.get(name, 0) + 1
		self.assertEqual(set(counts), set(self.issues))
		self.assertEqual(len(set(counts.values())), 1, f"issues got different mails: {set(counts.values())}")


class TestSweepUnderFaults(SweepFaultCase):
	def test_a_killed_worker_leaves_nothing_lost_or_twice(self):
		self.start_worker()
		self.enqueue_sweep()
		started = time.monotonic()
		halfway = self.wait_until_mailed()
		os.killpg(self.worker.pid, signal.SIGKILL)  # kill -9, work horse and all
		self.worker.wait(30)
		mailed = len(self.marked(mailed=True))
		print(f"killed after {time.monotonic() - started:.1f} s with {mailed} of 450 events mailed")
		self.assertLess(mailed, ISSUES * len(EVENTS), "the worker finished before the kill")
		self.assertEqual(len(self.marked()), ISSUES * len(EVENTS), "every event marked before the mail")
		self.assertGreaterEqual(halfway, 15)
		self.next_run()
		self.next_run()  # and one more: nothing left for it
		self.assertEachEventOnce()

	def test_a_flushed_cache_halfway_changes_nothing(self):
		self.start_worker()
		self.enqueue_sweep()
		self.wait_until_mailed()
		frappe.cache.flushall()  # the cache's Redis, emptied under the running mail jobs
		self.wait_until_mailed(ISSUES * len(EVENTS), 180)
		self.next_run()
		self.assertEachEventOnce()

	def test_a_database_restart_halfway_loses_nothing(self):
		skip_without_mariadb_root()
		self.start_worker()
		self.enqueue_sweep()
		self.wait_until_mailed()
		restart_mariadb()
		self.stop_worker()  # its job died with the connection (or finished); the next run is the scheduler's
		self.next_run()
		self.assertEachEventOnce()

	def test_the_cache_down_halfway_loses_nothing(self):
		"""Frappe's cache falls back to the database when its Redis is gone: the sweep goes on, slower."""
		cache = BenchRedis("cache")
		self.start_worker()
		self.enqueue_sweep()
		self.wait_until_mailed()
		with cache.down():
			self.assertFalse(cache.is_up())
			self.wait_until_mailed(ISSUES * len(EVENTS), 180)
		self.next_run()
		self.assertEachEventOnce()
