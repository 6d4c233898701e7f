# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt

from frappe_support.common.settings import parse_offsets
from frappe_support.connector import mode


class FrappeSupportSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		advisory_digest_sent_on: DF.Date | None
		advisory_repositories: DF.SmallText | None
		at_risk_percent: DF.Percent
		ca_bundle: DF.Data | None
		default_calendar: DF.Link | None
		default_plan: DF.Link | None
		email_priority: DF.Literal["High", "Medium", "Low"]
		escalate_breached_after_days: DF.Int
		github_api_url: DF.Data | None
		github_token: DF.Password | None
		heartbeat_alert_hours: DF.Int
		last_sync_on: DF.Datetime | None
		last_sync_status: DF.SmallText | None
		notify_assigned_engineers: DF.Check
		notify_holders_on_breach: DF.Check
		notify_raiser_on_resolve: DF.Check
		notify_support_managers: DF.Check
		pause_customer_mail: DF.Check
		provider_api_key: DF.Data | None
		provider_api_secret: DF.Password | None
		provider_site: DF.Data | None
		provider_url: DF.Data | None
		released_majors: DF.SmallText | None
		renewal_reminder_days: DF.Data
		reopen_waiting_after_days: DF.Int
		sender_account: DF.Link | None
		site_mode: DF.Literal["Provider", "Customer Site"]
		upgrade_cadence_days: DF.Int
		upgrade_lead_hours: DF.Float
		upgrade_reminder_hours: DF.Data | None
		upgrade_slot_hours: DF.Float

	# end: auto-generated types
	def validate(self):
		self.validate_at_risk()
		self.renewal_reminder_days = ", ".join(str(d) for d in parse_offsets(self.renewal_reminder_days))
		self.upgrade_reminder_hours = ", ".join(
			str(h)
			for h in parse_offsets(
				self.upgrade_reminder_hours or "72, 24, 1", _("Upgrade Reminders"), _("hours")
			)
		)
		self.validate_sender()
		mode.validate_settings(self)
		self.keep_job_marks()

	def on_update(self):
		if self.has_value_changed("site_mode"):
			mode.apply_workspace_visibility()

	def keep_job_marks(self):
		"""The digest's "sent on" day belongs to its job: a form opened earlier does not write it back."""
		self.advisory_digest_sent_on = frappe.db.get_single_value(self.doctype, "advisory_digest_sent_on")

	def validate_sender(self):
		if self.sender_account and not frappe.db.get_value(
			"Email Account", self.sender_account, "enable_outgoing"
		):
			frappe.throw(
				_(
					"Email Account {0} does not send mail: tick Enable Outgoing on it or choose another account."
				).format(self.sender_account),
				title=_("Invalid setting"),
			)

	def validate_at_risk(self):
		if not 0 < flt(self.at_risk_percent) <= 100:
			frappe.throw(
				_(
					"At Risk At must be above 0 % and at most 100 % of the resolution target, not {0} %."
				).format(self.at_risk_percent),
				title=_("Invalid setting"),
			)
