"""The parts of the SLA benchmark that need a bench: ERPNext's own deadline arithmetic on the same inputs,
and the SQL queries of a Support Issue insert and of a priority change.

Used by benchmarks/sla_engine.py when it runs under a bench's Python; everything it writes is rolled back.
"""

from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def connect() -> str | None:
	"""Connect to $FRAPPE_SITE or the default site of $FRAPPE_BENCH (default ~/frappe-bench)."""
	import frappe

	sites = Path(os.environ.get("FRAPPE_BENCH", Path.home() / "frappe-bench")) / "sites"
	if not (sites / "common_site_config.json").exists():
		return None
	site = os.environ.get("FRAPPE_SITE") or json.loads((sites / "common_site_config.json").read_text()).get(
		"default_site"
	)
	if not site or not (sites / site).is_dir():
		return None
	os.chdir(sites)
	frappe.init(site=site, sites_path=str(sites))
	frappe.connect()
	frappe.set_user("Administrator")
	return site


@contextmanager
def counted_queries():
	"""Collect every SQL statement the site's connection runs."""
	import frappe

	queries: list[str] = []
	db_class = frappe.db.__class__
	original = db_class.sql

	def sql(self, *args, **kwargs):
		queries.append(str(args[0]))
		return original(self, *args, **kwargs)

	db_class.sql = sql
	try:
		yield queries
	finally:
		db_class.sql = original


def erpnext_vs_ours(starts: list[datetime], holidays: list[str], ours_add) -> None:
	"""Time ERPNext's get_expected_time_for and ours on the same starts, hours, holidays and target."""
	import frappe
	from erpnext.support.doctype.service_level_agreement.service_level_agreement import (
		get_expected_time_for,
	)

	berlin = ZoneInfo("Europe/Berlin")
	holiday_list = frappe.get_doc(
		{
			"doctype": "Holiday List",
			"holiday_list_name": "SLA benchmark " + frappe.generate_hash(length=6),
			"from_date": "2025-01-01",
			"to_date": "2026-12-31",
			"holidays": [{"holiday_date": h, "description": "Holiday"} for h in holidays],
		}
	).insert()
	service_level = frappe._dict(
		resolution_time=8 * 8 * 3600,  # 8 business days of 8 hours, in ERPNext's seconds
		response_time=3600,
		holiday_list=holiday_list.name,
		support_and_resolution=[
			frappe._dict(workday=w, start_time=timedelta(hours=9), end_time=timedelta(hours=17))
			for w in WEEKDAYS
		],
	)
	naive = [s.astimezone(berlin).replace(tzinfo=None) for s in starts]
	get_expected_time_for("resolution", service_level, naive[0])  # warm the holiday list cache

	def best_of(repeat: int, fn, values) -> float:
		best = None
		for _k in range(repeat):
			t0 = time.perf_counter()
			for v in values:
				fn(v)
			elapsed = time.perf_counter() - t0
			best = elapsed if best is None else min(best, elapsed)
		return best / len(values)

	theirs = best_of(3, lambda s: get_expected_time_for("resolution", service_level, s), naive)
	ours = best_of(3, ours_add, starts)
	print("\nERPNext comparison (same starts, Mon-Fri 09:00-17:00, same holidays, 8 business days):")
	print(f"  ERPNext get_expected_time_for  {theirs * 1e6:8.2f} us/call  {1 / theirs:>10,.0f} deadlines/s")
	print(f"  frappe_support cal.add         {ours * 1e6:8.2f} us/call  {1 / ours:>10,.0f} deadlines/s")
	print(f"  ours is {theirs / ours:.1f}x faster")
	frappe.db.rollback()


def make_contract(label: str, days_back: int, holders: list | None = None):
	"""A submitted Standard Support contract on the default calendar, for a new customer named `label`."""
	import frappe

	customer = frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": label + " " + frappe.generate_hash(length=6),
			"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}),
			"territory": frappe.db.get_value("Territory", {"is_group": 0}),
		}
	).insert()
	contract = frappe.get_doc(
		{
			"doctype": "Support Contract",
			"customer": customer.name,
			"plan": "Standard Support",
			"calendar": frappe.db.get_single_value("Frappe Support Settings", "default_calendar"),
			"start_date": date.today() - timedelta(days=days_back),
			"end_date": date.today() + timedelta(days=300),
		}
	)
	for holder in holders or []:
		holder.append("links", {"link_doctype": "Customer", "link_name": customer.name})
		holder.insert()
		contract.append("holders", {"contact": holder.name, "notify_issues": 1})
	contract.insert()
	contract.submit()
	return contract


def issue_query_counts() -> None:
	"""Queries of one Support Issue insert and one priority-change save, as a fresh request sees them."""
	import frappe

	contract = make_contract("SLA benchmark", 30)

	def new_issue(priority: str):
		return frappe.get_doc(
			{
				"doctype": "Support Issue",
				"subject": "Benchmark",
				"contract": contract.name,
				"priority": priority,
			}
		).insert()

	new_issue("Medium")  # warms the document caches, as on a running site
	frappe.db.value_cache = {}
	with counted_queries() as insert:
		issue = new_issue("High")
	issue = frappe.get_doc("Support Issue", issue.name)
	frappe.db.value_cache = {}
	with counted_queries() as change:
		issue.priority = "Low"
		issue.save()
	print("\nSQL queries (fresh request, warm document cache):")
	print(f"  Support Issue insert           {len(insert):3d}   (ERPNext Issue with an SLA: 18)")
	print(f"  Support Issue priority change  {len(change):3d}   (ERPNext Issue with an SLA: 25)")
	frappe.db.rollback()


def delete_issues(names: list[str]) -> None:
	"""Delete these Support Issues and what they left: SLA log rows, queued mail, notifications, error logs
	and versions, 5,000 at a time."""
	import frappe

	for chunk in range(0, len(names), 5000):
		part = names[chunk : chunk + 5000]
		queues = frappe.get_all("Email Queue", filters={"reference_name": ("in", part)}, pluck="name")
		if queues:
			frappe.db.delete("Email Queue Recipient", {"parent": ("in", queues)})
			frappe.db.delete("Email Queue", {"name": ("in", queues)})
		frappe.db.delete(
			"Notification Log", {"document_type": "Support Issue", "document_name": ("in", part)}
		)
		frappe.db.delete("Support Issue SLA Log", {"parent": ("in", part)})
		frappe.db.delete("Error Log", {"reference_name": ("in", part)})
		frappe.db.delete("Version", {"docname": ("in", part)})
		frappe.db.delete("Support Issue", {"name": ("in", part)})
