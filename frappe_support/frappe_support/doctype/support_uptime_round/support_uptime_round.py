# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SupportUptimeRound(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		down: DF.Int
		finished_on: DF.Datetime | None
		interval_minutes: DF.Int
		planned: DF.Int
		seconds: DF.Float
		sites: DF.Int
		started_on: DF.Datetime
		up: DF.Int
	# end: auto-generated types
	"""One round of uptime checks (see frappe_support.sites.uptime): written by the round only."""

	pass
