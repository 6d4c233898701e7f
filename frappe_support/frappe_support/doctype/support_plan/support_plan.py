# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from frappe_support.issues.recompute import enqueue_recompute
from frappe_support.sla import CalendarError, check_target

PRIORITIES = ("High", "Medium", "Low")


class SupportPlan(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from frappe_support.frappe_support.doctype.support_plan_target.support_plan_target import (
			SupportPlanTarget,
		)

		description: DF.SmallText | None
		plan_name: DF.Data
		targets: DF.Table[SupportPlanTarget]

	# end: auto-generated types
	def validate(self):
		self.validate_priorities()
		self.validate_targets()

	def on_update(self):
		if self.get_doc_before_save():
			enqueue_recompute("plan", self.name, _("Support Plan {0} was edited").format(self.name))

	def validate_priorities(self):
		seen = [row.priority for row in self.targets]
		for priority in PRIORITIES:
			count = seen.count(priority)
			if count != 1:
				frappe.throw(
					_("The plan needs exactly one target row for priority {0} (found {1}).").format(
						_(priority), count
					),
					title=_("Invalid plan"),
				)

	def validate_targets(self):
		for row in self.targets:
			for amount, unit, label in (
				(row.response_time, row.response_unit, _("response")),
				(row.resolution_time, row.resolution_unit, _("resolution")),
			):
				try:
					check_target(amount, unit)
				except CalendarError as e:
					frappe.throw(
						_("Row {0} ({1}), {2} target: {3}").format(
							row.idx, _(row.priority), label, e.translated(_)
						),
						title=_("Invalid plan"),
					)
			if not row.resolution_time:
				frappe.throw(
					_("Row {0} ({1}): the resolution target must be more than zero.").format(
						row.idx, _(row.priority)
					),
					title=_("Invalid plan"),
				)
