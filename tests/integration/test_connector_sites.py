"""The connector between two real sites of this bench over loopback HTTP: this site is the provider, a
second site with the app in Customer Site mode is the customer's own ERPNext ($FRAPPE_CUSTOMER_SITE,
default customer.localhost; skipped, and said so, when the bench has no such site). Each customer-site
step runs in its own process (tests/integration/customer_site.py), as the customer's workers would.
"""

import json
import os
import unittest
from contextlib import contextmanager
from datetime import timezone
from pathlib import Path

import frappe

from frappe_support.common.attachments import DEFAULT_TYPES
from frappe_support.common.dates import to_aware
from tests.integration.committed import CommittedTestCase
from tests.integration.faults import BenchRedis, restart_mariadb, skip_without_mariadb_root
from tests.integration.served import LoopbackSite
from tests.integration.utils import finished, publish_frappe_advisory, run_in_sites, start_in_sites

HELPER = Path(__file__).with_name("customer_site.py")
ENTRIES = 20  # delivered across a database restart: within one user's write budget, with retries


def customer_site() -> str:
	site = os.environ.get("FRAPPE_CUSTOMER_SITE", "customer.localhost")
	sites = Path(frappe.local.sites_path)
	if not (sites / site / "site_config.json").exists():
		raise unittest.SkipTest(
			f"two-site connector tests skipped: no site {site} on this bench "
			"(bench new-site customer.localhost --install-app erpnext, then install-app frappe_support)"
		)
	apps = (sites / "apps.txt").read_text()
	if "frappe_support" not in apps:
		raise unittest.SkipTest("two-site connector tests skipped: frappe_support is not in apps.txt")
	return site


HEALTH_LIMITS = {"health_db_growth_mb": 0, "health_errors_per_day": 0, "health_pending_jobs": 0}


