"""Frappe Support Settings decide who hears what, from which account; customer mail can be paused; the
raiser hears when their issue is resolved."""

import frappe
from frappe.desk.form.assign_to import add as assign
from frappe.utils import add_days, nowdate, random_string

from frappe_support.contracts.renewals import send_renewal_reminders
from frappe_support.issues.sweep import run_sla_sweep
from tests.integration.utils import SupportTestCase, unique
from tests.integration.utils import berlin as b


class NotificationCase(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.ensure_outgoing_account()
		self.customer = self.make_customer()
		holder = self.make_holder(self.customer)
		self.holder_email = holder.email_id
		self.contract = self.make_contract(
			self.customer, holders=[{"contact": holder.name, "notify_issues": 1, "notify_renewals": 1}]
		)
		self.engineer = self.make_engineer()
		self.manager = self.make_engineer()
		frappe.get_doc("User", self.manager).add_roles("Support Manager")

	def issue(self, **extra):
		with self.freeze_time(b("2025-06-09 10:00")):
			issue = self.make_issue(self.contract, opening=b("2025-06-09 10:00"), priority="High", **extra)
			assign({"doctype": "Support Issue", "name": issue.name, "assign_to": [self.engineer]})
		return issue

	def queued(self, reference: str) -> list[frappe._dict]:
		"""Each queued email about `reference`: its sender, sorted recipients and message."""
		rows = frappe.get_all(
			"Email Queue",
			filters={"reference_name": reference},
			fields=["name", "sender", "message"],
			order_by="creation",
		)
		for row in rows:
			row.recipients = sorted(
				frappe.get_all("Email Queue Recipient", filters={"parent": row.name}, pluck="recipient")
			)
		return rows

	def recipients(self, reference: str) -> list[str]:
		return sorted(r for q in self.queued(reference) for r in q.recipients)


class TestNotificationSettings(NotificationCase):
	def test_paused_customer_mail_still_notifies_staff(self):
		self.use_settings(pause_customer_mail=1)
		issue = self.issue()
		with self.freeze_time(b("2025-06-10 11:00")):
			self.assertEqual(run_sla_sweep(commit=False), 3)
		recipients = self.recipients(issue.name)
		self.assertNotIn(self.holder_email, recipients)
		self.assertEqual(recipients, sorted([self.engineer, self.manager] * 3))

	def test_holders_hear_of_a_breach_unless_switched_off(self):
		issue = self.issue()
		with self.freeze_time(b("2025-06-10 11:00")):
			run_sla_sweep(commit=False)
		self.assertEqual(self.recipients(issue.name).count(self.holder_email), 1)
		self.use_settings(notify_holders_on_breach=0)
		quiet = self.issue()
		with self.freeze_time(b("2025-06-10 11:00")):
			run_sla_sweep(commit=False)
		self.assertNotIn(self.holder_email, self.recipients(quiet.name))

	def test_managers_switched_off_leaves_the_engineer(self):
		self.use_settings(notify_support_managers=0, notify_holders_on_breach=0)
		issue = self.issue()
		with self.freeze_time(b("2025-06-09 16:30")):
			self.assertEqual(run_sla_sweep(commit=False), 2)  # response breach and at risk
		self.assertEqual(self.recipients(issue.name), [self.engineer, self.engineer])
		alerts = frappe.get_all(
			"Notification Log", filters={"document_name": issue.name, "type": "Alert"}, pluck="for_user"
		)
		self.assertEqual(sorted(alerts), [self.engineer, self.engineer])

	def test_staff_in_one_time_zone_share_one_email_and_read_their_zone(self):
		self.use_settings(notify_holders_on_breach=0)
		frappe.db.set_value("User", self.engineer, "time_zone", "Asia/Kolkata")
		other = self.make_engineer()
		frappe.db.set_value("User", other, "time_zone", "Asia/Kolkata")
		# the manager's own zone, whatever the site's system zone is
		frappe.db.set_value("User", self.manager, "time_zone", "America/New_York")
		issue = self.issue()
		assign({"doctype": "Support Issue", "name": issue.name, "assign_to": [other]})
		with self.freeze_time(b("2025-06-09 16:30")):
			run_sla_sweep(commit=False)
		at_risk = {tuple(q.recipients): q.message for q in self.queued(issue.name) if "at risk" in q.message}
		kolkata, new_york = tuple(sorted([self.engineer, other])), (self.manager,)
		self.assertEqual(sorted(at_risk), sorted([kolkata, new_york]))
		# the resolution deadline, Tue 10:00 in Berlin, is 13:30 in Kolkata and 04:00 in New York
		self.assertIn("2025-06-10 13:30 IST", at_risk[kolkata])
		self.assertIn("2025-06-10 04:00 EDT", at_risk[new_york])

	def test_mail_goes_out_from_the_chosen_account(self):
		account = frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": unique("FS Sender"),
				"email_id": f"desk-{random_string(6).lower()}@fs-provider.example.com",
				"enable_outgoing": 1,
				"smtp_server": "localhost",
				"no_smtp_authentication": 1,
			}
		).insert()
		self.use_settings(sender_account=account.name)
		issue = self.issue()
		with self.freeze_time(b("2025-06-09 16:30")):
			run_sla_sweep(commit=False)
		senders = {q.sender for q in self.queued(issue.name)}
		self.assertEqual(len(senders), 1)
		self.assertIn(account.email_id, senders.pop())

	def test_an_account_that_cannot_send_is_refused(self):
		account = frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": unique("FS Inbox only"),
				"email_id": f"in-{random_string(6).lower()}@fs-provider.example.com",
				"enable_outgoing": 0,
				"enable_incoming": 0,
			}
		).insert()
		with self.assertRaisesRegex(frappe.ValidationError, "does not send mail"):
			self.use_settings(sender_account=account.name)
		self.assertFalse(frappe.db.get_single_value("Frappe Support Settings", "sender_account"))


