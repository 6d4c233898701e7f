"""The SLA sweep on a real site: marks, logs and notifies each event once; isolated; due rows only."""

import frappe
from frappe.desk.form.assign_to import add as assign

from frappe_support.issues.sweep import run_sla_sweep
from tests.integration.utils import SupportTestCase, count_queries
from tests.integration.utils import berlin as b


class TestSlaSweep(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.customer = self.make_customer()
		holder = self.make_holder(self.customer)
		self.holder_email = holder.email_id
		self.contract = self.make_contract(
			self.customer, holders=[{"contact": holder.name, "notify_issues": 1}]
		)
		self.ensure_outgoing_account()
		self.engineer = self.make_engineer()
		self.manager = self.make_engineer()
		frappe.get_doc("User", self.manager).add_roles("Support Manager")

	def at(self, local: str):
		return self.freeze_time(b(local))

	def emails(self, issue: str) -> list[tuple[str, str]]:
		queue = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Support Issue", "reference_name": issue},
			pluck="name",
		)
		rows = frappe.get_all(
			"Email Queue Recipient", filters={"parent": ("in", queue or [""])}, fields=["recipient", "parent"]
		)
		subjects = {
			q.name: q.message
			for q in frappe.get_all(
				"Email Queue", filters={"name": ("in", queue or [""])}, fields=["name", "message"]
			)
		}
		return sorted((r.recipient, subjects[r.parent]) for r in rows)

	def events(self, issue: str) -> list[tuple[str, str]]:
		return [
			(r.event, r.clock)
			for r in frappe.get_doc("Support Issue", issue).sla_log
			if r.note == "Marked by the SLA sweep."
		]

	def test_each_event_is_marked_and_notified_once(self):
		with self.at("2025-06-09 10:00"):
			issue = self.make_issue(self.contract, opening=b("2025-06-09 10:00"), priority="High")
			assign({"doctype": "Support Issue", "name": issue.name, "assign_to": [self.engineer]})
		# at risk at Mon 16:00 (6 of 8 business hours), response due Mon 11:00, resolution Tue 10:00
		with self.at("2025-06-09 16:30"):
			for _run in range(3):
				run_sla_sweep(commit=False)
		self.assertEqual(self.events(issue.name), [("Breached", "Response"), ("Warned", "Resolution")])
		self.assertEqual(frappe.db.get_value("Support Issue", issue.name, "sla_state"), "At Risk")
		staff = sorted([self.engineer, self.manager])
		self.assertEqual(sorted({r for r, _m in self.emails(issue.name)}), staff)
		self.assertEqual(len(self.emails(issue.name)), 4)  # 2 events x 2 staff, holders not told yet
		with self.at("2025-06-10 11:00"):
			for _run in range(3):
				run_sla_sweep(commit=False)
		self.assertEqual(
			self.events(issue.name),
			[("Breached", "Response"), ("Warned", "Resolution"), ("Breached", "Resolution")],
		)
		log = frappe.get_doc("Support Issue", issue.name).sla_log
		self.assertLocal(log[-1].at, "2025-06-10 10:00")  # the breach instant, not the sweep's
		swept = [r for r in log if r.note == "Marked by the SLA sweep."]
		# business hours used at each instant: the 1 h response target, 75 % and all of the 8 h resolution
		self.assertEqual([r.consumed_hours for r in swept], [1.0, 6.0, 8.0])
		self.assertEqual(str(swept[1].deadline), str(log[-1].deadline))
		mails = self.emails(issue.name)
		self.assertEqual(len(mails), 7)
		holder_mail = [m for r, m in mails if r == self.holder_email]
		self.assertEqual(len(holder_mail), 1)
		self.assertIn("2025-06-10 10:00 CEST", holder_mail[0])  # deadline in the calendar's zone
		self.assertNotIn(self.customer, holder_mail[0].split("Deadline")[0] + "")  # no internal lines
		self.assertNotIn("Contract:", holder_mail[0])
		self.assertEqual(frappe.db.get_value("Support Issue", issue.name, "next_sla_check_on"), None)
		alerts = frappe.get_all(
			"Notification Log",
			filters={"document_type": "Support Issue", "document_name": issue.name},
			pluck="for_user",
		)
		self.assertEqual(sorted(set(alerts)), staff)

	def test_a_form_opened_before_the_sweep_cannot_undo_it(self):
		"""An engineer opened the issue before the sweep marked it and saves after: refused as a stale copy
		(the sweep bumps `modified`), so the sweep's log rows and flags stay and nothing is sent twice."""
		with self.at("2025-06-09 10:00"):
			issue = self.make_issue(self.contract, opening=b("2025-06-09 10:00"), priority="High")
		stale = frappe.get_doc("Support Issue", issue.name)
		with self.at("2025-06-09 16:30"):
			self.assertEqual(run_sla_sweep(commit=False), 2)
		marked = self.emails(issue.name)
		stale.description = "Looked at the logs."
		with self.at("2025-06-09 16:40"), self.assertRaises(frappe.TimestampMismatchError):
			stale.save()
		fresh = frappe.get_doc("Support Issue", issue.name)
		self.assertEqual(self.events(issue.name), [("Breached", "Response"), ("Warned", "Resolution")])
		self.assertEqual((fresh.response_breach_notified, fresh.at_risk_notified), (1, 1))
		self.assertEqual(fresh.sla_state, "At Risk")
		with self.at("2025-06-09 16:45"):
			self.assertEqual(run_sla_sweep(commit=False), 0)
		self.assertEqual(self.emails(issue.name), marked)

	def test_a_failing_mail_does_not_stop_the_others_and_waits(self):
		"""The events are marked whatever the mail does; a mail that fails is logged with its traceback and
		its log row stays pending for the next sweep, while the other issues' mail goes out."""
		with self.at("2025-06-09 10:00"):
			bad = self.make_issue(self.contract, opening=b("2025-06-09 10:00"), priority="High")
			good = self.make_issue(self.contract, opening=b("2025-06-09 10:00"), priority="High")
		frappe.db.set_value("Support Issue", bad.name, "_assign", "{not json", update_modified=False)
		with self.at("2025-06-10 11:00"):
			run_sla_sweep(commit=False)
		self.assertIn(("Breached", "Resolution"), self.events(good.name))
		self.assertEqual(len(self.events(bad.name)), 3)
		self.assertEqual(frappe.db.get_value("Support Issue", bad.name, "at_risk_notified"), 1)
		rows = frappe.get_all(
			"Support Issue SLA Log",
			filters={"parent": bad.name, "note": "Marked by the SLA sweep."},
			fields=["name", "mail_pending"],
		)
		self.assertEqual({r.mail_pending for r in rows}, {1})
		logged = {"reference_name": ("in", [r.name for r in rows])}
		self.addCleanup(frappe.db.delete, "Error Log", logged)  # MyISAM: the rollback leaves them
		errors = frappe.get_all("Error Log", filters=logged, pluck="error")
		self.assertEqual(len(errors), 3)
		self.assertIn("JSONDecodeError", errors[0])
		self.assertEqual(self.emails(bad.name), [])
		self.assertNotEqual(self.emails(good.name), [])

	def test_queries_do_not_grow_with_issues_that_are_not_due(self):
		with self.at("2025-06-09 10:00"):
			due = self.make_issue(self.contract, opening=b("2025-06-09 10:00"), priority="High")

		def sweep_queries() -> int:
			"""Queries of a sweep that marks the same two events of `due` again."""
			frappe.db.set_value(
				"Support Issue",
				due.name,
				{"response_breach_notified": 0, "at_risk_notified": 0, "next_sla_check_on": due.response_by},
				update_modified=False,
			)
			with self.at("2025-06-09 16:30"):
				return count_queries(lambda: self.assertEqual(run_sla_sweep(commit=False), 2))

		sweep_queries()  # warm the caches
		with self.at("2025-06-09 10:00"):
			for _k in range(3):
				self.make_issue(self.contract, opening=b("2025-06-09 10:00"), priority="Low")
		few = sweep_queries()
		with self.at("2025-06-09 10:00"):
			for k in range(30):
				issue = self.make_issue(self.contract, opening=b("2025-06-09 10:00"), priority="Low")
				if k % 2:  # nothing left to check, as on a closed issue: never read by the sweep
					frappe.db.set_value(
						"Support Issue", issue.name, "next_sla_check_on", None, update_modified=False
					)
		many = sweep_queries()
		self.assertEqual(few, many)

	def test_marking_costs_the_same_queries_for_3_due_issues_as_for_12(self):
		"""The batch is set-based: its statements do not grow with the due issues in it."""
		from frappe_support.issues.sweep import mark

		def marking(count: int) -> int:
			with self.at("2025-06-09 10:00"):
				names = [
					self.make_issue(self.contract, opening=b("2025-06-09 10:00"), priority="High").name
					for _k in range(count)
				]
			with self.at("2025-06-10 11:00"):
				now = frappe.utils.now_datetime()
				queries = count_queries(lambda: self.assertEqual(mark(names, now), (3 * count, [])))
			self.assertEqual(len({e for n in names for e in self.events(n)}), 3)
			return queries

		marking(1)  # warm the caches
		self.assertEqual(marking(3), marking(12))

	def test_an_issue_whose_events_cannot_be_worked_out_is_logged_and_the_batch_goes_on(self):
		with self.at("2025-06-09 10:00"):
			bad = self.make_issue(self.contract, opening=b("2025-06-09 10:00"), priority="High")
			good = self.make_issue(self.contract, opening=b("2025-06-09 10:00"), priority="High")
		frappe.db.set_value("Support Issue", bad.name, "contract", "NO-SUCH-CONTRACT", update_modified=False)
		check_on = frappe.db.get_value("Support Issue", bad.name, "next_sla_check_on")
		before = frappe.get_all("Error Log", filters={"reference_name": bad.name}, pluck="name")
		with self.at("2025-06-10 11:00"):
			self.assertEqual(run_sla_sweep(commit=False), 3)
		self.assertEqual(len(self.events(good.name)), 3)
		self.assertEqual(self.events(bad.name), [])
		self.assertEqual(
			frappe.db.get_value("Support Issue", bad.name, ["at_risk_notified", "next_sla_check_on"]),
			(0, check_on),
		)
		logged = {"reference_name": bad.name, "name": ("not in", before or [""])}
		self.addCleanup(frappe.db.delete, "Error Log", logged)  # MyISAM: the rollback leaves them
		errors = frappe.get_all("Error Log", filters=logged, pluck="error")
		self.assertEqual(len(errors), 1)  # names come again after a rollback: only this sweep's log counts
		self.assertIn("DoesNotExistError", errors[0])

	def test_due_issues_are_read_through_the_index(self):
		from frappe_support.issues.sweep import due_issues, due_query

		with self.at("2025-06-09 10:00"):
			issue = self.make_issue(self.contract, opening=b("2025-06-09 10:00"), priority="High")
		frappe.db.set_value("Support Issue", issue.name, "next_sla_check_on", None, update_modified=False)
		with self.at("2025-06-10 11:00"):
			self.assertNotIn(issue.name, due_issues(frappe.utils.now_datetime(), set()))
		query = due_query(frappe.utils.get_datetime("2025-06-10 11:00"), {issue.name})
		plan = frappe.db.sql("explain " + query.get_sql(), as_dict=True)
		self.assertEqual(plan[0].key, "next_sla_check_on")


class TestSweepPatch(SupportTestCase):
	def test_patch_schedules_issues_that_predate_the_sweep(self):
		from frappe_support.patches.v0_1 import schedule_sla_sweep

		contract = self.make_contract(self.make_customer())
		with self.freeze_time(b("2025-06-09 10:00")):
			issue = self.make_issue(contract, opening=b("2025-06-09 10:00"), priority="High")
		expected = frappe.db.get_value("Support Issue", issue.name, "next_sla_check_on")
		self.assertLocal(expected, "2025-06-09 11:00")  # the response deadline comes first
		frappe.db.set_value("Support Issue", issue.name, "next_sla_check_on", None, update_modified=False)
		schedule_sla_sweep.execute()
		self.assertEqual(frappe.db.get_value("Support Issue", issue.name, "next_sla_check_on"), expected)
