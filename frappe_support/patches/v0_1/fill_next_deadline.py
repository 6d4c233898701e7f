import frappe

from frappe_support.issues.deadlines import next_deadline


def execute():
	"""Issues that existed before the Next Deadline field get it, so the issue list sorts them too."""
	for issue in frappe.get_all(
		"Support Issue",
		filters={"status": ("not in", ("Resolved", "Closed")), "sla_state": ("!=", "Not Covered")},
		fields=["name", "status", "sla_state", "first_responded_on", "response_by", "resolution_by"],
	):
		deadline = next_deadline(issue)
		if deadline:
			frappe.db.set_value("Support Issue", issue.name, "next_deadline", deadline, update_modified=False)
