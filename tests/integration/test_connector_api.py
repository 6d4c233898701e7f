"""The provider's connector API over real HTTP (this bench's site served on loopback), called with the
API key and secret of customer users: each reaches only their own customer's records, writes are POST
only and idempotent, a wrong secret is refused and changes nothing."""

import json
import time

import frappe
import requests
from frappe.utils import now_datetime

from tests.integration.committed import ServedTestCase
from tests.integration.utils import publish_frappe_advisory

API = "/api/method/frappe_support.api.v1."


class TestConnectorApi(ServedTestCase):
	@classmethod
	def make_records(cls):
		helper, made = cls("test_ping_names_the_callers_customer_and_sites"), cls.committed.add
		calendar = cls.two_customers(helper)
		cls.contract, cls.site = {}, {}
		for customer in (cls.mine, cls.theirs):
			contract = helper.make_contract(customer, calendar=calendar)
			cls.contract[customer] = made("Support Contract", contract.name)
			cls.site[customer] = made(
				"Support Site", helper.make_site(customer, contract.name, {"frappe": "15.80.0"})
			)
		cls.advisory = made("Security Advisory", publish_frappe_advisory("Connector test advisory").name)
		cls.user, key, secret = cls.committed.user("Holder", ["Support Customer"], customer=cls.mine)
		cls.other_user, other_key, other_secret = cls.committed.user(
			"Other", ["Support Customer"], customer=cls.theirs
		)
		_staff, staff_key, staff_secret = cls.committed.user("Engineer", ["Support Engineer"])
		cls.auth = f"token {key}:{secret}"
		cls.other_auth = f"token {other_key}:{other_secret}"
		cls.staff_auth = f"token {staff_key}:{staff_secret}"
		cls.wrong_auth = f"token {key}:{secret}x"

	def call(self, method: str, auth: str | None = None, get: bool = False, **args) -> requests.Response:
		url = self.served.url + API + method
		headers = {"Authorization": auth or self.auth, "Accept": "application/json"}
		if get:
			return requests.get(url, params=args, headers=headers, timeout=30)
		body = {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in args.items()}
		return requests.post(url, data=body, headers=headers, timeout=30)

	def ok(self, response: requests.Response):
		self.assertEqual(response.status_code, 200, response.text[:2000])
		return response.json()["message"]

	def message(self, response: requests.Response) -> str:
		messages = json.loads(response.json().get("_server_messages") or "[]")
		return " ".join(json.loads(m).get("message", "") for m in messages)

	def fresh(self):
		frappe.db.rollback()  # read what the served site committed

	# -- tests -----------------------------------------------------------------------------------------
	def test_ping_names_the_callers_customer_and_sites(self):
		answer = self.ok(self.call("ping", get=True))
		self.assertEqual((answer["customers"], answer["sites"]), ([self.mine], [self.site[self.mine]]))
		refused = self.call("ping", auth=self.staff_auth, get=True)
		self.assertEqual(refused.status_code, 403)
		self.assertIn("customer API is for customer users", self.message(refused))

	def test_a_wrong_secret_is_refused_and_changes_nothing(self):
		before = frappe.db.count("Support Issue", {"customer": self.mine})
		response = self.call(
			"raise_issue", auth=self.wrong_auth, subject="Never made", idempotency_key="wrong-1"
		)
		self.assertEqual(response.status_code, 401)
		self.fresh()
		self.assertEqual(frappe.db.count("Support Issue", {"customer": self.mine}), before)

	def test_raise_an_issue_once_with_the_right_contract_deadlines_and_raiser(self):
		key = f"issue-{frappe.generate_hash(length=10)}"
		args = {
			"subject": "Checkout fails",
			"priority": "High",
			"site": self.site[self.mine],
			"idempotency_key": key,
		}
		first, again = (self.ok(self.call("raise_issue", **args)) for _attempt in range(2))
		self.assertEqual(again["name"], first["name"])
		self.fresh()
		self.assertEqual(frappe.db.count("Support Issue", {"idempotency_key": key}), 1)
		issue = frappe.get_doc("Support Issue", first["name"])
		self.assertEqual(
			(issue.customer, issue.contract, issue.raised_by),
			(self.mine, self.contract[self.mine], self.user),
		)
		self.assertEqual(issue.sla_state, "Running")
		# 24x7 calendar: respond in 1 hour, resolve in 8, from the moment it was raised
		self.assertEqual((issue.resolution_by - issue.opening_date).total_seconds(), 8 * 3600)
		self.assertEqual((issue.response_by - issue.opening_date).total_seconds(), 3600)
		# another customer's key cannot replay the key, nor raise on this customer's site
		self.assertEqual(
			self.call("raise_issue", auth=self.other_auth, subject="x", idempotency_key=key).status_code, 403
		)
		response = self.call("raise_issue", auth=self.other_auth, subject="x", site=self.site[self.mine])
		self.assertEqual(response.status_code, 403)
		self.fresh()
		self.assertEqual(frappe.db.count("Support Issue", {"customer": self.theirs}), 0)

	def test_writes_need_post(self):
		response = self.call("raise_issue", get=True, subject="By GET")
		self.assertNotEqual(response.status_code, 200)
		self.fresh()
		self.assertFalse(frappe.db.exists("Support Issue", {"subject": "By GET"}))

	def test_read_reply_and_isolation(self):
		mine = self.ok(
			self.call("raise_issue", subject="Reports are slow", idempotency_key=frappe.generate_hash())
		)
		theirs = self.ok(self.call("raise_issue", auth=self.other_auth, subject="Their issue"))
		listed = [i["name"] for i in self.ok(self.call("list_issues", get=True))]
		self.assertIn(mine["name"], listed)
		self.assertNotIn(theirs["name"], listed)
		self.assertEqual(self.call("get_issue", get=True, name=theirs["name"]).status_code, 403)
		self.assertEqual(self.call("get_issue", get=True, name="SUP-ISS-NOPE").status_code, 404)
		self.assertEqual(self.call("reply", issue=theirs["name"], message="mine now").status_code, 403)

		self.fresh()
		issue = frappe.get_doc("Support Issue", mine["name"])
		issue.status = "Waiting for Customer"
		issue.save(ignore_permissions=True)
		frappe.db.commit()
		key = frappe.generate_hash()
		for _attempt in range(2):
			answer = self.ok(
				self.call("reply", issue=mine["name"], message="Here are the logs.", idempotency_key=key)
			)
		self.assertEqual(answer["status"], "Open")  # the customer's reply resumed the clock
		read = self.ok(self.call("get_issue", get=True, name=mine["name"]))
		self.assertEqual([r["content"] for r in read["replies"]], ["Here are the logs."])
		self.assertEqual([c["clock"] for c in read["clocks"]], ["Resolution"])  # staff answered by status
		empty = self.call("reply", issue=mine["name"], message="  ")
		self.assertEqual(empty.status_code, 417)
		self.assertIn("The reply is empty", self.message(empty))

	def test_reported_versions_update_the_site_and_its_exposures(self):
		site = self.site[self.mine]
		self.assertEqual(self.ok(self.call("list_exposures", get=True)), [])  # 15.80.0 is past the fix
		answer = self.ok(
			self.call(
				"report_site", site=site, apps={"frappe": {"version": "15.50.0", "branch": "version-15"}}
			)
		)
		self.assertEqual(answer["apps"]["frappe"], "15.50.0")
		self.fresh()
		doc = frappe.get_doc("Support Site", site)
		self.assertEqual((doc.versions_source, doc.apps[0].branch), ("Connector", "version-15"))
		self.assertIsNotNone(doc.last_heartbeat_on)
		exposures = self.ok(self.call("list_exposures", get=True))
		self.assertEqual(
			[(e["site"], e["status"], e["fixed_version"]) for e in exposures], [(site, "Affected", "15.72.0")]
		)
		acknowledged = self.ok(self.call("acknowledge_exposure", name=exposures[0]["name"]))
		self.assertIsNotNone(acknowledged["acknowledged_on"])
		# the other customer can neither report for this site nor acknowledge its exposure
		self.assertEqual(
			self.call("report_site", auth=self.other_auth, site=site, apps={"frappe": "14.0.0"}).status_code,
			403,
		)
		self.assertEqual(
			self.call("acknowledge_exposure", auth=self.other_auth, name=exposures[0]["name"]).status_code,
			403,
		)
		bad = self.call("report_site", site=site, apps="not json")
		self.assertEqual(bad.status_code, 417)
		self.fresh()
		self.assertEqual(frappe.get_doc("Support Site", site).apps[0].version, "15.50.0")

	def test_upgrade_request_is_idempotent_and_scoped(self):
		site = self.site[self.mine]
		self.assertIsInstance(self.ok(self.call("upgrade_slots", get=True, site=site)), list)
		self.assertEqual(
			self.call("upgrade_slots", get=True, auth=self.other_auth, site=site).status_code, 403
		)
		key = frappe.generate_hash()
		args = {
			"site": site,
			"window_start": "2027-03-02 10:00:00",
			"window_end": "2027-03-02 12:00:00",
			"idempotency_key": key,
			"apps": [{"app_name": "frappe", "to_version": "15.90.0"}],
		}
		missing = self.call("request_upgrade", **{**args, "apps": [{"app_name": "frappe"}]})
		self.assertEqual(missing.status_code, 417)
		self.assertIn("target version", self.message(missing))
		first = self.ok(self.call("request_upgrade", **args))
		second = self.ok(self.call("request_upgrade", **args))
		self.assertEqual((first["name"], first["status"]), (second["name"], "Requested"))
		self.fresh()
		self.assertEqual(frappe.db.count("Upgrade Schedule", {"idempotency_key": key}), 1)

	def test_calls_are_rate_limited_per_user(self):
		"""One write budget per user for every customer method: heartbeats spend it, and then a different
		write is refused too, with Retry-After; another user's budget is their own."""
		from frappe_support.api.v1.door import WRITES_PER_MINUTE

		self.addCleanup(frappe.cache.delete_keys, "frappe_support:customer-api:")  # the next tests' budget
		version = {"parent": self.site[self.mine], "app_name": "frappe"}
		before = frappe.db.get_value("Support Site App", version, "version")
		if now_datetime().second > 50:
			time.sleep(61 - now_datetime().second)  # all calls in one minute
		codes = [
			self.call("heartbeat", site=self.site[self.mine]).status_code for _i in range(WRITES_PER_MINUTE)
		]
		self.assertEqual(codes, [200] * WRITES_PER_MINUTE)
		refused = self.call("report_site", site=self.site[self.mine], apps={"frappe": "15.0.0"})
		self.assertEqual(refused.status_code, 429, refused.text[:300])
		self.assertTrue(1 <= int(refused.headers["Retry-After"]) <= 60, refused.headers)
		self.assertIn("Too many calls", refused.text, refused.text[:500])
		self.fresh()
		self.assertEqual(frappe.db.get_value("Support Site App", version, "version"), before)
		self.assertEqual(self.call("ping", get=True).status_code, 200)  # reads have their own budget
		self.assertEqual(
			self.call("heartbeat", auth=self.other_auth, site=self.site[self.theirs]).status_code, 200
		)
