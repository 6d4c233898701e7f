# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from frappe_support.common.fields import ShapeChecked
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
	def validate(self):
		contracts.validate_dates(self)
		contracts.validate_renewal(self)
		contracts.validate_holders(self)
		self.set_status()

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
