"""Provider side of the connector's heartbeat: a site that stops reporting is told to the Support Managers
once per silence; a new heartbeat (through the connector API, as the customer user) clears it."""

import frappe
from frappe.utils import add_to_date, now_datetime

from frappe_support.api import v1
from frappe_support.sites.heartbeat import alert_silent_sites
from tests.integration.utils import SupportTestCase


class TestHeartbeat(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.use_settings(heartbeat_alert_hours=3)
		self.manager = self.make_engineer()
		frappe.get_doc("User", self.manager).add_roles("Support Manager")
		self.customer = self.make_customer()
		contract = self.make_contract(self.customer)
		self.site = self.make_site(self.customer, contract.name)
		self.quiet = self.make_site(self.customer, contract.name)  # never reported: never "silent"
		self.holder = self.make_customer_user(self.customer)

	def beat(self, hours_ago: float):
		frappe.db.set_value(
			"Support Site", self.site, "last_heartbeat_on", add_to_date(now_datetime(), hours=-hours_ago)
		)

	def told(self) -> int:
		return sum(1 for recipient, _m in self.queued_mails(self.site) if recipient == self.manager)

	def test_told_once_per_silence(self):
		self.beat(2)
		self.assertEqual(alert_silent_sites(commit=False), 0)
		self.beat(4)
		self.assertEqual([alert_silent_sites(commit=False) for _run in range(3)], [1, 0, 0])
		self.assertEqual(self.told(), 1)
		self.assertEqual(self.queued_mails(self.quiet), [])
		frappe.set_user(self.holder)
		v1.heartbeat(self.site)  # the connector reports in again
		frappe.set_user("Administrator")
		self.assertIsNone(frappe.db.get_value("Support Site", self.site, "heartbeat_alerted_on"))
		self.assertEqual(alert_silent_sites(commit=False), 0)
		self.beat(5)
		self.assertEqual(alert_silent_sites(commit=False), 1)  # a new silence is told again
		self.assertEqual(self.told(), 2)

	def test_off_when_zero(self):
		self.use_settings(heartbeat_alert_hours=0)
		self.beat(48)
		self.assertEqual(alert_silent_sites(commit=False), 0)