class TestConnectorSites(CommittedTestCase):
	@classmethod
	def setUpClass(cls):
		cls.customer = customer_site()
		cls.outbox: list[str] = []
		cls.desk_users: list[str] = []
		super().setUpClass()

	@classmethod
	def make_records(cls):
		helper, made = cls("test_issue_reply_and_versions_between_two_sites"), cls.committed.add
		calendar = cls.two_customers(helper)
		cls.contract = made("Support Contract", helper.make_contract(cls.mine, calendar=calendar).name)
		cls.site = made("Support Site", helper.make_site(cls.mine, cls.contract, {"frappe": "15.200.0"}))
		other = made("Support Contract", helper.make_contract(cls.theirs, calendar=calendar).name)
		cls.other_issue = helper.make_issue(frappe.get_doc("Support Contract", other)).name
		# the customer site runs frappe 15.105.x: affected once it says so
		cls.advisory = made(
			"Security Advisory",
			publish_frappe_advisory("Connector advisory", ">= 15.0.0, < 15.106.0", "15.106.0").name,
		)
		cls.user, cls.key, cls.secret = cls.committed.user("Holder", ["Support Customer"], customer=cls.mine)
		cls.engineer = cls.committed.user("Engineer", ["Support Engineer"])[0]  # free upgrade windows
		cls.manager = cls.committed.user("Manager", ["Support Manager"])[0]  # told of a health crossing

	@classmethod
	def start_services(cls):
		cls.served = LoopbackSite(frappe.local.site).start()
		cls.port = cls.served.server.server_port
		cls.started = frappe.utils.now()
		cls.configure(cls.secret)

	@classmethod
	def stop_services(cls):
		if getattr(cls, "served", None):
			cls.served.stop()
		if getattr(cls, "started", None):
			cls.on_customer("reset", names=cls.outbox, since=cls.started, users=cls.desk_users)

	@classmethod
	def on_customer(cls, command: str, **kwargs):
		out = run_in_sites(
			[str(HELPER), cls.customer, command, json.dumps(kwargs)], f"customer site {command}"
		)
		return json.loads(out.strip().splitlines()[-1])

	@classmethod
	def configure(cls, secret: str, key: str | None = None):
		cls.on_customer(
			"configure",
			provider_url=cls.served.url,
			api_key=key or cls.key,
			api_secret=secret,
			provider_site=cls.site,
		)

	def raise_on_customer_site(self, subject: str) -> str:
		name = self.on_customer("raise_issue", subject=subject, priority="High")["outbox"]
		type(self).outbox.append(name)
		return name

	def entry(self, name: str) -> dict:
		return self.on_customer("outbox", names=[name])[0]

	def provider_issues(self, key: str) -> list:
		frappe.db.rollback()  # what the served provider committed
		return frappe.get_all(
			"Support Issue",
			filters={"idempotency_key": key},
			fields=[
				"name",
				"customer",
				"contract",
				"raised_by",
				"priority",
				"opening_date",
				"resolution_by",
				"site",
			],
		)

	def assert_no_dialog(self, page):
		"""Every dialog closed, or a failure that says which one stayed open and what it says."""
		try:
			page.locator(".modal.show").first.wait_for(state="hidden", timeout=20_000)
		except Exception:
			texts = page.locator(".modal.show").all_inner_texts()
			self.fail(f"a dialog stayed open: {texts}")

	# -- tests -----------------------------------------------------------------------------------------
	def test_issue_reply_and_versions_between_two_sites(self):
		connection = self.on_customer("test_connection")
		self.assertEqual(connection["ok"]["customers"], [self.mine])

		name = self.raise_on_customer_site("Invoices print blank")
		self.assertEqual(self.entry(name)["status"], "Waiting")
		self.assertEqual(self.on_customer("deliver")["delivered"], 1)
		entry = self.entry(name)
		self.assertEqual((entry["status"], entry["attempts"]), ("Delivered", 1))
		[issue] = self.provider_issues(entry["idempotency_key"])
		self.assertEqual(entry["remote_name"], issue.name)
		self.assertEqual(
			(issue.customer, issue.contract, issue.site, issue.priority),
			(self.mine, self.contract, self.site, "High"),
		)
		self.assertEqual(issue.raised_by, "admin@example.com")  # the customer-site user who raised it
		self.assertEqual((issue.resolution_by - issue.opening_date).total_seconds(), 8 * 3600)

		# staff answer at the provider; the customer site reads the answer
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Sent",
				"subject": "Re: Invoices print blank",
				"content": "Please send the print format.",
				"sender": "Administrator",
				"reference_doctype": "Support Issue",
				"reference_name": issue.name,
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
		read = self.on_customer("get_issue", name=issue.name)["issue"]
		self.assertIn("Please send the print format.", [r["content"] for r in read["replies"]])
		self.assertEqual(read["status"], "Replied")

		# and answers back through the outbox: the clock's status moves at the provider
		answer = self.on_customer("reply", issue=issue.name, message="Attached, thanks.")["outbox"]
		type(self).outbox.append(answer)
		self.on_customer("deliver")
		self.assertEqual(self.entry(answer)["status"], "Delivered")
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Support Issue", issue.name, "status"), "Open")

		# another customer's issue stays closed to this site's key
		refused = self.on_customer("get_issue", name=self.other_issue)
		self.assertEqual(refused["refused"], 403)

		# versions: the provider's Support Site and its exposures follow what the customer site runs
		report = self.on_customer("report_versions")
		self.assertTrue(report["reported"], report["status"])
		frappe.db.rollback()
		site = frappe.get_doc("Support Site", self.site)
		self.assertEqual({r.app_name: r.version for r in site.apps}["frappe"], report["versions"]["frappe"])
		self.assertEqual(site.versions_source, "Connector")
		exposure = frappe.db.get_value(
			"Advisory Exposure", {"advisory": self.advisory, "site": self.site}, ["status", "fixed_version"]
		)
		self.assertEqual(exposure, ("Affected", "15.106.0"))
		# the customer desk sees it and acknowledges it
		[shown] = self.on_customer("desk", method="list_exposures")
		self.assertEqual((shown["status"], shown["fixed_version"]), ("Affected", "15.106.0"))
		self.on_customer("desk", method="acknowledge_exposure", name=shown["name"])
		frappe.db.rollback()
		self.assertIsNotNone(frappe.db.get_value("Advisory Exposure", shown["name"], "acknowledged_on"))

		# an upgrade request goes through the outbox, with the window's offset kept
		request = self.on_customer(
			"desk",
			method="request_upgrade",
			window_start="2027-03-02T10:00:00+01:00",
			window_end="2027-03-02T12:00:00+01:00",
			apps=[{"app_name": "frappe", "to_version": "15.106.0"}],
		)["outbox"]
		type(self).outbox.append(request)
		self.on_customer("deliver")
		upgrade = self.entry(request)["remote_name"]
		frappe.db.rollback()
		schedule = frappe.get_doc("Upgrade Schedule", upgrade)
		self.assertEqual((schedule.status, schedule.customer), ("Requested", self.mine))
		# the same instant (10:00 in Berlin is 09:00 UTC), whatever the provider's system zone
		self.assertEqual(
			to_aware(schedule.window_start).astimezone(timezone.utc).isoformat(), "2027-03-02T09:00:00+00:00"
		)

	def test_an_issue_waits_while_the_provider_is_down_and_is_delivered_once(self):
		self.served.stop()
		try:
			name = self.raise_on_customer_site("Raised while the provider was down")
			for _attempt in range(3):
				self.assertEqual(self.on_customer("deliver", due=[name])["delivered"], 0)
			entry = self.entry(name)
			self.assertEqual((entry["status"], entry["attempts"]), ("Waiting", 3))
			self.assertIn("could not be reached", entry["last_error"])
			self.assertNotIn(self.secret, entry["last_error"])
			self.assertEqual(self.provider_issues(entry["idempotency_key"]), [])
		finally:
			type(self).served = LoopbackSite(frappe.local.site, port=self.port).start()  # back, same address
		for _attempt in range(3):
			self.on_customer("deliver", due=[name])
		entry = self.entry(name)
		self.assertEqual((entry["status"], entry["attempts"]), ("Delivered", 4))
		self.assertEqual(len(self.provider_issues(entry["idempotency_key"])), 1)

	def test_two_workers_delivering_one_entry_make_one_issue(self):
		"""Two delivery runs on the customer site at once (two workers, or the scheduler's and the one queued
		after the raise): the entry is locked while one sends it, so it goes once, and the idempotency key
		would hold at the provider even if it went twice."""
		name = self.raise_on_customer_site("Delivered by two workers at once")
		runs = start_in_sites([str(HELPER), self.customer, "deliver", json.dumps({"due": [name]})], count=2)
		answers = [json.loads(out.strip().splitlines()[-1])["delivered"] for out in finished(runs, 120)]
		self.assertEqual(sorted(answers), [0, 1])
		entry = self.entry(name)
		self.assertEqual((entry["status"], entry["attempts"]), ("Delivered", 1))
		self.assertEqual(len(self.provider_issues(entry["idempotency_key"])), 1)

	def test_an_issue_raised_while_the_job_queue_is_down_waits_and_is_delivered_once(self):
		"""The raise does not need the queue: the entry is saved, the miss logged, and the outbox's own
		5-minute run (here run by hand once the queue is back) delivers it."""
		misses = self.on_customer("queue_misses", since=self.started)
		with BenchRedis("queue").down():
			name = self.raise_on_customer_site("Raised while the job queue was down")
		self.assertEqual(self.on_customer("queue_misses", since=self.started), misses + 1)
		self.assertEqual(self.entry(name)["status"], "Waiting")
		self.assertEqual(self.on_customer("deliver", due=[name])["delivered"], 1)
		entry = self.entry(name)
		self.assertEqual((entry["status"], entry["attempts"]), ("Delivered", 1))
		self.assertEqual(len(self.provider_issues(entry["idempotency_key"])), 1)

	def test_a_database_restart_in_the_middle_of_a_delivery_run_loses_nothing(self):
		"""MariaDB (both sites' server) shut down and started again while the customer site delivers 20
		entries: the run dies or carries on, the next runs deliver the rest, and each entry makes exactly
		one issue at the provider."""
		import time

		from tests.integration.utils import unique

		skip_without_mariadb_root()
		# a colleague's key: the deliveries and their retries have a write budget of their own
		_user, key, secret = self.committed.user("Deliverer", ["Support Customer"], customer=self.mine)
		frappe.db.commit()  # for the served provider; deleted with the class's records
		self.configure(secret, key)
		self.addCleanup(self.configure, self.secret)
		prefix = unique("Delivered across a restart")
		self.addCleanup(self.forget_restart_errors, frappe.utils.now())
		names = self.on_customer("raise_many", prefix=prefix, count=ENTRIES)
		type(self).outbox.extend(names)
		[run] = start_in_sites([str(HELPER), self.customer, "deliver", json.dumps({"due": names})])
		deadline = time.monotonic() + 120
		while self.provider_count(prefix) < 5 and time.monotonic() < deadline:
			time.sleep(0.05)
		before = self.provider_count(prefix)
		restart_mariadb()
		run.communicate(timeout=300)  # its connection went with the server: it died or went on
		print(f"restarted with {before} of {ENTRIES} at the provider; the run exited with {run.returncode}")
		self.assertLess(before, ENTRIES, "the run finished before the restart")
		for _run in range(4):  # the next runs (backoff skipped)
			left = [e["name"] for e in self.on_customer("outbox", names=names) if e["status"] != "Delivered"]
			if not left:
				break
			self.on_customer("deliver", due=left)
		entries = self.on_customer("outbox", names=names)
		left = [e for e in entries if e["status"] != "Delivered"]
		self.assertEqual(left, [])
		for entry in entries:
			self.assertEqual(len(self.provider_issues(entry["idempotency_key"])), 1, entry)
		self.assertEqual(self.provider_count(prefix), ENTRIES)
		self.assertEqual(len({e["remote_name"] for e in entries}), ENTRIES)

	@staticmethod
	def forget_restart_errors(since: str) -> None:
		"""The served provider's requests that were mid-query when MariaDB went down are logged by Frappe
		(deferred until the database is back): the restart's, not a defect, and not left behind."""
		from tests.integration.committed import flush_deferred

		frappe.db.rollback()
		flush_deferred()
		for lost in (
			"%Lost connection to MySQL%",
			"%MySQL server has gone away%",
			"%Can't connect to MySQL%",
		):
			frappe.db.delete("Error Log", {"creation": (">=", since), "method": ("like", lost)})
		frappe.db.commit()

	def provider_count(self, prefix: str) -> int:
		frappe.db.rollback()  # what the served provider committed
		return frappe.db.count("Support Issue", {"subject": ("like", prefix + " %")})

	def test_a_wrong_secret_fails_clearly_and_changes_nothing(self):
		self.configure("wrong")
		try:
			failed = self.on_customer("test_connection")
			self.assertIn("(401)", failed["error"])
			self.assertIn("(401)", failed["last_sync_status"])  # kept although the call failed
			name = self.raise_on_customer_site("Raised with a wrong secret")
			self.on_customer("deliver")
			entry = self.entry(name)
			self.assertEqual(entry["status"], "Failed")
			self.assertIn("(401)", entry["last_error"])
			self.assertNotIn("wrong", entry["last_error"])
			self.assertEqual(self.provider_issues(entry["idempotency_key"]), [])
		finally:
			self.configure(self.secret)

	def test_switching_modes_with_data_is_refused(self):
		name = self.raise_on_customer_site("Waiting when switching")
		self.served.stop()
		try:
			refused = self.on_customer("switch_mode", mode="Provider")
			self.assertIn("waiting to be delivered", refused["refused"])
			self.assertEqual(refused["site_mode"], "Customer Site")
		finally:
			type(self).served = LoopbackSite(frappe.local.site, port=self.port).start()
		self.on_customer("deliver", due=[name])
		# this provider holds support records: it cannot become a customer site
		settings = frappe.get_single("Frappe Support Settings")
		settings.site_mode = "Customer Site"
		settings.provider_url, settings.provider_site = "https://provider.example.com", "x"
		settings.provider_api_key, settings.provider_api_secret = "k", "s"
		with self.assertRaises(frappe.ValidationError):
			settings.save()
		frappe.db.rollback()

	def test_the_site_sends_its_health_and_a_scaling_issue_carries_it(self):
		"""The customer site's hourly report carries its health (Frappe's System Health Report): the provider
		keeps it and shows it; a Scaling issue raised there carries the snapshot; a threshold crossing (the
		database grown since a day 20 days ago) is suggested to the managers once, however often it reports."""
		frappe.get_doc(
			{
				"doctype": "Support Site Health",
				"site": self.site,
				"customer": self.mine,
				"day": frappe.utils.add_days(frappe.utils.getdate(), -20),
				"db_size_mb": 1.0,
			}
		).insert()
		before = {k: frappe.db.get_single_value("Frappe Support Settings", k) for k in HEALTH_LIMITS}
		frappe.db.set_single_value("Frappe Support Settings", {**HEALTH_LIMITS, "health_db_growth_mb": 5})
		frappe.db.commit()
		try:
			for _round in range(2):
				self.assertTrue(self.on_customer("report_versions")["reported"])
			frappe.db.rollback()  # read what the reports left while the test's limits still hold
			alerts = frappe.db.get_value("Support Site", self.site, "health_alerts")
		finally:
			frappe.db.set_single_value("Frappe Support Settings", before)
			frappe.db.commit()
		(today,) = frappe.get_all(
			"Support Site Health",
			filters={"site": self.site, "day": frappe.utils.getdate()},
			fields=["db_size_mb", "snapshot"],
		)
		kept = json.loads(today.snapshot)
		self.assertGreater(today.db_size_mb, 5)  # a real ERPNext database
		self.assertTrue(kept["largest_tables"] and kept["scheduler"])
		frappe.set_user("Administrator")
		from frappe_support.sites.health import site_health

		self.assertAlmostEqual(site_health(self.site)["latest"]["db_size_mb"], today.db_size_mb, delta=0.05)
		self.assertEqual(alerts, "db_growth_mb", kept)
		told = frappe.get_all(
			"Notification Log",
			filters={"for_user": self.manager, "document_name": self.site},
			fields=["name", "subject"],
		)
		# two reports over the threshold: one suggestion (earlier tests may have crossed another one: the
		# bench's job queues, which the site reports, are shared by its sites and fill while tests run)
		grew = [n.name for n in told if "database grew" in (n.subject or "")]
		self.assertEqual(len(grew), 1, [n.subject for n in told])  # on failure: what the manager was told
		frappe.db.delete("Notification Log", {"name": ("in", grew)})
		frappe.db.commit()

		name = self.on_customer(
			"raise_issue", subject="Reports are slow", priority="Medium", category="Scaling"
		)["outbox"]
		type(self).outbox.append(name)
		self.on_customer("deliver")
		entry = self.entry(name)
		self.assertEqual(entry["status"], "Delivered")
		frappe.db.rollback()
		files = frappe.get_all(
			"File",
			filters={"attached_to_name": entry["remote_name"]},
			fields=["name", "file_name", "is_private"],
		)
		self.assertEqual([(f.file_name, f.is_private) for f in files], [("site-health.json", 1)])
		carried = json.loads(frappe.get_doc("File", files[0].name).get_content())
		self.assertGreater(carried["db_size_mb"], 5)
		self.assertNotIn("last_10_active_users", carried)

	def test_files_go_both_ways_once_after_an_outage_too(self):
		"""Over real HTTP to the customer site's desk methods (token auth of a desk user): files raised with an
		issue wait through a provider outage and arrive once, byte for byte; an oversized or a wrong-type
		file is refused with the limit and nothing is queued; a file on the provider's reply is read back
		through the customer site."""
		import requests

		made = self.on_customer("make_api_user", password="Fs-" + frappe.generate_hash(length=16))
		type(self).desk_users.append(made["user"])
		desk = LoopbackSite(self.customer).start()
		auth = {"Authorization": f"token {made['key']}:{made['secret']}", "Accept": "application/json"}
		url = desk.url + "/api/method/frappe_support.connector.desk."
		log, picture = b"Traceback (most recent call last):\n" * 2000, bytes(range(256)) * 40
		try:
			self.served.stop()
			try:
				answer = requests.post(
					url + "raise_issue",
					data={"subject": "Files through the connector", "priority": "Medium"},
					files=[
						("files", ("error.log", log, "text/plain")),
						("files", ("screen.png", picture, "image/png")),
					],
					headers=auth,
					timeout=60,
				)
				self.assertEqual(answer.status_code, 200, answer.text[:500])
				entry = answer.json()["message"]
				type(self).outbox.append(entry["outbox"])
				self.assertEqual(entry["files"], 2)
				self.assertEqual(self.on_customer("deliver", due=[entry["outbox"]])["delivered"], 0)
				self.assertEqual(self.entry(entry["outbox"])["status"], "Waiting")
			finally:
				type(self).served = LoopbackSite(frappe.local.site, port=self.port).start()
			for _attempt in range(2):
				self.on_customer("deliver", due=[entry["outbox"]])
			delivered = self.entry(entry["outbox"])
			self.assertEqual(delivered["status"], "Delivered")
			frappe.db.rollback()
			files = frappe.get_all(
				"File",
				filters={
					"attached_to_doctype": "Support Issue",
					"attached_to_name": delivered["remote_name"],
				},
				fields=["name", "file_name", "is_private"],
				order_by="file_name",
			)
			self.assertEqual(
				[(f.file_name, f.is_private) for f in files], [("error.log", 1), ("screen.png", 1)]
			)
			contents = [frappe.get_doc("File", f.name).get_content() for f in files]
			self.assertEqual([c.encode() if isinstance(c, str) else c for c in contents], [log, picture])

			# too large, or of a type not allowed: refused with the limit, nothing queued
			self.on_customer("set_attachment_limits", max_mb=1)
			before = self.on_customer("outbox_count")
			for name, data, says in (
				("dump.log", b"x" * (2 * 1024 * 1024), "at most 1 MB"),
				("tool.exe", b"MZ", "cannot be attached"),
			):
				refused = requests.post(
					url + "raise_issue",
					data={"subject": "Refused file"},
					files=[("files", (name, data, "application/octet-stream"))],
					headers=auth,
					timeout=60,
				)
				self.assertEqual(refused.status_code, 417, refused.text[:300])
				self.assertIn(says, refused.text)
			self.assertEqual(self.on_customer("outbox_count"), before)

			# the provider's reply with a file, read through the customer site
			reply = frappe.get_doc(
				{
					"doctype": "Communication",
					"communication_type": "Communication",
					"communication_medium": "Email",
					"sent_or_received": "Sent",
					"subject": "Re: Files through the connector",
					"content": "The fix is attached.",
					"sender": "Administrator",
					"reference_doctype": "Support Issue",
					"reference_name": delivered["remote_name"],
				}
			).insert(ignore_permissions=True)
			patch = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": "fix.patch.txt",
					"is_private": 1,
					"attached_to_doctype": "Communication",
					"attached_to_name": reply.name,
					"content": b"--- a/x\n+++ b/x\n",
				}
			).insert(ignore_permissions=True)
			frappe.db.commit()
			read = self.on_customer("get_issue", name=delivered["remote_name"])["issue"]
			self.assertIn("fix.patch.txt", [f["file_name"] for f in read["files"]])
			got = requests.get(url + "download_file", params={"name": patch.name}, headers=auth, timeout=60)
			self.assertEqual((got.status_code, got.content), (200, b"--- a/x\n+++ b/x\n"))
			self.assertIn("fix.patch.txt", got.headers.get("Content-Disposition", ""))
		finally:
			self.on_customer("set_attachment_limits", max_mb=10, types=DEFAULT_TYPES)
			desk.stop()

	def test_a_reported_error_reaches_the_provider_without_its_secrets(self):
		"""An Error Log holding a password, an API secret, a token header, a session id and URL credentials
		is reported from the customer site (its form's Report to Support, and picked in the raise dialog);
		the provider's issue carries its traceback with none of them."""
		import requests

		secrets = [frappe.generate_hash(length=24) for _ in range(6)]
		traceback = "\n".join(
			[
				"Traceback (most recent call last):",
				'  File "apps/frappe/frappe/app.py", line 95, in application',
				f"    password = '{secrets[0]}'",
				f"    headers = {{'Authorization': 'token 1a2b3c4d5e6f7a8:{secrets[1]}', 'Cookie': 'sid={secrets[2]}'}}",
				f"    settings = {{'api_secret': '{secrets[3]}', 'db_password': \"{secrets[4]}\"}}",
				f"    url = 'https://admin:{secrets[5]}@erp.customer.example.com/api/method/x'",
				"frappe.exceptions.ValidationError: Could not post the invoice",
			]
		)
		log = self.on_customer(
			"plant_error", method="FS planted erpnext.accounts.post_invoice", error=traceback
		)
		made = self.on_customer("make_api_user", password="Fs-" + frappe.generate_hash(length=16))
		type(self).desk_users.append(made["user"])
		desk = LoopbackSite(self.customer).start()
		auth = {"Authorization": f"token {made['key']}:{made['secret']}", "Accept": "application/json"}
		url = desk.url + "/api/method/frappe_support.connector."
		try:
			recent = requests.get(url + "error_report.recent_errors", headers=auth, timeout=60).json()[
				"message"
			]
			self.assertIn(log, [r["name"] for r in recent])
			self.assertFalse(any(s in json.dumps(recent) for s in secrets))
			reported = requests.post(
				url + "error_report.report_error",
				data={"name": log, "description": "Posting an invoice"},
				headers=auth,
				timeout=60,
			).json()["message"]
			raised = requests.post(
				url + "desk.raise_issue",
				data={"subject": "Invoices fail", "errors": json.dumps([log])},
				headers=auth,
				timeout=60,
			).json()["message"]
		finally:
			desk.stop()
		entries = [reported["outbox"], raised["outbox"]]
		type(self).outbox.extend(entries)
		self.on_customer("deliver", due=entries)
		for entry in entries:
			delivered = self.entry(entry)
			self.assertEqual(delivered["status"], "Delivered", delivered)
			frappe.db.rollback()
			issue = frappe.get_doc("Support Issue", delivered["remote_name"])
			(file,) = frappe.get_all(
				"File", filters={"attached_to_name": issue.name}, fields=["name", "file_name", "is_private"]
			)
			self.assertEqual((file.file_name, file.is_private), (f"traceback-{log}.txt", 1))
			text = frappe.get_doc("File", file.name).get_content()
			text = text.decode() if isinstance(text, bytes) else text
			self.assertIn("Could not post the invoice", text)
			self.assertIn("frappe:", text)  # the site's app versions go with it
			found = [s for s in secrets if s in text + (issue.description or "") + issue.subject]
			self.assertEqual(found, [], "a planted secret reached the provider")
		frappe.db.rollback()
		first = frappe.get_doc("Support Issue", self.entry(reported["outbox"])["remote_name"])
		self.assertEqual((first.category, first.priority), ("Bug", "Medium"))
		self.assertIn("post_invoice", first.subject)

	def test_the_raiser_hears_the_providers_news_once_in_one_pull(self):
		"""A sync reads the state of all the site's open issues in one call to the provider, however many;
		a provider reply gives the raiser one notice on the customer site (not one a sync), and so does a
		status change."""
		user = self.on_customer("make_user", password="Fs-" + frappe.generate_hash(length=16))
		type(self).desk_users.append(user)
		contract = frappe.get_doc("Support Contract", self.contract)
		issues = [
			self.make_issue(contract, opening=frappe.utils.now(), site=self.site).name for _ in range(30)
		]
		frappe.db.commit()
		type(self).outbox.extend(self.on_customer("delivered_entries", remote_names=issues, owner=user))
		first = self.on_customer("pull_news_counted")
		self.assertEqual(first["calls"], ["issue_news"])  # one call for 30 issues (and the class's others)
		self.assertEqual(self.on_customer("notices", user=user), [])
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Sent",
				"subject": "Re: news",
				"content": "We are looking into it.",
				"sender": "Administrator",
				"reference_doctype": "Support Issue",
				"reference_name": issues[0],
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
		for _sync in range(3):
			self.assertEqual(self.on_customer("pull_news_counted")["calls"], ["issue_news"])
		notices = self.on_customer("notices", user=user)
		self.assertEqual(len(notices), 1, notices)
		self.assertIn("replied to " + issues[0], notices[0]["subject"])
		self.assertEqual(notices[0]["link"], f"/app/connector-desk?issue={issues[0]}")
		doc = frappe.get_doc("Support Issue", issues[1])
		doc.status = "Resolved"
		doc.save()
		frappe.db.commit()
		self.on_customer("pull_news_counted")
		self.on_customer("pull_news_counted")
		notices = self.on_customer("notices", user=user)
		self.assertEqual(len(notices), 2)
		self.assertIn(issues[1] + " is now Resolved", notices[1]["subject"])

	def test_raise_with_a_screenshot_and_an_error_in_a_browser(self):
		"""The customer site's Support Desk page in Chromium: raise an issue with a screenshot and a picked
		Error Log; the provider gets both (the traceback redacted); its reply with a file is read and the file
		downloaded on the customer site. No console errors; screenshots."""
		secret = frappe.generate_hash(length=24)
		log = self.on_customer(
			"plant_error",
			method="FS planted erpnext.stock.reorder",
			error=f"Traceback (most recent call last):\n  api_secret = '{secret}'\nValueError: reorder level missing",
		)
		with self.customer_desk() as (page, user, errors):
			page.get_by_role("button", name="Raise Support Issue").click()
			page.wait_for_function(
				"window.cur_dialog && cur_dialog.display", timeout=20_000
			)  # shown: values set
			dialog = page.locator(".modal.show")
			dialog.locator(f".support-desk-error[value='{log}']").wait_for(timeout=20_000)
			dialog.locator("input[data-fieldname='subject']").fill("Reorder fails")
			dialog.locator("select[data-fieldname='priority']").select_option("High")  # the subject is taken
			screen = f"screen-{frappe.generate_hash(length=6)}.png"  # Frappe renames a second screen.png
			dialog.locator(".support-desk-files").set_input_files(
				files=[{"name": screen, "mimeType": "image/png", "buffer": bytes(range(256)) * 8}]
			)
			dialog.locator(f".support-desk-error[value='{log}']").check()
			page.screenshot(path=str(self.artifacts / "customer-site-raise-with-files.png"), full_page=True)
			dialog.get_by_role("button", name="Raise").click()
			self.assert_no_dialog(page)
			[entry] = self.on_customer("outbox_of", user=user)
			type(self).outbox.append(entry["name"])
			self.on_customer("deliver", due=[entry["name"]])
			delivered = self.entry(entry["name"])
			self.assertEqual(delivered["status"], "Delivered")
			frappe.db.rollback()
			issue = delivered["remote_name"]
			files = frappe.get_all(
				"File",
				filters={"attached_to_name": issue},
				fields=["name", "file_name"],
				order_by="file_name",
			)
			self.assertEqual([f.file_name for f in files], [screen, f"traceback-{log}.txt"])
			self.assertNotIn(secret, str(frappe.get_doc("File", files[1].name).get_content()))
			reply = frappe.get_doc(
				{
					"doctype": "Communication",
					"communication_type": "Communication",
					"communication_medium": "Email",
					"sent_or_received": "Sent",
					"subject": "Re: Reorder fails",
					"content": "Set a reorder level: see the attached steps.",
					"sender": "Administrator",
					"reference_doctype": "Support Issue",
					"reference_name": issue,
				}
			).insert(ignore_permissions=True)
			frappe.get_doc(
				{
					"doctype": "File",
					"file_name": "steps.txt",
					"is_private": 1,
					"attached_to_doctype": "Communication",
					"attached_to_name": reply.name,
					"content": b"1. Open the Item\n2. Set its reorder level\n",
				}
			).insert(ignore_permissions=True)
			frappe.db.commit()
			page.get_by_role("button", name="Refresh").click()
			row = page.locator(".support-desk-issue", has_text="Reorder fails")
			row.wait_for(timeout=20_000)
			row.click()
			shown = page.locator(".modal.show", has_text="Set a reorder level")
			shown.wait_for(timeout=20_000)
			link = shown.locator("a.support-desk-file", has_text="steps.txt")
			link.wait_for(timeout=20_000)
			page.screenshot(path=str(self.artifacts / "customer-site-reply-with-file.png"), full_page=True)
			got = page.request.get(link.get_attribute("href"))
			self.assertEqual((got.status, got.body()), (200, b"1. Open the Item\n2. Set its reorder level\n"))
			self.assertEqual(errors, [])

	def test_book_the_fix_from_the_customer_desk_in_a_browser(self):
		"""The customer site's Support Desk page in Chromium: its affected advisory's "Book the Fix" books
		the upgrade to the fixed version at the provider (through the outbox); completing the upgrade there
		turns the exposure Patched and the page no longer lists it."""
		self.on_customer("report_versions")  # the customer site runs frappe 15.105.x: affected
		frappe.db.rollback()
		exposure = frappe.db.get_value("Advisory Exposure", {"advisory": self.advisory, "site": self.site})
		self.assertEqual(frappe.db.get_value("Advisory Exposure", exposure, "status"), "Affected")
		with self.customer_desk() as (page, user, errors):
			page.locator(".support-desk-fix").wait_for(timeout=30_000)
			page.locator(".support-desk-fix").click()
			dialog = page.locator(".modal.show", has_text="Book the Fix")
			dialog.locator("select[data-fieldname='slot']").wait_for(timeout=20_000)
			self.assertIn("15.106.0", dialog.inner_text())
			page.screenshot(path=str(self.artifacts / "customer-site-book-fix.png"), full_page=True)
			dialog.get_by_role("button", name="Book").click()
			self.assert_no_dialog(page)
			[entry] = [e for e in self.on_customer("outbox_of", user=user)]
			type(self).outbox.append(entry["name"])
			self.on_customer("deliver")
			self.assertEqual(self.entry(entry["name"])["status"], "Delivered")
			frappe.db.rollback()
			upgrade = frappe.get_doc(
				"Upgrade Schedule", frappe.db.get_value("Advisory Exposure", exposure, "upgrade_schedule")
			)
			self.assertEqual(upgrade.status, "Scheduled")
			self.assertEqual([(a.app_name, a.to_version) for a in upgrade.apps], [("frappe", "15.106.0")])
			self.complete_upgrade(upgrade)
			frappe.db.commit()
			self.assertEqual(frappe.db.get_value("Advisory Exposure", exposure, "status"), "Patched")
			page.get_by_role("button", name="Refresh").click()
			page.locator(".support-desk-advisories", has_text="No open advisory").wait_for(timeout=20_000)
			page.screenshot(path=str(self.artifacts / "customer-site-fixed.png"), full_page=True)
			self.assertEqual(errors, [])

	@contextmanager
	def customer_desk(self):
		"""Chromium logged in to the customer site's Support Desk page, as a new desk user of that site."""
		from tests.integration.served import Realtime
		from tests.integration.test_browser import ARTIFACTS, CHROMIUM, playwright_or_skip

		sync_playwright = playwright_or_skip()
		if not self.on_customer("setup_complete"):
			self.skipTest(f"the customer desk test needs {self.customer} set up (its setup wizard completed)")
		ARTIFACTS.mkdir(parents=True, exist_ok=True)
		self.artifacts = ARTIFACTS
		password = "Fs-" + frappe.generate_hash(length=16)
		user = self.on_customer("make_user", password=password)
		type(self).desk_users.append(user)
		desk = LoopbackSite(self.customer, desk=True).start()
		realtime = Realtime().start()
		playwright = sync_playwright().start()
		errors: list[str] = []
		page = None
		try:
			browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
			page = browser.new_page(
				viewport={"width": 1400, "height": 1000},
				base_url=f"http://{self.customer}:{desk.server.server_port}",
			)
			page.on("console", lambda m: m.type == "error" and errors.append(m.text))
			page.on("pageerror", lambda e: errors.append(str(e)))
			page.goto("/login")
			page.fill("#login_email", user)
			page.fill("#login_password", password)
			page.click(".btn-login")
			page.wait_for_url(lambda url: "/app" in url, timeout=30_000)
			page.goto("/app/connector-desk")
			page.wait_for_selector(".support-desk-issues", timeout=30_000)
			yield page, user, errors
		except Exception:
			if page is not None:
				page.screenshot(path=str(ARTIFACTS / "failed-customer-site-desk.png"), full_page=True)
			print("console errors:", "\n".join(errors))
			raise
		finally:
			playwright.stop()
			realtime.stop()
			desk.stop()

	def test_the_customer_desk_in_a_browser(self):
		"""The customer site's Support Desk page in Chromium: raise an issue, see it wait, then delivered with
		its SLA state; no console errors. Screenshots go with the other browser artefacts."""
		with self.customer_desk() as (page, user, errors):
			page.get_by_role("button", name="Raise Support Issue").click()
			page.wait_for_function("window.cur_dialog && cur_dialog.display", timeout=20_000)  # opened
			dialog = page.locator(".modal.show")
			dialog.locator("input[data-fieldname='subject']").fill("Raised from the desk page")
			dialog.locator("select[data-fieldname='priority']").select_option("High")
			dialog.get_by_role("button", name="Raise").click()
			self.assert_no_dialog(page)
			page.locator(".support-desk-waiting li", has_text="Raised from the desk page").filter(
				has_text="Waiting to be delivered"
			).wait_for(timeout=20_000)
			page.screenshot(path=str(self.artifacts / "customer-site-waiting.png"), full_page=True)
			[entry] = [e for e in self.on_customer("outbox_of", user=user)]
			type(self).outbox.append(entry["name"])
			self.on_customer("deliver")
			self.assert_no_dialog(page)
			page.get_by_role("button", name="Refresh").click()
			row = page.locator(".support-desk-issue", has_text="Raised from the desk page")
			row.wait_for(timeout=20_000)
			self.assertIn("Running", row.inner_text())
			self.assertEqual(page.locator(".support-desk-waiting li").count(), 0)
			page.screenshot(path=str(self.artifacts / "customer-site-desk.png"), full_page=True)
			# in support time, as the provider's desk writes it (issue 19, item 5), each time with its zone
			self.assertRegex(
				row.locator(".fs-list-clock").inner_text(), r"^\d+ (h|min).* of support time left"
			)
			self.assertRegex(row.inner_text(), r"\d\d:\d\d [A-Z]{2,5}|\d\d:\d\d [+-]\d{2}")
			row.click()
			page.locator(".modal.show", has_text="due").wait_for(timeout=20_000)
			clocks = page.locator(".modal.show .fs-clock").all_inner_texts()
			self.assertTrue(clocks)
			for clock in clocks:
				self.assertRegex(clock, r"of support time.*, due .*\d\d:\d\d ([A-Z]{2,5}|[+-]\d{2})")
			page.screenshot(path=str(self.artifacts / "customer-site-issue.png"), full_page=True)
			self.assertEqual(errors, [])
