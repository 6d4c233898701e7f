"""The bench's Redis servers really shut down (and started again) under the advisory jobs and the actions
that queue jobs: nothing sent twice, nothing lost, a clear error where the queue is truly needed.

- The cache's Redis down through a match and a digest, or flushed between a match's exposures and its
  mails: each holder told once, one digest a day (the claims are in the database).
- The queue's Redis down when an advisory is published or withdrawn: the action is saved, the miss logged,
  and the catch-up (every 15 minutes) queues the job once the queue is back. A calendar edit that needs a
  recomputation nothing would catch up is refused, saying why, and changes nothing.

Each test runs in its own transaction, rolled back; a job queued for real is deleted from the queue, and the
Error Log rows of the misses (Frappe keeps those through a rollback) are deleted.
"""

from __future__ import annotations

import random
from unittest.mock import patch

import frappe
from frappe.utils.background_jobs import get_job

from frappe_support.advisories import lifecycle as advisories
from frappe_support.advisories import mail
from frappe_support.advisories.mail import send_daily_digest
from frappe_support.advisories.matching import match_advisory
from frappe_support.advisories.progress import state_of
from tests.integration.faults import BenchRedis
from tests.integration.test_advisories import AdvisoryCase


def digests() -> list[str]:
	return frappe.get_all(
		"Email Queue", filters={"message": ("like", "%Security advisory exposures%")}, pluck="name"
	)


class RedisFaultCase(AdvisoryCase):
	def setUp(self):
		super().setUp()
		self.cache, self.queue = BenchRedis("cache"), BenchRedis("queue")
		self.addCleanup(self.restart_all)
		self.logged_before = set(self.misses())
		self.addCleanup(self.forget_misses)  # after the rollback: Frappe writes the Error Log for good

	def misses(self) -> list[str]:
		return frappe.get_all(
			"Error Log", filters={"method": ("like", "Job queue unreachable: %")}, pluck="name"
		)

	def forget_misses(self) -> None:
		made = list(set(self.misses()) - self.logged_before)
		if made:  # a plain DELETE: delete_doc would leave a Deleted Document row behind for each
			frappe.db.delete("Error Log", {"name": ("in", made)})
		frappe.db.commit()

	def restart_all(self) -> None:
		for server in (self.cache, self.queue):
			if not server.is_up():
				server.start()

	def holder_mails(self) -> list[str]:
		"""The advisory's mails to the contract's holder (one per advisory and contract, for its Affected
		sites)."""
		return [r for r, _message in self.queued_mails(self.published.name) if r == self.holder.email_id]

	def exposures_of(self, advisory: str) -> list[frappe._dict]:
		return frappe.get_all(
			"Advisory Exposure", filters={"advisory": advisory}, fields=["name", "site", "status"]
		)

	def errors_logged(self, method: str) -> int:
		return frappe.db.count("Error Log", {"method": ("like", f"Job queue unreachable: {method}%")})

	def drop_queued(self, job_id: str) -> None:
		job = get_job(job_id)
		if job:
			job.delete()


class TestCacheDown(RedisFaultCase):
	def test_a_match_and_a_digest_with_the_cache_down_tell_each_once(self):
		manager = self.make_engineer()
		frappe.get_doc("User", manager).add_roles("Support Manager")
		self.published = self.advisory(publish=False)
		day = f"2032-0{random.randint(1, 9)}-1{random.randint(0, 9)}"  # a day no other run has used
		with self.cache.down():
			self.assertFalse(self.cache.is_up())
			self.published.publish()
			match_advisory(self.published.name)
			told = self.holder_mails()
			with self.freeze_time(day + " 07:00:00"):
				self.assertEqual(send_daily_digest(), 1)
				self.assertEqual(send_daily_digest(), 0)
		self.assertTrue(self.cache.is_up())
		statuses = {r.site: r.status for r in self.exposures_of(self.published.name)}
		self.assertEqual(statuses[self.old], "Affected")
		self.assertEqual(statuses[self.fork], "Unknown")
		self.assertEqual(told, [self.holder.email_id])  # one mail for the contract's two Affected sites
		match_advisory(self.published.name)  # again, with the cache back and empty
		with self.freeze_time(day + " 09:00:00"):
			self.assertEqual(send_daily_digest(), 0)
		self.assertEqual(self.holder_mails(), told)
		self.assertEqual(len(digests()), 1)
		self.assertNotIn(self.published.name, advisories.unmatched_advisories())

	def test_a_cache_flushed_between_the_exposures_and_the_mails_changes_nothing(self):
		self.published = self.advisory(publish=False)
		self.published.publish()
		real_tell = mail.tell_affected

		def flush_then_tell(names):
			frappe.cache.flushall()  # the real cache, emptied between the exposures and their mails
			return real_tell(names)

		with patch.object(mail, "tell_affected", flush_then_tell):
			match_advisory(self.published.name)
			match_advisory(self.published.name)
		self.assertEqual(self.holder_mails(), [self.holder.email_id])


