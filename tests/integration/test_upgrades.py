"""Upgrade Schedules on a real site: booking rules, status changes, outcomes, reminders and cadence."""

import frappe

from frappe_support.upgrades.reminders import send_cadence_reminders, send_upgrade_reminders
from tests.integration.utils import SupportTestCase, publish_frappe_advisory
from tests.integration.utils import berlin as b

# Mon 2025-06-09 is "now"; with 24 business hours of lead (Mon-Fri 09-17) the earliest start is Thu 09:00
NOW = "2025-06-09 09:00"


class UpgradeCase(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.ensure_outgoing_account()
		self.use_settings(upgrade_lead_hours=24, upgrade_reminder_hours="72, 24, 1", upgrade_cadence_days=28)
		self.customer = self.make_customer()
		self.holder = self.make_holder(self.customer)
		self.calendar = self.make_calendar()  # Europe/Berlin, Mon-Fri 09:00-17:00
		self.contract = self.make_contract(
			self.customer,
			calendar=self.calendar,
			remote_access_window="Mon-Fri 10:00-16:00 via bastion",
			holders=[{"contact": self.holder.name, "notify_upgrades": 1}],
		)
		self.site = self.make_site(self.customer, self.contract.name, {"frappe": "15.44.2"})
		self.engineer = self.engineer_user()
		self.other_engineer = self.engineer_user()

	def engineer_user(self) -> str:
		return self.make_engineer()

	def book(self, start: str, end: str, site: str | None = None, engineer: str | None = None, **extra):
		with self.freeze_time(b(extra.pop("now", NOW))):
			return frappe.get_doc(
				{
					"doctype": "Upgrade Schedule",
					"site": site or self.site,
					"status": extra.pop("status", "Scheduled"),
					"engineer": engineer or self.engineer,
					"window_start": b(start),
					"window_end": b(end),
					"apps": [{"app_name": "frappe", "to_version": "15.72.0"}],
					**extra,
				}
			).insert()

	def set_status(self, doc, status: str, at: str, **values):
		with self.freeze_time(b(at)):
			doc.reload()
			doc.update(values)
			doc.status = status
			doc.save()
		return doc


class TestBookingRules(UpgradeCase):
	def test_a_window_inside_hours_access_and_lead_time_is_booked(self):
		doc = self.book("2025-06-13 10:00", "2025-06-13 12:00")
		self.assertEqual(
			(doc.status, doc.contract, doc.customer), ("Scheduled", self.contract.name, self.customer)
		)
		self.assertEqual(doc.apps[0].from_version, "15.44.2")  # read from the site

	def test_a_double_booking_of_the_engineer_is_refused(self):
		self.book("2025-06-13 10:00", "2025-06-13 12:00")
		other_site = self.make_site(self.customer, self.contract.name, {"frappe": "15.44.2"})
		before = frappe.db.count("Upgrade Schedule")
		with self.assertRaisesRegex(frappe.ValidationError, "already monitors an upgrade"):
			self.book("2025-06-13 11:00", "2025-06-13 13:00", site=other_site)
		self.assertEqual(frappe.db.count("Upgrade Schedule"), before)
		self.book("2025-06-13 12:00", "2025-06-13 14:00", site=other_site)  # touching is fine
		self.book(
			"2025-06-13 12:00",
			"2025-06-13 13:00",
			site=self.make_site(self.customer, self.contract.name),
			engineer=self.other_engineer,
		)

	def test_a_window_outside_business_hours_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "outside calendar .* open time"):
			self.book("2025-06-13 15:00", "2025-06-13 18:00")
		with self.assertRaisesRegex(frappe.ValidationError, "outside calendar"):
			self.book("2025-06-14 10:00", "2025-06-14 12:00")  # a Saturday

	def test_a_window_outside_the_remote_access_window_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "remote-access window"):
			self.book("2025-06-13 09:00", "2025-06-13 11:00")

	def test_a_window_inside_the_lead_time_is_refused_and_says_the_earliest_start(self):
		with self.assertRaisesRegex(frappe.ValidationError, "earliest start is Thu 2025-06-12 09:00"):
			self.book("2025-06-11 10:00", "2025-06-11 12:00")

	def test_one_open_upgrade_per_site(self):
		first = self.book("2025-06-13 10:00", "2025-06-13 12:00")
		with self.assertRaisesRegex(frappe.ValidationError, f"already has an open upgrade, {first.name}"):
			self.book("2025-06-16 10:00", "2025-06-16 12:00", engineer=self.other_engineer)

	def test_the_contract_must_cover_upgrades_and_be_active(self):
		other = self.make_customer()
		contract = self.make_contract(other, calendar=self.calendar, covers_upgrade=0)
		site = self.make_site(other, contract.name)
		with self.assertRaisesRegex(frappe.ValidationError, "does not cover upgrades"):
			self.book("2025-06-13 10:00", "2025-06-13 12:00", site=site)
		with self.assertRaisesRegex(frappe.ValidationError, "is not active on"):
			self.book("2028-06-13 10:00", "2028-06-13 12:00")


