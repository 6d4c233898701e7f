"""Benchmark: match 100 published Security Advisories against 10,000 covered customer sites.

Run by a bench's Python from the repository root:
    $FRAPPE_BENCH/env/bin/python benchmarks/advisory_match.py [--sites 10000] [--advisories 100]
The site is $FRAPPE_SITE or the bench's default site. Sites (with frappe and erpnext versions spread over
the 14, 15 and 16 lines, plus some a fork or a development branch reports) are bulk-inserted inside one
transaction, the advisories are published, each is matched as its background job matches it (without
mail), and everything is rolled back at the end: the site keeps nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.dirname(os.path.abspath(__file__))]

import bench_site

ODD_VERSIONS = ("15.x.x-develop", "0.0.1", "25.4.1", "v15.44.2 (abc1234)", "16.0.0-rc.1")


def random_version(rng: random.Random) -> str:
	if rng.random() < 0.03:
		return rng.choice(ODD_VERSIONS)
	major = rng.choice((14, 15, 15, 15, 16))
	return f"{major}.{rng.randint(0, 99)}.{rng.randint(0, 20)}"


def fill_sites(contract, n: int, rng: random.Random) -> None:
	import frappe
	from frappe.utils import now_datetime

	now = now_datetime()
	sites, apps = [], []
	for k in range(n):
		name = f"bench-{k:06d}.advisory-benchmark.example.com"
		sites.append(
			(
				name,
				"Administrator",
				"Administrator",
				now,
				now,
				"https://" + name,
				contract.customer,
				contract.name,
				"Production",
				"Unknown",
				"Manual",
			)
		)
		for idx, app in enumerate(("frappe", "erpnext"), start=1):
			apps.append(
				(
					frappe.generate_hash(length=12),
					"Administrator",
					"Administrator",
					now,
					now,
					name,
					"Support Site",
					"apps",
					idx,
					app,
					random_version(rng),
				)
			)
	frappe.db.bulk_insert(
		"Support Site",
		[
			"name",
			"owner",
			"modified_by",
			"creation",
			"modified",
			"site_url",
			"customer",
			"contract",
			"environment",
			"health",
			"versions_source",
		],
		sites,
		chunk_size=5000,
	)
	frappe.db.bulk_insert(
		"Support Site App",
		[
			"name",
			"owner",
			"modified_by",
			"creation",
			"modified",
			"parent",
			"parenttype",
			"parentfield",
			"idx",
			"app_name",
			"version",
		],
		apps,
		chunk_size=5000,
	)


def make_advisories(count: int, rng: random.Random) -> list[str]:
	import frappe

	names = []
	for k in range(count):
		app = rng.choice(("frappe", "erpnext"))
		fix14, fix15, fix16 = (f"{m}.{rng.randint(1, 99)}.{rng.randint(0, 9)}" for m in (14, 15, 16))
		doc = frappe.get_doc(
			{
				"doctype": "Security Advisory",
				"title": f"Benchmark advisory {k}",
				"severity": rng.choice(("Low", "Medium", "High", "Critical")),
				"ranges": [
					{"app_name": app, "vulnerable_range": f"< {fix14}", "patched_version": fix14},
					{"app_name": app, "vulnerable_range": f">= 15.0.0, < {fix15}", "patched_version": fix15},
					{
						"app_name": app,
						"vulnerable_range": f">= 16.0.0-rc.1, < {fix16}",
						"patched_version": fix16,
					},
				],
			}
		).insert()
		doc.db_set({"status": "Published", "published_on": frappe.utils.now_datetime()})
		names.append(doc.name)
	return names


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--sites", type=int, default=10_000)
	parser.add_argument("--advisories", type=int, default=100)
	args = parser.parse_args()
	site = bench_site.connect()
	if not site:
		print("No bench site found: run with a bench's Python (set FRAPPE_BENCH / FRAPPE_SITE).")
		return
	import frappe

	from frappe_support.advisories.matching import match_advisory
	from frappe_support.advisories.versions import clear_caches

	rng = random.Random(20261126)
	try:
		contract = bench_site.make_contract("Advisory benchmark", 100)
		t0 = time.perf_counter()
		fill_sites(contract, args.sites, rng)
		fill_time = time.perf_counter() - t0
		advisories = make_advisories(args.advisories, rng)
		clear_caches()
		totals: dict[str, int] = {}
		with bench_site.counted_queries() as queries:
			t0 = time.perf_counter()
			each = []
			for name in advisories:
				started = time.perf_counter()
				for status, count in match_advisory(name, notify=False).items():
					totals[status] = totals.get(status, 0) + count
				each.append(time.perf_counter() - started)
			elapsed = time.perf_counter() - t0
		exposures = frappe.db.count("Advisory Exposure", {"advisory": ("in", advisories)})
		print(
			f"Advisory matching on {site}: {args.advisories} advisories x {args.sites:,} sites (2 apps each)"
		)
		print(
			f"  match {elapsed:6.2f} s  ({elapsed / len(advisories) * 1e3:6.1f} ms per advisory,"
			f" {elapsed / (len(advisories) * args.sites) * 1e6:5.2f} us per site and advisory)"
		)
		tenth = max(len(each) // 10, 1)
		print(
			f"  first {tenth}: {sum(each[:tenth]) / tenth * 1e3:6.1f} ms per advisory;"
			f" last {tenth} (over {exposures - exposures // len(each) * tenth:,} exposures):"
			f" {sum(each[-tenth:]) / tenth * 1e3:6.1f} ms per advisory"
		)
		print(f"  queries {len(queries):,}  exposures written {exposures:,}  verdicts {totals}")
		print(f"  (bulk insert of the sites {fill_time:.1f} s, rolled back)")
	finally:
		frappe.db.rollback()


if __name__ == "__main__":
	main()
