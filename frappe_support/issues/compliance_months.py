"""The SLA Compliance figures of finished months, kept in SLA Compliance Month (one row per month and
priority), so that a year's report reads 36 rows and computes from the issues only the months it does not
find kept and up to date (this month, and a month an issue's change marked since the last daily run).

Kept figures must never outlive a change to the issues they count. Every change to an issue that counts
in a finished month (resolved, reopened, reprioritised, recomputed, deleted) raises the version of that
month's rows in the issue's own transaction (`forget`, an upsert), which marks them out of date. The
daily job (`keep_finished_months`) stores figures only over the version they were computed against: read
with the issues in one snapshot, written back by a conditional UPDATE, which reads the current row, so
figures computed before a change are not stored over it; it never waits for a row an issue's transaction
holds. A month is kept from a day after its end, long after any transaction of its own days has ended.
Ranges filtered by customer or contract are computed from the issues (they are small)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import frappe
from frappe.utils import add_months, get_datetime, now_datetime

from frappe_support.issues import compliance
from frappe_support.issues.compliance import PRIORITIES, month_bounds, month_of, months_between

DOCTYPE = "SLA Compliance Month"
SETTLED_AFTER = timedelta(days=1)  # after its end, a month is kept
KEPT_MONTHS = 24


def figures(start: date, end: date, filters) -> list[frappe._dict]:
	"""The report's figures from start to end (whole days): the months kept up to date from their rows,
	the rest from the issues, one pass per run of months read from the issues. Reads only: the report
	runs in a GET request, on a read replica where the site has one."""
	lo, hi = get_datetime(f"{start} 00:00:00"), get_datetime(f"{end} 23:59:59.999999")
	fresh = fresh_rows(kept_months(start, end, filters))
	priority = filters.get("priority")
	rows = [as_figure(r) for r in fresh if r.issues and (not priority or r.priority == priority)]
	for first, last in runs(months_between(start, end), {r.month for r in fresh}):
		rows += compliance.figures(max(lo, first), min(hi, last), filters)
	return sorted(rows, key=lambda r: (r.month, PRIORITIES.index(r.priority)))


def fresh_rows(months: list[str]) -> list[frappe._dict]:
	"""The kept rows of the months whose three rows are all up to date."""
	if not months:
		return []
	rows = read_rows(months)
	fresh = {m for m in months if sum(1 for r in rows if r.month == m and r.computed) == len(PRIORITIES)}
	return [r for r in rows if r.month in fresh]


def kept_months(start: date, end: date, filters) -> list[str]:
	"""The months of the range that are whole in it (read from their rows when kept); none when the range
	is one customer's or one contract's."""
	if filters.get("customer") or filters.get("contract"):
		return []
	lo, hi = get_datetime(f"{start} 00:00:00"), get_datetime(f"{end} 23:59:59.999999")
	return [m for m in months_between(start, end) if lo <= month_bounds(m)[0] <= month_bounds(m)[1] <= hi]


def settled(month: str) -> bool:
	"""A day after its end: no transaction of its own days is still open."""
	return add_months(month_bounds(month)[0], 1) + SETTLED_AFTER <= now_datetime()


def runs(months: list[str], kept: set[str]) -> list[tuple[datetime, datetime]]:
	"""The first and last instants of each run of consecutive months that are not kept."""
	spans: list[tuple[datetime, datetime]] = []
	for month in months:
		if month in kept:
			continue
		first, last = month_bounds(month)
		if spans and spans[-1][1] + timedelta(microseconds=1) == first:
			spans[-1] = (spans[-1][0], last)
		else:
			spans.append((first, last))
	return spans


def keep_finished_months() -> None:
	"""Daily: keep the figures of the settled months of the last two years that are missing or out of
	date (a month just over, or one an issue's change marked)."""
	today = now_datetime().date()
	keep_months([m for m in months_between(add_months(today, -KEPT_MONTHS), today) if settled(m)])


def keep_months(months: list[str]) -> None:
	"""Compute and store the figures of those months whose rows are missing or out of date. Idempotent;
	run twice at once, the second leaves the rows the first holds; killed, it stored nothing."""
	months = [m for m in months if settled(m)]
	rows = {r.name: r for r in read_rows(months)} if months else {}
	stale = [m for m in months if not all(rows.get(key(m, p), {}).get("computed") for p in PRIORITIES)]
	computed = {key(r.month, r.priority): r for r in compute(stale)}
	store_all({key(m, p): computed.get(key(m, p)) for m in stale for p in PRIORITIES}, rows)


def key(month: str, priority: str) -> str:
	return f"{month}-{priority}"


def read_rows(months: list[str]) -> list[frappe._dict]:
	kept = frappe.qb.DocType(DOCTYPE)
	return (
		frappe.qb.from_(kept)
		.select(kept.name, kept.month, kept.priority, kept.issues, kept.met, kept.median_hours)
		.select(kept.computed, kept.version)
		.where(kept.month.isin(months))
		.run(as_dict=True)
	)


def compute(months: list[str]) -> list[frappe._dict]:
	rows: list[frappe._dict] = []
	for first, last in runs(months, set()):
		rows += compliance.figures(first, last, {})
	return [r for r in rows if r.month in months]


def as_figure(row) -> frappe._dict:
	return frappe._dict(
		month=row.month, priority=row.priority, issues=row.issues, met=row.met, median_hours=row.median_hours
	)


def store_all(figures: dict[str, frappe._dict | None], rows: dict[str, frappe._dict]) -> None:
	"""Keep the computed groups, in name order (as `forget` takes them); a group whose row an issue's
	transaction holds is left for the next run rather than waited for."""
	now = now_datetime()
	with no_lock_wait():
		for name in sorted(figures):
			try:
				store(name, figures[name], rows.get(name), now)
			except frappe.QueryTimeoutError:
				return  # this statement alone was rolled back; the transaction goes on


def store(name: str, figure: frappe._dict | None, row: frappe._dict | None, now: datetime) -> None:
	"""One group's figures, over the version they were computed against: a row that was absent is
	inserted unless another transaction made it meanwhile, a row that was read is updated unless its
	version moved on."""
	figure = figure or frappe._dict(issues=0, met=0, median_hours=0)
	values = {"issues": figure.issues, "met": figure.met, "median_hours": figure.median_hours or 0}
	values.update(computed=1, computed_on=now, modified=now)
	kept = frappe.qb.DocType(DOCTYPE)
	if row is None:
		month, priority = name.rsplit("-", 1)
		new = new_row(name, month, priority, now) | values
		frappe.qb.into(kept).columns(*new).insert(*new.values()).ignore().run()
		return
	query = frappe.qb.update(kept).where((kept.name == name) & (kept.version == row.version))
	for field, value in values.items():
		query = query.set(kept[field], value)
	query.run()


def forget_issue(*docs) -> None:
	"""Mark for recomputation the months these versions of an issue count in (before and after a change)."""
	forget({(month_of(d.resolved_on), d.priority) for d in docs if d and compliance.counts_in(d)})


def forget_months(months: list[str]) -> None:
	"""Mark whole months for recomputation, after issues were written past the documents (bulk loads)."""
	forget({(m, p) for m in months for p in PRIORITIES})


def forget(groups: set[tuple[str, str]]) -> None:
	"""Raise the version of each finished group's row (making it if missing), in name order, in the
	caller's transaction: kept figures computed before the change can no longer be stored over it."""
	now = now_datetime()
	kept = frappe.qb.DocType(DOCTYPE)
	for month, priority in sorted(groups, key=lambda g: key(*g)):
		if month_bounds(month)[1] >= now:
			continue  # not finished: nothing is kept for it yet
		new = new_row(key(month, priority), month, priority, now)
		(
			frappe.qb.into(kept)
			.columns(*new)
			.insert(*new.values())
			.on_duplicate_key_update(kept.version, kept.version + 1)
			.on_duplicate_key_update(kept.computed, 0)
			.run()
		)


def new_row(name: str, month: str, priority: str, now: datetime) -> dict:
	user = frappe.session.user
	return {"name": name, "creation": now, "modified": now, "owner": user, "modified_by": user} | {
		"month": month,
		"priority": priority,
		"version": 0,
		"computed": 0,
	}


class no_lock_wait:
	"""No InnoDB lock wait for the session (MariaDB's 0: a locked row fails the statement at once), then
	the session's wait put back."""

	def __enter__(self):
		self.before = frappe.db.sql("select @@session.innodb_lock_wait_timeout")[0][0]
		frappe.db.sql("set session innodb_lock_wait_timeout = 0")

	def __exit__(self, *exc):
		frappe.db.sql("set session innodb_lock_wait_timeout = %s", self.before)
