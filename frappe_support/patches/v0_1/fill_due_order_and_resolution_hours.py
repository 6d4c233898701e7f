"""Existing issues get the two stored values the desk now reads: `due_order` (the lists' sort key) on every
issue, and `resolution_hours` (business hours to resolve) on resolved ones, from the resolution clock's last
Met or Breached row of the SLA log, the value the reports and statements computed before. Set-based: two
UPDATE statements, whatever the number of issues; running it again changes nothing."""

import frappe
from frappe.query_builder.functions import Coalesce, Max

from frappe_support.issues.deadlines import NO_DEADLINE


def execute():
	issue = frappe.qb.DocType("Support Issue")
	frappe.qb.update(issue).set(issue.due_order, Coalesce(issue.next_deadline, NO_DEADLINE)).run()
	fill_resolution_hours()


def fill_resolution_hours():
	issue = frappe.qb.DocType("Support Issue")
	log = frappe.qb.DocType("Support Issue SLA Log")
	row = frappe.qb.DocType("Support Issue SLA Log").as_("outcome")
	last = (
		frappe.qb.from_(log)
		.select(log.parent, Max(log.idx).as_("idx"))
		.where(
			(log.parenttype == "Support Issue")
			& (log.clock == "Resolution")
			& log.event.isin(("Met", "Breached"))
		)
		.groupby(log.parent)
	).as_("last_outcome")
	(
		frappe.qb.update(issue)
		.join(last)
		.on(last.parent == issue.name)
		.join(row)
		.on((row.parent == last.parent) & (row.idx == last.idx) & (row.parenttype == "Support Issue"))
		.set(issue.resolution_hours, row.consumed_hours)
		.where(issue.status.isin(("Resolved", "Closed")) & issue.sla_state.isin(("Met", "Breached")))
		.run()
	)
