"""The site probe reads a site's app versions and health over real HTTP, from a Frappe site served on
loopback (this bench's own site, served by Frappe's WSGI application in a thread), and reports a refused
connection and a wrong key as failures without touching the stored versions."""

import frappe
from frappe.utils import random_string

from frappe_support.sites.probe import probe_site
from tests.integration.served import LoopbackSite, closed_port
from tests.integration.utils import SupportTestCase, delete_trail


class TestSiteProbe(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.started = frappe.utils.now()
		email = f"probe-{random_string(8).lower()}@fs-customer.example.com"
		user = frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": "Probe", "send_welcome_email": 0}
		).insert()
		cls.key, cls.secret = random_string(15), random_string(15)
		user.api_key, user.api_secret = cls.key, cls.secret
		user.save()
		cls.user = user.name
		frappe.db.commit()  # the served site reads the key through its own connection
		cls.served = LoopbackSite(frappe.local.site).start()

	@classmethod
	def tearDownClass(cls):
		cls.served.stop()
		frappe.db.rollback()
		contacts = frappe.get_all(
			"Contact", filters={"email_id": cls.user}, pluck="name"
		)  # made with the user
		frappe.delete_doc("User", cls.user, force=True, ignore_permissions=True)
		for contact in contacts:
			frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
		deleted = [("User", cls.user), ("Notification Settings", cls.user)] + [
			("Contact", c) for c in contacts
		]
		delete_trail(deleted, cls.started)
		frappe.db.commit()
		super().tearDownClass()

	def site(self, url: str, secret: str | None = None) -> str:
		customer = self.make_customer()
		name = self.make_site(customer, self.make_contract(customer).name, {"frappe": "15.50.0"})
		site = frappe.get_doc("Support Site", name)
		site.site_url = url
		site.api_key = self.key
		site.api_secret = secret or self.secret
		site.save()
		return name

	def apps(self, site: str) -> dict[str, str]:
		return {a.app_name: a.version for a in frappe.get_doc("Support Site", site).apps}

	def test_probe_reads_the_versions_the_site_reports(self):
		site = self.site(self.served.url)
		self.assertTrue(probe_site(site))
		apps = self.apps(site)
		self.assertEqual(apps["frappe"], frappe.__version__)
		import erpnext

		self.assertEqual(apps["erpnext"], erpnext.__version__)
		self.assertIn("frappe_support", apps)
		doc = frappe.get_doc("Support Site", site)
		self.assertEqual((doc.versions_source, doc.health), ("Probe", "Healthy"))
		self.assertEqual(doc.probe_status, f"Read {len(apps)} apps.")

	def test_a_refused_connection_is_reported_and_changes_no_version(self):
		site = self.site(f"http://127.0.0.1:{closed_port()}")
		self.assertFalse(probe_site(site))
		doc = frappe.get_doc("Support Site", site)
		self.assertIn("Could not reach", doc.probe_status)
		self.assertIn("ConnectionError", doc.probe_status)
		self.assertEqual(doc.health, "Down")
		self.assertEqual(self.apps(site), {"frappe": "15.50.0"})
		self.assertEqual(doc.versions_source, "Manual")

	def test_a_wrong_secret_is_a_401_and_changes_no_version(self):
		site = self.site(self.served.url, secret="not-the-secret")
		self.assertFalse(probe_site(site))
		doc = frappe.get_doc("Support Site", site)
		self.assertIn("HTTP 401", doc.probe_status)
		self.assertEqual(doc.health, "Healthy")  # it answers ping; it refuses the key
		self.assertEqual(self.apps(site), {"frappe": "15.50.0"})
