"""Security Advisory lifecycle: ranges checked on save, publish, revise, withdraw, acknowledge.

Matching itself is in `exposures` and runs in the background (one job per advisory, deduplicated); a
site whose app versions change is matched again right away, against the published advisories of its apps.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import now_datetime

from frappe_support.advisories.mail import tell_withdrawn
from frappe_support.advisories.matching import rematch_site
from frappe_support.advisories.versions import parse_range
from frappe_support.common.queue import enqueue_after_commit
from frappe_support.permissions import customers_of, is_customer_user, is_staff


def tidy_ranges(doc) -> None:
	for row in doc.ranges:
		row.app_name = (row.app_name or "").strip().lower()
		row.vulnerable_range = (row.vulnerable_range or "").strip()
		row.patched_version = (row.patched_version or "").strip() or None


def validate_ranges(doc) -> None:
	if not doc.ranges:
		frappe.throw(_("Add at least one affected app and range."), title=_("Nothing affected"))
	for row in doc.ranges:
		parsed = parse_range(row.vulnerable_range)
		if not parsed.readable:
			frappe.throw(
				_(
					"Row {0}: the range {1} cannot be read ({2}). Write comparisons such as >= 15.0.0, < 15.72.0."
				).format(row.idx, frappe.bold(row.vulnerable_range or _("(empty)")), parsed.error),
				title=_("Invalid range"),
			)


def range_signature(doc) -> list[tuple]:
	return sorted((r.app_name, r.vulnerable_range, r.patched_version or "") for r in doc.ranges)


def track_revision(doc) -> None:
	"""A published advisory whose ranges change is a new revision, matched again."""
	before = doc.get_doc_before_save()
	if doc.status != "Published" or before is None or before.status != "Published":
		return
	if range_signature(before) != range_signature(doc):
		doc.revision = (doc.revision or 0) + 1
		doc.flags.rematch = True


CATCH_UP = "frappe_support.advisories.lifecycle.catch_up"


def enqueue_match(advisory: str) -> bool:
	return enqueue_after_commit(
		"frappe_support.advisories.matching.match_advisory",
		queue="long",
		job_id=f"frappe_support:advisory_match:{advisory}",
		caught_up_by=CATCH_UP,
		advisory=advisory,
	)


def enqueue_close(advisory: str) -> bool:
	return enqueue_after_commit(
		"frappe_support.advisories.lifecycle.close_exposures",
		queue="long",
		job_id=f"frappe_support:advisory_withdraw:{advisory}",
		caught_up_by=CATCH_UP,
		advisory=advisory,
	)


def catch_up() -> int:
	"""Every 15 minutes: queue again what a lost job left undone (the queue was down when it was asked for,
	or its worker was killed halfway). Each job is idempotent and queued once per advisory."""
	unmatched, unclosed = unmatched_advisories(), withdrawn_with_open_exposures()
	for name in unmatched:
		enqueue_match(name)
	for name in unclosed:
		enqueue_close(name)
	return len(unmatched) + len(unclosed)


def unmatched_advisories() -> list[str]:
	"""Published advisories whose current revision has not been matched to the end."""
	advisory = frappe.qb.DocType("Security Advisory")
	return (
		frappe.qb.from_(advisory)
		.select(advisory.name)
		.where(
			(advisory.status == "Published")
			& (advisory.matched_on.isnull() | (advisory.matched_revision != advisory.revision))
		)
		.run(pluck=True)
	)


def withdrawn_with_open_exposures() -> list[str]:
	advisory = frappe.qb.DocType("Security Advisory")
	exposure = frappe.qb.DocType("Advisory Exposure")
	return (
		frappe.qb.from_(exposure)
		.join(advisory)
		.on(advisory.name == exposure.advisory)
		.select(advisory.name)
		.distinct()
		.where((advisory.status == "Withdrawn") & exposure.status.isin(("Affected", "Unknown")))
		.run(pluck=True)
	)


def publish(doc) -> None:
	if doc.status == "Published":
		frappe.throw(_("Advisory {0} is already published.").format(doc.name), title=_("Already published"))
	doc.status = "Published"
	doc.published_on = doc.published_on or now_datetime()
	doc.withdrawn_on = None
	doc.flags.rematch = True
	doc.save()


def withdraw(doc) -> None:
	if doc.status != "Published":
		frappe.throw(
			_("Only a published advisory can be withdrawn; {0} is {1}.").format(doc.name, _(doc.status)),
			title=_("Not published"),
		)
	doc.status = "Withdrawn"
	doc.withdrawn_on = now_datetime()
	doc.save()
	if not enqueue_close(doc.name):
		frappe.msgprint(
			_(
				"Withdrawn. The job queue cannot be reached now: the open exposures will be closed and their holders told once it is back."
			),
			alert=True,
		)


def close_exposures(advisory: str) -> int:
	"""Background job after a withdrawal: open exposures become Withdrawn; those told are told again."""
	if frappe.db.get_value("Security Advisory", advisory, "status") != "Withdrawn":
		return 0
	rows = frappe.get_all(
		"Advisory Exposure",
		filters={"advisory": advisory, "status": ("in", ("Affected", "Unknown"))},
		fields=["name", "notified_status"],
	)
	if not rows:
		return 0
	exposure = frappe.qb.DocType("Advisory Exposure")
	(
		frappe.qb.update(exposure)
		.set(exposure.status, "Withdrawn")
		.set(exposure.closed_on, now_datetime())
		.where(exposure.name.isin([r.name for r in rows]))
		.run()
	)
	tell_withdrawn(advisory, [r.name for r in rows if r.notified_status == "Affected"])
	return len(rows)


def acknowledge(exposure) -> None:
	"""A contract holder (through the customer API) or staff confirms they have seen an exposure of a site;
	`exposure` is read from the database, never taken from the request."""
	user = frappe.session.user
	if is_customer_user(user):
		if exposure.customer not in customers_of(user):
			raise frappe.PermissionError
	elif not is_staff(user):
		raise frappe.PermissionError
	if exposure.status not in ("Affected", "Unknown"):
		frappe.throw(
			_("Exposure {0} is {1}: only an open exposure can be acknowledged.").format(
				exposure.name, _(exposure.status)
			),
			title=_("Nothing to acknowledge"),
		)
	if exposure.acknowledged_on:
		return
	exposure.db_set({"acknowledged_on": now_datetime(), "acknowledged_by": user}, notify=True)


def on_site_update(doc, method=None) -> None:
	"""Support Site hook: new or changed app versions are matched again against published advisories."""
	before = doc.get_doc_before_save()
	if before is not None and versions_of(before) == versions_of(doc) and before.contract == doc.contract:
		return
	rematch_site(doc.name)


def versions_of(site) -> list[tuple[str, str]]:
	return sorted(((a.app_name or "").lower(), a.version or "") for a in site.apps)
