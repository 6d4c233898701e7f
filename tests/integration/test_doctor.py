"""The doctor (`bench --site S frappe-support doctor`, and Run Doctor on Frappe Support Settings): each check
reports its problem on a site made to have it, with how to fix it, and nothing once it is fixed; a site
made healthy reports clean (exit code 0), a real run of the command on a site with a problem exits 1.

The site is made sick or healthy in the test's transaction (rolled back); the command's run reads a
calendar this test commits and deletes. The healthy-site test starts a real `bench worker`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import frappe
from frappe.utils import add_to_date, getdate, now_datetime

from frappe_support import doctor
from tests.integration.utils import SupportTestCase, delete_trail, draft_advisory, unique


def bench() -> list[str]:
	"""`bench --site <this site>`, as the bench's Python runs it (from the sites folder)."""
	return [sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", frappe.local.site]


class DoctorCase(SupportTestCase):
	def problems(self, check: str) -> list[str]:
		(result,) = doctor.run_checks([check])
		for problem in result["problems"]:
			self.assertTrue(problem["fix"], problem)  # every problem says how to fix it
		return [p["problem"] for p in result["problems"]]

	def set_all(self, doctype: str, **values) -> None:
		"""Every row of a DocType changed in this transaction (rolled back), past the documents."""
		table = frappe.qb.DocType(doctype)
		query = frappe.qb.update(table)
		for field, value in values.items():
			query = query.set(table[field], value)
		query.run()

	def job_log(self, method: str, at) -> None:
		job = frappe.db.get_value("Scheduled Job Type", {"method": method}, "name")
		log = frappe.get_doc(
			{"doctype": "Scheduled Job Log", "scheduled_job_type": job, "status": "Complete"}
		)
		log.db_insert()
		frappe.db.set_value("Scheduled Job Log", log.name, "creation", at, update_modified=False)

	def holiday_list(self, holidays: list) -> str:
		today = getdate()
		return (
			frappe.get_doc(
				{
					"doctype": "Holiday List",
					"holiday_list_name": unique("FS Doctor Holidays"),
					"from_date": today,
					"to_date": add_to_date(today, years=1),
					"holidays": [{"holiday_date": d, "description": "Holiday"} for d in holidays],
				}
			)
			.insert()
			.name
		)


class TestEachCheck(DoctorCase):
	def test_scheduler(self):
		frappe.db.set_single_value("System Settings", "enable_scheduler", 0)
		self.assertEqual(len(self.problems("scheduler")), 1)
		if frappe.conf.pause_scheduler or frappe.conf.maintenance_mode or frappe.conf.disable_scheduler:
			self.skipTest("this site's config pauses the scheduler: the healthy side cannot be shown")
		frappe.db.set_single_value("System Settings", "enable_scheduler", 1)
		self.assertEqual(self.problems("scheduler"), [])

	def test_workers_that_ran_no_job_in_the_last_hour(self):
		self.set_all("Scheduled Job Log", creation=now_datetime() - timedelta(hours=2))
		self.assertIn(
			"No worker has run a scheduled job of this site in the last hour.", self.problems("workers")
		)
		self.job_log(doctor.checks.SWEEP, now_datetime() - timedelta(minutes=10))
		self.assertNotIn(
			"No worker has run a scheduled job of this site in the last hour.", self.problems("workers")
		)

	def test_outgoing_email(self):
		self.set_all("Email Account", enable_outgoing=0, default_outgoing=0)
		frappe.db.set_single_value("Frappe Support Settings", "sender_account", None)
		self.assertEqual(len(self.problems("email")), 1)
		self.ensure_outgoing_account()
		self.assertEqual(self.problems("email"), [])
		account = frappe.get_all("Email Account", filters={"default_outgoing": 1}, pluck="name")[0]
		frappe.db.set_single_value("Frappe Support Settings", "sender_account", account)
		frappe.db.set_value("Email Account", account, "enable_outgoing", 0)
		(problem,) = self.problems("email")
		self.assertIn(account, problem)  # the chosen sender cannot send

	def test_sla_sweep(self):
		self.set_all("Scheduled Job Log", status="Failed")
		self.assertIn("has never run", self.problems("sla_sweep")[0])
		self.job_log(doctor.checks.SWEEP, now_datetime() - timedelta(hours=2))
		self.assertIn("last ran", self.problems("sla_sweep")[0])
		self.job_log(doctor.checks.SWEEP, now_datetime() - timedelta(minutes=4))
		self.assertEqual(self.problems("sla_sweep"), [])

	def test_calendars_without_holidays_for_the_coming_year(self):
		bare = self.make_calendar()
		past = self.make_calendar(holiday_list=self.holiday_list([]))
		fine = self.make_calendar(holiday_list=self.holiday_list([add_to_date(getdate(), days=40)]))
		always = self.make_calendar(always_open=1)
		problems = " ".join(self.problems("calendars"))
		self.assertIn(f"Calendar {bare} has no holiday list", problems)
		self.assertIn(f"Calendar {past}: its holiday list", problems)
		self.assertNotIn(fine, problems)
		self.assertNotIn(always, problems)

	def test_active_contracts_without_holders_or_sites(self):
		self.set_all("Support Contract", status="Expired")  # the site's other contracts out of the way
		bare = self.make_contract(self.make_customer())
		customer = self.make_customer()
		served = self.make_contract(customer, holders=[{"contact": self.make_holder(customer).name}])
		self.make_site(customer, served.name)
		self.assertEqual(frappe.db.get_value("Support Contract", bare.name, "status"), "Active")
		problems = self.problems("contracts")
		self.assertEqual(len(problems), 2)  # no holders, no sites
		self.assertTrue(all(bare.name in p and served.name not in p for p in problems), problems)

	def test_sites_never_probed_nor_reported(self):
		contract = self.make_contract(self.make_customer())
		site = self.make_site(contract.customer, contract.name)
		self.set_all("Support Site", versions_reported_on=now_datetime())  # every other site known
		unknown = {"probed_on": None, "versions_reported_on": None}
		frappe.db.set_value("Support Site", site, unknown, update_modified=False)
		(problem,) = self.problems("sites")
		self.assertIn(site, problem)
		frappe.db.set_value("Support Site", site, "probed_on", now_datetime(), update_modified=False)
		self.assertEqual(self.problems("sites"), [])

	def test_advisories_never_imported(self):
		self.set_all("Security Advisory", status="Draft")
		self.assertEqual(len(self.problems("advisories")), 1)
		advisory = draft_advisory("Doctor advisory", "< 15.72.0", "15.72.0")
		frappe.db.set_value("Security Advisory", advisory.name, "status", "Published")
		self.assertEqual(self.problems("advisories"), [])

	def test_the_connector_on_a_customer_site(self):
		self.assertNotIn("connector", [r["check"] for r in doctor.run_checks()])  # a provider site
		frappe.db.set_single_value(
			"Frappe Support Settings",
			{"site_mode": "Customer Site", "provider_url": None, "provider_api_key": None},
		)
		self.assertEqual([r["check"] for r in doctor.run_checks()][-1], "connector")
		self.assertNotIn("sla_sweep", [r["check"] for r in doctor.run_checks()])
		self.assertIn("not connected", self.problems("connector")[0])
		settings = frappe.get_single("Frappe Support Settings")
		settings.provider_url, settings.provider_api_key = "https://provider.example.com", "key"
		settings.provider_api_secret = "secret"
		settings.flags.ignore_validate = True
		settings.save()
		self.set_all("Support Outbox", status="Delivered")
		self.assertEqual(self.problems("connector"), [])
		stuck = {"doctype": "Support Outbox", "kind": "Issue", "status": "Waiting", "attempts": 4}
		frappe.get_doc({**stuck, "last_error": "Connection refused"}).insert(ignore_permissions=True)
		frappe.get_doc({**stuck, "status": "Failed", "last_error": "No such site"}).insert(
			ignore_permissions=True
		)
		problems = self.problems("connector")
		self.assertEqual(len(problems), 2)
		self.assertIn("Connection refused", problems[0])
		self.assertIn("refused 1 entries", problems[1])

	def test_run_doctor_is_for_managers_only(self):
		frappe.set_user(self.make_customer_user(self.make_customer()))
		with self.assertRaises(frappe.PermissionError):
			doctor.run_doctor()
		frappe.set_user("Administrator")
		frappe.set_user(self.make_engineer())
		with self.assertRaises(frappe.PermissionError):
			doctor.run_doctor()  # engineers work issues; the setup is the managers'
		frappe.set_user("Administrator")
		every_site = len(doctor.EVERY_SITE)
		self.assertEqual([r["check"] for r in doctor.run_doctor()][:every_site], list(doctor.EVERY_SITE))


class TestAHealthySite(DoctorCase):
	def setUp(self):
		super().setUp()
		self.worker = subprocess.Popen(
			[*bench(), "worker", "--queue", "short"],
			cwd=frappe.local.sites_path,
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
			start_new_session=True,
		)
		self.addCleanup(self.stop_worker)

	def stop_worker(self) -> None:
		if self.worker.poll() is None:
			os.killpg(self.worker.pid, signal.SIGTERM)  # a warm shutdown: it leaves the worker registry
			self.worker.wait(60)

	def wait_for_worker(self) -> None:
		from frappe.utils.background_jobs import get_workers

		for _attempt in range(120):
			if get_workers():
				return
			time.sleep(0.5)
		self.fail("the worker never registered")

	def test_a_healthy_site_reports_clean_and_exits_0(self):
		if frappe.conf.pause_scheduler or frappe.conf.maintenance_mode or frappe.conf.disable_scheduler:
			self.skipTest("this site's config pauses the scheduler")
		frappe.db.set_single_value("System Settings", "enable_scheduler", 1)
		self.wait_for_worker()
		self.job_log(doctor.checks.SWEEP, now_datetime() - timedelta(minutes=2))
		self.ensure_outgoing_account()
		frappe.db.set_single_value("Frappe Support Settings", "sender_account", None)
		self.set_all("Support Contract", status="Expired")
		customer = self.make_customer()
		contract = self.make_contract(customer, holders=[{"contact": self.make_holder(customer).name}])
		self.make_site(customer, contract.name)
		holidays = self.holiday_list([add_to_date(getdate(), days=40)])
		self.set_all("Support Calendar", holiday_list=holidays)
		self.set_all("Support Site", versions_reported_on=now_datetime())
		advisory = draft_advisory("Doctor advisory", "< 15.72.0", "15.72.0")
		frappe.db.set_value("Security Advisory", advisory.name, "status", "Published")
		results = doctor.run_checks()
		self.assertEqual({r["check"]: r["problems"] for r in results if r["problems"]}, {})
		self.assertEqual([r["check"] for r in results], list(doctor.EVERY_SITE + doctor.PROVIDER))
		self.assertEqual(doctor.exit_code(results), 0)
		results[2]["problems"].append({"problem": "x", "fix": "y"})
		self.assertEqual(doctor.exit_code(results), 1)


class TestTheCommand(DoctorCase):
	def test_the_command_names_the_problem_and_exits_1(self):
		since = frappe.utils.now()
		calendar = self.make_calendar()  # no holiday list
		frappe.db.commit()  # the command runs in its own process
		self.addCleanup(self.delete_calendar, calendar, since)
		run = subprocess.run(
			[*bench(), "frappe-support", "doctor", "--check", "calendars"],
			cwd=frappe.local.sites_path,
			capture_output=True,
			text=True,
			timeout=300,
		)
		self.assertEqual(run.returncode, 1, run.stdout + run.stderr)
		self.assertIn(f"Calendar {calendar} has no holiday list", run.stdout)
		self.assertIn("Fix: Pick a Holiday List", run.stdout)
		self.assertNotIn("Scheduler", run.stdout)  # --check ran that check alone

	def delete_calendar(self, calendar: str, since: str) -> None:
		frappe.db.rollback()
		frappe.delete_doc("Support Calendar", calendar, force=True, ignore_permissions=True)
		delete_trail([("Support Calendar", calendar)], since)
		frappe.db.commit()
