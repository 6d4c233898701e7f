"""Daily renewal reminders: on the days before a contract ends that the settings name (30, 7 and 1 by
default), once each, to the contract holders who asked for renewal news. A contract that already has a
renewal gets none.

Each reminder is claimed in the database (a conditional UPDATE of `renewal_reminders_sent`) in the
transaction that queues its email, so a second run, or a second worker, sends nothing twice. A day the
scheduler missed is caught up: the reminder for an offset goes out while the end date is within it.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_days, getdate, nowdate

from frappe_support.common.jobs import claim_numbers, isolated
from frappe_support.common.mail import contract_holders, send
from frappe_support.common.settings import get_settings, numbers_in


def claim(name: str, offset: int) -> bool:
	current = frappe.db.get_value("Support Contract", name, "renewal_reminders_sent", for_update=True) or ""
	if offset in numbers_in(current):
		return False
	return claim_numbers("Support Contract", name, "renewal_reminders_sent", current, {offset})


def send_renewal_reminders(commit: bool = True) -> int:
	"""Daily job. Returns how many reminders it sent."""
	today = getdate(nowdate())
	sent = 0
	offsets = get_settings().renewal_reminder_offsets()
	bounds = [*offsets[1:], 0]
	for offset, nearer in zip(offsets, bounds, strict=True):
		due = frappe.get_all(
			"Support Contract",
			filters={
				"docstatus": 1,
				"status": "Active",
				"end_date": ("between", (add_days(today, nearer + 1), add_days(today, offset))),
			},
			fields=["name", "renewal_reminders_sent"],
		)
		for row in due:
			if offset in numbers_in(row.renewal_reminders_sent):
				continue
			sent += (
				isolated(
					"Support Contract",
					row.name,
					lambda row=row, offset=offset: remind(row.name, offset),
					_("Renewal reminder failed for Support Contract {0}"),
					commit,
				)
				or 0
			)
	return sent


def remind(name: str, offset: int) -> int:
	if frappe.db.exists("Support Contract", {"renewed_from": name, "docstatus": ("<", 2)}):
		return 0
	if not claim(name, offset):
		return 0
	contract = frappe.get_doc("Support Contract", name)
	recipients = contract_holders(contract.name, "renewals")
	if recipients:
		send(
			contract,
			customer=True,
			recipients=recipients,
			subject=_("Your support contract {0} ends on {1}").format(
				contract.name, frappe.format(contract.end_date, "Date")
			),
			template="support_contract_renewal",
			args={"contract": contract, "days": (getdate(contract.end_date) - getdate(nowdate())).days},
		)
	return 1
