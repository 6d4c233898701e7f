"""Security advisories matched against the versions each covered site runs, on a real site."""

import random

import frappe

from frappe_support.advisories.lifecycle import close_exposures
from frappe_support.advisories.matching import match_advisory
from tests.integration.utils import SupportTestCase, count_queries, unique

FRAPPE_RANGES = [("< 14.96.10", "14.96.10"), (">= 15.0.0, < 15.72.0", "15.72.0")]


class AdvisoryCase(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.ensure_outgoing_account()
		self.customer = self.make_customer()
		self.holder = self.make_holder(self.customer)
		quiet = self.make_holder(self.customer)
		self.contract = self.make_contract(
			self.customer,
			holders=[
				{"contact": self.holder.name, "notify_advisories": 1},
				{"contact": quiet.name, "notify_advisories": 0},
			],
		).name
		self.old = self.make_site(self.customer, self.contract, {"frappe": "15.44.2", "erpnext": "15.40.0"})
		self.old_too = self.make_site(self.customer, self.contract, {"frappe": "v15.60.1 (abc1234)"})
		self.current = self.make_site(self.customer, self.contract, {"frappe": "15.80.0"})
		self.fork = self.make_site(self.customer, self.contract, {"frappe": "25.4.1"})
		# another customer whose contract does not cover security alerts
		other = self.make_customer()
		self.uncovered = self.make_site(
			other, self.make_contract(other, covers_security_alerts=0).name, {"frappe": "15.44.2"}
		)

	def advisory(self, ranges=FRAPPE_RANGES, app="frappe", publish=True):
		doc = frappe.get_doc(
			{
				"doctype": "Security Advisory",
				"title": unique("Frappe SQL injection"),
				"ghsa_id": "GHSA-" + frappe.generate_hash(length=12),
				"severity": "High",
				"cvss_score": 8.1,
				"reference_url": "https://github.com/frappe/frappe/security/advisories/GHSA-test",
				"ranges": [{"app_name": app, "vulnerable_range": r, "patched_version": p} for r, p in ranges],
			}
		).insert()
		if publish:
			doc.publish()
			match_advisory(doc.name)  # what the enqueued job runs
		return doc

	def exposures(self, advisory: str) -> dict[str, frappe._dict]:
		rows = frappe.get_all(
			"Advisory Exposure",
			filters={"advisory": advisory},
			fields=[
				"name",
				"site",
				"status",
				"installed_version",
				"fixed_version",
				"reason",
				"remediated_on",
			],
		)
		return {r.site: r for r in rows}

	def mails(self, reference: str) -> list[tuple[str, str]]:
		return self.queued_mails(reference)

	def set_version(self, site: str, app: str, version: str) -> None:
		doc = frappe.get_doc("Support Site", site)
		next(a for a in doc.apps if a.app_name == app).version = version
		doc.save()


class TestAdvisoryMatching(AdvisoryCase):
	def test_publishing_exposes_affected_and_unknown_sites_and_mails_each_holder_once(self):
		advisory = self.advisory()
		exposures = self.exposures(advisory.name)
		self.assertEqual(set(exposures), {self.old, self.old_too, self.fork})  # not current, not uncovered
		self.assertEqual(exposures[self.old].status, "Affected")
		self.assertEqual(exposures[self.old].fixed_version, "15.72.0")
		self.assertEqual(exposures[self.old_too].status, "Affected")
		self.assertEqual(exposures[self.fork].status, "Unknown")
		self.assertTrue(exposures[self.fork].reason)
		mails = self.mails(advisory.name)
		self.assertEqual([r for r, _m in mails], [self.holder.email_id])  # one email for both sites
		message = mails[0][1]
		self.assertIn("15.72.0", message)
		self.assertIn(frappe.db.get_value("Support Site", self.old, "site_url"), message)
		self.assertIn("High", message)
		match_advisory(advisory.name)
		match_advisory(advisory.name)
		self.assertEqual(len(self.mails(advisory.name)), 1)
		self.assertEqual(len(self.exposures(advisory.name)), 3)

	def test_exposures_store_what_sites_and_staff_wrote_byte_for_byte(self):
		"""The bulk insert writes literals, not parameters: quotes, backslashes, % and Frappe's ifnull(
		rewriting must neither break the statement nor change a value."""
		hostile = "15.44.2 (x'); -- 50% ifnull( \\ é)"
		site = self.make_site(self.customer, self.contract, {"frappe": hostile})
		stored = frappe.db.get_value("Support Site App", {"parent": site}, "version")
		advisory = self.advisory()
		row = frappe.get_all(
			"Advisory Exposure",
			filters={"site": site},
			fields=["installed_version", "evaluated_revision", "evaluated_on", "status"],
		)
		self.assertEqual(len(row), 1)
		self.assertEqual(row[0].installed_version, stored)
		self.assertIn("ifnull( \\", row[0].installed_version)
		self.assertIn(row[0].status, ("Affected", "Unknown"))
		self.assertEqual(row[0].evaluated_revision, 0)  # a number literal
		# a datetime literal, to the microsecond: the instant the match also stamped on the advisory
		self.assertEqual(
			row[0].evaluated_on, frappe.db.get_value("Security Advisory", advisory.name, "matched_on")
		)
		title = "Quote ' % ifnull( \\ ü"  # as staff wrote it, copied onto each new exposure
		frappe.db.set_value("Security Advisory", advisory.name, "title", title)
		frappe.db.delete("Advisory Exposure", {"advisory": advisory.name})
		match_advisory(advisory.name)
		titles = frappe.get_all(
			"Advisory Exposure", filters={"advisory": advisory.name}, pluck="advisory_title"
		)
		self.assertEqual(set(titles), {title})

	def test_upgrading_past_the_fix_patches_the_exposure(self):
		advisory = self.advisory()
		self.set_version(self.old, "frappe", "15.72.0")
		exposure = self.exposures(advisory.name)[self.old]
		self.assertEqual(exposure.status, "Patched")
		self.assertEqual(exposure.installed_version, "15.72.0")
		self.assertIsNotNone(exposure.remediated_on)
		self.set_version(self.current, "frappe", "15.71.9")  # a downgrade into the range: exposed now
		self.assertEqual(self.exposures(advisory.name)[self.current].status, "Affected")
		self.assertEqual(len(self.mails(advisory.name)), 2)
		self.set_version(self.old, "frappe", "15.70.0")  # patched, then back into the range: told again
		self.assertEqual(self.exposures(advisory.name)[self.old].status, "Affected")
		self.assertEqual(len(self.mails(advisory.name)), 3)

	def test_a_revision_that_changes_a_status_tells_again_and_only_then(self):
		advisory = self.advisory()
		advisory.reload()
		advisory.append(
			"ranges", {"app_name": "erpnext", "vulnerable_range": "< 15.41.0", "patched_version": "15.41.0"}
		)
		advisory.save()
		self.assertEqual(advisory.revision, 1)
		match_advisory(advisory.name)
		self.assertEqual(len(self.mails(advisory.name)), 1)  # the old site was affected already
		advisory.reload()
		advisory.ranges[1].vulnerable_range, advisory.ranges[1].patched_version = (
			">= 15.0.0, < 15.73.0",
			"15.73.0",
		)
		advisory.save()
		match_advisory(advisory.name)
		exposure = self.exposures(advisory.name)[self.old_too]
		self.assertEqual((exposure.status, exposure.fixed_version), ("Affected", "15.73.0"))  # the new fix
		self.assertEqual(len(self.mails(advisory.name)), 1)
		advisory.reload()
		advisory.ranges = [r for r in advisory.ranges if r.app_name == "erpnext"]
		advisory.save()
		match_advisory(advisory.name)
		exposures = self.exposures(advisory.name)
		self.assertEqual(exposures[self.old].status, "Affected")  # through erpnext now
		self.assertEqual(exposures[self.old_too].status, "Not Affected")  # cleared by the revision
		self.assertEqual(exposures[self.fork].status, "Not Affected")
		self.assertEqual(len(self.mails(advisory.name)), 1)

	def test_withdrawal_closes_open_exposures_and_tells_those_told(self):
		advisory = self.advisory()
		advisory.reload()
		advisory.withdraw()
		self.assertEqual(close_exposures(advisory.name), 3)
		self.assertEqual({e.status for e in self.exposures(advisory.name).values()}, {"Withdrawn"})
		mails = self.mails(advisory.name)
		self.assertEqual([r for r, _m in mails], [self.holder.email_id] * 2)
		self.assertIn("withdrawn", mails[-1][1])
		self.assertEqual(close_exposures(advisory.name), 0)

	def test_unreadable_range_is_refused_and_nothing_is_saved(self):
		before = frappe.db.count("Security Advisory")
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be read"):
			self.advisory(ranges=[("about 15", "15.72.0")], publish=False)
		self.assertEqual(frappe.db.count("Security Advisory"), before)

	def test_draft_matches_nothing(self):
		advisory = self.advisory(publish=False)
		self.assertEqual(match_advisory(advisory.name), {})
		self.assertEqual(self.exposures(advisory.name), {})


class TestAdvisoryPermissions(AdvisoryCase):
	def test_customer_sees_and_acknowledges_only_their_own_exposures(self):
		advisory = self.advisory()
		draft = self.advisory(publish=False)
		stranger_customer = self.make_customer()
		stranger_site = self.make_site(
			stranger_customer, self.make_contract(stranger_customer).name, {"frappe": "15.1.0"}
		)
		match_advisory(advisory.name)
		theirs = self.exposures(advisory.name)[stranger_site].name
		mine = self.exposures(advisory.name)[self.old].name
		user = self.make_customer_user(self.customer)
		frappe.set_user(user)
		from frappe_support.api import v1

		listed = {r["name"] for r in v1.list_exposures(open_only=0)}
		self.assertIn(mine, listed)
		self.assertNotIn(theirs, listed)
		self.assertEqual({r["advisory"] for r in v1.list_exposures(open_only=0)} & {draft.name}, set())
		for doctype in ("Advisory Exposure", "Security Advisory"):
			with self.assertRaises(frappe.PermissionError):
				frappe.get_list(doctype)
		with self.assertRaises(frappe.PermissionError):
			v1.acknowledge_exposure(theirs)
		v1.acknowledge_exposure(mine)
		frappe.set_user("Administrator")
		row = frappe.db.get_value(
			"Advisory Exposure", mine, ["acknowledged_by", "acknowledged_on"], as_dict=True
		)
		self.assertEqual(row.acknowledged_by, user)
		self.assertIsNotNone(row.acknowledged_on)
		self.assertFalse(frappe.db.get_value("Advisory Exposure", theirs, "acknowledged_on"))


class TestAdvisoryDigest(AdvisoryCase):
	def test_managers_get_one_digest_a_day_of_unknown_and_unacknowledged_affected(self):
		from frappe_support.advisories.mail import send_daily_digest

		manager = self.make_engineer()
		frappe.get_doc("User", manager).add_roles("Support Manager")
		advisory = self.advisory()
		exposures = self.exposures(advisory.name)
		frappe.get_doc("Advisory Exposure", exposures[self.old_too].name).acknowledge()
		day = f"2031-0{random.randint(1, 9)}-1{random.randint(0, 9)}"  # a day no other run has used
		with self.freeze_time(day + " 07:00:00"):
			frappe.db.savepoint("before_digest")
			self.assertEqual(send_daily_digest(), 1)
			frappe.db.rollback(save_point="before_digest")  # the job failed after queueing: all of it undone
			self.assertEqual(self.digests(), [])
			self.assertEqual(send_daily_digest(), 1)  # so the day's digest still goes
			frappe.cache.delete_keys("")  # a flushed cache does not make it go twice
			self.assertEqual(send_daily_digest(), 0)
		self.assertEqual(len(self.digests()), 1)
		with self.freeze_time(day[:-1] + str((int(day[-1]) + 1) % 10) + " 07:00:00"):
			self.assertEqual(send_daily_digest(), 1)  # another day, another digest
		queue = frappe.get_all(
			"Email Queue", filters={"message": ("like", "%Security advisory exposures%")}, pluck="name"
		)
		recipients = frappe.get_all(
			"Email Queue Recipient", filters={"parent": ("in", queue)}, pluck="recipient"
		)
		self.assertIn(manager, recipients)
		message = frappe.db.get_value("Email Queue", queue[-1], "message")
		urls = {
			s: frappe.db.get_value("Support Site", s, "site_url") for s in (self.old, self.old_too, self.fork)
		}
		self.assertIn(urls[self.fork], message)  # Unknown
		self.assertIn(urls[self.old], message)  # Affected, not acknowledged
		self.assertNotIn(urls[self.old_too], message)  # acknowledged

	@staticmethod
	def digests() -> list[str]:
		return frappe.get_all(
			"Email Queue", filters={"message": ("like", "%Security advisory exposures%")}, pluck="name"
		)


class TestSiteRematchQueries(AdvisoryCase):
	def test_a_site_is_matched_again_in_queries_that_do_not_grow_with_the_advisories(self):
		from frappe_support.advisories.matching import rematch_site

		def queries() -> int:
			return count_queries(lambda: rematch_site(self.current))

		self.advisory()
		queries()  # warm the caches
		one = queries()
		for _k in range(5):
			self.advisory()
		six = queries()
		self.assertEqual(one, six)
		self.assertLessEqual(six, 4)
		self.set_version(self.current, "frappe", "15.10.0")  # now inside every advisory's range
		statuses = frappe.get_all("Advisory Exposure", filters={"site": self.current}, pluck="status")
		self.assertEqual(statuses, ["Affected"] * 6)