class TestStatusAndOutcomes(UpgradeCase):
	def test_only_allowed_status_changes(self):
		doc = self.book("2025-06-13 10:00", "2025-06-13 12:00")
		with self.assertRaisesRegex(frappe.ValidationError, "cannot become Completed"):
			self.set_status(doc, "Completed", "2025-06-13 10:05")
		self.set_status(doc, "In Progress", "2025-06-13 10:05")
		self.set_status(doc, "Completed", "2025-06-13 11:30")
		with self.assertRaisesRegex(frappe.ValidationError, "cannot become Scheduled"):
			self.set_status(doc, "Scheduled", "2025-06-13 11:40")

	def test_completion_updates_the_site_and_patches_its_advisory_exposure(self):
		advisory = publish_frappe_advisory("Upgrade test advisory")
		exposure = frappe.db.get_value(
			"Advisory Exposure", {"advisory": advisory.name, "site": self.site}, "status"
		)
		self.assertEqual(exposure, "Affected")
		doc = self.book("2025-06-13 10:00", "2025-06-13 12:00")
		self.set_status(doc, "In Progress", "2025-06-13 10:05")
		self.set_status(doc, "Completed", "2025-06-13 11:30")
		site = frappe.get_doc("Support Site", self.site)
		self.assertEqual({a.app_name: a.version for a in site.apps}, {"frappe": "15.72.0"})
		self.assertLocal(site.last_upgraded_on, "2025-06-13 11:30")
		exposure = frappe.db.get_value(
			"Advisory Exposure", {"advisory": advisory.name, "site": self.site}, "status"
		)
		self.assertEqual(exposure, "Patched")

	def test_a_failure_needs_a_category_and_opens_a_high_issue_on_the_contract_calendar(self):
		doc = self.book("2025-06-13 10:00", "2025-06-13 12:00")
		self.set_status(doc, "In Progress", "2025-06-13 10:05")
		with self.assertRaisesRegex(frappe.ValidationError, "Outcome Category"):
			self.set_status(doc, "Failed", "2025-06-13 11:00")
		log = "Executing frappe.patches.v15_0.slow_one in 812.4s\nExecuting erpnext.patches.v15_0.quick in 1.2s\n"
		doc = self.set_status(doc, "Failed", "2025-06-13 11:00", outcome_category="Slow Patch", log=log)
		self.assertEqual(
			[(r.patch, r.seconds) for r in doc.patch_timings],
			[("frappe.patches.v15_0.slow_one", 812.4), ("erpnext.patches.v15_0.quick", 1.2)],
		)
		issue = frappe.get_doc("Support Issue", frappe.db.get_value("Upgrade Schedule", doc.name, "issue"))
		self.assertEqual(
			(issue.priority, issue.category, issue.topic, issue.contract, issue.site, issue.upgrade_schedule),
			("High", "Upgrade", "Slow Patches", self.contract.name, self.site, doc.name),
		)
		self.assertEqual(issue.sla_state, "Running")
		# 8 business hours in Berlin from Fri 11:00: Fri 11-17 (6 h) + Mon 09-11 (2 h)
		self.assertLocal(issue.resolution_by, "2025-06-16 11:00")
		self.assertIn("frappe.patches.v15_0.slow_one", issue.description)

	def test_a_customer_requests_for_their_own_site_but_cannot_schedule(self):
		from frappe_support.api import v1

		user = self.make_customer_user(self.customer)
		other = self.make_customer()
		other_site = self.make_site(other, self.make_contract(other).name)
		frappe.set_user(user)
		apps = [{"app_name": "frappe", "to_version": "15.72.0"}]
		with self.freeze_time(b(NOW)):
			made = v1.request_upgrade(self.site, b("2025-06-13 10:00"), b("2025-06-13 12:00"), apps)
			with self.assertRaises(frappe.PermissionError):
				v1.request_upgrade(other_site, b("2025-06-13 10:00"), b("2025-06-13 12:00"), apps)
		self.assertEqual((made["status"], made["site"]), ("Requested", self.site))
		doc = frappe.get_doc("Upgrade Schedule", made["name"])
		with self.assertRaises(frappe.PermissionError):  # scheduling is the support team's
			self.set_status(doc, "Scheduled", "2025-06-09 10:00", engineer=self.engineer)
		self.assertEqual(v1.cancel_upgrade(made["name"])["status"], "Cancelled")


