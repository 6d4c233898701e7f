"""Work done at the same time by several processes and connections, each outcome read from the database:
two processes matching one advisory at once, and staff saving an issue over and over while two sweeps
run. Nothing is made twice, nothing is mailed twice, and no save drops what a sweep wrote.

The other connections see only committed rows, so the records are committed and deleted afterwards.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import frappe
from frappe.utils import now_datetime

from tests.integration.committed import CommittedTestCase
from tests.integration.utils import draft_advisory, finished, processes

MATCH = "from frappe_support.advisories.matching import match_advisory\nmatch_advisory(sys.argv[2])"
SWEEP = "from frappe_support.issues.sweep import run_sla_sweep\nprint(run_sla_sweep())"
KEEP = "from frappe_support.issues.compliance_months import keep_finished_months\nkeep_finished_months()"


class TestAtTheSameTime(CommittedTestCase):
	@classmethod
	def make_records(cls):
		helper = cls("test_two_processes_match_one_advisory_once")
		made = cls.committed.add
		calendar = cls.two_customers(helper)
		made("Email Account", helper.ensure_outgoing_account() or "")
		cls.engineer = cls.committed.user("Engineer", ["Support Manager"])[0]
		cls.holders, cls.sites, cls.contracts = {}, {}, {}
		for customer in (cls.mine, cls.theirs):
			holder = helper.make_holder(customer)
			made("Contact", holder.name)
			cls.holders[customer] = holder.email_id
			contract = helper.make_contract(
				customer,
				calendar=calendar,
				holders=[{"contact": holder.name, "notify_advisories": 1, "notify_issues": 1}],
			)
			cls.contracts[customer] = contract
			made("Support Contract", contract.name)
			cls.sites[customer] = made("Support Site", helper.make_site(customer, contract.name))

	def fresh(self):
		frappe.db.rollback()

	def test_two_processes_match_one_advisory_once(self):
		advisory = draft_advisory("Concurrent advisory", "< 15.72.0", "15.72.0")
		self.committed.add("Security Advisory", advisory.name)
		frappe.db.set_value("Security Advisory", advisory.name, "status", "Published")  # as publish() does
		frappe.db.commit()
		finished(processes(MATCH, advisory.name, count=3))
		self.fresh()
		exposures = frappe.get_all(
			"Advisory Exposure", filters={"advisory": advisory.name}, fields=["site", "status", "notified_on"]
		)
		self.assertEqual(sorted(e.site for e in exposures), sorted(self.sites.values()))
		self.assertEqual({e.status for e in exposures}, {"Affected"})
		queues = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Security Advisory", "reference_name": advisory.name},
			pluck="name",
		)
		recipients = frappe.get_all(
			"Email Queue Recipient", filters={"parent": ("in", queues or [""])}, pluck="recipient"
		)
		self.assertEqual(sorted(recipients), sorted(self.holders.values()))  # each holder told once

	def test_two_daily_jobs_at_once_keep_every_finished_month_right(self):
		from frappe_support.issues import compliance, compliance_months

		before = set(frappe.get_all("SLA Compliance Month", pluck="name"))
		today = now_datetime().date()
		months = compliance.months_between(
			frappe.utils.add_months(today, -compliance_months.KEPT_MONTHS), today
		)
		months = [m for m in months if compliance_months.settled(m)]
		try:
			compliance_months.forget_months(months)  # every one of them out of date
			frappe.db.commit()
			finished(processes(KEEP, count=2))
			self.fresh()
			kept = frappe.get_all(
				"SLA Compliance Month",
				filters={"month": ("in", months), "computed": 1},
				fields=["month", "priority", "issues", "met", "median_hours"],
			)
			self.assertEqual(len(kept), 3 * len(months))
			for month in months:
				live = compliance.figures(*compliance.month_bounds(month), {})
				self.assertEqual(
					sorted(
						(r.priority, r.issues, r.met, round(r.median_hours, 2))
						for r in kept
						if r.month == month and r.issues
					),
					sorted((r.priority, r.issues, r.met, round(r.median_hours, 2)) for r in live),
					month,
				)
		finally:
			made = set(frappe.get_all("SLA Compliance Month", pluck="name")) - before
			frappe.db.delete("SLA Compliance Month", {"name": ("in", list(made) or [""])})
			frappe.db.commit()

	def test_staff_saving_an_issue_while_two_sweeps_run_lose_nothing(self):
		issue = self.make_issue(
			self.contracts[self.mine], opening=now_datetime() - timedelta(hours=9), priority="High"
		).name
		frappe.db.commit()
		saved, refused, errors = [], [], []

		def staff(n: int) -> None:
			frappe.init(site=self.site_name, sites_path=self.sites_path)
			frappe.connect()
			frappe.set_user(self.engineer)
			try:
				for k in range(6):
					for _attempt in range(20):
						try:
							doc = frappe.get_doc("Support Issue", issue)
							doc.description = f"Note {n}.{k}"
							doc.save()
							frappe.db.commit()
							saved.append((n, k))
							break
						except frappe.TimestampMismatchError:
							frappe.db.rollback()
							refused.append((n, k))
			except Exception as error:
				errors.append(repr(error))
			finally:
				frappe.destroy()

		self.site_name, self.sites_path = frappe.local.site, frappe.local.sites_path
		sweeps = processes(SWEEP, count=2)
		threads = [threading.Thread(target=staff, args=(n,)) for n in range(3)]
		for thread in threads:
			thread.start()
		for thread in threads:
			thread.join(300)
		marked = sum(int(out.strip().splitlines()[-1]) for out in finished(sweeps))
		self.assertEqual(errors, [])
		self.assertEqual(len(saved), 18)  # every save went through, some after a refresh
		self.fresh()
		doc = frappe.get_doc("Support Issue", issue)
		events = sorted((r.event, r.clock) for r in doc.sla_log if r.note == "Marked by the SLA sweep.")
		self.assertEqual(
			events, [("Breached", "Resolution"), ("Breached", "Response"), ("Warned", "Resolution")]
		)
		self.assertEqual(marked, 3)
		self.assertEqual(
			(doc.response_breach_notified, doc.at_risk_notified, doc.resolution_breach_notified), (1, 1, 1)
		)
		queues = frappe.get_all("Email Queue", filters={"reference_name": issue}, pluck="name")
		recipients = frappe.get_all(
			"Email Queue Recipient", filters={"parent": ("in", queues or [""])}, pluck="recipient"
		)
		self.assertEqual(recipients.count(self.engineer), 3)  # one mail per event
		self.assertEqual(recipients.count(self.holders[self.mine]), 1)  # the resolution breach
