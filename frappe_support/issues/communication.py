"""Emails on a Support Issue: a support user's first outgoing message is the first response; a customer's
reply while the issue waits for them, or after it was resolved, puts it back to Open (which resumes the
resolution clock). A received mail is sanitized, and threads into an issue only when its sender may see
that issue."""

from __future__ import annotations

import frappe

from frappe_support.common.sanitize import rich_text
from frappe_support.issues import mail_in
from frappe_support.permissions import is_staff


def before_communication_insert(doc, method=None) -> None:
	if (
		doc.reference_doctype != "Support Issue"
		or not doc.reference_name
		or doc.sent_or_received != "Received"
	):
		return
	doc.content = rich_text(doc.content)
	if doc.flags.in_receive:
		keep_thread_to_its_customer(doc)


def keep_thread_to_its_customer(doc) -> None:
	"""Frappe threads an incoming mail by In-Reply-To, a "#NAME" in the subject or a similar subject, from
	any sender. Mail from someone who is neither staff nor on the issue's customer side opens an issue of
	its own instead (Not Covered for a stranger), so no one's mail lands in another customer's issue."""
	issue = frappe.db.get_value("Support Issue", doc.reference_name, ["raised_by", "customer"], as_dict=True)
	if mail_in.from_customer_side(issue, doc.sender) or mail_in.is_staff_address(doc.sender):
		return
	doc.reference_name = mail_in.raise_from_mail(doc.subject, doc.sender)


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
		mail_in.fill_description(doc.reference_name, doc)


def record_first_response(doc) -> None:
	issue = frappe.get_doc("Support Issue", doc.reference_name, for_update=True)  # no sweep in between
	if issue.first_responded_on or issue.status == "Closed":
		return
	issue.flags.first_response_at = doc.communication_date or doc.creation
	if issue.status == "Open":
		issue.status = "Replied"
	issue.save(ignore_permissions=True)


def reopen_on_customer_reply(doc) -> None:
	issue = frappe.get_doc("Support Issue", doc.reference_name, for_update=True)  # no sweep in between
	if not mail_in.from_customer_side(issue, doc.sender):
		return
	if issue.status in ("Replied", "Waiting for Customer", "Resolved"):
		issue.status = "Open"
		issue.save(ignore_permissions=True)