class TestReminders(UpgradeCase):
	def mails(self, reference: str) -> list[tuple[str, str]]:
		return self.queued_mails(reference)

	def run_at(self, local: str, times: int = 3):
		with self.freeze_time(b(local)):
			for _k in range(times):
				send_upgrade_reminders(commit=False)

	def test_72_24_and_1_hour_reminders_go_once_each_and_an_overdue_window_tells_the_managers(self):
		manager = self.make_engineer()
		frappe.get_doc("User", manager).add_roles("Support Manager")
		doc = self.book("2025-06-13 10:00", "2025-06-13 12:00")
		self.run_at("2025-06-09 12:00")  # 94 h ahead: nothing yet
		self.assertEqual(self.mails(doc.name), [])
		self.run_at("2025-06-10 10:00")  # 72 h
		self.run_at("2025-06-12 10:30")  # 23.5 h
		self.run_at("2025-06-13 09:05")  # 55 min
		mails = self.mails(doc.name)
		self.assertEqual(sorted(r for r, _m in mails), sorted([self.holder.email_id, self.engineer] * 3))
		hours = sorted(
			int(m.split("starts in ")[1].split(" hours")[0]) for r, m in mails if r == self.engineer
		)
		self.assertEqual(hours, [1, 24, 72])
		self.assertEqual(frappe.db.get_value("Upgrade Schedule", doc.name, "reminders_sent"), "72,24,1")
		self.run_at("2025-06-13 12:30")  # the window has passed and nobody moved it
		late = [r for r, m in self.mails(doc.name) if "still Scheduled" in m]
		self.assertEqual(late, [manager])

	def test_a_moved_window_is_reminded_and_watched_again(self):
		manager = self.make_engineer()
		frappe.get_doc("User", manager).add_roles("Support Manager")
		doc = self.book("2025-06-13 10:00", "2025-06-13 12:00")
		self.run_at("2025-06-10 10:00")  # 72 h before the first window
		self.run_at("2025-06-13 12:30")  # it passed while still Scheduled: the managers are told
		self.assertEqual(frappe.db.get_value("Upgrade Schedule", doc.name, "overdue_notified"), 1)
		# moved a week on: every reminder is due again, and so is the warning if it passes once more
		self.set_status(
			doc,
			"Scheduled",
			"2025-06-13 13:00",
			window_start=b("2025-06-20 10:00"),
			window_end=b("2025-06-20 12:00"),
		)
		self.assertEqual(
			frappe.db.get_value("Upgrade Schedule", doc.name, ["reminders_sent", "overdue_notified"]),
			(None, 0),
		)
		self.run_at("2025-06-17 10:00")  # 72 h before the new window
		self.run_at("2025-06-19 10:30")  # 23.5 h
		self.run_at("2025-06-20 12:30")
		hours = [
			int(m.split("starts in ")[1].split(" hours")[0])
			for r, m in self.mails(doc.name)
			if r == self.engineer
		]
		self.assertEqual(
			sorted(hours), [24, 72, 72]
		)  # the first window's 72 h; the new window's 72 h and 24 h
		late = [r for r, m in self.mails(doc.name) if "still Scheduled" in m]
		self.assertEqual(late, [manager, manager])

	def test_a_window_saved_again_in_another_spelling_is_not_a_move(self):
		doc = self.book("2025-06-13 10:00", "2025-06-13 12:00")
		self.run_at("2025-06-10 10:00")  # the 72 h reminder
		same = b("2025-06-13 10:00")[:16]  # the same instant, without seconds (as a form may send it)
		self.set_status(doc, "Scheduled", "2025-06-10 11:00", window_start=same, outcome_notes="Checked")
		self.assertEqual(frappe.db.get_value("Upgrade Schedule", doc.name, "reminders_sent"), "72")

	def test_a_failed_upgrade_scheduled_again_is_reminded_again(self):
		doc = self.book("2025-06-13 10:00", "2025-06-13 12:00")
		self.run_at("2025-06-10 10:00")
		self.set_status(doc, "In Progress", "2025-06-13 10:05")
		self.set_status(doc, "Failed", "2025-06-13 11:00", outcome_category="Dependency Issue")
		self.set_status(
			doc,
			"Scheduled",
			"2025-06-13 11:30",
			window_start=b("2025-06-19 10:00"),
			window_end=b("2025-06-19 12:00"),
		)
		self.assertIsNone(frappe.db.get_value("Upgrade Schedule", doc.name, "reminders_sent"))
		before = [m for r, m in self.mails(doc.name) if r == self.engineer]
		self.run_at("2025-06-18 10:00")  # 24 h before the new window (its 72 h reminder is past)
		after = [m for r, m in self.mails(doc.name) if r == self.engineer]
		self.assertEqual(len(after), len(before) + 1)
		self.assertIn("starts in 24 hours", next(m for m in after if m not in before))
		self.assertEqual(frappe.db.get_value("Upgrade Schedule", doc.name, "reminders_sent"), "72,24")

	def test_an_unreadable_access_window_offers_no_window_and_says_why(self):
		from frappe_support.api import v1

		frappe.db.set_value(
			"Support Contract", self.contract.name, "remote_access_window", "Someday 25:00-26:00"
		)
		frappe.clear_document_cache("Support Contract", self.contract.name)
		frappe.db.set_value("Support Site", self.site, "last_upgraded_on", b("2025-05-01 10:00"))
		frappe.set_user(self.make_customer_user(self.customer))
		with self.assertRaises(frappe.ValidationError) as refused:
			v1.upgrade_slots(self.site)
		self.assertIn("remote-access window cannot be read", str(refused.exception))
		frappe.set_user("Administrator")
		errors = frappe.db.count("Error Log", {"reference_name": self.site})
		with self.freeze_time(b("2025-06-11 08:00")):
			send_cadence_reminders(commit=False)
		self.assertEqual(
			[m for r, m in self.mails(self.site) if r == self.holder.email_id], []
		)  # no slots offered
		self.assertEqual(
			frappe.db.count("Error Log", {"reference_name": self.site}), errors + 1
		)  # and it says why
		self.assertIsNone(
			frappe.db.get_value("Support Site", self.site, "cadence_reminded_on")
		)  # tried again tomorrow

	def test_a_late_booking_sends_only_the_nearest_reminder(self):
		doc = self.book("2025-06-13 10:00", "2025-06-13 12:00")
		self.run_at("2025-06-13 08:00")  # 2 h ahead: the 72 h and 24 h reminders are past
		engineer = [m for r, m in self.mails(doc.name) if r == self.engineer]
		self.assertEqual(len(engineer), 1)
		self.assertIn("starts in 24 hours", engineer[0])

	def test_cadence_reminds_weekly_with_proposed_slots_unless_an_upgrade_is_open(self):
		frappe.db.set_value("Support Site", self.site, "last_upgraded_on", b("2025-05-01 10:00"))
		busy = self.book(
			"2025-06-12 10:00", "2025-06-12 12:00", site=self.make_site(self.customer, self.contract.name)
		)
		with self.freeze_time(b("2025-06-11 08:00")):
			self.assertGreaterEqual(send_cadence_reminders(commit=False), 1)
			send_cadence_reminders(commit=False)
		mails = [m for r, m in self.mails(self.site) if r == self.holder.email_id]
		self.assertEqual(len(mails), 1)
		self.assertIn("last upgraded 41 days ago", mails[0])
		# 24 business hours of lead from Wed 08:00 end Fri 17:00, so the first slot is Mon 10:00, where the
		# access window opens
		self.assertIn("Mon 2025-06-16 10:00 CEST", mails[0])
		html = mails[0][mails[0].index("<ul>") :]
		self.assertEqual(html.count("<li>Mon 2025-06-16"), 3)  # three proposed windows
		with self.freeze_time(b("2025-06-16 08:00")):  # 5 days later: not yet a week
			send_cadence_reminders(commit=False)
		self.assertEqual(len([1 for r, _m in self.mails(self.site) if r == self.holder.email_id]), 1)
		self.book("2025-06-20 10:00", "2025-06-20 12:00", now="2025-06-16 08:00")  # now one is open
		with self.freeze_time(b("2025-06-19 08:00")):
			send_cadence_reminders(commit=False)
		self.assertEqual(len([1 for r, _m in self.mails(self.site) if r == self.holder.email_id]), 1)
		self.assertTrue(busy.name)