class TestRaiserIsTold(NotificationCase):
	def resolve(self, issue, at: str):
		with self.freeze_time(b(at)):
			issue.reload()
			issue.status = "Resolved"
			issue.save()
		return issue

	def test_raiser_hears_the_issue_was_resolved_in_time(self):
		issue = self.issue(raised_by=self.holder_email)
		self.resolve(issue, "2025-06-09 15:00")
		mails = [q for q in self.queued(issue.name) if q.recipients == [self.holder_email]]
		self.assertEqual(len(mails), 1)
		self.assertIn("resolved within the promised time", mails[0].message)
		self.assertIn("2025-06-10 10:00 CEST", mails[0].message)  # the deadline, in the calendar's zone
		self.assertNotIn(self.customer, mails[0].message)

	def test_raiser_hears_of_a_late_resolution_once(self):
		issue = self.issue(raised_by=self.holder_email)
		issue = self.resolve(issue, "2025-06-10 12:00")
		with self.freeze_time(b("2025-06-10 12:30")):
			issue.reload()
			issue.description = "More detail"
			issue.save()  # saved again while resolved: no second mail
		mails = [q for q in self.queued(issue.name) if q.recipients == [self.holder_email]]
		self.assertEqual(len(mails), 1)
		self.assertIn("after the promised time", mails[0].message)

	def test_nothing_is_sent_while_customer_mail_is_paused(self):
		self.use_settings(pause_customer_mail=1)
		issue = self.issue(raised_by=self.holder_email)
		self.resolve(issue, "2025-06-09 15:00")
		self.assertNotIn(self.holder_email, self.recipients(issue.name))


class TestReminderSettings(SupportTestCase):
	def test_offsets_are_checked_and_tidied(self):
		self.use_settings(renewal_reminder_days="1,30 , 7")
		self.assertEqual(
			frappe.db.get_single_value("Frappe Support Settings", "renewal_reminder_days"), "30, 7, 1"
		)
		for bad in ("30, x", "7, 7", "0", ""):
			with self.assertRaises(frappe.ValidationError):
				self.use_settings(renewal_reminder_days=bad)
			self.assertEqual(
				frappe.db.get_single_value("Frappe Support Settings", "renewal_reminder_days"), "30, 7, 1"
			)

	def test_reminders_follow_the_configured_offsets(self):
		self.ensure_outgoing_account()
		self.use_settings(renewal_reminder_days="14")
		customer = self.make_customer()
		holder = self.make_holder(customer)
		holders = [{"contact": holder.name, "notify_renewals": 1}]
		in_14 = self.make_contract(
			customer, start=add_days(nowdate(), -300), end=add_days(nowdate(), 14), holders=holders
		)
		other = self.make_customer()
		in_20 = self.make_contract(
			other,
			start=add_days(nowdate(), -300),
			end=add_days(nowdate(), 20),
			holders=[{"contact": self.make_holder(other).name, "notify_renewals": 1}],
		)
		send_renewal_reminders(commit=False)
		self.assertEqual(frappe.db.count("Email Queue", {"reference_name": in_14.name}), 1)
		self.assertEqual(frappe.db.count("Email Queue", {"reference_name": in_20.name}), 0)
