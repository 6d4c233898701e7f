# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SupportOutbox(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		attempts: DF.Int
		delivered_on: DF.Datetime | None
		files_sent: DF.SmallText | None
		idempotency_key: DF.Data | None
		kind: DF.Literal["Issue", "Reply", "Upgrade Request", "Fix Booking"]
		last_error: DF.SmallText | None
		news_read_on: DF.Datetime | None
		next_attempt_on: DF.Datetime | None
		payload: DF.Code | None
		remote_name: DF.Data | None
		remote_replied_on: DF.Datetime | None
		remote_sla_state: DF.Data | None
		remote_status: DF.Data | None
		status: DF.Literal["Waiting", "Delivered", "Failed"]
		summary: DF.Data | None
	# end: auto-generated types
	"""What a customer site sends its provider, kept until it is delivered exactly once (see
	frappe_support.connector.outbox)."""

	pass
