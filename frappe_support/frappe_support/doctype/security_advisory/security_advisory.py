# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from frappe_support.advisories import lifecycle as advisories
from frappe_support.common.fields import ShapeChecked


class SecurityAdvisory(ShapeChecked, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from frappe_support.frappe_support.doctype.security_advisory_range.security_advisory_range import (
			SecurityAdvisoryRange,
		)

		cve_id: DF.Data | None
		cvss_score: DF.Float
		cvss_vector: DF.Data | None
		cwe_ids: DF.Data | None
		description: DF.TextEditor | None
		ghsa_id: DF.Data | None
		matched_on: DF.Datetime | None
		matched_revision: DF.Int
		naming_series: DF.Literal["SEC-ADV-.YYYY.-"]
		published_on: DF.Datetime | None
		ranges: DF.Table[SecurityAdvisoryRange]
		reference_url: DF.Data | None
		revision: DF.Int
		severity: DF.Literal["Low", "Medium", "High", "Critical"]
		source: DF.Literal["Manual", "GitHub"]
		source_modified_on: DF.Datetime | None
		status: DF.Literal["Draft", "Published", "Withdrawn"]
		title: DF.Data
		withdrawn_on: DF.Datetime | None

	# end: auto-generated types
	def validate(self):
		advisories.tidy_ranges(self)
		advisories.validate_ranges(self)
		advisories.track_revision(self)

	def on_update(self):
		if self.flags.rematch and not advisories.enqueue_match(self.name):
			frappe.msgprint(
				_(
					"Saved. The job queue cannot be reached now: the customer sites will be matched against this advisory once it is back."
				),
				alert=True,
			)

	def on_trash(self):
		if self.status != "Draft":
			frappe.throw(
				_(
					"Advisory {0} was published: withdraw it instead of deleting it, so its history stays."
				).format(self.name),
				title=_("Cannot delete"),
			)
		frappe.db.delete("Advisory Exposure", {"advisory": self.name})

	@frappe.whitelist()
	def publish(self):
		self.check_permission("write")
		advisories.publish(self)

	@frappe.whitelist()
	def withdraw(self):
		self.check_permission("write")
		advisories.withdraw(self)
