"""Support Issue as the target of an incoming Email Account (append-to, sender field `raised_by`).

Frappe creates the issue from a new mail with only its subject and sender set, then attaches the mail as
a received Communication. Here the issue gets its contract from the sender: a contract holder's address
opens it on their active contract; a contact of a customer opens it on that customer's active contract;
anyone else's mail is kept, but Not Covered, until someone sets the customer. The priority is the
settings' default for mail, the category Bug, and the description the mail's text.
"""

from __future__ import annotations

import re
from datetime import date

import frappe
from frappe import _
from frappe.utils import getdate

from frappe_support.common.settings import get_settings
from frappe_support.contracts.lifecycle import active_contracts
from frappe_support.permissions import is_staff


def is_from_mail(issue) -> bool:
	"""A new issue Frappe's inbound mail made: mandatory fields skipped, a sender and nothing else to go by."""
	return bool(
		issue.is_new()
		and issue.flags.ignore_mandatory
		and issue.raised_by
		and not (issue.customer or issue.contract or issue.site)
	)


def prepare_mailed_issue(issue) -> None:
	"""Defaults and the contract of an issue opened by mail (called first in its validate)."""
	if still_without_contract(issue):
		issue.flags.not_covered_reason = issue.coverage_note
	if not is_from_mail(issue):
		return
	issue.priority = get_settings().email_priority or "Medium"
	issue.category = "Bug"
	email = issue.raised_by.strip().lower()
	on = getdate(issue.opening_date)
	held = holder_contract(email, on)
	if held:
		issue.contract, issue.customer = held
		return
	customers = customers_of_email(email)
	contracts = [c for customer in customers for c in active_contracts(customer, on)]
	if contracts:
		issue.contract = contracts[0]
		issue.customer = frappe.db.get_value("Support Contract", contracts[0], "customer")
		return
	if customers:
		issue.customer = customers[0]
		issue.flags.not_covered_reason = _(
			"Sent by {0} of {1}, who has no active support contract on {2}: renew the contract, then set it here."
		).format(email, customers[0], frappe.format(on, "Date"))
	else:
		issue.flags.not_covered_reason = _(
			"Sent by {0}, who is not a contact of any customer: set the customer to start the SLA clock."
		).format(email)


def still_without_contract(issue) -> bool:
	"""A mailed issue kept Not Covered for want of a contract, saved again without a customer or site that
	could give it one (so it can still be answered, resolved or closed)."""
	return bool(
		not issue.is_new()
		and not issue.contract
		and issue.sla_state == "Not Covered"
		and not issue.has_value_changed("customer")
		and not issue.has_value_changed("site")
	)


def holder_contract(email: str, on: date) -> tuple[str, str] | None:
	"""(contract, customer) of an active, submitted contract that lists this address as a holder."""
	holder = frappe.qb.DocType("Support Contract Holder")
	contract = frappe.qb.DocType("Support Contract")
	rows = (
		frappe.qb.from_(holder)
		.join(contract)
		.on(contract.name == holder.parent)
		.select(contract.name, contract.customer)
		.where(
			(holder.parenttype == "Support Contract")
			& (holder.email_id == email)
			& (contract.docstatus == 1)
			& (contract.start_date <= on)
			& (contract.end_date >= on)
		)
		.orderby(contract.end_date)
		.limit(1)
		.run()
	)
	return tuple(rows[0]) if rows else None


def customers_of_email(email: str) -> list[str]:
	"""Customers whose Contacts have this email address."""
	email_row = frappe.qb.DocType("Contact Email")
	link = frappe.qb.DocType("Dynamic Link")
	return sorted(
		frappe.qb.from_(email_row)
		.join(link)
		.on((link.parent == email_row.parent) & (link.parenttype == "Contact"))
		.select(link.link_name)
		.distinct()
		.where((email_row.email_id == email) & (link.link_doctype == "Customer"))
		.run(pluck=True)
	)


def from_customer_side(issue, email: str | None) -> bool:
	"""Whether a received mail comes from the issue's raiser or a contact of its customer (anyone can name
	an issue in a subject line; only these may move its clock)."""
	email = (email or "").strip().lower()
	if not email:
		return False
	if email == (issue.raised_by or "").strip().lower():
		return True
	return bool(issue.customer) and issue.customer in customers_of_email(email)


def fill_description(issue: str, communication) -> None:
	"""The first mail's text becomes the description of an issue opened by mail."""
	if communication.content and not frappe.db.get_value("Support Issue", issue, "description"):
		frappe.db.set_value(
			"Support Issue", issue, "description", communication.content, update_modified=False
		)


def is_staff_address(email: str | None) -> bool:
	user = frappe.db.get_value("User", {"email": (email or "").strip(), "enabled": 1})
	return bool(user) and is_staff(user)


def raise_from_mail(subject: str | None, sender: str) -> str:
	"""A new issue for a mail that may not join the issue it named, made as Frappe makes one for a new
	mail (so `prepare_mailed_issue` gives it the sender's contract); the other issue's name is left out of
	its subject, so replies to it thread here."""
	issue = frappe.new_doc("Support Issue")
	issue.subject = (re.sub(r"\(?#[\w.-]+\)?", "", subject or "").strip() or sender)[:140]
	issue.raised_by = sender
	issue.flags.ignore_mandatory = True
	issue.insert(ignore_permissions=True)
	return issue.name
