"""What a customer sees of a support record's timeline in the desk: its emails and attachments, never the
staff's internal notes (comments), assignments, edits, shares or views.

Frappe sends the whole timeline ("docinfo") to anyone who can read a record; these wrappers of its form
loaders, installed through `override_whitelisted_methods`, empty the internal parts for Support Customer
users on the app's own DocTypes and change nothing for anyone else.
"""

from __future__ import annotations

import frappe
from frappe.desk.form import load

from frappe_support.permissions import is_customer_user

CUSTOMER_FACING = (
	"Support Issue",
	"Support Contract",
	"Support Site",
	"Advisory Exposure",
	"Security Advisory",
	"Upgrade Schedule",
)
INTERNAL = (
	"comments",
	"assignment_logs",
	"assignments",
	"info_logs",
	"like_logs",
	"workflow_logs",
	"shared",
	"versions",
	"views",
	"energy_point_logs",
	"milestones",
	"additional_timeline_content",
)


@frappe.whitelist()
def getdoc(doctype: str, name: str):
	load.getdoc(doctype, name)
	hide_internal_timeline(doctype)


@frappe.whitelist()
def get_docinfo(doc=None, doctype: str | None = None, name: str | None = None):
	load.get_docinfo(doc, doctype, name)
	hide_internal_timeline(doctype or doc.doctype)


def hide_internal_timeline(doctype: str) -> None:
	docinfo = frappe.response.get("docinfo")
	if doctype not in CUSTOMER_FACING or not docinfo or not is_customer_user():
		return
	for key in INTERNAL:
		if key in docinfo:
			docinfo[key] = []
