"""Recomputing open issues after a calendar, holiday list or plan edit (enqueued, one job per record)."""

from __future__ import annotations

import frappe
from frappe import _

from frappe_support.common.jobs import run_each
from frappe_support.common.queue import enqueue_after_commit

OPEN_STATUSES = ("Open", "Replied", "Waiting for Customer", "Resolved")


def enqueue_recompute(field: str, value: str, note: str) -> None:
	"""Queue the recomputation of every open issue whose contract uses this calendar or plan. Nothing would
	catch up a recomputation that was never queued, so an edit that needs one is refused while the queue
	is down."""
	if not affected_issues(field, value):
		return
	enqueue_after_commit(
		"frappe_support.issues.recompute.recompute_open_issues",
		queue="long",
		job_id=f"frappe_support:recompute:{field}:{value}",
		required_for=_("recomputing the open issues after this edit"),
		field=field,
		value=value,
		note=note,
	)


def affected_issues(field: str, value: str) -> list[str]:
	if field not in ("calendar", "plan"):
		frappe.throw(_("Issues can be recomputed by calendar or plan, not by {0}.").format(field))
	issue = frappe.qb.DocType("Support Issue")
	contract = frappe.qb.DocType("Support Contract")
	return (
		frappe.qb.from_(issue)
		.join(contract)
		.on(contract.name == issue.contract)
		.select(issue.name)
		.where(
			(contract[field] == value) & issue.status.isin(OPEN_STATUSES) & (issue.sla_state != "Not Covered")
		)
		.run(pluck=True)
	)


def recompute_open_issues(field: str, value: str, note: str) -> int:
	"""Recompute and log each open issue; a failing issue is rolled back and logged, the rest proceed.

	The background job commits when it returns.
	"""
	done, _failed = run_each(
		"Support Issue",
		affected_issues(field, value),
		lambda name: recompute_one(name, note),
		_("Support Issue {0}: SLA recomputation failed"),
		commit=False,
	)
	return done


def recompute_one(name: str, note: str) -> int:
	issue = frappe.get_doc("Support Issue", name)
	issue.flags.sla_recompute_note = note
	issue.save(ignore_permissions=True)
	return 1


def on_holiday_list_update(doc, method=None) -> None:
	for calendar in frappe.get_all("Support Calendar", filters={"holiday_list": doc.name}, pluck="name"):
		enqueue_recompute("calendar", calendar, _("Holiday List {0} was edited").format(doc.name))
