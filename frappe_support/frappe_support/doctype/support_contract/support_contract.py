# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

"""A support contract: dates, renewal and holders validated, status kept from its dates and docstatus."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, getdate

from frappe_support.common.fields import ShapeChecked
from frappe_support.common.settings import get_settings
from frappe_support.contracts import lifecycle as contracts


class SupportContract(ShapeChecked, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from frappe_support.frappe_support.doctype.support_contract_holder.support_contract_holder import (
			SupportContractHolder,
		)

		amended_from: DF.Link | None
		calendar: DF.Link
		covers_bug_fix: DF.Check
		covers_configuration: DF.Check
		covers_scaling: DF.Check
		covers_security_alerts: DF.Check
		covers_server_deployment: DF.Check
		covers_upgrade: DF.Check
		customer: DF.Link
		customer_name: DF.Data | None
		end_date: DF.Date
		exclusions: DF.SmallText | None
		holders: DF.Table[SupportContractHolder]
		naming_series: DF.Literal["SUP-CON-.YYYY.-"]
		plan: DF.Link
		remote_access_window: DF.SmallText | None
		renewal_reminders_sent: DF.Data | None
		renewed_from: DF.Link | None
		start_date: DF.Date
		status: DF.Literal["Draft", "Upcoming", "Active", "Expired", "Cancelled"]

	# end: auto-generated types
	def before_insert(self):
		self.fill_defaults()

	def validate(self):
		self.validate_dates()
		self.validate_renewal()
		self.validate_holders()
		self.set_status()

	def fill_defaults(self) -> None:
		"""A new contract's plan and calendar, when not given: the settings' defaults."""
		for field, value in contract_defaults().items():
			if not self.get(field) and value:
				self.set(field, value)

	def on_submit(self):
		self.set_status(update=True)

	def on_cancel(self):
		self.set_status(update=True)

	def set_status(self, update: bool = False):
		status = contracts.derive_status(self.docstatus, self.start_date, self.end_date)
		if update:
			self.db_set("status", status, update_modified=False)
		else:
			self.status = status

	def validate_dates(self) -> None:
		if self.start_date and self.end_date and getdate(self.end_date) < getdate(self.start_date):
			frappe.throw(
				_("The contract ends on {0}, before it starts on {1}: correct the dates.").format(
					frappe.format(self.end_date, "Date"), frappe.format(self.start_date, "Date")
				),
				title=_("Invalid dates"),
			)

	def validate_renewal(self) -> None:
		"""A renewal starts after the contract it renews has ended: contracts never overlap."""
		if not self.renewed_from:
			return
		previous_end = frappe.db.get_value("Support Contract", self.renewed_from, "end_date")
		if previous_end and getdate(self.start_date) <= getdate(previous_end):
			frappe.throw(
				_(
					"This renewal starts on {0}, but {1} runs until {2}: start the renewal on {3} or later."
				).format(
					frappe.format(self.start_date, "Date"),
					self.renewed_from,
					frappe.format(previous_end, "Date"),
					frappe.format(add_days(previous_end, 1), "Date"),
				),
				title=_("Overlapping renewal"),
			)

	def validate_holders(self) -> None:
		"""Contract holders are Contacts of the contract's customer."""
		contacts = [row.contact for row in self.get("holders") or [] if row.contact]
		if not contacts:
			return
		linked = set(
			frappe.get_all(
				"Dynamic Link",
				filters={
					"parenttype": "Contact",
					"parent": ("in", contacts),
					"link_doctype": "Customer",
					"link_name": self.customer,
				},
				pluck="parent",
			)
		)
		for row in self.holders:
			if row.contact and row.contact not in linked:
				frappe.throw(
					_(
						"Row {0}: contact {1} is not linked to customer {2}: add the customer to the contact's links first."
					).format(row.idx, row.contact, self.customer),
					title=_("Invalid contract holder"),
				)


@frappe.whitelist()
def contract_defaults() -> dict:
	"""The plan and calendar a new contract starts with (Frappe Support Settings)."""
	settings = get_settings()
	return {"plan": settings.default_plan, "calendar": settings.default_calendar}
