"""Uptime checks over real HTTP on loopback: a site served and then stopped raises exactly one High issue after
the threshold (its clock at the first failed check), more failures add nothing, recovery adds the log and one
mail to the holders; a site inside its upgrade window raises nothing; 429 counts as up; a slow or a
not-pong site counts as down; a production site watched by its connector is treated the same way when its
heartbeat stops; the form's strip and the statement's uptime come from what the checks wrote.

What the site needs: nothing beyond the tier's (the test sites live on 127.x.y.z addresses of this machine).
"""

from __future__ import annotations

import json

import frappe
from frappe.utils import add_to_date, now_datetime

from frappe_support.api import v1
from frappe_support.sites.heartbeat import alert_silent_sites
from frappe_support.sites.uptime import check_sites, monitored_sites, run_round, stored_instant
from frappe_support.sites.uptime_view import site_uptime, statement_uptime
from tests.integration.ping_server import PingServer
from tests.integration.utils import SupportTestCase


class UptimeCase(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.use_settings(
			site_mode="Provider",
			uptime_failures_to_alert=3,
			uptime_timeout_seconds=1,
			uptime_interval_minutes=1,
			uptime_concurrency=20,
			heartbeat_alert_hours=3,
			pause_customer_mail=0,
			notify_holders_on_breach=1,
		)
		self.ensure_outgoing_account()
		self.manager = self.make_engineer()
		frappe.get_doc("User", self.manager).add_roles("Support Manager")
		self.engineer = self.make_engineer()
		self.customer = self.make_customer()
		holder = self.make_holder(self.customer)
		self.holder = holder.email_ids[0].email_id
		self.contract = self.make_contract(
			self.customer,
			covers_server_deployment=1,
			holders=[{"contact": holder.name, "notify_issues": 1}],
		)
		self.server = PingServer()
		self.addCleanup(self.server.stop)
		self.site = self.add_site(self.server.url)

	def add_site(self, url: str, **values) -> str:
		return (
			frappe.get_doc(
				{
					"doctype": "Support Site",
					"site_url": url,
					"customer": self.customer,
					"contract": self.contract.name,
					"engineer": self.engineer,
					"apps": [{"app_name": "frappe", "version": "15.50.0"}],
					**values,
				}
			)
			.insert()
			.name
		)

	def check(self, times: int = 1, site: str | None = None) -> list:
		results = []
		for _ in range(times):
			found, _windows = check_sites(monitored_sites([site or self.site]), commit=False)
			results.append(found[site or self.site])
		return results

	def downtimes(self, site: str | None = None) -> list:
		return frappe.get_all(
			"Support Site Downtime",
			filters={"site": site or self.site},
			fields=["*"],
			order_by="started_on asc, creation asc",
		)

	def site_issues(self) -> list:
		return frappe.get_all(
			"Support Issue", filters={"site": self.site}, fields=["*"], order_by="creation asc"
		)

	def mails_to(self, recipient: str, reference: str) -> list[str]:
		return [m for r, m in self.queued_mails(reference) if r == recipient]


class TestDownAndUp(UptimeCase):
	def test_a_stopped_site_raises_one_high_issue_and_its_recovery_is_logged_and_told(self):
		self.assertEqual([r.up for r in self.check()], [True])
		self.assertEqual(self.downtimes(), [])  # a healthy round writes nothing for the site

		self.server.stop()
		first = self.check(2)
		self.assertEqual([r.up for r in first], [False, False])
		self.assertEqual(first[0].reason, "refused")
		self.assertEqual(self.site_issues(), [])  # 2 failures: under the threshold of 3
		self.check()
		issues = self.site_issues()
		self.assertEqual(len(issues), 1)
		issue = issues[0]
		self.assertEqual(
			(issue.priority, issue.category, issue.topic), ("High", "Server Deployment", "Uptime Monitoring")
		)
		(downtime,) = self.downtimes()
		self.assertEqual(downtime.issue, issue.name)
		self.assertEqual(issue.opening_date, downtime.started_on)  # the clock: the first failed check
		self.assertLessEqual(abs((downtime.started_on - stored_instant(first[0].at)).total_seconds()), 1)
		self.assertEqual(json.loads(issue._assign), [self.engineer])
		self.assertEqual(
			frappe.db.get_value("Support Site", self.site, ["downtime", "health"]), (downtime.name, "Down")
		)
		told = {
			who: len(self.mails_to(who, issue.name)) for who in (self.manager, self.engineer, self.holder)
		}
		self.assertEqual(told, {self.manager: 1, self.engineer: 1, self.holder: 1})

		self.check(3)  # more failures add to the downtime, never a second issue or mail
		self.assertEqual(len(self.site_issues()), 1)
		self.assertEqual(frappe.db.get_value("Support Site Downtime", downtime.name, "failures"), 6)
		self.assertEqual(len(self.mails_to(self.holder, issue.name)), 1)

		self.server.start()
		self.assertEqual([r.up for r in self.check(2)], [True, True])
		closed = frappe.get_doc("Support Site Downtime", downtime.name)
		self.assertIsNotNone(closed.ended_on)
		self.assertGreaterEqual(closed.ended_on, closed.started_on)
		comments = frappe.get_all(
			"Comment",
			filters={
				"reference_doctype": "Support Issue",
				"reference_name": issue.name,
				"comment_type": "Info",
			},
			pluck="content",
		)
		self.assertEqual(len(comments), 1)
		self.assertRegex(comments[0], r"down \d+ (s|min), \d\d:\d\d-\d\d:\d\d CES?T")  # the contract's zone
		holder_mails = self.mails_to(self.holder, issue.name)
		self.assertEqual(len(holder_mails), 2)  # down once, up once
		self.assertIn("answering again", holder_mails[1])
		self.assertEqual(frappe.db.get_value("Support Issue", issue.name, "status"), "Open")  # staff close it
		self.assertEqual(
			frappe.db.get_value("Support Site", self.site, ["downtime", "health"]), (None, "Healthy")
		)

	def test_an_outage_while_the_issue_is_open_joins_it(self):
		self.server.stop()
		self.check(3)
		self.server.start()
		self.check()
		self.server.stop()
		self.check(4)
		issues = self.site_issues()
		self.assertEqual(len(issues), 1)
		self.assertEqual([d.issue for d in self.downtimes()], [issues[0].name] * 2)
		self.assertEqual(len(self.mails_to(self.holder, issues[0].name)), 2)  # down, up: not down again

	def test_429_is_up_and_slow_or_not_pong_is_down(self):
		self.server.mode = "busy"
		self.assertEqual([(r.up, r.reason) for r in self.check()], [(True, "")])
		self.server.mode = "hang"
		(slow,) = self.check()
		self.assertEqual((slow.up, slow.reason), (False, "timeout"))
		self.assertEqual(self.downtimes()[0].reason, "no answer in 1 s")
		self.server.mode = "html"
		self.assertEqual([(r.up, r.reason) for r in self.check()], [(False, "not-json")])
		self.server.mode = "error"
		self.assertEqual([(r.up, r.reason) for r in self.check()], [(False, "http:502")])
		self.assertEqual(len(self.site_issues()), 1)  # four failures in a row, whatever their reasons
		self.assertEqual((self.downtimes()[0].failures, self.downtimes()[0].reason), (3, "HTTP 502"))


class TestPlannedDowntime(UptimeCase):
	def window(self, status: str = "Scheduled", minutes_before: int = 30, minutes_after: int = 60) -> str:
		"""An upgrade whose window is now (the booking rules, tried elsewhere, are not the point here)."""
		now = now_datetime()
		doc = frappe.get_doc(
			{
				"doctype": "Upgrade Schedule",
				"site": self.site,
				"contract": self.contract.name,
				"customer": self.customer,
				"status": status,
				"engineer": self.engineer,
				"window_start": add_to_date(now, minutes=-minutes_before),
				"window_end": add_to_date(now, minutes=minutes_after),
				"apps": [{"app_name": "frappe", "to_version": "15.72.0"}],
			}
		)
		doc.flags.ignore_validate = True
		return doc.insert().name

	def test_a_site_inside_its_upgrade_window_raises_nothing(self):
		upgrade = self.window()
		self.server.stop()
		self.check(5)
		self.assertEqual(self.site_issues(), [])
		(planned,) = self.downtimes()
		self.assertEqual((planned.planned, planned.upgrade_schedule, planned.failures), (1, upgrade, 5))
		self.assertEqual(self.queued_mails(self.site), [])

		frappe.db.set_value("Upgrade Schedule", upgrade, "status", "Failed")  # the window is over, still down
		self.check(3)
		planned_after, unplanned = self.downtimes()
		self.assertIsNotNone(planned_after.ended_on)
		self.assertEqual((unplanned.planned, unplanned.failures), (0, 3))
		(issue,) = self.site_issues()
		self.assertEqual(issue.opening_date, unplanned.started_on)  # the clock: the first failure after it


class TestRounds(UptimeCase):
	def test_two_rounds_of_one_slot_check_once(self):
		self.server.stop()
		first = run_round(commit=False)
		self.assertIsNotNone(first)
		self.assertIsNone(run_round(commit=False))  # the slot is taken: nothing checked twice
		round_doc = frappe.get_doc("Support Uptime Round", first)
		self.assertGreaterEqual(round_doc.down, 1)
		self.assertEqual(round_doc.sites, len(monitored_sites()))
		self.assertEqual(
			(self.downtimes()[0].failures, self.downtimes()[0].reason), (1, "connection refused")
		)

	def test_check_now_from_the_form(self):
		doc = frappe.get_doc("Support Site", self.site)
		self.assertTrue(doc.check_uptime()["up"])
		self.server.stop()
		self.assertEqual(doc.check_uptime()["reason"], "connection refused")
		self.assertEqual(len(self.downtimes()), 1)
		doc.db_set("monitor_uptime", 0)
		self.assertRaises(frappe.ValidationError, doc.check_uptime)


class TestHeartbeatSites(UptimeCase):
	def test_a_silent_production_connector_site_is_down_until_its_next_heartbeat(self):
		site = self.add_site(
			"https://" + frappe.generate_hash(length=10) + ".fs-connector.example.com", monitor_uptime=0
		)
		last = add_to_date(now_datetime(), hours=-5)
		frappe.db.set_value("Support Site", site, "last_heartbeat_on", last)
		self.assertEqual(alert_silent_sites(commit=False), 1)
		self.assertEqual(alert_silent_sites(commit=False), 0)
		(downtime,) = self.downtimes(site)
		self.assertEqual(downtime.source, "Heartbeat")
		self.assertEqual(downtime.started_on, add_to_date(last, hours=1))  # the first missed heartbeat
		(issue,) = frappe.get_all(
			"Support Issue", filters={"site": site}, fields=["name", "opening_date", "priority"]
		)
		self.assertEqual((issue.opening_date, issue.priority), (downtime.started_on, "High"))

		user = self.make_customer_user(self.customer)
		frappe.set_user(user)
		v1.heartbeat(site)
		frappe.set_user("Administrator")
		self.assertIsNotNone(frappe.db.get_value("Support Site Downtime", downtime.name, "ended_on"))
		self.assertEqual(len(self.mails_to(self.holder, issue.name)), 2)
		self.assertEqual(alert_silent_sites(commit=False), 0)


class TestUptimeFigures(UptimeCase):
	def test_strip_month_and_statement_count_the_downtime(self):
		run_round(commit=False)  # this hour is watched, and the one before (a round then)
		earlier = frappe.new_doc("Support Uptime Round")
		earlier.update({"name": frappe.generate_hash(), "started_on": add_to_date(now_datetime(), hours=-1)})
		earlier.db_insert()
		self.server.stop()
		self.check(2)
		self.server.start()
		self.check()
		(downtime,) = self.downtimes()
		start = add_to_date(now_datetime(), minutes=-30)
		frappe.db.set_value(
			"Support Site Downtime",
			downtime.name,
			{"started_on": start, "ended_on": add_to_date(start, minutes=12), "duration_minutes": 12},
		)
		view = site_uptime(self.site)
		self.assertEqual(len(view["cells"]), 7 * 24)
		self.assertIn("down", {c["state"] for c in view["cells"]})
		self.assertEqual(view["outages"], 1)
		self.assertAlmostEqual(view["down_minutes"], 12, places=1)
		self.assertLess(view["percent"], 100)
		self.assertEqual(view["zone"], "Europe/Berlin")
		month = view["cells"][-1]["label"][4:11]
		(row,) = statement_uptime(self.contract.name, month)["sites"]
		self.assertEqual((row["site"], row["outages"]), (self.site, 1))
		self.assertAlmostEqual(row["down"], 12, places=1)
