# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from frappe_support.common.fields import ShapeChecked
from frappe_support.common.sanitize import plain_text, rich_text
from frappe_support.contracts import lifecycle as contracts
from frappe_support.issues import (
	compliance,
	compliance_months,
	coverage,
	deadlines,
	explanations,
	mail_in,
	notifications,
)
from frappe_support.permissions import customers_of, is_customer_user


class SupportIssue(ShapeChecked, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from frappe_support.frappe_support.doctype.support_issue_sla_log.support_issue_sla_log import (
			SupportIssueSLALog,
		)

		at_risk_notified: DF.Check
		at_risk_on: DF.Datetime | None
		category: DF.Literal[
			"Bug", "Server Deployment", "Configuration", "Upgrade", "Scaling", "Security", "Excluded Service"
		]
		contract: DF.Link | None
		coverage_note: DF.SmallText | None
		customer: DF.Link | None
		description: DF.TextEditor | None
		due_order: DF.Datetime | None
		escalated_on: DF.Datetime | None
		first_responded_on: DF.Datetime | None
		idempotency_key: DF.Data | None
		naming_series: DF.Literal["SUP-ISS-.YYYY.-"]
		next_deadline: DF.Datetime | None
		next_sla_check_on: DF.Datetime | None
		opening_date: DF.Datetime
		paused_since: DF.Datetime | None
		priority: DF.Literal["High", "Medium", "Low"]
		raised_by: DF.Data | None
		resolution_breach_notified: DF.Check
		resolution_by: DF.Datetime | None
		resolution_hours: DF.Float
		resolution_hours_left: DF.Float
		resolved_on: DF.Datetime | None
		response_breach_notified: DF.Check
		response_by: DF.Datetime | None
		response_state: DF.Literal["", "Pending", "Met", "Breached"]
		site: DF.Link | None
		sla_log: DF.Table[SupportIssueSLALog]
		sla_start: DF.Datetime | None
		sla_state: DF.Literal["", "Running", "Paused", "At Risk", "Met", "Breached", "Not Covered"]
		status: DF.Literal["Open", "Replied", "Waiting for Customer", "Resolved", "Closed"]
		subject: DF.Data
		topic: DF.Autocomplete | None
		upgrade_schedule: DF.Link | None

	# end: auto-generated types
	def validate(self):
		self.sanitize_text()
		self.refuse_reopening_closed()
		mail_in.prepare_mailed_issue(self)
		self.set_customer()
		self.set_contract()
		self.validate_contract()
		self.validate_site()
		coverage.validate_topic(self.category, self.topic)
		deadlines.IssueSla(self).update()

	def on_update(self):
		self.tell_raiser_when_resolved()
		self.forget_kept_compliance()

	def on_trash(self):
		compliance_months.forget_issue(self)

	def forget_kept_compliance(self):
		"""The SLA Compliance figures kept for a finished month this issue counts in (or counted in before
		this save) are recomputed: a reopened, reprioritised or recomputed issue changes them."""
		before = self.get_doc_before_save()
		if before and not any(self.has_value_changed(field) for field in compliance.FIELDS):
			return
		compliance_months.forget_issue(before, self)

	def on_communication_update(self, communication):
		"""Frappe calls this instead of its generic handler, which would set a Replied issue to Open on any
		received mail, from anyone, without the SLA; the app's Communication hooks decide instead."""
		self.notify_update()

	def tell_raiser_when_resolved(self):
		if self.status == "Resolved" and self.has_value_changed("status"):
			notifications.notify_resolved(self)

	def sanitize_text(self):
		"""Subjects and descriptions come from customers (API, portal, mail): no markup that could run."""
		self.subject = plain_text(self.subject, 140)
		self.description = rich_text(self.description)

	def refuse_reopening_closed(self):
		before = self.get_doc_before_save()
		if before and before.status == "Closed" and self.status != "Closed":
			frappe.throw(
				_("Issue {0} is closed and cannot be reopened: raise a new issue instead.").format(self.name),
				title=_("Issue closed"),
			)

	def set_customer(self):
		if is_customer_user():
			mine = customers_of()
			if not self.customer and len(mine) == 1:
				self.customer = mine[0]
			if self.customer not in mine:
				frappe.throw(
					_("You can raise issues only for your own organisation."), frappe.PermissionError
				)
			if not self.raised_by:
				self.raised_by = frappe.db.get_value("User", frappe.session.user, "email")
		if not self.customer and self.site:
			self.customer = frappe.get_cached_value("Support Site", self.site, "customer")
		if not self.customer and self.contract:
			self.customer = frappe.get_cached_value("Support Contract", self.contract, "customer")

	def set_contract(self):
		if not self.contract and not self.flags.not_covered_reason:
			self.contract = contracts.find_contract(self.customer, self.site, getdate(self.opening_date))

	def validate_contract(self):
		if not self.contract and self.flags.not_covered_reason:
			return  # mail from someone without a contract: kept, Not Covered
		contract = frappe.get_cached_doc("Support Contract", self.contract)
		if contract.customer != self.customer:
			frappe.throw(
				_("Contract {0} belongs to {1}, not to {2}: choose one of this customer's contracts.").format(
					contract.name, contract.customer, self.customer
				),
				title=_("Wrong contract"),
			)
		if not (self.is_new() or self.has_value_changed("contract")):
			return  # a contract cancelled or ended later does not lock the issues raised under it
		if not contracts.is_active_on(contract, getdate(self.opening_date)):
			frappe.throw(
				_(
					"Contract {0} is not active on {1} (it runs {2} to {3}, status {4}): choose or renew an active contract."
				).format(
					contract.name,
					frappe.format(getdate(self.opening_date), "Date"),
					frappe.format(contract.start_date, "Date"),
					frappe.format(contract.end_date, "Date"),
					_(contract.status),
				),
				title=_("Contract not active"),
			)

	def validate_site(self):
		if not self.site:
			return
		customer = frappe.get_cached_value("Support Site", self.site, "customer")
		if customer != self.customer:
			frappe.throw(
				_("Site {0} belongs to {1}, not to {2}: choose one of this customer's sites.").format(
					self.site, customer, self.customer
				),
				title=_("Wrong site"),
			)


@frappe.whitelist()
def explain_deadline(name: str) -> list[dict]:
	"""How the issue's first-response and resolution deadlines were reached, in plain words."""
	issue = frappe.get_doc("Support Issue", name)
	issue.check_permission("read")
	return explanations.explain_both(issue)


INDEXES = (
	# the number cards and the default list filter; with owner, the sidebar's counts read the index alone
	("status", "sla_state", "owner"),
	("customer", "status"),  # a customer's issues
	("customer", "due_order"),  # ... due first: the first page without sorting all of them
	("contract", "opening_date"),  # the monthly statement: raised in the month
	("contract", "resolved_on"),  # ... and resolved in it
	("resolution_breach_notified", "resolution_by"),  # Breaches This Month
	("resolved_on", "status", "sla_state", "priority", "resolution_hours"),  # SLA Compliance, index only
	("priority", "resolved_on", "status", "sla_state", "resolution_hours"),  # ... each group's median
	# ... for one customer: the months it does not keep, and any range filtered by customer
	("customer", "resolved_on", "status", "sla_state", "priority"),  # (a longer name is refused)
)


OBSOLETE_INDEXES = (("status", "sla_state"), ("status", "owner"))  # covered by (status, sla_state, owner)


def on_doctype_update():
	"""The composite indexes the desk's filters, cards, reports and statements read."""
	for fields in INDEXES:
		frappe.db.add_index("Support Issue", list(fields))
