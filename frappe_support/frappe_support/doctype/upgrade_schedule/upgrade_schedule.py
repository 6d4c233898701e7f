# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

"""An upgrade window booked for one site: the booking rules, the allowed status changes, and what an
outcome does (docs/design.md, "Upgrade windows"). The queries and messages it uses are in
`frappe_support.upgrades.booking`; the window checks themselves are pure (`frappe_support.upgrades.windows`)."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from frappe_support.common.fields import ShapeChecked
from frappe_support.permissions import customers_of, is_customer_user
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
		self.fill_from_site()
		self.validate_transition()
		self.validate_booking()
		self.reset_reminders()
		self.stamp_progress()
		self.read_patch_timings()

	def on_update(self):
		self.apply_outcome()

	# -- validate -------------------------------------------------------------------------------------------
	def fill_from_site(self) -> None:
		"""Contract and customer from the site; each app row's from-version from what the site runs."""
		site = frappe.get_cached_doc("Support Site", self.site)
		self.contract = self.contract or site.contract
		if not self.contract:
			frappe.throw(
				_("Site {0} has no contract: link the site to its support contract first.").format(self.site),
				title=_("No contract"),
			)
		self.customer = frappe.get_cached_value("Support Contract", self.contract, "customer")
		if site.customer != self.customer:
			frappe.throw(
				_("Site {0} belongs to {1}, not to the contract's customer {2}.").format(
					self.site, site.customer, self.customer
				),
				title=_("Wrong site"),
			)
		if is_customer_user() and self.customer not in customers_of():
			frappe.throw(_("You can book upgrades only for your own sites."), frappe.PermissionError)
		installed = {a.app_name: a.version for a in site.apps}
		for row in self.apps:
			row.app_name = (row.app_name or "").strip().lower()
			row.from_version = row.from_version or installed.get(row.app_name)

	def validate_transition(self) -> None:
		before = self.get_doc_before_save()
		booking.check_status_change(before.status if before else None, self.status)
		# a free window the app itself proposed (Book the Fix) is booked Scheduled, with its free engineer
		free_window = self.flags.booked_free_window and self.is_new()
		if is_customer_user() and self.status not in booking.CUSTOMER_STATUSES and not free_window:
			frappe.throw(
				_("You can request or cancel an upgrade; the support team schedules it."),
				frappe.PermissionError,
			)
		if self.status == "Scheduled" and not self.engineer:
			frappe.throw(
				booking.missing_engineer_message(),
				title=_("Engineer missing"),
			)
		if self.status == "Failed" and not self.outcome_category:
			frappe.throw(
				_(
					"Say why the upgrade failed: choose an Outcome Category (failing patch, slow patch, dependency issue or other)."
				),
				title=_("Outcome missing"),
			)

	def needs_booking_check(self) -> bool:
		if self.status not in ("Requested", "Scheduled"):
			return False
		before = self.get_doc_before_save()
		return (
			before is None
			or booking.moved(before, self, ("window_start", "window_end"))
			or any(before.get(f) != self.get(f) for f in ("engineer", "site", "status"))
		)

	def validate_booking(self) -> None:
		"""Every booking rule; all broken rules are said at once."""
		if not self.needs_booking_check():
			return
		contract = frappe.get_cached_doc("Support Contract", self.contract)
		problems = booking.contract_problems(self, contract)
		other = booking.open_upgrade_of_site(self)
		if other:
			problems.append(
				_("Site {0} already has an open upgrade, {1}: finish or cancel it first.").format(
					self.site, other
				)
			)
		problems += booking.window_problems(self, contract)
		if problems:
			frappe.throw("<br>".join(problems), title=_("This window cannot be booked"))

	def reset_reminders(self) -> None:
		"""A window that moves, or an upgrade scheduled again (after a failure, say), is a new appointment:
		its reminders are due again, and so is the warning if it passes while still Scheduled."""
		before = self.get_doc_before_save()
		if before is None or self.status != "Scheduled":
			return
		if before.status != "Scheduled" or booking.moved(before, self, ("window_start",)):
			self.reminders_sent = None
			self.overdue_notified = 0

	def stamp_progress(self) -> None:
		before = self.get_doc_before_save()
		if before is None or before.status == self.status:
			return
		if self.status == "In Progress":
			self.started_on = self.started_on or now_datetime()
		elif self.status in ("Completed", "Failed", "Rolled Back"):
			self.finished_on = now_datetime()

	def read_patch_timings(self) -> None:
		"""Patch timings from the pasted log, slowest first (kept as typed when the log has none)."""
		if not self.log or not self.has_value_changed("log"):
			return
		timings = booking.patch_timings(self.log)
		if timings:
			self.set("patch_timings", [{"patch": p, "seconds": s} for p, s in timings])

	# -- on_update ------------------------------------------------------------------------------------------
	def apply_outcome(self) -> None:
		"""After a status change: Completed updates the site's versions; Failed opens a High issue."""
		before = self.get_doc_before_save()
		if before is None or before.status == self.status:
			return
		if self.status == "Completed":
			self.update_site()
		elif self.status == "Failed" and not self.issue:
			self.open_issue()

	def update_site(self) -> None:
		site = frappe.get_doc("Support Site", self.site)
		rows = {a.app_name: a for a in site.apps}
		for app in self.apps:
			row = rows.get(app.app_name) or site.append("apps", {"app_name": app.app_name})
			row.version = app.to_version
		site.last_upgraded_on = self.finished_on or now_datetime()
		site.cadence_reminded_on = None
		site.flags.ignore_permissions = True
		site.save()  # matches the site again against published advisories

	def open_issue(self) -> None:
		issue = frappe.get_doc(
			{
				"doctype": "Support Issue",
				"subject": _("Upgrade {0} of {1} failed: {2}").format(
					self.name, self.site, _(self.outcome_category)
				),
				"customer": self.customer,
				"contract": self.contract,
				"site": self.site,
				"priority": "High",
				"category": "Upgrade",
				"topic": booking.TOPIC.get(self.outcome_category),
				"upgrade_schedule": self.name,
				"description": booking.issue_description(self),
			}
		)
		issue.flags.ignore_permissions = True
		issue.insert()
		self.db_set("issue", issue.name)
