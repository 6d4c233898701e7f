# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime, now_datetime

from frappe_support.advisories.matching import OPEN
from frappe_support.common.dates import to_stored
from frappe_support.permissions import customers_of, is_customer_user, is_staff, require_staff_on
from frappe_support.upgrades import fixes


class AdvisoryExposure(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		acknowledged_by: DF.Link | None
		acknowledged_on: DF.Datetime | None
		advisory: DF.Link
		advisory_title: DF.Data | None
		app_name: DF.Data | None
		closed_on: DF.Datetime | None
		contract: DF.Link | None
		customer: DF.Link | None
		evaluated_on: DF.Datetime | None
		evaluated_revision: DF.Int
		fixed_version: DF.Data | None
		installed_version: DF.Data | None
		notified_on: DF.Datetime | None
		notified_status: DF.Data | None
		reason: DF.SmallText | None
		remediated_on: DF.Datetime | None
		severity: DF.Data | None
		site: DF.Link
		status: DF.Literal["Affected", "Unknown", "Not Affected", "Patched", "Withdrawn"]
		upgrade_schedule: DF.Link | None

	# end: auto-generated types
	@frappe.whitelist()
	def acknowledge(self) -> None:
		"""A contract holder (through the customer API) or staff confirms they have seen this exposure."""
		self.reload()  # the stored record: a document posted to run_doc_method may carry anything
		self.check_acknowledger(frappe.session.user)
		if self.status not in OPEN:
			frappe.throw(
				_("Exposure {0} is {1}: only an open exposure can be acknowledged.").format(
					self.name, _(self.status)
				),
				title=_("Nothing to acknowledge"),
			)
		if self.acknowledged_on:
			return
		self.db_set({"acknowledged_on": now_datetime(), "acknowledged_by": frappe.session.user}, notify=True)

	@frappe.whitelist()
	def fix_plan(self) -> dict:
		"""What "Book the Fix" would book, with the next free windows and their engineers (staff)."""
		require_staff_on(self, "write")
		plan = fixes.fix_plan(self.name)
		plan["slots"] = [
			{"start": str(to_stored(s)), "end": str(to_stored(e)), "engineer": engineer}
			for s, e, engineer in plan["slots"]
		]
		return plan

	@frappe.whitelist()
	def book_fix(self, window_start: str | None = None) -> str:
		"""Book the upgrade to the fixed version in the free window starting then (staff)."""
		require_staff_on(self, "write")
		return fixes.book_fix(self.name, get_datetime(window_start) if window_start else None)

	def check_acknowledger(self, user: str) -> None:
		"""Staff, or a user of the exposure's own customer."""
		if is_customer_user(user):
			if self.customer not in customers_of(user):
				raise frappe.PermissionError
		elif not is_staff(user):
			raise frappe.PermissionError


def on_doctype_update():
	"""One exposure per advisory and site, even when two matching jobs run at once."""
	frappe.db.add_unique("Advisory Exposure", ["advisory", "site"], constraint_name="unique_advisory_site")
