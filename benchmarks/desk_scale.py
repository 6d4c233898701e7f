"""How the staff desk scales: every list, count, card, report, statement, form and panel at N issues.

Run by a bench's Python from the repository root (the site is $FRAPPE_SITE or the bench's default site):
    $FRAPPE_BENCH/env/bin/python benchmarks/desk_scale.py [--sizes 10000 100000] [--customers 200]

What it builds, for the largest size first grown to each size in turn:
- `--customers` customers, each with a submitted Standard Support contract on the default calendar;
- seed issues through the real code path at frozen past instants (raised, answered, 70 % resolved, some
  waiting for the customer), so their deadlines, states and SLA logs are what the app computes, then the
  SLA sweep run once over them; the open ones are raised in the last days, the resolved ones over a year;
- the seeds cloned in bulk (whole weeks apart, so business hours stay business hours) onto every
  contract until there are N issues, their SLA log rows with them;
- the same number of ERPNext Issues, for ERPNext's own list and its Issue Summary / Issue Analytics.

Each surface runs as a Support Manager: one warm-up, then the median of five runs. Queries over 50 ms are
printed with their EXPLAIN. Afterwards exactly what the benchmark made is deleted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.dirname(os.path.abspath(__file__))]

import bench_site

SLOW_MS = 50.0
RUNS = 5
TAG = "DSB" + str(random.randint(1000, 9999))
ANCHORS = ("Issue Summary", "Issue Analytics")  # ERPNext's reports


# -- building ------------------------------------------------------------------------------------------
class Made:
	"""Everything the benchmark made, to delete exactly that."""

	def __init__(self):
		import frappe

		self.started = frappe.utils.now()
		self.series_before = set(frappe.db.sql("select name from tabSeries", pluck=True))
		# a script report that runs over 15 s is turned into a prepared report by Frappe (a timer in
		# Report.execute_script_report): ERPNext's anchors can, at 100k; their flag is put back afterwards
		self.prepared = dict(
			frappe.get_all(
				"Report", filters={"name": ("in", ANCHORS)}, fields=["name", "prepared_report"], as_list=True
			)
		)
		self.kept_before = set(frappe.get_all("SLA Compliance Month", pluck="name"))
		self.contracts: list = []
		self.seeds: list[str] = []
		self.erpnext_seeds: list[str] = []
		self.user: str | None = None
		self.email_account: str | None = None


def make_contracts(made: Made, count: int) -> None:
	import frappe

	for k in range(count):
		made.contracts.append(bench_site.make_contract(f"{TAG} customer {k:03d}", 500))
		if k % 50 == 49:
			frappe.db.commit()
	frappe.db.commit()


def make_manager(made: Made) -> None:
	import frappe

	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": f"{TAG.lower()}-manager@desk-scale.example.com",
			"first_name": "Desk scale manager",
			"send_welcome_email": 0,
			"roles": [{"role": "Support Manager"}, {"role": "Support Team"}],  # Support Team: ERPNext Issue
		}
	).insert(ignore_permissions=True)
	made.user = user.name
	frappe.db.commit()


def ensure_outgoing_account(made: Made) -> None:
	"""The sweep mails: a default outgoing account (never sending: nothing runs the Email Queue here)."""
	import frappe

	if frappe.db.exists("Email Account", {"enable_outgoing": 1, "default_outgoing": 1}):
		return
	frappe.flags.in_test = True  # no SMTP connection check: there is no server, and nothing sends
	made.email_account = (
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": f"{TAG} outgoing",
				"email_id": f"{TAG.lower()}@desk-scale.example.com",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "localhost",
				"no_smtp_authentication": 1,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)
	frappe.flags.in_test = False
	frappe.db.commit()


def seed_issues(made: Made, count: int) -> None:
	"""Issues through the real code path at frozen past instants; the sweep then runs over them."""
	import frappe
	from freezegun import freeze_time

	from frappe_support.common.dates import to_aware
	from frappe_support.issues.sweep import run_sla_sweep

	now = frappe.utils.now_datetime().replace(second=0, microsecond=0)
	rng = random.Random(7)
	for k in range(count):
		contract = made.contracts[k % len(made.contracts)]
		resolved = k % 10 < 7
		days_back = rng.randint(14, 21) if resolved else rng.randint(0, 5)
		raised = (now - timedelta(days=days_back)).replace(
			hour=rng.randint(7, 17), minute=rng.choice((0, 20, 40))
		)
		priority = ("High", "Medium", "Low")[k % 3]
		with freeze_time(to_aware(raised)):  # freezegun reads a naive time as UTC
			issue = frappe.get_doc(
				{
					"doctype": "Support Issue",
					"subject": f"{TAG} seed {k}",
					"customer": contract.customer,
					"contract": contract.name,
					"priority": priority,
					"category": "Bug",
					"opening_date": raised,
				}
			).insert()
		step(issue, raised + timedelta(minutes=rng.randint(10, 90)), "Replied")
		if resolved:
			step(issue, raised + timedelta(hours=rng.randint(2, 100)), "Resolved")
		elif k % 10 == 9:
			step(issue, raised + timedelta(hours=rng.randint(1, 6)), "Waiting for Customer")
		made.seeds.append(issue.name)
	frappe.db.commit()
	run_sla_sweep()
	frappe.db.commit()


def step(issue, at, status: str) -> None:
	import frappe
	from freezegun import freeze_time

	from frappe_support.common.dates import to_aware

	if at > frappe.utils.now_datetime():
		return
	with freeze_time(to_aware(at)):
		issue.reload()
		issue.status = status
		issue.save()


def clone_issues(made: Made, target: int) -> None:
	"""Clones of the seeds until the site holds `target` benchmark issues."""
	import frappe

	have = frappe.db.count("Support Issue", {"name": ("like", f"{TAG}-%")}) + len(made.seeds)
	if have >= target:
		return
	seeds = frappe.get_all("Support Issue", filters={"name": ("in", made.seeds)}, fields=["*"])
	logs = frappe.get_all(
		"Support Issue SLA Log", filters={"parent": ("in", made.seeds)}, fields=["*"], order_by="idx"
	)
	by_parent: dict[str, list] = {}
	for row in logs:
		by_parent.setdefault(row.parent, []).append(row)
	rng = random.Random(have)
	issues, children = [], []
	for k in range(have, target):
		seed = seeds[k % len(seeds)]
		contract = made.contracts[rng.randrange(len(made.contracts))]
		finished = seed.status in ("Resolved", "Closed")
		weeks = rng.randint(0, 50) if finished else 0
		name = f"{TAG}-{k:07d}"
		issues.append(shifted(seed, weeks, name=name, customer=contract.customer, contract=contract.name))
		for row in by_parent.get(seed.name, []):
			children.append(shifted(row, weeks, name=f"{name}-{row.idx}", parent=name))
		if len(issues) >= 5000:
			flush(issues, children)
	flush(issues, children)
	forget_kept_months()
	frappe.db.commit()


def forget_kept_months() -> None:
	"""The bulk clones bypass the issue's hooks: the months they land in are marked for recomputation,
	as a save would mark them."""
	from frappe.utils import add_months, getdate, nowdate

	from frappe_support.issues.compliance import months_between
	from frappe_support.issues.compliance_months import forget_months

	today = getdate(nowdate())
	forget_months(months_between(add_months(today, -15), today))


def shifted(row, weeks: int, **values) -> dict:
	from datetime import datetime

	out = {**row, **values}
	for key, value in row.items():
		if isinstance(value, datetime) and key not in ("creation", "modified"):
			out[key] = value - timedelta(weeks=weeks)
	return out


def flush(issues: list, children: list) -> None:
	import frappe

	for doctype, rows in (("Support Issue", issues), ("Support Issue SLA Log", children)):
		if rows:
			fields = list(rows[0].keys())
			frappe.db.bulk_insert(doctype, fields, [[r[f] for f in fields] for r in rows], chunk_size=2000)
			rows.clear()


def erpnext_issues(made: Made, target: int) -> None:
	"""ERPNext Issues, the anchor: a few through insert, the rest cloned."""
	import frappe

	if not made.erpnext_seeds:
		for k in range(20):
			doc = frappe.get_doc(
				{
					"doctype": "Issue",
					"subject": f"{TAG} erpnext seed {k}",
					"customer": made.contracts[k % len(made.contracts)].customer,
					"priority": frappe.db.get_value("Issue Priority", {}) or None,
					"status": ("Open", "Replied", "Resolved", "Closed")[k % 4],
				}
			).insert(ignore_permissions=True)
			made.erpnext_seeds.append(doc.name)
	have = frappe.db.count("Issue", {"name": ("like", f"{TAG}E-%")}) + len(made.erpnext_seeds)
	seeds = frappe.get_all("Issue", filters={"name": ("in", made.erpnext_seeds)}, fields=["*"])
	rng = random.Random(target)
	rows = []
	for k in range(have, target):
		seed = seeds[k % len(seeds)]
		rows.append(shifted(seed, rng.randint(0, 50), name=f"{TAG}E-{k:07d}"))
		if len(rows) >= 5000:
			flush_erpnext(rows)
	flush_erpnext(rows)
	frappe.db.commit()


def flush_erpnext(rows: list) -> None:
	import frappe

	if rows:
		fields = list(rows[0].keys())
		frappe.db.bulk_insert("Issue", fields, [[r[f] for f in fields] for r in rows], chunk_size=2000)
		rows.clear()


# -- timing --------------------------------------------------------------------------------------------
class Timed:
	"""Median time of a surface and the slow queries it ran."""

	def __init__(self):
		self.slow: dict[str, tuple[float, object]] = {}  # query -> (slowest ms, its values)

	def run(self, fn) -> float:
		fn()  # warm-up
		times = []
		for _ in range(RUNS):
			with timed_queries() as queries:
				t = time.perf_counter()
				fn()
				times.append((time.perf_counter() - t) * 1000)
			for sql, values, ms in queries:
				if ms > SLOW_MS and ms > self.slow.get(sql, (0, None))[0]:
					self.slow[sql] = (ms, values)
		return statistics.median(times)


class timed_queries:
	def __enter__(self):
		import frappe

		self.queries: list[tuple[str, object, float]] = []
		self.cls = frappe.db.__class__
		self.original = original = self.cls.sql
		queries = self.queries

		def sql(db, query, *args, **kwargs):
			t = time.perf_counter()
			try:
				return original(db, query, *args, **kwargs)
			finally:
				values = args[0] if args else kwargs.get("values")
				queries.append((str(query), values, (time.perf_counter() - t) * 1000))

		self.cls.sql = sql
		return self.queries

	def __exit__(self, *exc):
		self.cls.sql = self.original


def surfaces(made: Made) -> dict:
	"""name -> a call that does what the desk does for that surface."""
	import frappe
	from frappe.desk.doctype.number_card.number_card import get_result
	from frappe.desk.form.load import getdoc
	from frappe.desk.listview import get_group_by_count
	from frappe.desk.query_report import run as run_report
	from frappe.utils import add_months, getdate, nowdate

	from frappe_support.issues.panel import get_sla_panel
	from frappe_support.issues.statement import sla_statement
	from frappe_support.issues.sweep import due_issues

	list_fields = ["name", "subject", "status", "priority", "sla_state", "next_deadline", "customer"]
	open_filter = [  # the list's default filters (support_issue_list.js)
		["Support Issue", "status", "in", ["Open", "Replied"]],
		["Support Issue", "sla_state", "!=", "Not Covered"],
	]
	order = (
		"due_order asc" if frappe.get_meta("Support Issue").has_field("due_order") else "next_deadline asc"
	)
	biggest = max(made.contracts, key=lambda c: frappe.db.count("Support Issue", {"contract": c.name}))
	customer = biggest.customer
	issue = frappe.get_all(
		"Support Issue",
		filters={"contract": biggest.name},
		pluck="name",
		order_by="resolved_on is null desc, opening_date desc",
		limit=1,
	)[0]  # an open issue when the contract has one
	month = (getdate(nowdate()).replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
	year_ago = add_months(getdate(nowdate()), -12)
	year = {"from_date": str(year_ago.replace(day=1)), "to_date": nowdate()}  # twelve whole months and this

	def card(name):
		doc = frappe.get_doc("Number Card", name)
		return lambda: get_result(doc, doc.filters_json)  # as the workspace asks for it

	def print_statement():
		frappe.form_dict.month = month
		frappe.get_print("Support Contract", biggest.name, "SLA Statement", as_pdf=False)

	return {
		"list, staff default (open, due first)": lambda: frappe.get_list(
			"Support Issue", fields=list_fields, filters=open_filter, order_by=order, limit=20
		),
		"list count, staff default": lambda: list_count("Support Issue", open_filter),
		"list, one customer": lambda: frappe.get_list(
			"Support Issue",
			fields=list_fields,
			filters={"customer": customer},
			order_by=order,
			limit=20,
		),
		"sidebar group-by owner": lambda: get_group_by_count(
			"Support Issue", json.dumps(open_filter), "owner"
		),
		"sidebar group-by assigned to": lambda: get_group_by_count(
			"Support Issue", json.dumps(open_filter), "assigned_to"
		),
		"card Open Support Issues": card("Open Support Issues"),
		"card Issues At Risk": card("Issues At Risk"),
		"card Issues Breached": card("Issues Breached"),
		"card Breaches This Month": card("Breaches This Month"),
		"report SLA Compliance, 6 months": lambda: run_report("SLA Compliance", filters={}),
		"report SLA Compliance, 12 months": lambda: run_report("SLA Compliance", filters=year),
		"report SLA Compliance, 12 months, none kept (all marked)": lambda: (
			forget_kept_months() or run_report("SLA Compliance", filters=year)
		),
		"report SLA Compliance, 12 months, one customer": lambda: run_report(
			"SLA Compliance", filters={**year, "customer": customer}
		),
		"report Issues Due Soon, one customer": lambda: run_report(
			"Issues Due Soon", filters={"customer": customer}
		),
		"SLA statement, biggest contract, one month": lambda: sla_statement(biggest.name, month),
		"SLA statement print": print_statement,
		"form load": lambda: getdoc("Support Issue", issue),
		"SLA panel": lambda: get_sla_panel(issue),
		"sweep due query": lambda: due_issues(frappe.utils.now_datetime(), set()),
		"ERPNext Issue list": lambda: frappe.get_list(
			"Issue", fields=["name", "subject", "status", "priority"], order_by="modified desc", limit=20
		),
		"ERPNext Issue count": lambda: list_count("Issue", []),
		"ERPNext Issue Summary": lambda: run_report(
			"Issue Summary",
			filters={"based_on": "Customer", "from_date": str(year_ago), "to_date": nowdate()},
			ignore_prepared_report=True,  # computed, not a stored result
		),
		"ERPNext Issue Analytics": lambda: run_report(
			"Issue Analytics",
			filters={
				"based_on": "Customer",
				"range": "Monthly",
				"from_date": str(year_ago),
				"to_date": nowdate(),
			},
			ignore_prepared_report=True,
		),
	}


def list_count(doctype: str, filters: list) -> int:
	"""The list view's count as the desk asks for it (list_view.js `get_count_str`): reportview.get_count
	with the view's filters and `limit` = its count_upper_bound of 1001, shown as "1,000+" when reached."""
	import frappe
	from frappe.desk.reportview import get_count

	frappe.local.form_dict = frappe._dict(
		doctype=doctype, filters=json.dumps(filters), fields="[]", distinct="false", limit=1001
	)
	return get_count()


