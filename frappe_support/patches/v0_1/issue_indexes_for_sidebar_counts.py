"""The sidebar's counts over the default list filter (status and SLA state, by owner) read one covering
index, `(status, sla_state, owner)`, which replaces the `(status, sla_state)` and `(status, owner)` ones;
a customer's issues due first read `(customer, due_order)`, and SLA Compliance reads each group's median
from `(priority, resolved_on, status, sla_state, resolution_hours)` (a third of the entries the report's
other index holds for the month) and one customer's figures from
`(customer, resolved_on, status, sla_state, priority)`.
The indexes are made by the DocType's `on_doctype_update`, which a migrate runs only when the DocType's
JSON changed, so this patch runs it; the replaced indexes are dropped. Running it again changes nothing."""

import frappe

from frappe_support.frappe_support.doctype.support_issue.support_issue import (
	OBSOLETE_INDEXES,
	on_doctype_update,
)


def execute():
	on_doctype_update()
	for fields in OBSOLETE_INDEXES:
		index = frappe.db.get_index_name(fields)  # the name add_index gave it
		if frappe.db.has_index("tabSupport Issue", index):
			frappe.db.sql_ddl(f"alter table `tabSupport Issue` drop index `{index}`")
