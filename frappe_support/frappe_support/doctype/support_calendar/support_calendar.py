# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

from frappe import _
from frappe.model.document import Document
from frappe.utils import get_system_timezone

from frappe_support.contracts.calendars import compile_calendar
from frappe_support.issues.recompute import enqueue_recompute


class SupportCalendar(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from frappe_support.frappe_support.doctype.support_calendar_closure.support_calendar_closure import (
			SupportCalendarClosure,
		)
		from frappe_support.frappe_support.doctype.support_calendar_hours.support_calendar_hours import (
			SupportCalendarHours,
		)

		always_open: DF.Check
		calendar_name: DF.Data
		closures: DF.Table[SupportCalendarClosure]
		holiday_list: DF.Link | None
		hours: DF.Table[SupportCalendarHours]
		summary: DF.SmallText | None
		timezone: DF.Autocomplete | None

	# end: auto-generated types
	def validate(self):
		self.set_default_timezone()
		self.set_summary()

	def on_update(self):
		if not self.is_new() and self.get_doc_before_save():
			enqueue_recompute("calendar", self.name, _("Calendar {0} was edited").format(self.name))

	def set_default_timezone(self):
		if not self.timezone:
			self.timezone = get_system_timezone()

	def set_summary(self):
		"""Compiling rejects a malformed calendar (overlaps, bad zone, empty week) with a clear error."""
		self.summary = compile_calendar(self).describe()
