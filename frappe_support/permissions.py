"""Who may reach what through Frappe's generic surfaces: the app's DocTypes are for support staff only.

Customers (Support Customer: a Website User, no desk) never get DocType access. They reach their own
records through one audited door, the customer API (`frappe_support.api.v1`), which serves the support
portal and the connector of their own ERPNext site. There every record is checked against the customers
the user's Contact links to (`customers_of`), the way ERPNext links portal users.

The hooks here make that hold whatever role permissions an administrator adds: for anyone who is not
staff, lists, counts, reports, link search and titles of the app's DocTypes are empty, and every
per-document check (forms, `frappe.client.get`, prints, attachments, `run_doc_method`) is refused.
"""

from __future__ import annotations

import frappe
from frappe import _

STAFF_ROLES = frozenset({"Support Manager", "Support Engineer", "System Manager"})
CUSTOMER_ROLE = "Support Customer"
# on a customer's own ERPNext site (connector mode): the employees who may contact support
DESK_USER_ROLE = "Support Desk User"
# the app's DocTypes that hold provider records (their child tables follow their parents)
STAFF_ONLY = (
	"Support Contract",
	"Support Site",
	"Support Issue",
	"Advisory Exposure",
	"Security Advisory",
	"Upgrade Schedule",
	"Support Plan",
	"Support Calendar",
	"Support Site Downtime",
	"Support Uptime Round",
	"Support Site Health",
)
# and their child tables: every DocType of the app that holds provider records
APP_DOCTYPES = (
	*STAFF_ONLY,
	"Support Contract Holder",
	"Support Site App",
	"Support Issue SLA Log",
	"Security Advisory Range",
	"Upgrade Schedule App",
	"Upgrade Patch Timing",
	"Support Plan Target",
	"Support Calendar Hours",
	"Support Calendar Closure",
)


def is_staff(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or bool(STAFF_ROLES.intersection(frappe.get_roles(user)))


def can_open_the_desk() -> bool:
	"""The apps screen's tile: for support staff (customers have the portal, or their own site's desk)."""
	return is_staff()


def require_staff(what: str) -> None:
	"""Refuse `what` to anyone but support staff, saying who may."""
	if not is_staff():
		frappe.throw(
			_(
				"{0} is for support staff: ask a System Manager for the Support Manager or Support Engineer role."
			).format(what),
			frappe.PermissionError,
		)


def staff_doc(doctype: str, name: str, ptype: str = "read"):
	"""The record, for support staff who may `ptype` it (a whitelisted staff view or action)."""
	doc = frappe.get_doc(doctype, name)
	require_staff_on(doc, ptype)
	return doc


def require_staff_on(doc, ptype: str = "read") -> None:
	"""Refuse anyone who may not `ptype` the record, or is not support staff (saying who may)."""
	doc.check_permission(ptype)
	require_staff(_("This action on {0} {1}").format(_(doc.doctype), doc.name))


def is_customer_user(user: str | None = None) -> bool:
	"""A user who may use the customer API: their access is limited to their own customers' records."""
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


# -- hooks: the app's DocTypes ------------------------------------------------------------------------
def staff_only_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions of every app DocType: nothing for anyone but staff."""
	return "" if is_staff(user) else "1=0"


def has_staff_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""has_permission of every app DocType: staff are left to their role permissions, others refused."""
	return is_staff(user)


# -- hooks: Frappe's own DocTypes that point at the app's records ----------------------------------------
def tag_link_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""Tag Link is readable by every user and carries the tagged record's title: not those of the app's
	records, except for staff."""
	if is_staff(user):
		return ""
	values = ", ".join(frappe.db.escape(d) for d in APP_DOCTYPES)
	return f"`tabTag Link`.`document_type` not in ({values})"


def has_tag_link_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	return doc.get("document_type") not in APP_DOCTYPES or is_staff(user)


@frappe.whitelist()
def get_link_title(doctype: str, docname: str):
	"""Frappe's link-title lookup answers anyone with the title of any record; of the app's records, only
	staff get more than the name they sent."""
	from frappe.desk.search import get_link_title as frappe_link_title

	if doctype in APP_DOCTYPES and not is_staff():
		return docname
	return frappe_link_title(doctype, docname)


def contact_child_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""Child rows of Contacts and Addresses (their links to customers, emails, phones). Frappe lists them to
	anyone who may read some Contact, and every user may read their own: a Website User would get every
	contact of every customer. Website users get the rows of their own contacts and addresses."""
	user = user or frappe.session.user
	if user == "Administrator" or frappe.get_cached_value("User", user, "user_type") == "System User":
		return ""
	me = frappe.db.escape(user)
	table = f"`tab{doctype}`"
	contacts = f"(select `name` from `tabContact` where `owner` = {me} or `user` = {me})"
	if doctype != "Dynamic Link":
		return f"{table}.`parent` in {contacts}"
	addresses = f"(select `name` from `tabAddress` where `owner` = {me})"
	return (
		f"(({table}.`parenttype` = 'Contact' and {table}.`parent` in {contacts})"
		f" or ({table}.`parenttype` = 'Address' and {table}.`parent` in {addresses}))"
	)
