# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt


class FrappeSupportSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		at_risk_percent: DF.Percent
		default_calendar: DF.Link | None
		default_plan: DF.Link | None

	# end: auto-generated types
	def validate(self):
		if not 0 < flt(self.at_risk_percent) <= 100:
			frappe.throw(
				_(
					"At Risk At must be above 0 % and at most 100 % of the resolution target, not {0} %."
				).format(self.at_risk_percent),
				title=_("Invalid setting"),
			)
