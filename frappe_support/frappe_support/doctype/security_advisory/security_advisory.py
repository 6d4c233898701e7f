# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from frappe_support.advisories import lifecycle as advisories
from frappe_support.advisories.versions import parse_range
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
		self.tidy_ranges()
		self.validate_ranges()
		self.track_revision()

	def on_update(self):
		if self.flags.rematch and not advisories.enqueue_match(self.name):
			frappe.msgprint(
				_(
					"Saved. The job queue cannot be reached now: the customer sites will be matched against this advisory once it is back."
				),
				alert=True,
			)

	def on_trash(self):
		if self.status != "Draft" and not self.flags.removing_demo:  # the demo takes its own away
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
		if self.status == "Published":
			frappe.throw(
				_("Advisory {0} is already published.").format(self.name), title=_("Already published")
			)
		self.status = "Published"
		self.published_on = self.published_on or now_datetime()
		self.withdrawn_on = None
		self.matched_on = None  # matched anew: the catch-up queues it again if this match is lost
		self.flags.rematch = True
		self.save()

	@frappe.whitelist()
	def withdraw(self):
		self.check_permission("write")
		if self.status != "Published":
			frappe.throw(
				_("Only a published advisory can be withdrawn; {0} is {1}.").format(
					self.name, _(self.status)
				),
				title=_("Not published"),
			)
		self.status = "Withdrawn"
		self.withdrawn_on = now_datetime()
		self.save()
		if not advisories.enqueue_close(self.name):
			frappe.msgprint(
				_(
					"Withdrawn. The job queue cannot be reached now: the open exposures will be closed and their holders told once it is back."
				),
				alert=True,
			)

	# -- the affected ranges ---------------------------------------------------------------------------
	def tidy_ranges(self) -> None:
		for row in self.ranges:
			row.app_name = (row.app_name or "").strip().lower()
			row.vulnerable_range = (row.vulnerable_range or "").strip()
			row.patched_version = (row.patched_version or "").strip() or None

	def validate_ranges(self) -> None:
		if not self.ranges:
			frappe.throw(_("Add at least one affected app and range."), title=_("Nothing affected"))
		for row in self.ranges:
			parsed = parse_range(row.vulnerable_range)
			if not parsed.readable:
				frappe.throw(
					_(
						"Row {0}: the range {1} cannot be read ({2}). Write comparisons such as >= 15.0.0, < 15.72.0."
					).format(row.idx, frappe.bold(row.vulnerable_range or _("(empty)")), parsed.error),
					title=_("Invalid range"),
				)

	def range_signature(self) -> list[tuple]:
		return sorted((r.app_name, r.vulnerable_range, r.patched_version or "") for r in self.ranges)

	def track_revision(self) -> None:
		"""A published advisory whose ranges change is a new revision, matched again."""
		before = self.get_doc_before_save()
		if self.status != "Published" or before is None or before.status != "Published":
			return
		if before.range_signature() != self.range_signature():
			self.revision = (self.revision or 0) + 1
			self.flags.rematch = True
