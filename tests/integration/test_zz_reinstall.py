"""Uninstall, reinstall and install again with bench itself, last in the run (the file name sorts last).

It only runs when the site holds no support records besides what install creates: it never drops
anybody else's data.
"""

import frappe

from frappe_support import install, onboarding
from tests.integration.utils import SupportTestCase, run_in_sites

APP_TABLES = (
	"Support Calendar",
	"Support Calendar Hours",
	"Support Calendar Closure",
	"Support Plan",
	"Support Plan Target",
	"Support Contract",
	"Support Contract Holder",
	"Support Site",
	"Support Site App",
	"Support Issue",
	"Support Issue SLA Log",
)


def bench(*args: str) -> str:
	return run_in_sites(
		["-m", "frappe.utils.bench_helper", "frappe", "--site", frappe.local.site, *args],
		f"bench {' '.join(args)}",
	)


class TestReinstall(SupportTestCase):
	def footprint(self) -> dict:
		"""What the app leaves on the site; ends the transaction so bench can drop tables."""
		frappe.db.rollback()
		tables = set(frappe.db.get_tables(cached=False))
		found = {
			"tables": sorted(t for t in (f"tab{d}" for d in APP_TABLES) if t in tables),
			"doctypes": frappe.db.count("DocType", {"module": "Frappe Support"}),
			"roles": frappe.db.count("Role", {"name": ("in", list(install.ROLES))}),
			"settings": frappe.db.count("Singles", {"doctype": "Frappe Support Settings"}),
			"patch_log": frappe.db.count("Patch Log", {"patch": ("like", "frappe_support.%")}),
			"series": frappe.db.count("Series", {"name": ("like", "SUP-%")}),
			"trail": frappe.db.count("Deleted Document", {"deleted_doctype": ("in", APP_TABLES)}),
			"module_trail": frappe.db.count(
				"Deleted Document",
				{
					"deleted_doctype": ("in", install.MODULE_RECORDS),
					"deleted_name": ("in", self.module_records),
				},
			),
			"plans": frappe.db.count("Support Plan") if "tabSupport Plan" in tables else 0,
			"onboarding_steps": frappe.db.count("Onboarding Step", {"name": ("in", list(onboarding.STEPS))}),
			"charts": frappe.db.count("Dashboard Chart", {"module": "Frappe Support"}),
			"calendars": frappe.db.count("Support Calendar") if "tabSupport Calendar" in tables else 0,
			"staff_rules": frappe.db.count(
				"Custom DocPerm",
				{"parent": ("in", list(install.STAFF_READ)), "role": ("in", list(install.ROLES))},
			),
			"custom_rules": frappe.db.count("Custom DocPerm", {"parent": ("in", list(install.STAFF_READ))}),
		}
		frappe.db.rollback()
		return found

	def test_uninstall_reinstall_install_again(self):
		if (
			frappe.db.count("Support Contract")
			or frappe.db.count("Support Issue")
			or frappe.db.count("Support Site")
		):
			self.skipTest("the site holds support records that are not the tests': not uninstalling")
		self.module_records = [  # reports, workspaces, number cards and print formats
			name
			for doctype in install.MODULE_RECORDS
			for name in frappe.get_all(doctype, filters={"module": "Frappe Support"}, pluck="name")
		]
		self.assertIn("SLA Statement", self.module_records)
		installed = self.footprint()
		self.assertEqual(len(installed["tables"]), len(APP_TABLES))
		self.assertEqual(
			(installed["roles"], installed["plans"], installed["calendars"]), (len(install.ROLES), 1, 1)
		)
		self.assertEqual(installed["staff_rules"], 6)  # Support Manager and Engineer read 3 doctypes
		self.assertEqual((installed["onboarding_steps"], installed["charts"]), (len(onboarding.STEPS), 4))
		standard = sum(frappe.db.count("DocPerm", {"parent": d}) for d in install.STAFF_READ)
		# besides the app's rules, only the copy of the standard ones made with them: uninstall removes all
		copy_only = installed["custom_rules"] - installed["staff_rules"] == standard

		bench("uninstall-app", "frappe_support", "--yes", "--no-backup")
		gone = self.footprint()
		if not copy_only:
			gone["custom_rules"] = 0  # someone's own rules on these doctypes stay
		self.assertEqual(
			gone,
			{k: ([] if k == "tables" else 0) for k in gone},
			"uninstall left rows or tables behind",
		)

		bench("install-app", "frappe_support")
		frappe.clear_cache()
		again = self.footprint()
		# (a settings row a job or a save wrote is not there on a fresh install: gone after uninstall is
		# what counts for the settings, checked above)
		varies = ("patch_log", "series", "settings")
		self.assertEqual(
			{k: v for k, v in again.items() if k not in varies},
			{k: v for k, v in installed.items() if k not in varies},
		)
		self.assertGreater(again["settings"], 0)
		bench("install-app", "frappe_support")  # a second install changes nothing
		self.assertEqual(self.footprint(), again)
