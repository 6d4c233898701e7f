"""Who hears about Security Advisories, and what they are told.

Contract holders who asked for advisories get one email per advisory and contract listing their affected
sites, each exposure claimed in the database first (a conditional UPDATE of `notified_status`), so a
second matching run, or a revision that changes nothing for them, sends nothing again. Withdrawal is told
to those who were told. Support Managers get a daily digest of Unknown and unacknowledged Affected
exposures.
"""

from __future__ import annotations

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import get_url_to_form, now_datetime, nowdate

from frappe_support.common.claims import claimed
from frappe_support.common.mail import can_send, contract_holders, enabled_managers, send


def claim(name: str, status: str, now) -> bool:
	exposure = frappe.qb.DocType("Advisory Exposure")
	return claimed(
		frappe.qb.update(exposure)
		.set(exposure.notified_status, status)
		.set(exposure.notified_on, now)
		.where(
			(exposure.name == name)
			& (exposure.notified_status.isnull() | (exposure.notified_status != status))
		)
	)


def exposures(names: list[str]) -> list[frappe._dict]:
	return frappe.get_all(
		"Advisory Exposure",
		filters={"name": ("in", names)},
		fields=[
			"name",
			"advisory",
			"site",
			"contract",
			"app_name",
			"installed_version",
			"fixed_version",
			"status",
		],
		order_by="site asc",
	)


def tell_affected(names: list[str]) -> int:
	"""Email the holders of each contract about its newly affected sites; returns the emails queued."""
	now = now_datetime()
	groups: dict[tuple[str, str], list] = defaultdict(list)
	for row in exposures(names):
		if row.status == "Affected" and claim(row.name, "Affected", now):
			groups[(row.advisory, row.contract)].append(row)
	sent = 0
	for (advisory, contract), rows in sorted(groups.items()):
		recipients = contract_holders(contract, "advisories")
		if not recipients:
			continue
		doc = frappe.get_cached_doc("Security Advisory", advisory)
		queued = send(
			doc,
			customer=True,
			recipients=recipients,
			subject=_("Security advisory {0} ({1}): your site needs an update").format(
				doc.ghsa_id or doc.name, _(doc.severity)
			),
			template="security_advisory_affected",
			args={
				"advisory": doc,
				"rows": rows,
				"sites": site_urls(rows),
				"link": doc.reference_url,
				"portal": frappe.utils.get_url("/support"),
			},
		)
		if not queued:
			untell(rows)  # not told: the catch-up tells them once mail can go
			continue
		sent += 1
	return sent


def untell(rows: list) -> None:
	"""Take back the claims of a notice that was not queued: Notified On and Status Notified say what
	really happened (nothing), and the exposures count as untold again."""
	exposure = frappe.qb.DocType("Advisory Exposure")
	(
		frappe.qb.update(exposure)
		.set(exposure.notified_status, None)
		.set(exposure.notified_on, None)
		.where(exposure.name.isin([r.name for r in rows]))
		.run()
	)


def untold_affected() -> list[str]:
	"""Affected exposures of published advisories whose holders were never told (a notice not queued)."""
	exposure, advisory = frappe.qb.DocType("Advisory Exposure"), frappe.qb.DocType("Security Advisory")
	return (
		frappe.qb.from_(exposure)
		.join(advisory)
		.on(advisory.name == exposure.advisory)
		.select(exposure.name)
		.where(
			(advisory.status == "Published")
			& (exposure.status == "Affected")
			& (exposure.notified_status.isnull() | (exposure.notified_status != "Affected"))
		)
		.run(pluck=True)
	)


def tell_untold() -> int:
	"""The catch-up's part: tell what a notice not queued left untold, once outgoing mail works."""
	if not can_send():
		return 0  # still no way to send: no new Error Log every 15 minutes
	names = untold_affected()
	return tell_affected(names) if names else 0


def tell_withdrawn(advisory: str, names: list[str]) -> int:
	"""Tell the holders who were told about these exposures that the advisory is withdrawn."""
	now = now_datetime()
	groups: dict[str, list] = defaultdict(list)
	for row in exposures(names):
		if claim(row.name, "Withdrawn", now):
			groups[row.contract].append(row)
	doc = frappe.get_doc("Security Advisory", advisory)
	sent = 0
	for contract, rows in sorted(groups.items()):
		recipients = contract_holders(contract, "advisories")
		if not recipients:
			continue
		send(
			doc,
			customer=True,
			recipients=recipients,
			subject=_("Security advisory {0} is withdrawn").format(doc.ghsa_id or doc.name),
			template="security_advisory_withdrawn",
			args={"advisory": doc, "rows": rows, "sites": site_urls(rows)},
		)
		sent += 1
	return sent


def site_urls(rows) -> dict[str, str]:
	names = list({r.site for r in rows})
	return dict(
		frappe.get_all(
			"Support Site", filters={"name": ("in", names)}, fields=["name", "site_url"], as_list=True
		)
	)


def send_daily_digest() -> int:
	"""Daily job: Support Managers get the Unknown and the unacknowledged Affected exposures, once a day."""
	rows = frappe.get_all(
		"Advisory Exposure",
		filters={"status": ("in", ("Unknown", "Affected"))},
		fields=[
			"name",
			"advisory",
			"advisory_title",
			"severity",
			"site",
			"customer",
			"status",
			"installed_version",
			"fixed_version",
			"reason",
			"acknowledged_on",
		],
		order_by="status asc, site asc",
	)
	rows = [r for r in rows if r.status == "Unknown" or not r.acknowledged_on]
	users = enabled_managers()
	if not rows or not users:
		return 0
	if not claim_digest(nowdate()):
		return 0  # already sent today
	urls = site_urls(rows)
	for row in rows:
		row.site_url = urls.get(row.site, row.site)
		row.link = get_url_to_form("Advisory Exposure", row.name)
	unknown = sum(1 for r in rows if r.status == "Unknown")
	send(
		None,
		customer=False,
		recipients=users,
		subject=_("Security advisories: {0} affected and unacknowledged, {1} unknown").format(
			len(rows) - unknown, unknown
		),
		template="security_advisory_digest",
		args={"rows": rows[:500], "more": max(len(rows) - 500, 0), "unknown": unknown},
	)
	return 1


def claim_digest(day: str) -> bool:
	"""Take today's digest: a conditional UPDATE of the settings' "sent on" day, in the transaction that
	queues the mail, so of any number of runs one sends it, and a rollback takes the claim back with it."""
	field = "advisory_digest_sent_on"
	singles = frappe.qb.Table("tabSingles")
	mine = (singles.doctype == "Frappe Support Settings") & (singles.field == field)
	if not frappe.qb.from_(singles).select(singles.field).where(mine).run():
		frappe.db.set_single_value("Frappe Support Settings", field, None, update_modified=False)
	taken = claimed(
		frappe.qb.update(singles)
		.set(singles.value, day)
		.where(mine & (singles.value.isnull() | (singles.value != day)))
	)
	frappe.clear_document_cache("Frappe Support Settings", "Frappe Support Settings")
	return taken
