# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

from frappe_support.advisories import lifecycle as advisories


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

	# end: auto-generated types
	@frappe.whitelist()
	def acknowledge(self):
		# the stored record: a document posted to run_doc_method may carry anything
		advisories.acknowledge(frappe.get_doc(self.doctype, self.name))


def on_doctype_update():
	"""One exposure per advisory and site, even when two matching jobs run at once."""
	frappe.db.add_unique("Advisory Exposure", ["advisory", "site"], constraint_name="unique_advisory_site")
