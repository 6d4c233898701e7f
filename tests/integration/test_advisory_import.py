"""Import of GitHub repository-advisory JSON: from an uploaded file and over HTTP from the API."""

import copy
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import frappe

from frappe_support.advisories.github_import import fetch_from_github, import_advisories, import_file
from tests.integration.utils import SupportTestCase

FIXTURE = Path(__file__).resolve().parents[2] / "frappe_support" / "demo" / "advisories.json"


def fixture() -> list[dict]:
	"""The shared sample, with GHSA ids made unique to this test so the site's own advisories are safe."""
	items = json.loads(FIXTURE.read_text())
	suffix = frappe.generate_hash(length=4)
	for item in items:
		item["ghsa_id"] = f"{item['ghsa_id']}-{suffix}"
	return items


class FakeGitHub:
	"""A loopback HTTP server answering GET /repos/{repo}/security-advisories in pages, as GitHub does."""

	def __init__(self, pages: list[list], status: int = 200):
		owner = self

		class Handler(BaseHTTPRequestHandler):
			def do_GET(self):
				owner.requests.append((self.path, self.headers.get("Authorization")))
				page = int(self.path.split("&page=")[1]) if "&page=" in self.path else 0
				body = json.dumps(owner.pages[page] if status == 200 else {"message": "Bad credentials"})
				self.send_response(status)
				self.send_header("Content-Type", "application/json")
				if status == 200 and page + 1 < len(owner.pages):
					base = f"http://127.0.0.1:{owner.port}{self.path.split('&page=')[0]}"
					self.send_header("Link", f'<{base}&page={page + 1}>; rel="next"')
				self.end_headers()
				self.wfile.write(body.encode())

			def log_message(self, *args):
				pass

		self.pages, self.requests = pages, []
		self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
		self.port = self.server.server_address[1]
		threading.Thread(target=self.server.serve_forever, daemon=True).start()

	def stop(self):
		self.server.shutdown()


class TestAdvisoryImport(SupportTestCase):
	def advisories(self, items) -> dict[str, frappe._dict]:
		rows = frappe.get_all(
			"Security Advisory",
			filters={"ghsa_id": ("in", [i["ghsa_id"] for i in items])},
			fields=["name", "ghsa_id", "status", "severity", "cvss_score", "revision", "source"],
		)
		return {r.ghsa_id: r for r in rows}

	def test_upload_imports_then_updates_without_duplicates(self):
		items = fixture()
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "advisories.json",
				"content": json.dumps(items).encode(),
				"is_private": 1,
			}
		).insert()
		self.assertEqual(import_file(file.file_url), {"created": 3, "updated": 0, "unchanged": 0})
		found = self.advisories(items)
		first, second, third = (found[i["ghsa_id"]] for i in items)
		self.assertEqual(
			(first.status, first.severity, first.cvss_score, first.source),
			("Published", "High", 8.1, "GitHub"),
		)
		self.assertEqual(second.severity, "Medium")  # GitHub's "medium"
		self.assertEqual(third.status, "Withdrawn")
		ranges = frappe.get_doc("Security Advisory", first.name).ranges
		self.assertEqual(
			[(r.app_name, r.vulnerable_range, r.patched_version) for r in ranges],
			[("frappe", "< 14.96.10", "14.96.10"), ("frappe", ">= 15.0.0, < 15.72.0", "15.72.0")],
		)
		self.assertEqual(import_advisories(items), {"created": 0, "updated": 0, "unchanged": 3})
		revised = copy.deepcopy(items)
		revised[0]["vulnerabilities"][1]["vulnerable_version_range"] = ">= 15.0.0, < 15.73.0"
		revised[0]["vulnerabilities"][1]["patched_versions"] = "15.73.0"
		self.assertEqual(import_advisories(revised[0]), {"created": 0, "updated": 1, "unchanged": 0})
		self.assertEqual(self.advisories(items)[items[0]["ghsa_id"]].revision, 1)
		self.assertEqual(len(self.advisories(items)), 3)

	def test_one_bad_advisory_imports_nothing(self):
		items = fixture()
		items[1]["vulnerabilities"][0]["vulnerable_version_range"] = "about fifteen"
		before = frappe.db.count("Security Advisory")
		with self.assertRaisesRegex(frappe.ValidationError, "about fifteen"):
			import_advisories(items)
		self.assertEqual(frappe.db.count("Security Advisory"), before)

	def test_fetch_follows_pages_with_the_token_and_shows_errors(self):
		items = fixture()
		github = FakeGitHub([items[:2], items[2:]])
		self.addCleanup(github.stop)
		self.use_settings(
			advisory_repositories="frappe/frappe",
			github_api_url=f"http://127.0.0.1:{github.port}",
			github_token="ghp_test_token",
		)
		self.assertEqual(fetch_from_github(), {"created": 3, "updated": 0, "unchanged": 0})
		self.assertEqual(len(github.requests), 2)
		self.assertTrue(github.requests[0][0].startswith("/repos/frappe/frappe/security-advisories"))
		self.assertEqual({auth for _path, auth in github.requests}, {"Bearer ghp_test_token"})
		refused = FakeGitHub([[]], status=401)
		self.addCleanup(refused.stop)
		self.use_settings(github_api_url=f"http://127.0.0.1:{refused.port}")
		before = frappe.db.count("Security Advisory")
		with self.assertRaisesRegex(frappe.ValidationError, "HTTP 401"):
			fetch_from_github()
		self.assertEqual(frappe.db.count("Security Advisory"), before)