def measure(made: Made) -> tuple[dict[str, float], dict[str, float]]:
	import frappe

	frappe.set_user(made.user)
	timed = Timed()
	try:
		results = {name: timed.run(fn) for name, fn in surfaces(made).items()}
	finally:
		frappe.set_user("Administrator")
	return results, timed.slow


def explain(slow: dict[str, tuple[float, object]]) -> None:
	import frappe

	for sql, (ms, values) in sorted(slow.items(), key=lambda kv: -kv[1][0]):
		print(f"\n-- {ms:.0f} ms: {' '.join(sql.split())[:600]}")
		if not sql.lstrip().lower().startswith("select"):
			continue
		plan = None
		for args in ((values,), ()):  # with the query's values; a query that has none, without
			try:
				plan = frappe.db.sql("explain " + sql, *args, as_dict=True)
				break
			except Exception as e:
				error = e
		if plan is None:
			print("    (no EXPLAIN:", error, ")")
			continue
		for row in plan:
			print(
				"   ",
				row.get("table"),
				row.get("type"),
				"key=" + str(row.get("key")),
				"rows=" + str(row.get("rows")),
				row.get("Extra") or "",
			)


# -- cleanup -------------------------------------------------------------------------------------------
def cleanup(made: Made) -> None:
	"""Delete exactly what the benchmark made."""
	import frappe

	from frappe_support.issues.compliance_months import forget_months
	from tests.integration.utils import delete_trail

	names = made.seeds + frappe.get_all("Support Issue", filters={"name": ("like", f"{TAG}-%")}, pluck="name")
	bench_site.delete_issues(names)
	kept = frappe.qb.DocType("SLA Compliance Month")
	made_kept = set(frappe.get_all("SLA Compliance Month", pluck="name")) - made.kept_before
	if made_kept:
		frappe.qb.from_(kept).delete().where(kept.name.isin(list(made_kept))).run()
	forget_months(sorted({n.rsplit("-", 1)[0] for n in made.kept_before}))  # they counted its issues
	erp = made.erpnext_seeds + frappe.get_all("Issue", filters={"name": ("like", f"{TAG}E-%")}, pluck="name")
	for chunk in range(0, len(erp), 5000):
		frappe.db.delete("Issue", {"name": ("in", erp[chunk : chunk + 5000])})
	deleted = [("Support Issue", n) for n in made.seeds] + [("Issue", n) for n in made.erpnext_seeds]
	for contract in made.contracts:
		contract.reload()
		contract.cancel()
		frappe.delete_doc("Support Contract", contract.name, force=True, ignore_permissions=True)
		frappe.delete_doc("Customer", contract.customer, force=True, ignore_permissions=True)
		deleted += [("Support Contract", contract.name), ("Customer", contract.customer)]
	if made.user:
		frappe.delete_doc("User", made.user, force=True, ignore_permissions=True)
		deleted += [("User", made.user), ("Notification Settings", made.user)]  # Frappe deletes both
	if made.email_account:
		frappe.delete_doc("Email Account", made.email_account, force=True, ignore_permissions=True)
		deleted.append(("Email Account", made.email_account))
	for report, prepared in made.prepared.items():
		frappe.db.set_value("Report", report, "prepared_report", prepared, update_modified=False)
	delete_trail(deleted, made.started, made.series_before)
	frappe.db.commit()


