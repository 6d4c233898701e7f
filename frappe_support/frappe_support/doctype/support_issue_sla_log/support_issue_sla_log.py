# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SupportIssueSLALog(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		at: DF.Datetime
		clock: DF.Literal["Response", "Resolution", "Both"]
		consumed_hours: DF.Float
		deadline: DF.Datetime | None
		event: DF.Literal[
			"Started",
			"Paused",
			"Resumed",
			"Priority Changed",
			"Recomputed",
			"Responded",
			"Warned",
			"Met",
			"Breached",
			"Not Covered",
			"Reopened",
			"Escalated",
		]
		mail_pending: DF.Check
		note: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types
	pass
