"""Support Contracts beyond one document: status from dates and docstatus, the contract of an issue, renewals,
and the daily status update. The contract's own validation is on its controller (`SupportContract`)."""

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