# -- main ----------------------------------------------------------------------------------------------
def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
	parser.add_argument("--customers", type=int, default=200)
	parser.add_argument("--seeds", type=int, default=120)
	args = parser.parse_args()
	site = bench_site.connect()
	if not site:
		sys.exit("No bench site found: set FRAPPE_BENCH or FRAPPE_SITE.")
	import frappe

	from frappe_support.issues.compliance_months import keep_finished_months

	print(
		f"site {site}, tag {TAG}, buffer pool {frappe.db.sql('select @@innodb_buffer_pool_size')[0][0] >> 20} MB"
	)
	made = Made()
	results: dict[int, dict[str, float]] = {}
	try:
		t = time.perf_counter()
		make_contracts(made, args.customers)
		make_manager(made)
		ensure_outgoing_account(made)
		seed_issues(made, args.seeds)
		print(f"{args.customers} contracts and {args.seeds} seed issues in {time.perf_counter() - t:.0f} s")
		for n in sorted(args.sizes):
			t = time.perf_counter()
			clone_issues(made, n)
			erpnext_issues(made, n)
			frappe.db.sql("analyze table `tabSupport Issue`, `tabSupport Issue SLA Log`, `tabIssue`")
			print(f"\n== N = {n:,} (built in {time.perf_counter() - t:.0f} s)")
			t = time.perf_counter()
			keep_finished_months()  # what the daily job does with the months the clones marked
			frappe.db.commit()
			print(f"  {'daily job: keep the finished months':45s} {(time.perf_counter() - t) * 1000:9.1f} ms")
			results[n], slow = measure(made)
			for name, ms in results[n].items():
				print(f"  {name:45s} {ms:9.1f} ms")
			explain(slow)
	finally:
		t = time.perf_counter()
		cleanup(made)
		print(f"\ncleaned up in {time.perf_counter() - t:.0f} s")
	report(results)


def report(results: dict[int, dict[str, float]]) -> None:
	sizes = sorted(results)
	if len(sizes) < 2:
		return
	lo, hi = sizes[0], sizes[-1]
	print(f"\n| surface | {lo:,} | {hi:,} | growth |\n|---|---|---|---|")
	for name in results[lo]:
		a, b = results[lo][name], results[hi][name]
		print(f"| {name} | {a:.1f} ms | {b:.1f} ms | {b / a:.2f}x |")


if __name__ == "__main__":
	main()
