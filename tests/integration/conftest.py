"""Integration tier: connects to a real site of a real bench (MariaDB, Redis, ERPNext, this app).

Run with the bench's Python: `$FRAPPE_BENCH/env/bin/python -m pytest tests/integration`. The site is
$FRAPPE_SITE, else the bench's default site; it must have `allow_tests` set and frappe_support installed.
Without Frappe importable (plain Python), the whole tier is skipped with the reason.
"""

import json
import os
from pathlib import Path

import pytest

try:
	import frappe
except ImportError:  # plain Python: the unit tier only
	frappe = None

collect_ignore_glob = [] if frappe else ["test_*.py"]


def _site(sites: Path) -> str:
	site = os.environ.get("FRAPPE_SITE")
	if not site:
		conf = json.loads((sites / "common_site_config.json").read_text())
		site = conf.get("default_site")
	if not site and (sites / "currentsite.txt").exists():
		site = (sites / "currentsite.txt").read_text().strip()
	return site or ""


def pytest_report_header(config):
	if frappe is None:
		return "integration tier: SKIPPED (frappe is not importable: run with the bench's Python)"
	return None


@pytest.fixture(scope="session", autouse=True)
def frappe_site():
	bench = Path(os.environ.get("FRAPPE_BENCH", Path.home() / "frappe-bench"))
	sites = bench / "sites"
	site = _site(sites)
	if not site or not (sites / site).is_dir():
		pytest.exit(f"No site found in {sites}: set FRAPPE_SITE", returncode=2)
	os.chdir(sites)
	frappe.init(site=site, sites_path=str(sites))
	frappe.connect()
	if not frappe.local.conf.allow_tests:
		pytest.exit(
			f"{site} does not allow tests: bench --site {site} set-config allow_tests true", returncode=2
		)
	if "frappe_support" not in frappe.get_installed_apps():
		pytest.exit(f"frappe_support is not installed on {site}", returncode=2)
	frappe.flags.in_test = True
	frappe.flags.mute_emails = True  # as Frappe's test runner: queue emails, never send (sending commits)
	frappe.set_user("Administrator")
	yield site
	frappe.db.rollback()
	frappe.destroy()
