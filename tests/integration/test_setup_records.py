"""Install defaults, calendars, plans and contracts on a real site."""

import frappe
from frappe.utils import add_days, getdate, nowdate

from frappe_support import install
from frappe_support.contracts.lifecycle import make_renewal, update_contract_statuses
from tests.integration.utils import BERLIN_WEEK, SupportTestCase, unique


class TestInstall(SupportTestCase):
	def test_defaults_exist_and_install_is_idempotent(self):
		plan = frappe.get_doc("Support Plan", install.STANDARD_PLAN)
		targets = {
			t.priority: (t.response_time, t.response_unit, t.resolution_time, t.resolution_unit)
			for t in plan.targets
		}
		self.assertEqual(targets, install.STANDARD_TARGETS)
		counts = lambda: (  # noqa: E731
			frappe.db.count("Support Plan"),
			frappe.db.count("Support Calendar"),
			frappe.db.count("Role", {"name": ("in", list(install.ROLES))}),
		)
		before = counts()
		self.assertEqual(before[2], len(install.ROLES))
		install.after_install()
		install.after_install()
		self.assertEqual(counts(), before)

	def test_uninstall_resets_only_the_apps_own_series(self):
		series = frappe.qb.DocType("Series")
		names = ("UPG-2031-", "SUP-ISS-2031-", "UPG-MAINT-", "UPG-2031-X-", "XSUP-ISS-2031-")
		for name in names:
			frappe.qb.into(series).insert(name, 7).run()
		install.delete_app_series()
		left = set(frappe.qb.from_(series).select(series.name).where(series.name.isin(names)).run(pluck=True))
		self.assertEqual(left, {"UPG-MAINT-", "UPG-2031-X-", "XSUP-ISS-2031-"})

	def test_uninstall_removes_roles(self):
		install.delete_roles()
		self.assertEqual(frappe.db.count("Role", {"name": ("in", list(install.ROLES))}), 0)
		self.assertEqual(frappe.db.count("Has Role", {"role": ("in", list(install.ROLES))}), 0)
		install.create_roles()
		self.assertEqual(frappe.db.count("Role", {"name": ("in", list(install.ROLES))}), len(install.ROLES))


class TestCalendarAndPlan(SupportTestCase):
	def assertRejected(self, doc: dict, message: str):
		before = frappe.db.count(doc["doctype"])
		with self.assertRaisesRegex(frappe.ValidationError, message):
			frappe.get_doc(doc).insert()
		self.assertEqual(frappe.db.count(doc["doctype"]), before)

	def test_bad_calendars_are_rejected_and_nothing_is_saved(self):
		base = {"doctype": "Support Calendar", "timezone": "Europe/Berlin"}
		overlap = [*BERLIN_WEEK, {"weekday": "Monday", "start_time": "16:00:00", "end_time": "18:00:00"}]
		self.assertRejected({**base, "calendar_name": unique("Bad"), "hours": overlap}, "overlap")
		self.assertRejected(
			{**base, "calendar_name": unique("Bad"), "timezone": "Mars/Olympus", "hours": BERLIN_WEEK},
			"not a known IANA time zone",
		)
		self.assertRejected({**base, "calendar_name": unique("Bad"), "hours": []}, "no open hours")
		overnight = [
			{"weekday": "Sunday", "start_time": "22:00:00", "end_time": "06:00:00"},
			{"weekday": "Monday", "start_time": "05:00:00", "end_time": "09:00:00"},
		]
		self.assertRejected({**base, "calendar_name": unique("Bad"), "hours": overnight}, "overlap")

	def test_editing_a_calendar_into_a_bad_one_changes_nothing(self):
		name = self.make_calendar()
		doc = frappe.get_doc("Support Calendar", name)
		doc.hours[0].end_time = "09:00:00"  # start == end on Monday
		with self.assertRaisesRegex(frappe.ValidationError, "starts and ends at the same time"):
			doc.save()
		self.assertEqual(
			str(frappe.db.get_value("Support Calendar Hours", doc.hours[0].name, "end_time")), "17:00:00"
		)

	def test_bad_plans_are_rejected(self):
		targets = [
			{
				"priority": p,
				"response_time": 1,
				"response_unit": "Business Hours",
				"resolution_time": 8,
				"resolution_unit": "Business Hours",
			}
			for p in ("High", "Medium", "Low")
		]
		self.assertRejected(
			{"doctype": "Support Plan", "plan_name": unique("Bad"), "targets": targets[:2]},
			"exactly one target row",
		)
		fractional = [dict(t) for t in targets]
		fractional[1].update(resolution_time=1.5, resolution_unit="Business Days")
		self.assertRejected(
			{"doctype": "Support Plan", "plan_name": unique("Bad"), "targets": fractional},
			"whole number of days",
		)


