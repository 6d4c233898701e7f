"""Support Contract rules: status from dates and docstatus, the contract of an issue, renewals."""

from __future__ import annotations

from datetime import date

import frappe
from frappe import _
from frappe.utils import add_days, date_diff, getdate, nowdate

SERVICE_FIELDS = (
	"covers_bug_fix",
	"covers_server_deployment",
	"covers_configuration",
	"covers_upgrade",
	"covers_scaling",
	"covers_security_alerts",
)


def derive_status(docstatus: int, start_date, end_date, today: date | None = None) -> str:
	today = getdate(today or nowdate())
	if docstatus == 0:
		return "Draft"
	if docstatus == 2:
		return "Cancelled"
	if today < getdate(start_date):
		return "Upcoming"
	if today > getdate(end_date):
		return "Expired"
	return "Active"


def is_active_on(contract, on: date) -> bool:
	return contract.docstatus == 1 and getdate(contract.start_date) <= getdate(on) <= getdate(
		contract.end_date
	)


def active_contracts(customer: str, on: date) -> list[str]:
	return frappe.get_all(
		"Support Contract",
		filters={
			"customer": customer,
			"docstatus": 1,
			"start_date": ("<=", on),
			"end_date": (">=", on),
		},
		pluck="name",
		order_by="start_date desc",
	)


def find_contract(customer: str | None, site: str | None, on: date) -> str:
	"""The contract of an issue raised on `on` for this customer and site; throws when there is none."""
	if site:
		contract = frappe.get_cached_value("Support Site", site, "contract")
		if contract:
			return contract
	if not customer:
		frappe.throw(
			_("Choose the customer, the site or the contract of this issue."), title=_("Contract missing")
		)
	names = active_contracts(customer, on)
	if not names:
		frappe.throw(
			_("Customer {0} has no active support contract on {1}: submit or renew a contract first.").format(
				customer, frappe.format(on, "Date")
			),
			title=_("No active contract"),
		)
	if len(names) > 1:
		frappe.throw(
			_("Customer {0} has several active contracts ({1}): choose the contract or the site.").format(
				customer, ", ".join(names)
			),
			title=_("Choose a contract"),
		)
	return names[0]


def validate_dates(doc) -> None:
	if doc.start_date and doc.end_date and getdate(doc.end_date) < getdate(doc.start_date):
		frappe.throw(
			_("The contract ends on {0}, before it starts on {1}: correct the dates.").format(
				frappe.format(doc.end_date, "Date"), frappe.format(doc.start_date, "Date")
			),
			title=_("Invalid dates"),
		)


def validate_renewal(doc) -> None:
	"""A renewal starts after the contract it renews has ended: contracts never overlap."""
	if not doc.renewed_from:
		return
	previous_end = frappe.db.get_value("Support Contract", doc.renewed_from, "end_date")
	if previous_end and getdate(doc.start_date) <= getdate(previous_end):
		frappe.throw(
			_(
				"This renewal starts on {0}, but {1} runs until {2}: start the renewal on {3} or later."
			).format(
				frappe.format(doc.start_date, "Date"),
				doc.renewed_from,
				frappe.format(previous_end, "Date"),
				frappe.format(add_days(previous_end, 1), "Date"),
			),
			title=_("Overlapping renewal"),
		)


def validate_holders(doc) -> None:
	"""Contract holders are Contacts of the contract's customer."""
	contacts = [row.contact for row in doc.get("holders") or [] if row.contact]
	if not contacts:
		return
	linked = set(
		frappe.get_all(
			"Dynamic Link",
			filters={
				"parenttype": "Contact",
				"parent": ("in", contacts),
				"link_doctype": "Customer",
				"link_name": doc.customer,
			},
			pluck="parent",
		)
	)
	for row in doc.holders:
		if row.contact and row.contact not in linked:
			frappe.throw(
				_(
					"Row {0}: contact {1} is not linked to customer {2}: add the customer to the contact's links first."
				).format(row.idx, row.contact, doc.customer),
				title=_("Invalid contract holder"),
			)


@frappe.whitelist()
def make_renewal(source_name: str) -> str:
	"""Create (as a draft) the contract that follows `source_name`, starting the day after it ends."""
	source = frappe.get_doc("Support Contract", source_name)
	source.check_permission("read")
	frappe.has_permission("Support Contract", "create", throw=True)
	if source.docstatus != 1:
		frappe.throw(_("Only a submitted contract can be renewed: submit {0} first.").format(source.name))
	existing = frappe.db.get_value("Support Contract", {"renewed_from": source.name, "docstatus": ("<", 2)})
	if existing:
		frappe.throw(
			_("{0} has already been renewed by {1}.").format(source.name, existing),
			title=_("Already renewed"),
		)
	length = date_diff(source.end_date, source.start_date)
	renewal = frappe.copy_doc(source)
	renewal.docstatus = 0
	renewal.start_date = add_days(source.end_date, 1)
	renewal.end_date = add_days(renewal.start_date, length)
	renewal.renewed_from = source.name
	renewal.amended_from = None
	renewal.insert()
	return renewal.name


def update_contract_statuses() -> None:
	"""Daily: move submitted contracts between Upcoming, Active and Expired as their dates pass."""
	today = getdate(nowdate())
	due = frappe.get_all(
		"Support Contract",
		filters={"docstatus": 1, "status": "Upcoming", "start_date": ("<=", today)},
		fields=["name", "start_date", "end_date", "status"],
	) + frappe.get_all(
		"Support Contract",
		filters={"docstatus": 1, "status": "Active", "end_date": ("<", today)},
		fields=["name", "start_date", "end_date", "status"],
	)
	for row in due:
		try:
			status = derive_status(1, row.start_date, row.end_date, today)
			frappe.db.set_value("Support Contract", row.name, "status", status, update_modified=False)
		except Exception:
			frappe.log_error(title=_("Support contract status update failed for {0}").format(row.name))
