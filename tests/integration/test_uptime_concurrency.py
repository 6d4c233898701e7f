"""Uptime checks run by several processes at once, and one killed halfway, each outcome read from the
database: three rounds of one slot check once; three processes checking a down site over and over make one
downtime holding every failure, one issue and one mail per person; a round killed in the middle of its HTTP
leaves its slot claimed and nothing half-written, and the next checks carry on from what was committed.

The other processes see only committed rows, so the records are committed and deleted afterwards.
"""

from __future__ import annotations

import signal
import time

import frappe

from tests.integration.committed import CommittedTestCase
from tests.integration.ping_server import PingServer
from tests.integration.utils import finished, processes

UPTIME = "from frappe_support.sites import uptime\n"
ROUND = UPTIME + "print(uptime.run_round())"
# the same, saying each site it is about to write (so a test can stop it there)
ROUND_TOLD = (
	UPTIME + "apply = uptime.apply_check\n"
	"def told(site, *args):\n"
	"    print('apply', site, flush=True)\n"
	"    return apply(site, *args)\n"
	"uptime.apply_check = told\n"
	"print(uptime.run_round())"
)
CHECKS = UPTIME + (
	"for _ in range(3):\n    uptime.check_sites(uptime.monitored_sites(sys.argv[2].split(',')), commit=True)"
)


class TestUptimeAtTheSameTime(CommittedTestCase):
	@classmethod
	def make_records(cls):
		helper = cls("test_three_processes_checking_a_down_site_raise_one_issue")
		made = cls.committed.add
		calendar = cls.two_customers(helper)
		made("Email Account", helper.ensure_outgoing_account() or "")
		cls.manager = cls.committed.user("Manager", ["Support Manager"])[0]
		holder = helper.make_holder(cls.mine)
		made("Contact", holder.name)
		cls.holder = holder.email_id
		contract = helper.make_contract(
			cls.mine,
			calendar=calendar,
			covers_server_deployment=1,
			holders=[{"contact": holder.name, "notify_issues": 1}],
		)
		made("Support Contract", contract.name)
		cls.servers = [PingServer()]
		(cls.down,) = (
			made(
				"Support Site",
				frappe.get_doc(
					{
						"doctype": "Support Site",
						"site_url": server.url,
						"customer": cls.mine,
						"contract": contract.name,
						"apps": [{"app_name": "frappe", "version": "15.50.0"}],
					}
				)
				.insert()
				.name,
			)
			for server in cls.servers
		)
		cls.servers[0].stop()
		frappe.db.set_single_value(
			"Frappe Support Settings",
			{
				"uptime_failures_to_alert": 3,
				"uptime_timeout_seconds": 2,
				"site_mode": "Provider",
				"pause_customer_mail": 0,
			},
		)

	@classmethod
	def stop_services(cls):
		for server in cls.servers:
			server.stop()
		frappe.db.rollback()
		frappe.db.set_single_value(
			"Frappe Support Settings", {"uptime_failures_to_alert": 4, "uptime_timeout_seconds": 5}
		)
		frappe.db.commit()
		frappe.clear_document_cache("Frappe Support Settings", "Frappe Support Settings")

	def fresh(self):
		frappe.db.rollback()

	def downtimes(self, site: str) -> list:
		return frappe.get_all(
			"Support Site Downtime", filters={"site": site}, fields=["*"], order_by="started_on"
		)

	def test_three_processes_checking_a_down_site_raise_one_issue(self):
		finished(processes(CHECKS, self.down, count=3))
		self.fresh()
		(downtime,) = self.downtimes(self.down)
		self.assertEqual(downtime.failures, 9)  # every check of every process, none lost or doubled
		issues = frappe.get_all("Support Issue", filters={"site": self.down}, pluck="name")
		self.assertEqual(issues, [downtime.issue])
		recipients = frappe.get_all(
			"Email Queue Recipient",
			filters={
				"parent": (
					"in",
					frappe.get_all("Email Queue", filters={"reference_name": issues[0]}, pluck="name"),
				)
			},
			pluck="recipient",
		)
		self.assertEqual(sorted(recipients), sorted([self.manager, self.holder]))

	def test_three_rounds_of_one_slot_check_once_and_a_killed_round_writes_nothing_half(self):
		before = self.failures(self.down)
		ran = self.rounds(count=3)
		self.assertEqual(len(ran), 1, ran)
		self.assertEqual(self.failures(self.down) - before, 1)  # one check, not three

		# the next round is killed while it waits for the down site's row (this connection holds it)
		before = self.failures(self.down)
		self.wait_for_next_minute()
		frappe.db.sql("select name from `tabSupport Site` where name=%s for update", self.down)
		(proc,) = processes(ROUND_TOLD, count=1)
		self.assertTrue(self.reached(proc, self.down), "the round never reached the site's row")
		time.sleep(1)  # it waits for the row
		proc.send_signal(signal.SIGKILL)
		proc.wait(timeout=30)
		self.fresh()  # lets the row go
		killed = frappe.get_all(
			"Support Uptime Round", filters={"finished_on": ("is", "not set")}, pluck="name"
		)
		self.assertEqual(len(killed), 1)  # claimed, never finished
		self.assertEqual(self.failures(self.down), before)  # its write of the site never landed
		self.assertEqual(
			frappe.db.get_value("Support Site", self.down, "downtime"), self.downtimes(self.down)[-1].name
		)
		finished(processes(CHECKS, self.down, count=1), timeout=120)  # the checks carry on from it
		self.fresh()
		self.assertEqual(self.failures(self.down), before + 3)

	def failures(self, site: str) -> int:
		return sum(d.failures for d in self.downtimes(site))

	def rounds(self, count: int) -> list[str]:
		"""Rounds started at once; the names of those that ran (one slot a minute: the next one if need be)."""
		for _attempt in range(2):
			ran = [
				o.strip() for o in finished(processes(ROUND, count=count), timeout=120) if o.strip() != "None"
			]
			self.fresh()
			if ran:
				return ran
			self.wait_for_next_minute()
		return []

	@staticmethod
	def wait_for_next_minute():
		time.sleep(61 - time.localtime().tm_sec)

	@staticmethod
	def reached(proc, site: str) -> bool:
		for line in proc.stdout:
			if line.split() == ["apply", site]:
				return True
		return False
