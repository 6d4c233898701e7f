"""Security Advisory lifecycle around the document (whose controller checks the ranges, publishes, revises
and withdraws): the jobs a publish or a withdrawal queues, the catch-up, and a site matched again when its
versions change.

Matching itself is in `matching` and runs in the background (one job per advisory, deduplicated); a
site whose app versions change is matched again right away, against the published advisories of its apps.
"""

from __future__ import annotations

import frappe
from frappe.utils import now_datetime

from frappe_support.advisories.mail import tell_untold, tell_withdrawn
from frappe_support.advisories.matching import OPEN, rematch_site
from frappe_support.advisories.progress import match_job_id
from frappe_support.common.queue import enqueue_after_commit

CATCH_UP = "frappe_support.advisories.lifecycle.catch_up"


def enqueue_match(advisory: str) -> bool:
	return enqueue_after_commit(
		"frappe_support.advisories.matching.match_advisory",
		queue="long",
		job_id=match_job_id(advisory),
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
	tell_untold()  # notices that could not be queued, once they can
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
		.where((advisory.status == "Withdrawn") & exposure.status.isin(OPEN))
		.run(pluck=True)
	)


def close_exposures(advisory: str) -> int:
	"""Background job after a withdrawal: open exposures become Withdrawn; those told are told again."""
	if frappe.db.get_value("Security Advisory", advisory, "status") != "Withdrawn":
		return 0
	rows = frappe.get_all(
		"Advisory Exposure",
		filters={"advisory": advisory, "status": ("in", OPEN)},
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


def on_site_update(doc, method=None) -> None:
	"""Support Site hook: new or changed app versions are matched again against published advisories."""
	before = doc.get_doc_before_save()
	if before is not None and versions_of(before) == versions_of(doc) and before.contract == doc.contract:
		return
	rematch_site(doc.name)


def versions_of(site) -> list[tuple[str, str]]:
	return sorted(((a.app_name or "").lower(), a.version or "") for a in site.apps)
