"""Emails on a Support Issue: a support user's first outgoing message is the first response; a customer's
reply while the issue waits for them, or after it was resolved, puts it back to Open (which resumes the
resolution clock)."""

from __future__ import annotations

import frappe

from frappe_support.permissions import is_staff
from frappe_support.support import email_in


def on_communication_insert(doc, method=None) -> None:
	if doc.reference_doctype != "Support Issue" or not doc.reference_name:
		return
	if doc.communication_type != "Communication" or doc.communication_medium not in ("Email", "", None):
		return
	if doc.sent_or_received == "Sent" and is_staff(doc.owner or frappe.session.user):
		record_first_response(doc)
	elif doc.sent_or_received == "Received":
		reopen_on_customer_reply(doc)


def on_communication_update(doc, method=None) -> None:
	"""A received mail's text is complete only at its second save (Frappe adds plain-text bodies then)."""
	if doc.reference_doctype == "Support Issue" and doc.reference_name and doc.sent_or_received == "Received":
		email_in.fill_description(doc.reference_name, doc)


def record_first_response(doc) -> None:
	issue = frappe.get_doc("Support Issue", doc.reference_name)
	if issue.first_responded_on or issue.status == "Closed":
		return
	issue.flags.first_response_at = doc.communication_date or doc.creation
	if issue.status == "Open":
		issue.status = "Replied"
	issue.save(ignore_permissions=True)


def reopen_on_customer_reply(doc) -> None:
	issue = frappe.get_doc("Support Issue", doc.reference_name)
	if not email_in.from_customer_side(issue, doc.sender):
		return
	if issue.status in ("Replied", "Waiting for Customer", "Resolved"):
		issue.status = "Open"
		issue.save(ignore_permissions=True)
