"""Load on the customer API: N simulated customers (default 50) for T seconds (default 60) raising, listing,
reading and replying, with retries of the same idempotency keys, against this bench's site served by
gunicorn with W workers on loopback. Reports throughput, p50/p95/p99 latency per call, the 5xx count
(must be 0) and duplicates (must be 0), then deletes everything it made.

    $FRAPPE_BENCH/env/bin/python benchmarks/api_load.py [--users 50] [--seconds 60] [--workers 4]

Locust runs in its own Python ($LOCUST, default `locust` on PATH, else ~/.venvs/locust/bin/locust):
`python3 -m venv ~/.venvs/locust && ~/.venvs/locust/bin/pip install locust` (not in the bench's env,
whose pinned requests it would upgrade).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.dirname(os.path.abspath(__file__))]

import bench_site


def locust_command() -> str:
	found = (
		os.environ.get("LOCUST") or shutil.which("locust") or str(Path.home() / ".venvs/locust/bin/locust")
	)
	if not Path(found).exists():
		sys.exit(
			f"no locust at {found}: python3 -m venv ~/.venvs/locust && ~/.venvs/locust/bin/pip install locust"
		)
	return found


def free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


def make_customers(committed, helper, count: int) -> list[dict]:
	calendar = committed.add("Support Calendar", helper.make_calendar(always_open=1))
	credentials = []
	for i in range(count):
		customer = committed.add("Customer", helper.make_customer())
		contract = helper.make_contract(customer, calendar=calendar)
		committed.add("Support Contract", contract.name)
		committed.add("Support Site", helper.make_site(customer, contract.name))
		_user, key, secret = committed.user(f"Load{i}", ["Support Customer"], customer=customer)
		credentials.append({"key": key, "secret": secret})
	return credentials


def serve(port: int, workers: int, sites: str) -> subprocess.Popen:
	gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
	process = subprocess.Popen(
		[
			gunicorn,
			"-b",
			f"127.0.0.1:{port}",
			"-w",
			str(workers),
			"-t",
			"120",
			"--preload",
			"frappe.app:application",
		],
		cwd=sites,
		stdout=subprocess.DEVNULL,
		stderr=subprocess.DEVNULL,
	)
	for _i in range(200):
		with socket.socket() as s:
			if s.connect_ex(("127.0.0.1", port)) == 0:
				return process
		time.sleep(0.1)
	process.terminate()
	sys.exit("gunicorn did not start")


def run_locust(
	port: int, users: int, seconds: int, credentials: list[dict], site: str
) -> tuple[list[dict], dict]:
	work = Path(tempfile.mkdtemp(prefix="fs-load-"))
	(work / "credentials.json").write_text(json.dumps(credentials))
	env = {
		**os.environ,
		"FS_LOAD_CREDENTIALS": str(work / "credentials.json"),
		"FS_LOAD_RESULT": str(work / "result.json"),
	}
	subprocess.run(
		[
			locust_command(),
			"-f",
			os.path.join(ROOT, "benchmarks", "api_locustfile.py"),
			"--headless",
			"-u",
			str(users),
			"-r",
			str(max(users // 5, 1)),
			"-t",
			f"{seconds}s",
			"--host",
			f"http://{site}:{port}",  # the site's name resolves to loopback (the bench's /etc/hosts)
			"--csv",
			str(work / "load"),
			"--only-summary",
		],
		env=env,
		check=False,
		timeout=seconds + 120,
	)
	stats = list(csv.DictReader(open(work / "load_stats.csv")))
	result = json.loads((work / "result.json").read_text())
	shutil.rmtree(work)
	return stats, result


def duplicates(customers: list[str]) -> dict:
	import frappe

	issue = frappe.qb.DocType("Support Issue")
	comm = frappe.qb.DocType("Communication")
	from frappe.query_builder.functions import Count as count

	twice_issues = (
		frappe.qb.from_(issue)
		.select(issue.idempotency_key)
		.where(issue.customer.isin(customers) & issue.idempotency_key.isnotnull())
		.groupby(issue.idempotency_key)
		.having(count("*") > 1)
		.run()
	)
	names = frappe.get_all("Support Issue", filters={"customer": ("in", customers)}, pluck="name")
	twice_replies = (
		frappe.qb.from_(comm)
		.select(comm.message_id)
		.where(comm.reference_name.isin(names or [""]) & comm.message_id.isnotnull())
		.groupby(comm.message_id)
		.having(count("*") > 1)
		.run()
	)
	return {
		"issues": len(names),
		"duplicate_issues": len(twice_issues),
		"duplicate_replies": len(twice_replies),
	}


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--users", type=int, default=50)
	parser.add_argument("--seconds", type=int, default=60)
	parser.add_argument("--workers", type=int, default=4)
	args = parser.parse_args()
	if not bench_site.connect():
		sys.exit("no bench site: set FRAPPE_BENCH / FRAPPE_SITE")
	import frappe

	from tests.integration.committed import Committed
	from tests.integration.utils import SupportTestCase

	committed, helper = Committed(), SupportTestCase("run")
	try:
		credentials = make_customers(committed, helper, args.users)
		frappe.db.commit()
		port = free_port()
		server = serve(port, args.workers, frappe.local.sites_path)
		try:
			stats, result = run_locust(port, args.users, args.seconds, credentials, frappe.local.site)
		finally:
			server.terminate()
			server.wait(30)
		frappe.db.rollback()
		found = duplicates(committed.customers)
		print(f"{args.users} customers, {args.seconds} s, gunicorn with {args.workers} workers")
		print(
			f"{'call':24} {'requests':>9} {'fails':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
		)
		for row in stats:
			print(
				f"{row['Name']:24} {row['Request Count']:>9} {row['Failure Count']:>6} {float(row['Requests/s']):7.1f}"
				f" {row['50%']:>7} {row['95%']:>7} {row['99%']:>7}"
			)
		statuses = result["statuses"]
		print("statuses:", dict(sorted(statuses.items())))
		print("5xx:", sum(n for s, n in statuses.items() if int(s) >= 500))
		print("retried keys answered with another issue:", len(result["mismatches"]))
		print(
			"issues made:",
			found["issues"],
			"duplicate issues:",
			found["duplicate_issues"],
			"duplicate replies:",
			found["duplicate_replies"],
		)
	finally:
		left = committed.cleanup()
		print("left behind:", left or "nothing")


if __name__ == "__main__":
	main()
