# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SLAComplianceMonth(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		computed: DF.Check
		computed_on: DF.Datetime | None
		issues: DF.Int
		median_hours: DF.Float
		met: DF.Int
		month: DF.Data
		priority: DF.Literal["High", "Medium", "Low"]
		version: DF.Int
	# end: auto-generated types
	"""A finished month's SLA Compliance figures for one priority (see frappe_support.issues.compliance_months)."""

	pass
