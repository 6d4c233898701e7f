"""Benchmark of the SLA sweep on a real site: N open issues, K of them due.

Run by a bench's Python from the repository root:
    $FRAPPE_BENCH/env/bin/python benchmarks/sla_sweep.py [--n 10000 100000] [--due 1000]
The site is $FRAPPE_SITE or the bench's default site. Issues are bulk-inserted and committed, the sweep runs
as the scheduler runs it (a commit per issue), and afterwards exactly the rows the benchmark made are deleted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.dirname(os.path.abspath(__file__))]

import bench_site


def make_contract():
	import frappe

	holder = frappe.get_doc(
		{
			"doctype": "Contact",
			"first_name": "Sweep holder",
			"email_ids": [{"email_id": "holder@sweep-benchmark.example.com", "is_primary": 1}],
		}
	)
	return bench_site.make_contract("Sweep benchmark", 400, holders=[holder])


def fill(contract, n: int, due: int) -> None:
	"""n open issues on the contract; `due` of them have their resolution deadline in the past."""
	import frappe
	from frappe.utils import add_to_date, now_datetime

	now = now_datetime()
	fields = [
		"name",
		"owner",
		"modified_by",
		"creation",
		"modified",
		"naming_series",
		"subject",
		"customer",
		"contract",
		"status",
		"priority",
		"category",
		"opening_date",
		"sla_state",
		"sla_start",
		"response_by",
		"first_responded_on",
		"response_state",
		"at_risk_on",
		"resolution_by",
		"response_breach_notified",
		"at_risk_notified",
		"next_sla_check_on",
	]
	rows = []
	for k in range(n):
		is_due = k < due
		deadline = add_to_date(now, hours=-1 if is_due else 24 * 5)
		rows.append(
			(
				f"SWEEP-BENCH-{k:07d}",
				"Administrator",
				"Administrator",
				now,
				now,
				"SUP-ISS-.YYYY.-",
				f"Benchmark issue {k}",
				contract.customer,
				contract.name,
				"Replied",
				"High",
				"Bug",
				add_to_date(deadline, hours=-8),
				"At Risk" if is_due else "Running",
				add_to_date(deadline, hours=-8),
				add_to_date(deadline, hours=-7),
				add_to_date(deadline, hours=-7, minutes=-30),
				"Met",
				add_to_date(deadline, hours=-2),
				deadline,
				0,
				1 if is_due else 0,
				deadline if is_due else add_to_date(deadline, hours=-2),
			)
		)
	frappe.db.bulk_insert("Support Issue", fields, rows, chunk_size=5000)


def cleanup(contract, series_before: set[str]) -> None:
	"""Delete exactly what the benchmark made."""
	import frappe

	started = frappe.utils.now()

	names = frappe.get_all("Support Issue", filters={"name": ("like", "SWEEP-BENCH-%")}, pluck="name")
	bench_site.delete_issues(names)
	contract.reload()
	contract.cancel()
	holders = [h.contact for h in contract.holders]
	frappe.delete_doc("Support Contract", contract.name, force=True, ignore_permissions=True)
	for contact in holders:
		frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
	frappe.delete_doc("Customer", contract.customer, force=True, ignore_permissions=True)
	from tests.integration.utils import delete_trail

	deleted = [("Support Contract", contract.name), ("Customer", contract.customer)]
	delete_trail(deleted + [("Contact", c) for c in holders], started, series_before)
	frappe.db.commit()


def run(n: int, due: int) -> None:
	import frappe

	from frappe_support.issues.sweep import run_sla_sweep

	series_before = set(frappe.db.sql("select name from tabSeries", pluck=True))
	contract = make_contract()
	t0 = time.perf_counter()
	fill(contract, n, due)
	frappe.db.commit()
	fill_time = time.perf_counter() - t0
	try:
		emails_before = frappe.db.count("Email Queue")
		frappe.db.value_cache = {}
		with bench_site.counted_queries() as queries:
			t0 = time.perf_counter()
			marked = run_sla_sweep()
			elapsed = time.perf_counter() - t0
		emails = frappe.db.count("Email Queue") - emails_before
		print(
			f"  N={n:>7,}  due={due:>5,}  sweep {elapsed:6.2f} s  ({elapsed / max(due, 1) * 1e3:5.1f} ms per due issue)"
			f"  queries {len(queries):>6,}  events marked {marked:>5,}  emails queued {emails:>5,}"
			f"   (bulk insert {fill_time:5.1f} s)",
			flush=True,
		)
	finally:
		cleanup(contract, series_before)


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
	parser.add_argument("--due", type=int, default=1_000)
	args = parser.parse_args()
	site = bench_site.connect()
	if not site:
		print("No bench site found: run with a bench's Python (set FRAPPE_BENCH / FRAPPE_SITE).")
		return
	import frappe

	frappe.flags.mute_emails = True
	print(f"SLA sweep benchmark on {site}: each due issue has one resolution breach to mark and notify")
	for n in args.n:
		run(n, args.due)


if __name__ == "__main__":
	main()
