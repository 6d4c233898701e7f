import frappe
from frappe.utils import get_datetime

from frappe_support.issues.deadlines import due_events


def execute():
	"""Give issues that existed before the SLA sweep the instant it must next look at them."""
	for issue in frappe.get_all(
		"Support Issue",
		filters={"status": ("not in", ("Resolved", "Closed")), "sla_state": ("!=", "Not Covered")},
		fields=[
			"name",
			"status",
			"sla_state",
			"first_responded_on",
			"response_by",
			"at_risk_on",
			"resolution_by",
			"response_breach_notified",
			"at_risk_notified",
			"resolution_breach_notified",
		],
	):
		pending = [
			get_datetime(t) for flag, t, open_ in due_events(issue) if open_ and t and not issue.get(flag)
		]
		if pending:
			frappe.db.set_value(
				"Support Issue", issue.name, "next_sla_check_on", min(pending), update_modified=False
			)
