"""The provider's side of a customer site's news sync: one `issue_news` call for all the site's open issues.

Run by a bench's Python from the repository root (the site is $FRAPPE_SITE or the bench's default site):
    $FRAPPE_BENCH/env/bin/python benchmarks/connector_news.py [--issues 500]

It makes one customer with a contract, a site and `--issues` open issues (the real insert, so their SLA
fields are what the app computes), a customer user, and times `frappe_support.api.v1.issue_news` for all of
them as that user (one warm-up, then the median of five), counting its SQL statements; then deletes exactly
what it made. The customer site makes one such call per sync (every 5 minutes, and after a delivery).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.dirname(os.path.abspath(__file__))]

import bench_site


def make(issues: int) -> dict:
	import frappe

	from tests.integration.utils import SupportTestCase

	helper = SupportTestCase()
	started = frappe.utils.now()
	customer = helper.make_customer()
	contract = helper.make_contract(customer, calendar=helper.make_calendar(always_open=1))
	site = helper.make_site(customer, contract.name)
	names = [helper.make_issue(contract, opening=frappe.utils.now(), site=site).name for _ in range(issues)]
	user = helper.make_customer_user(customer)
	frappe.db.commit()
	return {
		"started": started,
		"customer": customer,
		"contract": contract,
		"site": site,
		"issues": names,
		"user": user,
	}


def measure(made: dict) -> tuple[float, int, int]:
	import frappe

	from frappe_support.api import v1

	frappe.set_user(made["user"])
	frappe.cache.delete_keys("frappe_support:customer-api:")
	v1.issue_news(made["issues"])  # warm-up
	times = []
	for _ in range(5):
		frappe.cache.delete_keys("frappe_support:customer-api:")
		started = time.perf_counter()
		news = v1.issue_news(made["issues"])
		times.append((time.perf_counter() - started) * 1000)
	with bench_site.counted_queries() as queries:
		frappe.cache.delete_keys("frappe_support:customer-api:")
		v1.issue_news(made["issues"])
	frappe.set_user("Administrator")
	return (
		statistics.median(times),
		len(news),
		len([q for q in queries if q.lstrip().lower().startswith("select")]),
	)


def cleanup(made: dict) -> None:
	import frappe

	from frappe_support.common.trail import delete_trail

	since, deleted = made["started"], []
	for issue in reversed(made["issues"]):
		frappe.delete_doc("Support Issue", issue, force=True, ignore_permissions=True)
		deleted.append(("Support Issue", issue))
	frappe.delete_doc("Support Site", made["site"], force=True, ignore_permissions=True)
	contract = made["contract"]
	contract.reload()
	contract.cancel()
	frappe.delete_doc("Support Contract", contract.name, force=True, ignore_permissions=True)
	frappe.delete_doc("Support Calendar", contract.calendar, force=True, ignore_permissions=True)
	frappe.delete_doc("User", made["user"], force=True, ignore_permissions=True)
	contacts = frappe.get_all(
		"Dynamic Link", filters={"link_name": made["customer"], "parenttype": "Contact"}, pluck="parent"
	)
	for contact in contacts:
		frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
	deleted += [("Contact", contact) for contact in contacts]
	frappe.delete_doc("Customer", made["customer"], force=True, ignore_permissions=True)
	deleted += [
		("Support Site", made["site"]),
		("Support Contract", contract.name),
		("Support Calendar", contract.calendar),
		("User", made["user"]),
		("Notification Settings", made["user"]),
		("Customer", made["customer"]),
	]
	frappe.db.delete(
		"Deleted Document",
		{"creation": (">=", since), "deleted_doctype": ("in", ("Contact", "Holiday List"))},
	)
	delete_trail(deleted, since)
	frappe.db.commit()


def main():
	parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	parser.add_argument("--issues", type=int, default=500)
	args = parser.parse_args()
	site = bench_site.connect()
	if not site:
		sys.exit("No bench site found: set FRAPPE_BENCH / FRAPPE_SITE.")
	started = time.perf_counter()
	made = make(args.issues)
	print(f"site {site}: {args.issues} open issues made in {time.perf_counter() - started:.1f} s")
	try:
		ms, returned, selects = measure(made)
		print(f"issue_news for {returned} issues: {ms:.1f} ms (median of 5), {selects} SELECT statements")
	finally:
		cleanup(made)
		print("deleted what it made")


if __name__ == "__main__":
	main()
