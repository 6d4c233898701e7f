"""Issue 19, item 2 in Chromium: every time the app writes carries its zone, and is right, on a site whose
system zone (Asia/Kolkata, as on a site that never ran the wizard), calendar zone (Europe/Berlin) and
user's zone (America/New_York) all differ. The issue form's clocks and timeline are in the user's zone,
labelled; Explain Deadline in the calendar's, labelled; a booking refusal gives the time in the calendar's
zone and in the one the form's fields expect (the user's). The system zone is switched for the class and
put back after it (System Settings saved both times, so Frappe's caches and defaults follow)."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import frappe
from frappe.utils import get_datetime, now_datetime

from frappe_support.common.dates import to_aware, to_stored
from tests.integration.test_browser import PASSWORD, BrowserCase, shot_on_failure

SYSTEM, CALENDAR, USER = "Asia/Kolkata", "Europe/Berlin", "America/New_York"
WEEKLY_HOURS = re.compile(r"\b\d\d:\d\d-\d\d:\d\d\b")
UNLABELLED = re.compile(r"\b\d\d:\d\d\b(?! ?(?:[A-Z]{2,5}\b|[+-]\d{2}))")  # a time with no zone after it
# the booking refused on purpose: the failed request, and the desk's log of the refusal's traceback
REFUSALS = ("the server responded with a status of 417", "ValidationError: The window runs outside calendar")


def set_system_zone(zone: str) -> None:
	settings = frappe.get_doc("System Settings")
	settings.time_zone = zone
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)
	frappe.db.commit()
	frappe.local.system_settings = None


class TestTimesCarryTheirZone(BrowserCase):
	@classmethod
	def setUpClass(cls):
		cls.system_zone_before = frappe.db.get_single_value("System Settings", "time_zone")
		set_system_zone(SYSTEM)
		try:
			super().setUpClass()
		except Exception:
			set_system_zone(cls.system_zone_before)
			raise

	@classmethod
	def tearDownClass(cls):
		try:
			super().tearDownClass()
		finally:
			set_system_zone(cls.system_zone_before)

	@classmethod
	def make_records(cls):
		helper = cls("test_the_issue_form_labels_every_time")
		made = cls.committed.add
		cls.mine = made("Customer", helper.make_customer())
		calendar = made("Support Calendar", helper.make_calendar(CALENDAR))
		contract = helper.make_contract(cls.mine, calendar=calendar, covers_upgrade=1)
		cls.contract = made("Support Contract", contract.name)
		cls.support_site = made("Support Site", helper.make_site(cls.mine, contract.name))
		cls.issue = helper.make_issue(contract, opening=now_datetime() - timedelta(days=1)).name
		cls.manager = cls.committed.user("Manager", ["Support Manager"], password=PASSWORD)[0]
		frappe.db.set_value("User", cls.manager, "time_zone", USER)

	@staticmethod
	def in_zone(stored, zone: str, fmt: str) -> str:
		return to_aware(get_datetime(stored)).astimezone(ZoneInfo(zone)).strftime(fmt)

	def assertAllLabelled(self, text: str):
		self.assertTrue(re.search(r"\d\d:\d\d", text), text)
		# a calendar's weekly hours ("Mon 09:00-17:00; ...") are named with their zone at the line's end
		instants = "\n".join(
			WEEKLY_HOURS.sub("", line) if "time zone " in line else line for line in text.splitlines()
		)
		self.assertEqual(UNLABELLED.findall(instants), [], text)

	@shot_on_failure
	def test_the_issue_form_labels_every_time(self):
		page = self.page
		self.assertEqual(frappe.utils.get_system_timezone(), SYSTEM)
		issue = frappe.get_doc("Support Issue", self.issue)
		self.login(self.manager)
		self.open(f"/app/support-issue/{self.issue}", ".sla-clock[data-clock='Resolution']")
		clocks = page.locator(".sla-clocks").inner_text()
		self.assertAllLabelled(clocks)
		deadline = self.in_zone(issue.resolution_by, USER, "%a %-d %b %H:%M %Z")  # e.g. Fri 4 Dec 03:00 EST
		self.assertIn(deadline, clocks)
		page.locator(
			".page-actions button, .form-inner-toolbar button", has_text="Explain Deadline"
		).first.click()
		dialog = page.locator(".modal.show", has_text="How the deadlines were reached")
		dialog.locator(".sla-why-section").first.wait_for(timeout=10_000)
		explained = dialog.inner_text()
		self.assertAllLabelled(explained)
		self.assertIn(self.in_zone(issue.resolution_by, CALENDAR, "%a %Y-%m-%d %H:%M %Z"), explained)
		self.shot("desk-time-zones-explain")
		dialog.locator(".btn-modal-close").first.click()
		page.locator("button.nav-link", has_text="SLA").first.click()
		timeline = page.locator(".sla-timeline")
		timeline.locator(".sla-event").first.wait_for(timeout=10_000)
		self.assertAllLabelled(timeline.inner_text())
		self.assertIn(self.in_zone(issue.sla_start, USER, "%a %-d %b %H:%M %Z"), timeline.inner_text())
		self.shot("desk-time-zones-timeline")
		self.assertNoConsoleErrors()

	@shot_on_failure
	def test_a_booking_refusal_gives_the_time_in_the_fields_zone(self):
		page = self.page
		berlin = ZoneInfo(CALENDAR)
		now = to_aware(now_datetime()).astimezone(berlin)
		sunday = now + timedelta(days=7 + 6 - now.weekday())  # next week's
		start = sunday.replace(hour=10, minute=0, second=0, microsecond=0)  # the calendar is closed
		self.login(self.manager)
		self.open("/app/upgrade-schedule/new", "input[data-fieldname='site']")
		page.evaluate(
			"""([site, start, end, engineer]) => cur_frm.set_value({site, window_start: start,
				window_end: end, engineer, status: "Scheduled"})""",
			[
				self.support_site,
				str(to_stored(start)),
				str(to_stored(start + timedelta(hours=2))),
				self.manager,
			],
		)
		page.wait_for_function("cur_frm.doc.apps.length && cur_frm.doc.contract")
		page.evaluate(
			"frappe.model.set_value(cur_frm.doc.apps[0].doctype, cur_frm.doc.apps[0].name, 'to_version', '15.90.0')"
		)
		page.keyboard.press("Control+s")
		message = page.locator(".modal.show .msgprint")
		message.wait_for(timeout=20_000)
		text = message.inner_text()
		self.assertIn("outside calendar", text)
		self.assertAllLabelled(text)
		closed = re.search(r"closed at (.+?), (.+?) your time\)", text)
		self.assertTrue(closed, text)
		in_calendar, in_user_zone = closed.groups()
		self.assertRegex(in_calendar, r"CES?T$")
		self.assertRegex(in_user_zone, r"E[SD]T$")
		instant = get_datetime(in_calendar[:-4].strip().split(" ", 1)[1]).replace(tzinfo=berlin)
		self.assertEqual(in_user_zone, instant.astimezone(ZoneInfo(USER)).strftime("%a %Y-%m-%d %H:%M %Z"))
		self.shot("desk-time-zones-booking-refusal")
		self.assertEqual([e for e in self.errors if not any(r in e for r in REFUSALS)], [])
