"""Generated garbage at every method of the customer API, and at the DocType validators through REST, over
real HTTP: wrong types, huge strings, bad dates, unknown fields, markup, other customers' names. The answer
is always a 2xx or a 4xx with a message, never a 5xx, and a refused write saves nothing.

Hypothesis draws the arguments (a fixed seed per run is not used: each run tries new garbage); the site is
served on loopback, so the records are committed and deleted afterwards.
"""

from __future__ import annotations

import json

import frappe
import requests
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from frappe_support.api import v1
from tests.integration.committed import ServedTestCase

API = "/api/method/frappe_support.api.v1."
WRITES = {
	"raise_issue",
	"reply",
	"attach_file",
	"reopen_issue",
	"confirm_resolved",
	"acknowledge_exposure",
	"book_fix",
	"request_upgrade",
	"cancel_upgrade",
	"report_site",
	"heartbeat",
}
PARAMS = (
	"name",
	"issue",
	"site",
	"contract",
	"subject",
	"description",
	"priority",
	"category",
	"topic",
	"raised_by",
	"message",
	"idempotency_key",
	"status",
	"start",
	"page_length",
	"open_only",
	"window_start",
	"window_end",
	"apps",
	"month",
	"filename",
	"content",
	"customer",
	"docstatus",
)
# not tried: "cmd", Frappe's own routing field (a list there fails in Frappe's handler before any method)
RESERVED = {"cmd", "data"}
FIELDS = (
	"subject",
	"priority",
	"status",
	"opening_date",
	"customer",
	"contract",
	"site",
	"site_url",
	"window_start",
	"window_end",
	"start_date",
	"end_date",
	"category",
	"topic",
	"plan",
	"calendar",
	"engineer",
	"description",
)
ROW_FIELDS = ("app_name", "version", "to_version", "from_version", "branch", "commit")
COUNTED = (
	"Support Issue",
	"Communication",
	"Upgrade Schedule",
	"File",
	"Advisory Exposure",
	"Support Site App",
)

scalars = st.one_of(
	st.none(),
	st.booleans(),
	st.integers(min_value=-(2**63), max_value=2**63),
	st.floats(allow_nan=False, allow_infinity=False),
	st.text(max_size=300),
	st.sampled_from(
		[
			"",
			" ",
			"null",
			"[]",
			"{}",
			"2027-13-45T99:99:99",
			"next tuesday",
			"2027-03-02T10:00:00+25:00",
			"0000-00-00 00:00:00",
			"-1",
			"1e309",
			"SUP-ISS-2026-99999",
			"../../etc/passwd",
			"' OR 1=1 --",
			'"<img src=x onerror=alert(1)>"',
			"<script>alert(1)</script>",
			"x" * 70_000,
			"%00",
			"\u202e\u0000",
			"Administrator",
		]
	),
)
values = st.recursive(
	scalars,
	lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
	max_leaves=8,
)
garbage = st.dictionaries(
	st.sampled_from(PARAMS) | st.text(min_size=1, max_size=12).filter(lambda k: k not in RESERVED),
	values,
	max_size=6,
)


def wire(value):
	return json.dumps(value) if isinstance(value, dict | list) else value


class TestGarbageIn(ServedTestCase):
	@classmethod
	def make_records(cls):
		helper = cls("test_every_customer_method_answers_garbage_with_a_4xx")
		calendar = cls.two_customers(helper)
		contract = helper.make_contract(cls.mine, calendar=calendar)
		cls.committed.add("Support Contract", contract.name)
		cls.committed.add("Support Site", helper.make_site(cls.mine, contract.name))
		helper.make_issue(contract, opening=frappe.utils.now())
		_user, key, secret = cls.committed.user("Fuzz", ["Support Customer"], customer=cls.mine)
		_staff, skey, ssecret = cls.committed.user("FuzzStaff", ["Support Manager"])
		cls.auth = {"Authorization": f"token {key}:{secret}", "Accept": "application/json"}
		cls.staff_auth = {"Authorization": f"token {skey}:{ssecret}", "Accept": "application/json"}

	def counts(self) -> dict:
		frappe.db.rollback()
		return {d: frappe.db.count(d) for d in COUNTED}

	def answered(self, response: requests.Response, what: str) -> None:
		self.assertLess(response.status_code, 500, f"{what}: {response.status_code} {response.text[:500]}")
		if response.status_code >= 400:
			body = response.json()
			self.assertTrue(
				body.get("_server_messages") or body.get("exception") or body.get("message"), what
			)

	def post(self, path: str, args: dict, headers: dict, as_json: bool) -> requests.Response:
		frappe.cache.delete_keys("frappe_support:customer-api:")  # garbage, not the rate limit, is tried
		url = self.served.url + path
		if as_json:
			return requests.post(url, json=args, headers=headers, timeout=60)
		return requests.post(url, data={k: wire(v) for k, v in args.items()}, headers=headers, timeout=60)

	@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
	@given(method=st.sampled_from(v1.__all__), args=garbage, as_json=st.booleans())
	def test_every_customer_method_answers_garbage_with_a_4xx(self, method, args, as_json):
		before = self.counts()
		response = self.post(API + method, args, self.auth, as_json)
		self.answered(response, f"{method}({args!r:.300})")
		if response.status_code >= 400 or method not in WRITES:
			self.assertEqual(self.counts(), before, f"{method} saved something: {args!r:.300}")

	@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
	@given(
		doctype=st.sampled_from(["Support Issue", "Upgrade Schedule", "Support Site", "Support Contract"]),
		doc=st.dictionaries(st.sampled_from(FIELDS), values, max_size=6),
		rows=st.one_of(
			st.none(), st.lists(st.dictionaries(st.sampled_from(ROW_FIELDS), values, max_size=3), max_size=3)
		),
	)
	@example(doctype="Support Site", doc={"site_url": True}, rows=None)  # was a 500 ('bool' has no strip)
	def test_the_validators_answer_garbage_with_a_4xx(self, doctype, doc, rows):
		"""A table is sent as a list of rows (anything else fails in Frappe's own REST layer, before the
		DocType sees it); what the rows and fields hold is garbage."""
		if rows is not None:
			doc = {**doc, "apps": rows}
		before = self.counts()
		response = self.post(f"/api/resource/{doctype}", doc, self.staff_auth, True)
		self.answered(response, f"{doctype} {doc!r:.300}")
		if response.status_code >= 400:
			self.assertEqual(self.counts(), before)
		elif response.status_code == 200:  # garbage that happens to be a valid record: remove it again
			self.committed.add(doctype, response.json()["data"]["name"])
