# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

"""The app's settings, with the getters the jobs read them through and their defaults, in one place."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt

from frappe_support.common.settings import parse_offsets
from frappe_support.connector import mode

RENEWAL_REMINDER_DAYS = "30, 7, 1"
UPGRADE_REMINDER_HOURS = "72, 24, 1"


class FrappeSupportSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		advisory_digest_sent_on: DF.Date | None
		advisory_repositories: DF.SmallText | None
		at_risk_percent: DF.Percent
		attachment_max_mb: DF.Int
		attachment_types: DF.SmallText | None
		ca_bundle: DF.Data | None
		default_calendar: DF.Link | None
		default_plan: DF.Link | None
		email_priority: DF.Literal["High", "Medium", "Low"]
		escalate_breached_after_days: DF.Int
		github_api_url: DF.Data | None
		github_token: DF.Password | None
		health_db_growth_mb: DF.Float
		health_errors_per_day: DF.Int
		health_pending_jobs: DF.Int
		health_retention_days: DF.Int
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
		uptime_concurrency: DF.Int
		uptime_failures_to_alert: DF.Int
		uptime_interval_minutes: DF.Int
		uptime_retention_days: DF.Int
		uptime_timeout_seconds: DF.Float

	# end: auto-generated types
	def onload(self):
		from frappe_support.doctor.checks import time_zone

		self.set_onload("time_zone_problems", [vars(p) for p in time_zone()])

	def validate(self):
		self.validate_at_risk()
		self.renewal_reminder_days = ", ".join(str(d) for d in parse_offsets(self.renewal_reminder_days))
		self.upgrade_reminder_hours = ", ".join(str(h) for h in self.upgrade_reminder_offsets())
		self.validate_sender()
		mode.validate_settings(self)
		self.keep_job_marks()

	# -- getters ----------------------------------------------------------------------------------------------
	def renewal_reminder_offsets(self) -> tuple[int, ...]:
		"""Days before a contract ends at which its holders are reminded, largest first."""
		return parse_offsets(self.renewal_reminder_days or RENEWAL_REMINDER_DAYS)

	def upgrade_reminder_offsets(self) -> tuple[int, ...]:
		"""Hours before an upgrade window at which its reminders go out, largest first."""
		return parse_offsets(
			self.upgrade_reminder_hours or UPGRADE_REMINDER_HOURS, _("Upgrade Reminders"), _("hours")
		)

	def sender_email(self) -> str | None:
		"""The From address for support mail: the chosen outgoing account's, else Frappe's default (None)."""
		if not self.sender_account:
			return None
		return frappe.get_cached_value("Email Account", self.sender_account, "email_id")

	def customer_mail_paused(self) -> bool:
		return bool(cint(self.pause_customer_mail))

	def notifies(self, setting: str) -> bool:
		"""Whether one of the Notify ... checks is on."""
		return bool(cint(self.get(setting)))

	def released_major_lines(self) -> dict[str, frozenset[int]]:
		"""{app: its released major versions}, from the "app: 14, 15" lines."""
		majors: dict[str, frozenset[int]] = {}
		for line in (self.released_majors or "").splitlines():
			app, _sep, numbers = line.partition(":")
			values = {int(n) for n in numbers.replace(";", ",").split(",") if n.strip().isdigit()}
			if app.strip() and values:
				majors[app.strip().lower()] = frozenset(values)
		return majors

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
