"""Issue 19, what a new provider trips over in the desk (item 3, the pickers: test_browser_pickers):
item 4, the Monitoring Engineer offers Support Engineers and Support Managers, and the refusal on a site
where nobody holds those roles says how to give one; item 8, the workspace's shortcuts to the records a
provider sets up first, and an empty SLA Compliance that says why."""

from __future__ import annotations

import frappe

from frappe_support.upgrades.booking import MONITORS, engineer_query
from frappe_support.upgrades.reminders import engineers_busy
from tests.integration.utils import SupportTestCase


class TestMonitoringEngineer(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.manager = self.make_engineer()
		frappe.get_doc("User", self.manager).remove_roles("Support Engineer")
		frappe.get_doc("User", self.manager).add_roles("Support Manager")
		self.engineer = self.make_engineer()
		self.clerk = self.make_engineer()
		frappe.get_doc("User", self.clerk).remove_roles("Support Engineer")
		customer = self.make_customer()
		contract = self.make_contract(customer, covers_upgrade=1)
		self.site = self.make_site(customer, contract.name)

	def offered(self, txt: str = "") -> set[str]:
		return {row[0] for row in engineer_query("User", txt, "name", 0, 500, {})}

	def schedule_without_engineer(self) -> str:
		doc = frappe.get_doc(
			{
				"doctype": "Upgrade Schedule",
				"site": self.site,
				"status": "Scheduled",
				"window_start": "2027-03-02 10:00:00",
				"window_end": "2027-03-02 12:00:00",
				"apps": [{"app_name": "frappe", "to_version": "15.90.0"}],
			}
		)
		with self.assertRaises(frappe.ValidationError) as refused:
			doc.insert()
		return str(refused.exception)

	def test_support_managers_are_offered_and_free_for_windows(self):
		offered = self.offered()
		self.assertTrue({self.manager, self.engineer} <= offered)
		self.assertNotIn(self.clerk, offered)
		self.assertEqual(
			self.offered(self.manager[:8]) & {self.manager, self.engineer, self.clerk}, {self.manager}
		)
		self.assertIn(self.manager, engineers_busy())  # the slot finder proposes their windows too

	def test_the_refusal_says_whom_to_give_the_role_when_nobody_holds_it(self):
		self.assertEqual(
			self.schedule_without_engineer(), "Choose the monitoring engineer before scheduling the upgrade."
		)
		holders = frappe.get_all(
			"Has Role", filters={"role": ("in", MONITORS), "parenttype": "User"}, pluck="parent"
		)
		user = frappe.qb.DocType("User")
		frappe.qb.update(user).set(user.enabled, 0).where(user.name.isin(holders)).run()  # rolled back after
		message = self.schedule_without_engineer()
		self.assertIn("give a user the Support Engineer or Support Manager role", message)
		self.assertIn('href="/app/user"', message)
		self.assertEqual(self.offered(), set())


class TestWorkspace(SupportTestCase):
	def test_the_workspace_links_what_a_provider_sets_up_first(self):
		workspace = frappe.get_doc("Workspace", "Frappe Support")
		shortcuts = {s.label: s.link_to for s in workspace.shortcuts}
		for doctype in ("Support Calendar", "Support Plan", "Customer", "Contact"):
			self.assertEqual(shortcuts.get(doctype), doctype)
			self.assertIn(f'"shortcut_name": "{doctype}"', workspace.content)


class TestEmptyCompliance(SupportTestCase):
	def test_an_empty_sla_compliance_says_only_resolved_issues_count(self):
		from frappe.desk.query_report import run

		empty = run("SLA Compliance", {"from_date": "2099-01-01", "to_date": "2099-01-31"})
		self.assertEqual(empty["result"], [])
		self.assertIn("Only issues resolved", empty["message"])
		self.assertIn("Issues Due Soon", empty["message"])


class TestAnExposureNoticeThatFailed(SupportTestCase):
	"""Item 7: a notice that could not be queued is not recorded as sent, and is sent once mail can go."""

	def no_outgoing_mail(self):
		account = frappe.qb.DocType("Email Account")
		frappe.qb.update(account).set(account.enable_outgoing, 0).run()  # rolled back after the test
		self.use_settings(sender_account=None, pause_customer_mail=0)
		frappe.local.outgoing_email_account = {}  # Frappe caches the account it found for the request
		self.addCleanup(setattr, frappe.local, "outgoing_email_account", {})
		frappe.flags.mute_emails = False  # muted, Frappe makes up a dummy account (still queue-only here)
		self.addCleanup(setattr, frappe.flags, "mute_emails", True)

	@staticmethod
	def state(exposure: str):
		return frappe.db.get_value("Advisory Exposure", exposure, ["notified_status", "notified_on"])

	@staticmethod
	def errors(advisory: str) -> int:
		ghsa = frappe.db.get_value("Security Advisory", advisory, "ghsa_id")
		return frappe.db.count(
			"Error Log", {"method": ("like", f"Email not queued: Security advisory {ghsa} %")}
		)

	@staticmethod
	def forget_errors(ghsa: str) -> None:
		"""Frappe keeps an Error Log through a rollback (it inserts it again, deferred): this test's go."""
		from tests.integration.committed import flush_deferred

		flush_deferred()
		frappe.db.delete("Error Log", {"method": ("like", f"Email not queued: Security advisory {ghsa} %")})
		frappe.db.commit()

	def told(self, advisory: str, email: str) -> int:
		return sum(1 for recipient, _m in self.queued_mails(advisory) if recipient == email)

	def test_a_notice_not_queued_is_not_claimed_and_is_sent_once_mail_works(self):
		from frappe_support.advisories.lifecycle import catch_up
		from tests.integration.utils import publish_frappe_advisory

		self.no_outgoing_mail()
		customer = self.make_customer()
		holder = self.make_holder(customer)
		contract = self.make_contract(customer, holders=[{"contact": holder.name, "notify_advisories": 1}])
		site = self.make_site(customer, contract.name, {"frappe": "15.50.0"})
		advisory = publish_frappe_advisory("Notice that failed").name
		self.addCleanup(self.forget_errors, frappe.db.get_value("Security Advisory", advisory, "ghsa_id"))
		exposure = frappe.db.get_value("Advisory Exposure", {"advisory": advisory, "site": site})
		self.assertEqual(self.state(exposure), (None, None))  # what really happened: nobody was told
		self.assertEqual(self.errors(advisory), 1)
		catch_up()
		self.assertEqual(
			(self.state(exposure), self.errors(advisory)), ((None, None), 1)
		)  # not tried: no mail yet
		self.ensure_outgoing_account()
		frappe.local.outgoing_email_account = {}
		catch_up()
		self.assertEqual(self.state(exposure)[0], "Affected")
		self.assertEqual(self.told(advisory, holder.email_id), 1)
		catch_up()
		self.assertEqual(self.told(advisory, holder.email_id), 1)  # once


class TestContractDefaults(SupportTestCase):
	"""Item 6, in part: a new contract takes the settings' default plan and calendar."""

	def test_a_new_contract_starts_with_the_settings_plan_and_calendar(self):
		calendar = self.make_calendar()
		self.use_settings(default_plan="Standard Support", default_calendar=calendar)
		doc = frappe.get_doc(
			{
				"doctype": "Support Contract",
				"customer": self.make_customer(),
				"start_date": "2026-01-01",
				"end_date": "2026-12-31",
			}
		).insert()
		self.assertEqual((doc.plan, doc.calendar), ("Standard Support", calendar))
		other = self.make_calendar()
		given = frappe.get_doc(
			{
				"doctype": "Support Contract",
				"customer": self.make_customer(),
				"calendar": other,
				"start_date": "2026-01-01",
				"end_date": "2026-12-31",
			}
		).insert()
		self.assertEqual(given.calendar, other)  # what is given is kept


class TestMatchingState(SupportTestCase):
	"""Item 1: the advisory form says where matching stands, from the job's own state in the queue."""

	@staticmethod
	def forget_job(advisory: str) -> None:
		"""A name taken again after a rollback may meet the job an earlier, deleted advisory left queued
		(no worker ran while the tests did)."""
		from frappe.utils.background_jobs import get_job

		from frappe_support.advisories.progress import match_job_id

		stale = get_job(match_job_id(advisory))
		if stale:
			stale.delete()

	def queue_match(self, advisory: str):
		from frappe.utils.background_jobs import get_job

		from frappe_support.advisories.progress import match_job_id

		frappe.enqueue(
			"frappe_support.advisories.matching.match_advisory",
			queue="long",
			job_id=match_job_id(advisory),
			advisory=advisory,  # uncommitted here: a worker that takes it finds nothing and does nothing
		)
		job = get_job(match_job_id(advisory))
		self.addCleanup(job.delete)
		return job

	def test_published_then_queued_then_done_with_a_warning_while_no_worker_listens(self):
		from frappe.utils.background_jobs import get_queue, get_workers

		from frappe_support.advisories.matching import match_advisory
		from frappe_support.advisories.progress import state_of
		from tests.integration.utils import draft_advisory

		advisory = draft_advisory("Matching state", ">= 15.0.0, < 15.72.0", "15.72.0")
		self.forget_job(advisory.name)
		self.assertEqual(state_of(advisory)["state"], "draft")
		advisory.publish()  # its job is queued once this transaction commits, which a test never does
		self.assertEqual(state_of(advisory.reload())["state"], "lost")
		job = self.queue_match(advisory.name)
		state = state_of(advisory)
		if job.get_status() == "queued":
			self.assertEqual(state["state"], "queued")
			self.assertLess(abs((frappe.utils.now_datetime() - state["at"]).total_seconds()), 60)
		listening = bool(get_workers(get_queue("long")))
		self.assertEqual(state["warning"] is not None, not listening, state)
		if not listening:
			self.assertIn("No background worker is listening on the long queue", state["warning"])
		match_advisory(advisory.name)
		done = state_of(advisory.reload())
		self.assertEqual((done["state"], done["at"], done["warning"]), ("done", advisory.matched_on, None))
		advisory.db_set("revision", advisory.revision + 1)  # revised: matched again, not done
		self.assertNotEqual(state_of(advisory.reload())["state"], "done")


class TestSystemZoneUnset(SupportTestCase):
	"""Item 2: a site that never ran the setup wizard has no system zone (Frappe then reads every time as
	Asia/Kolkata): the doctor and the settings form say so, and how to fix it."""

	def test_the_doctor_and_the_settings_warn_when_the_system_zone_is_unset(self):
		from frappe_support import doctor

		zone = frappe.db.get_single_value("System Settings", "time_zone")
		self.assertTrue(zone, "this site's System Settings must have a time zone for the healthy side")
		self.assertEqual(doctor.run_checks(["time_zone"])[0]["problems"], [])
		self.assertEqual(self.settings_warnings(), [])
		frappe.db.set_single_value("System Settings", "time_zone", "")  # rolled back after the test
		self.addCleanup(frappe.db.set_single_value, "System Settings", "time_zone", zone)
		(problem,) = doctor.run_checks(["time_zone"])[0]["problems"]
		self.assertIn("read as Asia/Kolkata", problem["problem"])
		self.assertIn("/app/system-settings", problem["fix"])
		self.assertEqual(self.settings_warnings(), [problem])

	@staticmethod
	def settings_warnings() -> list[dict]:
		doc = frappe.get_doc("Frappe Support Settings")
		doc.run_method("onload")
		return doc.get_onload().get("time_zone_problems")
