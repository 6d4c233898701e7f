"""Contracts through the customer API: the caller's contracts (services, exclusions, holders) and the
monthly SLA statement as a PDF."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import frappe
from frappe import _

from frappe_support.api.v1.door import aware, customer_method, mine, own
from frappe_support.issues.coverage import CATEGORIES

if TYPE_CHECKING:
	from frappe_support.frappe_support.doctype.support_contract.support_contract import SupportContract

CONTRACT_FIELDS = ("name", "customer", "customer_name", "plan", "start_date", "end_date", "status")


@frappe.whitelist(methods=["GET", "POST"])
@customer_method()
def list_contracts() -> list[dict]:
	rows = frappe.get_all(
		"Support Contract",
		filters={**mine(), "docstatus": 1},
		fields=list(CONTRACT_FIELDS),
		order_by="end_date desc",
	)
	return [aware(row) for row in rows]


@frappe.whitelist(methods=["GET", "POST"])
@customer_method()
def get_contract(contract: str) -> dict:
	doc = own("Support Contract", contract)
	if doc.docstatus != 1:
		frappe.throw(_("Support Contract {0} not found").format(contract), frappe.DoesNotExistError)
	return contract_summary(doc)


def contract_summary(doc: SupportContract) -> dict:
	summary = aware({field: doc.get(field) for field in CONTRACT_FIELDS})
	summary["services"] = [
		category for category, (field, _topics) in CATEGORIES.items() if field and doc.get(field)
	]
	summary["exclusions"] = doc.exclusions
	summary["remote_access_window"] = doc.remote_access_window
	summary["holders"] = [{"full_name": h.full_name, "email_id": h.email_id} for h in doc.holders]
	return summary


@frappe.whitelist(methods=["GET", "POST"])
@customer_method()
def statement_pdf(contract: str, month: str) -> None:
	"""The "SLA Statement" print of the contract for a month (YYYY-MM), as a PDF download."""
	doc = own("Support Contract", contract)
	if not isinstance(month, str) or not re.fullmatch(r"\d{4}-\d{2}", month):
		frappe.throw(_("Month must be written YYYY-MM, e.g. {0}.").format("2026-10"))
	frappe.form_dict.month = month
	frappe.flags.ignore_print_permissions = True  # own() checked the contract is the caller's
	try:
		pdf = frappe.get_print(doc.doctype, doc.name, "SLA Statement", doc=doc, as_pdf=True)
	finally:
		frappe.flags.ignore_print_permissions = False
	frappe.local.response.filename = f"{doc.name}-{month}.pdf"
	frappe.local.response.filecontent = pdf
	frappe.local.response.type = "download"
