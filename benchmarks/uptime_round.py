"""A round of uptime checks over 10,000 sites, against the interval it must fit in.

Run by a bench's Python from the repository root (the site is $FRAPPE_SITE or the bench's default site):
    $FRAPPE_BENCH/env/bin/python benchmarks/uptime_round.py [--sites 10000] [--hang 0.03] [--refuse 0.02]
        [--concurrency 200 500] [--timeout 5] [--rounds 4]

What it does:
- serves the sites from a second process on loopback: one port answers every 127.a.b.c address with a pong,
  one accepts and never answers (a hung site), one refuses (nothing listens); each site gets its own
  127.a.b.c address, so each is a host of its own to the checker;
- inserts `--sites` production Support Sites of one benchmark customer (bulk, uniquely named), that share
  out as the fractions say;
- for each concurrency, runs `--rounds` real rounds through the app's own code (claim, check, apply: the
  first round opens the failing sites' downtimes, the next ones count them, the threshold's round raises
  their High issues), timing the HTTP and the writes apart;
- reports seconds per round against the 1-minute interval, and deletes exactly what it made.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import textwrap
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.dirname(os.path.abspath(__file__))]

import bench_site

TAG = "upb" + str(random.randint(1000, 9999))

SERVER = textwrap.dedent(
	"""
	import asyncio, sys
	PONG = (b"HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\nContent-Length: 18\\r\\n"
	        b"Connection: close\\r\\n\\r\\n{\\"message\\":\\"pong\\"}")
	async def answer(reader, writer):
	    await reader.readuntil(b"\\r\\n\\r\\n")
	    writer.write(PONG)
	    await writer.drain()
	    writer.close()
	async def hang(reader, writer):
	    await asyncio.sleep(3600)
	async def main():
	    a = await asyncio.start_server(answer, "0.0.0.0", 0, backlog=4096)
	    h = await asyncio.start_server(hang, "0.0.0.0", 0, backlog=4096)
	    print(a.sockets[0].getsockname()[1], h.sockets[0].getsockname()[1], flush=True)
	    await asyncio.sleep(10 ** 6)
	asyncio.run(main())
	"""
)


def closed_port() -> int:
	import socket

	with socket.socket() as sock:
		sock.bind(("127.0.0.1", 0))
		return sock.getsockname()[1]


def host(i: int) -> str:
	return f"127.{100 + i // 62500}.{(i // 250) % 250 + 1}.{i % 250 + 1}"


def make_sites(n: int, hang: float, refuse: float, ports: dict[str, int]) -> tuple[str, dict[str, str]]:
	"""One customer and n sites (bulk insert); returns the customer and {site: kind}."""
	import frappe
	from frappe.utils import now

	customer = frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": f"Uptime Benchmark {TAG}",
			"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}),
			"territory": frappe.db.get_value("Territory", {"is_group": 0}),
		}
	).insert()
	kinds, rows, stamp = {}, [], now()
	for i in range(n):
		r = random.random()
		kind = "hang" if r < hang else "refuse" if r < hang + refuse else "answer"
		name = host(i)
		kinds[name] = kind
		url = f"http://{name}:{ports[kind]}"
		rows.append(
			(
				name,
				url,
				customer.name,
				"Production",
				1,
				"Unknown",
				stamp,
				stamp,
				"Administrator",
				"Administrator",
			)
		)
	fields = [
		"name",
		"site_url",
		"customer",
		"environment",
		"monitor_uptime",
		"health",
		"creation",
		"modified",
		"owner",
		"modified_by",
	]
	frappe.db.bulk_insert("Support Site", fields, rows, chunk_size=2000)
	frappe.db.commit()
	return customer.name, kinds


def timed_round(names: list[str], rounds_before: set[str]) -> dict:
	"""One round of the app's own code over these sites: claim, check, apply; HTTP and writes timed apart."""
	import frappe

	from frappe_support.sites import uptime

	sites = uptime.monitored_sites(names)
	# a slot of its own each round: the benchmark's earlier rounds go (the site's own are kept)
	frappe.db.delete("Support Uptime Round", {"name": ("not in", list(rounds_before) or [""])})
	started = time.monotonic()
	name = uptime.claim_round(1, commit=True)
	checked = {}
	original = uptime.check_all

	def check_all(*args, **kwargs):
		t = time.monotonic()
		checked.update(original(*args, **kwargs))
		checked["_http"] = time.monotonic() - t
		return {k: v for k, v in checked.items() if k != "_http"}

	uptime.check_all = check_all
	try:
		results, windows = uptime.check_sites(sites, commit=True)
	finally:
		uptime.check_all = original
	uptime.finish_round(name, results, windows, time.monotonic() - started)
	frappe.db.commit()
	total = time.monotonic() - started
	return {
		"total": total,
		"http": checked["_http"],
		"writes": total - checked["_http"],
		"down": sum(1 for r in results.values() if not r.up),
	}


