"""Who may see what: staff by role, a Support Customer only the records of the customers they belong to.

A customer user is linked to a Customer the way ERPNext links portal users: the user's Contact has a
Dynamic Link to the Customer. The same rule is applied as a list condition (desk lists, REST, reports,
link search, counts) and as a per-document check (forms, `frappe.client.get`, attachments).
"""

from __future__ import annotations

import frappe

STAFF_ROLES = frozenset({"Support Manager", "Support Engineer", "System Manager"})
CUSTOMER_ROLE = "Support Customer"
CUSTOMER_SCOPED = (
	"Support Contract",
	"Support Site",
	"Support Issue",
	"Advisory Exposure",
	"Upgrade Schedule",
)
VISIBLE_ADVISORY_STATUSES = ("Published", "Withdrawn")


def is_staff(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or bool(STAFF_ROLES.intersection(frappe.get_roles(user)))


def is_customer_user(user: str | None = None) -> bool:
	"""A user whose access is limited to their own customers' records."""
	user = user or frappe.session.user
	return not is_staff(user) and CUSTOMER_ROLE in frappe.get_roles(user)


def customers_of(user: str | None = None) -> list[str]:
	"""Customers the user's Contact links to (cached for the request)."""
	user = user or frappe.session.user
	cache = getattr(frappe.local, "support_customers_of", None)
	if cache is None:
		cache = frappe.local.support_customers_of = {}
	if user not in cache:
		contact = frappe.qb.DocType("Contact")
		link = frappe.qb.DocType("Dynamic Link")
		rows = (
			frappe.qb.from_(contact)
			.join(link)
			.on((link.parent == contact.name) & (link.parenttype == "Contact"))
			.select(link.link_name)
			.distinct()
			.where((contact.user == user) & (link.link_doctype == "Customer"))
			.run(pluck=True)
		)
		cache[user] = sorted(rows)
	return cache[user]


def clear_customer_cache(doc=None, method=None) -> None:
	frappe.local.support_customers_of = None


def query_conditions(doctype: str, user: str | None = None) -> str:
	if not is_customer_user(user):
		return ""
	customers = customers_of(user)
	if not customers:
		return "1=0"
	values = ", ".join(frappe.db.escape(c) for c in customers)
	return f"`tab{doctype}`.`customer` in ({values})"


def contract_query_conditions(user: str | None = None) -> str:
	return query_conditions("Support Contract", user)


def site_query_conditions(user: str | None = None) -> str:
	return query_conditions("Support Site", user)


def issue_query_conditions(user: str | None = None) -> str:
	return query_conditions("Support Issue", user)


def exposure_query_conditions(user: str | None = None) -> str:
	return query_conditions("Advisory Exposure", user)


def upgrade_query_conditions(user: str | None = None) -> str:
	return query_conditions("Upgrade Schedule", user)


def advisory_query_conditions(user: str | None = None) -> str:
	"""Customers see published (and withdrawn) advisories, never drafts."""
	if not is_customer_user(user):
		return ""
	values = ", ".join(frappe.db.escape(s) for s in VISIBLE_ADVISORY_STATUSES)
	return f"`tabSecurity Advisory`.`status` in ({values})"


def has_advisory_permission(
	doc, ptype: str | None = None, user: str | None = None, debug: bool = False
) -> bool:
	if not is_customer_user(user):
		return True
	return doc.get("status") in VISIBLE_ADVISORY_STATUSES


def has_customer_permission(
	doc, ptype: str | None = None, user: str | None = None, debug: bool = False
) -> bool:
	"""Deny a customer user any record of another customer; everyone else is left to role permissions."""
	if not is_customer_user(user):
		return True
	if not doc.get("customer") and doc.is_new():
		return True  # filled in from the user's own customer on validate
	return doc.get("customer") in customers_of(user)
