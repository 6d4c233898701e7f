# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from frappe_support.common.fields import ShapeChecked
from frappe_support.upgrades import booking


class UpgradeSchedule(ShapeChecked, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from frappe_support.frappe_support.doctype.upgrade_patch_timing.upgrade_patch_timing import (
			UpgradePatchTiming,
		)
		from frappe_support.frappe_support.doctype.upgrade_schedule_app.upgrade_schedule_app import (
			UpgradeScheduleApp,
		)

		apps: DF.Table[UpgradeScheduleApp]
		contract: DF.Link | None
		customer: DF.Link | None
		engineer: DF.Link | None
		finished_on: DF.Datetime | None
		idempotency_key: DF.Data | None
		issue: DF.Link | None
		log: DF.Code | None
		naming_series: DF.Literal["UPG-.YYYY.-"]
		outcome_category: DF.Literal["", "Failing Patch", "Slow Patch", "Dependency Issue", "Other"]
		outcome_notes: DF.SmallText | None
		overdue_notified: DF.Check
		patch_timings: DF.Table[UpgradePatchTiming]
		reminders_sent: DF.Data | None
		site: DF.Link
		started_on: DF.Datetime | None
		status: DF.Literal[
			"Requested", "Scheduled", "In Progress", "Completed", "Failed", "Rolled Back", "Cancelled"
		]
		window_end: DF.Datetime
		window_start: DF.Datetime

	# end: auto-generated types
	def validate(self):
		booking.fill_from_site(self)
		booking.validate_transition(self)
		booking.validate_booking(self)
		booking.reset_reminders(self)
		booking.stamp_progress(self)
		booking.read_patch_timings(self)

	def on_update(self):
		booking.apply_outcome(self)
