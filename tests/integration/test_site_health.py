"""Site health on the provider: a reported snapshot is cleaned and kept one row a site a day and as the site's
latest; a threshold crossing is suggested to staff once, and again only after the site was back under it;
an issue raised with a snapshot carries it as a private file; garbage is refused with nothing saved.
(The snapshot sent by a real customer site: test_connector_sites.)"""

from __future__ import annotations

import json

import frappe
from frappe.utils import add_days, getdate

from frappe_support.api import v1
from frappe_support.sites.health import site_health, store
from tests.integration.utils import SupportTestCase

SNAPSHOT = {
	"db_size_mb": 100.0,
	"errors_24h": 3,
	"pending_jobs": 2,
	"scheduler": "Active",
	"largest_tables": [{"table": "tabGL Entry", "size_mb": 40}],
	"last_10_active_users": "someone@customer.example.com",
}


class TestSiteHealth(SupportTestCase):
	def setUp(self):
		super().setUp()
		self.ensure_outgoing_account()
		self.use_settings(health_db_growth_mb=50, health_errors_per_day=0, health_pending_jobs=0)
		self.manager = self.make_engineer()
		frappe.get_doc("User", self.manager).add_roles("Support Manager")
		self.customer = self.make_customer()
		self.contract = self.make_contract(self.customer)
		self.site = self.make_site(self.customer, self.contract.name)

	def rows(self) -> list:
		return frappe.get_all(
			"Support Site Health", filters={"site": self.site}, fields=["*"], order_by="day"
		)

	def suggestions(self) -> int:
		return frappe.db.count(
			"Notification Log",
			{"for_user": self.manager, "document_name": self.site, "subject": ("like", "%may need scaling%")},
		)

	def test_a_snapshot_is_kept_a_row_a_day_cleaned(self):
		store(self.site, SNAPSHOT)
		store(self.site, {**SNAPSHOT, "db_size_mb": 101.5})
		(row,) = self.rows()
		self.assertEqual((row.day, row.db_size_mb, row.errors_24h), (getdate(), 101.5, 3))
		kept = json.loads(row.snapshot)
		self.assertNotIn("last_10_active_users", kept)  # only the known figures are kept
		self.assertEqual(kept["largest_tables"], [{"table": "tabGL Entry", "size_mb": 40.0}])
		view = site_health(self.site)
		self.assertEqual(view["latest"]["db_size_mb"], 101.5)
		self.assertEqual(
			[(m["month"], m["db_size_mb"]) for m in view["trend"]], [(getdate().strftime("%Y-%m"), 101.5)]
		)
		self.assertIsNotNone(frappe.db.get_value("Support Site", self.site, "health_reported_on"))

	def test_a_crossing_is_suggested_once_and_again_after_it_was_under(self):
		frappe.get_doc(
			{
				"doctype": "Support Site Health",
				"site": self.site,
				"customer": self.customer,
				"day": add_days(getdate(), -20),
				"db_size_mb": 10.0,
			}
		).insert()
		store(self.site, SNAPSHOT)  # grew 90 MB in 20 days: over 50
		self.assertEqual(frappe.db.get_value("Support Site", self.site, "health_alerts"), "db_growth_mb")
		self.assertEqual(self.suggestions(), 1)
		mails = [m for r, m in self.queued_mails(self.site) if r == self.manager]
		self.assertEqual(len(mails), 1)
		self.assertIn("category=3DScaling", mails[0].replace("=\r\n", ""))  # the link opens a Scaling issue
		store(self.site, {**SNAPSHOT, "db_size_mb": 120.0})  # still over: not told again
		self.assertEqual(self.suggestions(), 1)
		store(self.site, {**SNAPSHOT, "db_size_mb": 30.0})  # back under
		self.assertIsNone(frappe.db.get_value("Support Site", self.site, "health_alerts"))
		store(self.site, {**SNAPSHOT, "db_size_mb": 200.0})  # a new crossing
		self.assertEqual(self.suggestions(), 2)

	def test_through_the_customer_api(self):
		user = self.make_customer_user(self.customer)
		frappe.set_user(user)
		with self.assertRaises(frappe.ValidationError):
			v1.report_site(self.site, {"frappe": "15.50.0"}, health="{not json")
		frappe.set_user("Administrator")
		self.assertEqual(self.rows(), [])
		frappe.set_user(user)
		answer = v1.report_site(self.site, {"frappe": "15.50.0"}, health=json.dumps(SNAPSHOT))
		self.assertIn("db_size_mb", answer["health"])
		issue = v1.raise_issue(
			"Slow reports",
			category="Scaling",
			site=self.site,
			health=SNAPSHOT,
			idempotency_key=frappe.generate_hash(),
		)
		plain = v1.raise_issue(
			"No site", category="Scaling", health=SNAPSHOT, idempotency_key=frappe.generate_hash()
		)
		frappe.set_user("Administrator")
		self.assertEqual(len(self.rows()), 1)
		files = frappe.get_all(
			"File", filters={"attached_to_name": issue["name"]}, fields=["file_name", "is_private", "name"]
		)
		self.assertEqual([(f.file_name, f.is_private) for f in files], [("site-health.json", 1)])
		content = json.loads(frappe.get_doc("File", files[0].name).get_content())
		self.assertEqual((content["db_size_mb"], "last_10_active_users" in content), (100.0, False))
		self.assertEqual(frappe.get_all("File", filters={"attached_to_name": plain["name"]}), [])
