# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class SupportSiteHealth(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		customer: DF.Link | None
		day: DF.Date
		db_size_mb: DF.Float
		errors_24h: DF.Int
		failed_jobs: DF.Int
		pending_jobs: DF.Int
		reported_on: DF.Datetime | None
		scheduler: DF.Data | None
		site: DF.Link
		snapshot: DF.Code | None
	# end: auto-generated types
	"""One day of a site's health (see frappe_support.sites.health): written by the connector's reports."""

	def autoname(self):
		self.name = f"{self.site} {self.day}"  # one a site a day: a second insert of the day is refused


def on_doctype_update():
	"""A site's days in order (its trend, its month-ago size)."""
	frappe.db.add_index("Support Site Health", ["site", "day"])
