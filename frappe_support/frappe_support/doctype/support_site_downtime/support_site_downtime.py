# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class SupportSiteDowntime(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		contract: DF.Link | None
		customer: DF.Link | None
		duration_minutes: DF.Float
		ended_on: DF.Datetime | None
		failures: DF.Int
		issue: DF.Link | None
		last_failed_on: DF.Datetime | None
		planned: DF.Check
		reason: DF.Data | None
		site: DF.Link
		source: DF.Literal["Uptime Check", "Heartbeat"]
		started_on: DF.Datetime
		upgrade_schedule: DF.Link | None
	# end: auto-generated types
	"""A stretch of a site's downtime (see frappe_support.sites.uptime): written by the checks only."""

	pass


def on_doctype_update():
	"""A site's downtimes by time (its uptime strip, the statement), and the open ones the checks close."""
	frappe.db.add_index("Support Site Downtime", ["site", "started_on"])
	frappe.db.add_index("Support Site Downtime", ["ended_on", "started_on"])