class TestQueueDown(RedisFaultCase):
	def test_an_advisory_published_while_the_queue_is_down_is_matched_by_the_catch_up(self):
		self.published = self.advisory(publish=False)
		job_id = f"frappe_support:advisory_match:{self.published.name}"
		self.addCleanup(self.drop_queued, job_id)
		logged = self.errors_logged("frappe_support.advisories.matching.match_advisory")
		with self.queue.down():
			frappe.clear_messages()
			self.published.publish()  # saved, not refused
			self.assertIn("job queue cannot be reached", str(frappe.message_log))
			unmatched = advisories.unmatched_advisories()
			advisories.catch_up()  # while down: each miss logged again, no error
			self.assertEqual(state_of(self.published)["state"], "unreachable")  # the form says why
		self.assertEqual(frappe.db.get_value("Security Advisory", self.published.name, "status"), "Published")
		self.assertEqual(
			self.errors_logged("frappe_support.advisories.matching.match_advisory"),
			logged + 1 + len(unmatched),
		)
		self.assertEqual(self.exposures_of(self.published.name), [])  # not matched yet
		self.assertIn(self.published.name, advisories.unmatched_advisories())

		frappe.db.after_commit.reset()  # (what this test's transaction queued so far goes with its rollback)
		advisories.catch_up()  # the queue is back: the next catch-up queues the match...
		frappe.db.after_commit.run()  # ...when its run commits (this test's transaction is rolled back)
		job = get_job(job_id)
		self.assertIsNotNone(job, "the catch-up queued no match")
		self.assertEqual(job.kwargs["kwargs"], {"advisory": self.published.name})
		self.assertIn(state_of(self.published)["state"], ("queued", "running"))
		match_advisory(self.published.name)  # what that job runs
		self.assertEqual(state_of(self.published.reload())["state"], "done")
		self.assertEqual(self.holder_mails(), [self.holder.email_id])
		self.assertNotIn(self.published.name, advisories.unmatched_advisories())
		revision, matched = frappe.db.get_value(
			"Security Advisory", self.published.name, ["revision", "matched_revision"]
		)
		self.assertEqual(matched, revision)

	def test_an_advisory_published_again_while_the_queue_is_down_is_matched_again(self):
		self.published = self.advisory()  # published and matched
		self.assertNotIn(self.published.name, advisories.unmatched_advisories())
		self.published.reload()
		self.published.withdraw()
		with self.queue.down():
			self.published.reload()
			self.published.publish()
		self.assertIn(self.published.name, advisories.unmatched_advisories())

	def test_an_advisory_withdrawn_while_the_queue_is_down_is_closed_by_the_catch_up(self):
		self.published = self.advisory()
		self.addCleanup(self.drop_queued, f"frappe_support:advisory_withdraw:{self.published.name}")
		with self.queue.down():
			self.published.reload()
			self.published.withdraw()
		self.assertEqual(frappe.db.get_value("Security Advisory", self.published.name, "status"), "Withdrawn")
		self.assertIn(self.published.name, advisories.withdrawn_with_open_exposures())
		advisories.close_exposures(self.published.name)  # what the catch-up's job runs
		self.assertEqual({r.status for r in self.exposures_of(self.published.name)}, {"Withdrawn"})
		self.assertNotIn(self.published.name, advisories.withdrawn_with_open_exposures())

	def test_a_calendar_edit_that_needs_a_recomputation_is_refused_while_the_queue_is_down(self):
		calendar = frappe.get_doc(
			"Support Calendar", frappe.db.get_value("Support Contract", self.contract, "calendar")
		)
		self.make_issue(frappe.get_doc("Support Contract", self.contract))  # open: to be recomputed
		before = [row.end_time for row in calendar.hours]
		for row in calendar.hours:
			row.end_time = "18:00:00"
		frappe.db.savepoint("edit")
		with self.queue.down(), self.assertRaises(frappe.ValidationError) as refused:
			calendar.save()
		frappe.db.rollback(save_point="edit")  # what the request does with the error
		self.assertIn("background job queue", str(refused.exception))
		self.assertIn("Nothing was changed", str(refused.exception))
		stored = frappe.get_doc("Support Calendar", calendar.name)
		self.assertEqual([row.end_time for row in stored.hours], before)
		# the control: with the queue up the same edit is saved and its recomputation queued
		job_id = f"frappe_support:recompute:calendar:{calendar.name}"
		self.addCleanup(self.drop_queued, job_id)
		stored = frappe.get_doc("Support Calendar", calendar.name)
		for row in stored.hours:
			row.end_time = "18:00:00"
		frappe.db.after_commit.reset()
		stored.save()
		frappe.db.after_commit.run()
		self.assertIsNotNone(get_job(job_id))
