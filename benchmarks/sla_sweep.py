"""Benchmark of the SLA sweep on a real site: N open issues, K of them due.

Run by a bench's Python from the repository root:
    $FRAPPE_BENCH/env/bin/python benchmarks/sla_sweep.py [--n 10000 100000] [--due 1000] [--workers 2]
The site is $FRAPPE_SITE or the bench's default site. Issues are bulk-inserted and committed, the sweep runs
as the scheduler runs it (marking, then queueing the mail jobs), then real `bench worker` processes on the
`short` queue send the mail, timed until no log row is pending. Afterwards exactly the rows the benchmark
made are deleted.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
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


def pending_mail() -> int:
	import frappe

	frappe.db.rollback()  # a fresh snapshot of what the workers committed
	return frappe.db.count("Support Issue SLA Log", {"parent": ("like", "SWEEP-BENCH-%"), "mail_pending": 1})


def drain(workers: int, timeout: float = 900) -> float:
	"""Start `workers` bench workers on `short`, wait until the benchmark's mail is sent; the seconds taken."""
	import frappe

	started = time.perf_counter()
	command = [sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", frappe.local.site]
	procs = [
		subprocess.Popen(
			[*command, "worker", "--queue", "short"],
			cwd=frappe.local.sites_path,
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
			start_new_session=True,
		)
		for _k in range(workers)
	]
	try:
		while pending_mail() and time.perf_counter() - started < timeout:
			time.sleep(0.5)
		return time.perf_counter() - started
	finally:
		for proc in procs:
			os.killpg(proc.pid, signal.SIGTERM)
			proc.wait(60)


def run(n: int, due: int, workers: int) -> None:
	import frappe

	from frappe_support.issues.sweep import run_sla_sweep
	from tests.integration.utils import SupportTestCase

	series_before = set(frappe.db.sql("select name from tabSeries", pluck=True))
	# an outgoing account, so the mail is rendered and queued as on a live site; Email Account skips its SMTP
	# login check in test mode (nothing is sent: no scheduler flushes the queue here)
	frappe.flags.in_test = True
	account = SupportTestCase.ensure_outgoing_account()
	frappe.flags.in_test = False
	frappe.db.commit()
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
		waiting = pending_mail()
		mailed = drain(workers)
		left = pending_mail()
		emails = frappe.db.count("Email Queue") - emails_before
		print(
			f"  N={n:>7,}  due={due:>5,}  mark {elapsed:6.2f} s  ({elapsed / max(due, 1) * 1e3:5.1f} ms per due issue)"
			f"  queries {len(queries):>6,}  events marked {marked:>5,}  mail rows pending {waiting:>5,}\n"
			f"  mail by {workers} workers {mailed:6.1f} s (from their start)  emails queued {emails:>5,}"
			f"  rows still pending {left:>5,}   (bulk insert {fill_time:5.1f} s)",
			flush=True,
		)
	finally:
		cleanup(contract, series_before)
		if account:
			frappe.delete_doc("Email Account", account, force=True, ignore_permissions=True)
			frappe.db.commit()


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
	parser.add_argument("--due", type=int, default=1_000)
	parser.add_argument("--workers", type=int, default=2)
	args = parser.parse_args()
	site = bench_site.connect()
	if not site:
		print("No bench site found: run with a bench's Python (set FRAPPE_BENCH / FRAPPE_SITE).")
		return
	import frappe

	frappe.flags.mute_emails = True
	print(f"SLA sweep benchmark on {site}: each due issue has one resolution breach to mark and mail")
	for n in args.n:
		run(n, args.due, args.workers)


if __name__ == "__main__":
	main()