def cleanup(customer: str, names: list[str], rounds_before: set[str], made_since: str) -> dict:
	import frappe

	from frappe_support.common.trail import delete_trail

	made = cleanup_downtimes(customer)
	frappe.db.delete("Support Uptime Round", {"name": ("not in", list(rounds_before) or [""])})
	for start in range(0, len(names), 2000):
		frappe.db.delete("Support Site", {"name": ("in", names[start : start + 2000])})
	frappe.delete_doc("Customer", customer, force=True, ignore_permissions=True)
	delete_trail([("Customer", customer)], made_since)
	frappe.db.commit()
	return {**made, "sites": len(names)}


def main():
	parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	parser.add_argument("--sites", type=int, default=10000)
	parser.add_argument("--hang", type=float, default=0.03)
	parser.add_argument("--refuse", type=float, default=0.02)
	parser.add_argument("--concurrency", type=int, nargs="+", default=[200, 500])
	parser.add_argument("--timeout", type=float, default=5.0)
	parser.add_argument("--rounds", type=int, default=4)
	args = parser.parse_args()

	server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
	answer, hang = map(int, server.stdout.readline().split())
	ports = {"answer": answer, "hang": hang, "refuse": closed_port()}
	site = bench_site.connect()
	if not site:
		sys.exit("No bench site found: set FRAPPE_BENCH / FRAPPE_SITE.")
	import frappe

	settings = frappe.get_doc("Frappe Support Settings")
	before = {
		k: settings.get(k)
		for k in ("uptime_timeout_seconds", "uptime_concurrency", "uptime_failures_to_alert", "site_mode")
	}
	rounds_before = set(frappe.get_all("Support Uptime Round", pluck="name"))
	started = frappe.utils.now()
	customer, kinds = make_sites(args.sites, args.hang, args.refuse, ports)
	names = sorted(kinds)
	counts = {k: sum(1 for v in kinds.values() if v == k) for k in ("answer", "hang", "refuse")}
	print(f"site {site}: {args.sites} sites ({counts}), timeout {args.timeout:g} s, interval 60 s")
	try:
		for concurrency in args.concurrency:
			frappe.db.set_single_value(
				"Frappe Support Settings",
				{
					"uptime_timeout_seconds": args.timeout,
					"uptime_concurrency": concurrency,
					"uptime_failures_to_alert": args.rounds,
					"site_mode": "Provider",
				},
			)
			frappe.db.commit()
			frappe.clear_document_cache("Frappe Support Settings", "Frappe Support Settings")
			for number in range(1, args.rounds + 1):
				r = timed_round(names, rounds_before)
				print(
					f"concurrency {concurrency:4d}  round {number}: {r['total']:6.2f} s "
					f"(HTTP {r['http']:6.2f} s, writes {r['writes']:6.2f} s), {r['down']} down, "
					f"{100 * r['total'] / 60:5.1f} % of the interval"
				)
			print("  cleanup before the next concurrency:", cleanup_downtimes(customer))
	finally:
		frappe.db.rollback()
		frappe.db.set_single_value("Frappe Support Settings", before)
		frappe.db.commit()
		frappe.clear_document_cache("Frappe Support Settings", "Frappe Support Settings")
		print("deleted:", cleanup(customer, names, rounds_before, started))
		server.kill()


def cleanup_downtimes(customer: str) -> dict:
	"""The next concurrency starts from healthy sites again (its first round opens the downtimes anew)."""
	import frappe

	made = cleanup_issues(customer)
	downtimes = frappe.db.count("Support Site Downtime", {"customer": customer})
	frappe.db.delete("Support Site Downtime", {"customer": customer})
	frappe.db.sql("update `tabSupport Site` set downtime=null, health='Unknown' where customer=%s", customer)
	frappe.db.commit()
	return {"issues": made, "downtimes": downtimes}


def cleanup_issues(customer: str) -> int:
	"""The site-down issues the rounds raised, with what came with them (comments, mail, alerts, logs)."""
	import frappe

	issues = frappe.get_all("Support Issue", filters={"customer": customer}, pluck="name")
	for start in range(0, len(issues), 500):
		chunk = issues[start : start + 500]
		queues = frappe.get_all("Email Queue", filters={"reference_name": ("in", chunk)}, pluck="name")
		frappe.db.delete("Email Queue Recipient", {"parent": ("in", queues or [""])})
		frappe.db.delete("Email Queue", {"name": ("in", queues or [""])})
		for doctype, field in (
			("Comment", "reference_name"),
			("Version", "docname"),
			("Notification Log", "document_name"),
		):
			frappe.db.delete(doctype, {field: ("in", chunk)})
		frappe.db.delete("Support Issue SLA Log", {"parent": ("in", chunk)})
		frappe.db.delete("Support Issue", {"name": ("in", chunk)})
	frappe.db.commit()
	return len(issues)


if __name__ == "__main__":
	main()
