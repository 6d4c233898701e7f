"""Matching published Security Advisories against the app versions each covered customer site runs.

One pass per advisory: a single query reads the app versions of every site on an active contract that
covers security alerts, the version engine (`frappe_support.advisories.versions.assess`) decides each
site, and the Advisory Exposure rows are written in bulk. A site with nothing to worry about gets no row;
a row, once made, is kept and moves on: Affected or Unknown, then Patched when the site upgrades past the
fix, Not Affected when a revision of the advisory clears it, Withdrawn when the advisory is withdrawn.
Contract holders who asked for advisories hear about an exposure once per status they have not been told.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import frappe
from frappe import _
from frappe.utils import now_datetime

from frappe_support.advisories import mail
from frappe_support.advisories.progress import announce
from frappe_support.advisories.versions import assess
from frappe_support.common.settings import get_settings

OPEN = ("Affected", "Unknown")
# worst first: the status of a site that runs several apps of one advisory is its worst app's
ORDER = {"Affected": 0, "Unknown": 1, "Not Affected": 2}


@dataclass
class Verdict:
	site: str
	customer: str
	contract: str
	app_name: str
	installed: str
	status: str
	fixed_in: str | None
	reason: str


def ranges_by_app(advisory) -> dict[str, list[tuple[str, str | None]]]:
	apps: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
	for row in advisory.ranges:
		apps[row.app_name.strip().lower()].append((row.vulnerable_range, row.patched_version or None))
	return dict(apps)


def covered_site_apps(apps: list[str], site: str | None = None) -> list[tuple]:
	"""(site, customer, contract, app, version) for every app in `apps` on every site whose contract is
	active and covers security alerts: one query, whatever the number of sites."""
	if not apps:
		return []
	site_t = frappe.qb.DocType("Support Site")
	app_t = frappe.qb.DocType("Support Site App")
	contract_t = frappe.qb.DocType("Support Contract")
	query = (
		frappe.qb.from_(app_t)
		.join(site_t)
		.on((site_t.name == app_t.parent) & (app_t.parenttype == "Support Site"))
		.join(contract_t)
		.on(contract_t.name == site_t.contract)
		.select(site_t.name, site_t.customer, contract_t.name, app_t.app_name, app_t.version)
		.where(
			(contract_t.docstatus == 1)
			& (contract_t.status == "Active")
			& (contract_t.covers_security_alerts == 1)
			& app_t.app_name.isin(apps)
		)
	)
	if site:
		query = query.where(site_t.name == site)
	return query.run()


def evaluate(
	apps: dict[str, list[tuple[str, str | None]]], rows: list[tuple], majors=None
) -> dict[str, Verdict]:
	"""The verdict for each site: its worst app's. Sites on the same version of an app share one assessment
	(most sites run one of a few releases)."""
	verdicts: dict[str, Verdict] = {}
	assessed: dict[tuple[str, str], object] = {}
	for site, customer, contract, app_name, version in rows:
		key = app_name.strip().lower()
		if key not in apps:
			continue
		result = assessed.get((key, version or ""))
		if result is None:
			result = assessed[key, version or ""] = assess(
				version or "", apps[key], known_majors=(majors or {}).get(key)
			)
		verdict = Verdict(
			site, customer, contract, key, version or "", result.status, result.fixed_in, result.reason
		)
		current = verdicts.get(site)
		if current is None or ORDER[verdict.status] < ORDER[current.status]:
			verdicts[site] = verdict
	return verdicts


def dropped_apps(apps: dict, verdicts: dict[str, Verdict], existing: dict) -> dict[str, Verdict]:
	"""Open exposures through an app a revision of the advisory no longer lists: cleared. (An exposure of a
	site that merely left the scope, by losing its cover or the app, is left as it was.)"""
	cleared = {}
	for (_advisory, site), row in existing.items():
		if site in verdicts or row.status not in OPEN or (row.app_name or "") in apps:
			continue
		cleared[site] = Verdict(
			site,
			row.customer,
			row.contract,
			row.app_name,
			row.installed_version or "",
			"Not Affected",
			None,
			_("The advisory no longer lists {0}.").format(row.app_name),
		)
	return cleared


def existing_exposures(
	advisory: str | None = None, site: str | None = None
) -> dict[tuple[str, str], frappe._dict]:
	filters = {}
	if advisory:
		filters["advisory"] = advisory
	if site:
		filters["site"] = site
	rows = frappe.get_all(
		"Advisory Exposure",
		filters=filters,
		fields=[
			"name",
			"advisory",
			"site",
			"customer",
			"contract",
			"app_name",
			"status",
			"installed_version",
			"fixed_version",
			"evaluated_revision",
			"notified_status",
		],
	)
	return {(r.advisory, r.site): r for r in rows}


def next_status(verdict: Verdict, row: frappe._dict | None) -> str | None:
	"""The exposure status to store, or None for no row: a clean site never gets one."""
	if verdict.status in OPEN:
		return verdict.status
	if row is None:
		return None
	if row.status in OPEN:
		# cleared: by an upgrade of the site, or by a revision of the advisory
		return "Patched" if (row.installed_version or "") != verdict.installed else "Not Affected"
	return row.status if row.status in ("Patched", "Not Affected") else "Not Affected"


def apply(advisory: frappe._dict, verdicts: dict[str, Verdict], existing: dict, now) -> list[str]:
	"""Write the exposures of one advisory; returns the names of those now Affected that the holders have
	not been told about."""
	inserts, to_tell = [], []
	for site, verdict in verdicts.items():
		row = existing.get((advisory.name, site))
		status = next_status(verdict, row)
		if status is None:
			continue
		values = {
			"status": status,
			"app_name": verdict.app_name,
			"installed_version": verdict.installed,
			"fixed_version": verdict.fixed_in,
			"reason": verdict.reason,
			"evaluated_on": now,
			"evaluated_revision": advisory.revision,
			"customer": verdict.customer,
			"contract": verdict.contract,
		}
		if row is None:
			name = exposure_name(advisory.name, site)
			inserts.append((name, site, values))
		else:
			name = row.name
			if status == "Patched" and row.status != "Patched":
				values["remediated_on"] = now
			if status not in OPEN and row.status in OPEN:
				values["notified_status"] = None  # exposed again later: told again
			if status in OPEN and row.status not in OPEN:
				values["upgrade_schedule"] = None  # exposed again: its fix is booked anew
			if changed(row, status, verdict, advisory):
				frappe.db.set_value("Advisory Exposure", name, values, update_modified=True)
		if status == "Affected" and (row is None or row.notified_status != "Affected"):
			to_tell.append(name)
	insert_exposures(advisory, inserts, now)
	return to_tell


def changed(row: frappe._dict, status: str, verdict: Verdict, advisory) -> bool:
	return (
		status != row.status
		or (row.installed_version or "") != verdict.installed
		or (row.fixed_version or None) != verdict.fixed_in
		or (row.evaluated_revision or 0) != (advisory.revision or 0)
	)


def exposure_name(advisory: str, site: str) -> str:
	"""A stable name per advisory and site: the advisory's name, then 64 bits of a hash (an advisory's
	sites never collide; Frappe's 10-character random hashes would, about once in ten matches). Advisory
	names grow (a naming series), so a match's rows go to the end of the table's primary key, together,
	rather than to random pages across the whole table: a match costs the same at 500,000 exposures as
	at the first thousand."""
	return f"{advisory}-" + hashlib.sha1(f"{advisory}\n{site}".encode()).hexdigest()[:16]


INSERT_FIELDS = (  # what differs from one row to the next
	"name",
	"site",
	"customer",
	"contract",
	"status",
	"app_name",
	"installed_version",
	"fixed_version",
	"reason",
)
SHARED_FIELDS = (  # the same on every row of one match
	"owner",
	"modified_by",
	"creation",
	"modified",
	"advisory",
	"advisory_title",
	"severity",
	"evaluated_on",
	"evaluated_revision",
)


def insert_exposures(advisory, inserts: list, now) -> None:
	"""New exposures of one advisory: (name, site, values) each."""
	if not inserts:
		return
	user = frappe.session.user
	rows = [
		(
			name,
			site,
			v["customer"],
			v["contract"],
			v["status"],
			v["app_name"],
			v["installed_version"],
			v["fixed_version"],
			v["reason"],
		)
		for name, site, v in inserts
	]
	shared = (user, user, now, now, advisory.name, advisory.title, advisory.severity, now, advisory.revision)
	insert_rows("Advisory Exposure", INSERT_FIELDS, rows, SHARED_FIELDS, shared)


def insert_rows(
	doctype: str,
	fields: tuple[str, ...],
	rows: list[tuple],
	shared_fields: tuple[str, ...] = (),
	shared: tuple = (),
	chunk: int = 1000,
) -> None:
	"""Multi-row INSERTs of literal values (`sql_literal`), the `shared` values (the same on every row)
	written once as one literal tail. A match writes about 5,000 rows of 18 values: escaped one by one as
	driver parameters (pymysql) or through pypika (frappe.db.bulk_insert), the values cost about as much
	time as the database takes to insert them. A row another match inserted meanwhile (the same advisory
	matched twice at once: names and the unique advisory-site pair are the same) is left as it is; its
	holders are told once, by the claim."""
	columns = ", ".join(f"`{f}`" for f in (*fields, *shared_fields))
	literals: dict = {}
	tail = "".join(", " + sql_literal(v, literals) for v in shared) + ")"
	for start in range(0, len(rows), chunk):
		values = ", ".join(
			"(" + ", ".join([sql_literal(v, literals) for v in row]) + tail
			for row in rows[start : start + chunk]
		)
		frappe.db.sql(
			f"insert into `tab{doctype}` ({columns}) values {values} on duplicate key update `name` = `name`"
		)


def sql_literal(value, seen: dict) -> str:
	"""A value as an SQL literal: text as a hexadecimal string literal (only 0-9a-f between x'...', so
	nothing in it can end the literal, and neither the driver's % formatting nor Frappe's rewriting of the
	query text can touch it); numbers as numbers; datetimes quoted; None as NULL. Repeated values are
	converted once."""
	key = (type(value), value)
	literal = seen.get(key)
	if literal is None:
		if value is None:
			literal = "NULL"
		elif isinstance(value, int | float):  # bool is an int: 0 or 1
			literal = repr(int(value) if isinstance(value, bool) else value)
		elif isinstance(value, datetime):
			literal = "'" + value.isoformat(sep=" ") + "'"
		elif isinstance(value, str):
			literal = "x'" + value.encode().hex() + "'" if value else "''"
		else:
			raise TypeError(f"no SQL literal for {type(value).__name__}")
		seen[key] = literal
	return literal


def match_advisory(advisory: str, notify: bool = True) -> dict[str, int]:
	"""Background job: evaluate every covered site against one published advisory (none when it was
	deleted before the job ran, as the demo's removal does)."""
	doc = (
		frappe.get_doc("Security Advisory", advisory)
		if frappe.db.exists("Security Advisory", advisory)
		else None
	)
	if not doc or doc.status != "Published":
		return {}
	announce(advisory, "running")
	apps = ranges_by_app(doc)
	verdicts = evaluate(apps, covered_site_apps(list(apps)), get_settings().released_major_lines())
	existing = existing_exposures(advisory=advisory)
	verdicts.update(dropped_apps(apps, verdicts, existing))
	now = now_datetime()
	to_tell = apply(doc, verdicts, existing, now)
	if notify:
		tell_holders(to_tell)
	mark_matched(advisory, doc.revision, now)
	announce(advisory, "done")
	counts = defaultdict(int)
	for verdict in verdicts.values():
		counts[verdict.status] += 1
	return dict(counts)


def mark_matched(advisory: str, revision: int, now) -> None:
	"""In the match's own transaction: a match killed halfway leaves the advisory unmatched, for the
	catch-up (`lifecycle.catch_up`)."""
	frappe.db.set_value(
		"Security Advisory",
		advisory,
		{"matched_revision": revision or 0, "matched_on": now},
		update_modified=False,
	)


def rematch_site(site: str) -> None:
	"""After a site's app versions change: evaluate it against every published advisory of its apps, with
	three queries whatever the number of advisories."""
	apps = frappe.get_all(
		"Support Site App", filters={"parent": site, "parenttype": "Support Site"}, pluck="app_name"
	)
	rows = covered_site_apps([a.strip().lower() for a in apps if a], site=site)
	if not rows:
		return  # not covered (any more): its exposures are left as they were
	existing = existing_exposures(site=site)
	majors = get_settings().released_major_lines()
	now = now_datetime()
	to_tell = []
	for advisory, ranges in published_ranges([r[3].strip().lower() for r in rows]):
		to_tell += apply(advisory, evaluate(ranges, rows, majors), existing, now)
	tell_holders(to_tell)


def published_ranges(apps: list[str]) -> list[tuple[frappe._dict, dict[str, list[tuple[str, str | None]]]]]:
	"""(published advisory, {app: [(range, patched)]}) for each advisory that names any of these apps."""
	advisory = frappe.qb.DocType("Security Advisory")
	row = frappe.qb.DocType("Security Advisory Range")
	found = (
		frappe.qb.from_(row)
		.join(advisory)
		.on((advisory.name == row.parent) & (row.parenttype == "Security Advisory"))
		.select(
			advisory.name,
			advisory.title,
			advisory.severity,
			advisory.revision,
			row.app_name,
			row.vulnerable_range,
			row.patched_version,
		)
		.where((advisory.status == "Published") & row.app_name.isin(apps))
		.orderby(advisory.name)
		.orderby(row.idx)
		.run()
	)
	by_advisory: dict[str, tuple[frappe._dict, dict]] = {}
	for name, title, severity, revision, app, text, patched in found:
		meta = frappe._dict(name=name, title=title, severity=severity, revision=revision)
		by_advisory.setdefault(name, (meta, defaultdict(list)))[1][app].append((text, patched or None))
	return [(meta, dict(ranges)) for meta, ranges in by_advisory.values()]


def tell_holders(exposures: list[str]) -> None:
	if exposures:
		mail.tell_affected(exposures)
