"""The demo data (`bench --site S frappe-support demo`): one run builds the provider the README promises,
through the app's own paths (every SLA state, matched exposures, booked, completed and failed upgrades);
a second run adds nothing; `--remove` puts every table's row count back where it was.

The demo commits (it is a bench command), so this test leaves the site as it found it by removing it;
on a site that already holds an operator's demo it is skipped, and says so."""

from __future__ import annotations

import subprocess
import sys

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from frappe_support import demo
from frappe_support.demo import build
from frappe_support.doctor import run_checks


def row_counts() -> dict[str, int]:
	tables = frappe.db.sql_list(
		"select table_name from information_schema.tables"
		" where table_schema = database() and table_name like 'tab%%'"
	)
	return {t: frappe.db.sql(f"select count(*) from `{t}`")[0][0] for t in tables}


def changed(before: dict, after: dict) -> dict:
	return {t: (before.get(t), n) for t, n in after.items() if before.get(t) != n}


class TestDemo(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		if demo.made():
			self.skipTest("this site holds a demo already: run `frappe-support demo --remove` to test")
		frappe.db.commit()
		self.addCleanup(lambda: demo.made() and demo.remove())

	def records(self, doctype: str) -> list[str]:
		return [n for d, n in demo.made()["records"] if d == doctype]

	def test_the_demo_is_made_once_and_removed_exactly(self):
		before = row_counts()
		self.assertTrue(demo.make()["made"])
		made = row_counts()
		self.assertEqual(changed(made, row_counts()), {})
		self.check_the_provider()
		self.assertFalse(demo.make()["made"])  # a second run finds it
		self.assertEqual(changed(made, row_counts()), {})
		self.assertTrue(demo.remove()["removed"])
		self.assertEqual(changed(before, row_counts()), {})
		self.assertIsNone(demo.made())
		self.assertFalse(demo.remove()["removed"])

	def check_the_provider(self):
		issues = frappe.get_all(
			"Support Issue",
			filters={"name": ("in", self.records("Support Issue"))},
			fields=["name", "sla_state", "status", "priority", "upgrade_schedule"],
		)
		states = {i.sla_state for i in issues}
		self.assertLessEqual({"Running", "At Risk", "Breached", "Paused", "Met", "Not Covered"}, states)
		logged = frappe.get_all(
			"Support Issue SLA Log", filters={"parent": ("in", [i.name for i in issues])}, pluck="parent"
		)
		self.assertEqual({i.name for i in issues if i.sla_state != "Not Covered"} - set(logged), set())
		upgrades = frappe.get_all(
			"Upgrade Schedule",
			filters={"name": ("in", self.records("Upgrade Schedule"))},
			fields=["name", "status", "issue", "site"],
		)
		self.assertEqual(
			sorted(u.status for u in upgrades), ["Completed", "Failed", "Scheduled", "Scheduled"]
		)
		(failed,) = [u for u in upgrades if u.status == "Failed"]
		self.assertEqual(frappe.db.get_value("Support Issue", failed.issue, "priority"), "High")
		(done,) = [u for u in upgrades if u.status == "Completed"]
		versions = dict(
			frappe.get_all(
				"Support Site App",
				filters={"parent": done.site},
				fields=["app_name", "version"],
				as_list=True,
			)
		)
		self.assertEqual(versions["frappe"], "15.85.0")  # the completed upgrade updated the site
		exposures = frappe.get_all(
			"Advisory Exposure",
			filters={"site": ("in", demo.made()["sites"]), "status": "Affected"},
			fields=["installed_version", "fixed_version"],
		)
		self.assertIn(("15.60.0", "15.72.0"), [(e.installed_version, e.fixed_version) for e in exposures])
		ends = frappe.get_all(
			"Support Contract",
			filters={"name": ("in", self.records("Support Contract"))},
			fields=["end_date", "covers_upgrade", "status"],
		)
		self.assertIn(add_days(getdate(), 20), [c.end_date for c in ends])
		self.assertEqual(sorted(c.covers_upgrade for c in ends), [0, 1, 1])
		self.assertEqual({c.status for c in ends}, {"Active"})
		said = " ".join(
			p["problem"] for r in run_checks(["calendars", "contracts", "sites"]) for p in r["problems"]
		)
		for name in (
			self.records("Support Calendar") + self.records("Support Contract") + demo.made()["sites"]
		):
			self.assertNotIn(name, said)  # the doctor finds nothing wrong with the demo

	def test_the_command_makes_and_removes_it(self):
		run = self.bench("frappe-support", "demo")
		self.assertIn("Demo data made:", run.stdout, run.stderr)
		self.assertIn("already on this site", self.bench("frappe-support", "demo").stdout)
		self.assertIn("Demo data removed:", self.bench("frappe-support", "demo", "--remove").stdout)
		frappe.db.rollback()  # read what the command committed
		self.assertIsNone(demo.made())
		self.assertFalse(frappe.db.exists("User", build.ENGINEER))

	def bench(self, *args: str) -> subprocess.CompletedProcess:
		run = subprocess.run(
			[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", frappe.local.site, *args],
			cwd=frappe.local.sites_path,
			capture_output=True,
			text=True,
			timeout=600,
		)
		self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
		return run
