"""What the portal's pages show, read through the customer API (the same door the connector uses), so
the portal sees exactly what the API allows and nothing else."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import get_system_timezone

from frappe_support.api import v1
from frappe_support.api.v1.contracts import contract_summary
from frappe_support.api.v1.issues import PRIORITIES
from frappe_support.api.v1.sites import site_summary
from frappe_support.issues.coverage import CATEGORIES
from frappe_support.permissions import customers_of, is_customer_user


def require_customer(context) -> None:
	"""Guests log in first; staff are sent to the desk; only customer users get the portal."""
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=" + frappe.utils.quote(frappe.request.path)
		raise frappe.Redirect
	if not is_customer_user() or not customers_of():
		frappe.throw(
			_("The support portal is for customers' users. Support staff work in the desk at /app."),
			frappe.PermissionError,
		)
	context.no_cache = 1
	context.show_sidebar = False
	context.user_timezone = (
		frappe.db.get_value("User", frappe.session.user, "time_zone") or get_system_timezone()
	)
	context.customers = customers_of()


def dashboard(context) -> None:
	require_customer(context)
	context.issues = v1.list_issues(page_length=100)
	# the lists went through the door (checked, counted, audited); their rows are the caller's own
	context.sites = [site_summary(frappe.get_doc("Support Site", s["name"])) for s in v1.list_sites()]
	context.exposures = v1.list_exposures(open_only=0)
	context.upgrades = v1.list_upgrades()
	context.contracts = [
		contract_summary(frappe.get_doc("Support Contract", c["name"])) for c in v1.list_contracts()
	]
	context.title = _("Support")


def issue(context) -> None:
	require_customer(context)
	name = frappe.form_dict.name
	try:
		context.issue = v1.get_issue(name)
	except frappe.DoesNotExistError:
		raise frappe.PageDoesNotExistError from None
	context.title = context.issue["subject"]


def new_issue(context) -> None:
	require_customer(context)
	context.sites = v1.list_sites()
	context.categories = [c for c, (field, _topics) in CATEGORIES.items() if field]
	context.topics = {c: list(topics) for c, (_field, topics) in CATEGORIES.items() if topics}
	context.priorities = PRIORITIES
	context.idempotency_key = frappe.generate_hash(length=20)
	context.title = _("Raise an Issue")