class TestContractLifecycle(SupportTestCase):
	def test_status_follows_docstatus_and_dates(self):
		customer = self.make_customer()
		draft = self.make_contract(customer, submit=False)
		self.assertEqual(draft.status, "Draft")
		draft.submit()
		self.assertEqual(draft.status, "Active")
		upcoming = self.make_contract(customer, start=add_days(nowdate(), 10), end=add_days(nowdate(), 40))
		self.assertEqual(upcoming.status, "Upcoming")
		expired = self.make_contract(customer, start="2023-01-01", end="2023-12-31")
		self.assertEqual(expired.status, "Expired")
		draft.cancel()
		self.assertEqual(frappe.db.get_value("Support Contract", draft.name, "status"), "Cancelled")

	def test_daily_job_moves_statuses(self):
		customer = self.make_customer()
		contract = self.make_contract(customer, start=add_days(nowdate(), -30), end=add_days(nowdate(), 30))
		frappe.db.set_value("Support Contract", contract.name, "status", "Upcoming")
		old = self.make_contract(customer, start="2023-01-01", end="2023-12-31")
		frappe.db.set_value("Support Contract", old.name, "status", "Active")
		update_contract_statuses()
		self.assertEqual(frappe.db.get_value("Support Contract", contract.name, "status"), "Active")
		self.assertEqual(frappe.db.get_value("Support Contract", old.name, "status"), "Expired")

	def test_renewal_follows_without_overlap(self):
		contract = self.make_contract(self.make_customer(), start="2025-01-01", end="2025-12-31")
		renewal = frappe.get_doc("Support Contract", make_renewal(contract.name))
		self.assertEqual(
			(getdate(renewal.start_date), getdate(renewal.end_date)),
			(getdate("2026-01-01"), getdate("2026-12-31")),
		)
		self.assertEqual(renewal.renewed_from, contract.name)
		self.assertEqual(renewal.docstatus, 0)
		with self.assertRaisesRegex(frappe.ValidationError, "already been renewed"):
			make_renewal(contract.name)
		renewal.start_date = "2025-12-15"
		with self.assertRaisesRegex(frappe.ValidationError, "start the renewal on"):
			renewal.save()

	def test_issues_stay_editable_after_their_contract_is_cancelled(self):
		contract = self.make_contract(self.make_customer())
		issue = self.make_issue(contract)
		contract.cancel()
		issue = frappe.get_doc("Support Issue", issue.name)
		issue.subject = unique("Still editable")
		issue.save()
		self.assertEqual(frappe.db.get_value("Support Issue", issue.name, "subject"), issue.subject)

	def test_end_before_start_is_rejected(self):
		with self.assertRaisesRegex(frappe.ValidationError, "before it starts"):
			self.make_contract(self.make_customer(), start="2025-06-01", end="2025-05-01", submit=False)

	def test_holder_must_be_a_contact_of_the_customer(self):
		customer = self.make_customer()
		stranger = frappe.get_doc({"doctype": "Contact", "first_name": unique("Stranger")}).insert()
		with self.assertRaisesRegex(frappe.ValidationError, "is not linked to customer"):
			self.make_contract(customer, submit=False, holders=[{"contact": stranger.name}])
