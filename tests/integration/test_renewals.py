"""Renewal reminders reach the contract holders once per offset."""

import frappe
from frappe.utils import add_days, nowdate

from frappe_support.contracts.renewals import send_renewal_reminders
from tests.integration.utils import SupportTestCase


class TestRenewalReminders(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.ensure_outgoing_account()
		self.customer = self.make_customer()
		self.holders = []
		for wants in (1, 0):
			contact = self.make_holder(self.customer)
			self.holders.append(
				{"contact": contact.name, "notify_renewals": wants, "email": contact.email_id}
			)

	def contract(self, days_left: int):
		return self.make_contract(
			self.customer,
			start=add_days(nowdate(), -300),
			end=add_days(nowdate(), days_left),
			holders=[
				{"contact": h["contact"], "notify_renewals": h["notify_renewals"]} for h in self.holders
			],
		)

	def mails(self, contract: str) -> list[str]:
		queues = frappe.get_all("Email Queue", filters={"reference_name": contract}, pluck="name")
		return frappe.get_all(
			"Email Queue Recipient", filters={"parent": ("in", queues or [""])}, pluck="recipient"
		)

	def test_seven_days_before_the_end_reminds_once(self):
		contract = self.contract(7)
		for _run in range(3):
			send_renewal_reminders(commit=False)
		self.assertEqual(self.mails(contract.name), [self.holders[0]["email"]])
		self.assertEqual(
			frappe.db.get_value("Support Contract", contract.name, "renewal_reminders_sent"), "7"
		)
		message = frappe.get_all("Email Queue", filters={"reference_name": contract.name}, pluck="message")[0]
		self.assertIn("in 7 days", message)

	def test_renewed_contract_is_not_reminded(self):
		from frappe_support.contracts.lifecycle import make_renewal

		contract = self.contract(20)
		make_renewal(contract.name)
		send_renewal_reminders(commit=False)
		self.assertEqual(self.mails(contract.name), [])

	def test_far_contract_is_not_reminded(self):
		contract = self.contract(45)
		send_renewal_reminders(commit=False)
		self.assertEqual(self.mails(contract.name), [])
