"""Files through the customer API: attach a file to one's own issue, download the files of one's own
issues and of their emails. Files are private; Frappe's /private/files URLs stay closed to customers (they
have no permission on the issue), so every download comes through here."""

from __future__ import annotations

import base64
import binascii
import hashlib

import frappe
from frappe import _

from frappe_support.api.v1.door import customer_method, one_line, own
from frappe_support.common.attachments import check_size, checked_name, max_bytes
from frappe_support.common.files import attach_private


@frappe.whitelist(methods=["POST"])
@customer_method(write=True)
def attach_file(issue: str, filename: str | None = None, content: str | None = None) -> dict:
	"""A file on the caller's issue: sent as the multipart field `file`, or as `filename` with its
	`content` in base64."""
	doc = own("Support Issue", issue)
	if doc.status == "Closed":
		frappe.throw(_("Issue {0} is closed: raise a new issue instead.").format(doc.name))
	name, data = received_file(filename, content)
	existing = already_attached(doc.name, data)
	if existing:
		return existing
	file = attach_private("Support Issue", doc.name, name, data)
	return {"name": file.name, "file_name": file.file_name, "file_size": file.file_size, "issue": doc.name}


def received_file(filename, content) -> tuple[str, bytes]:
	upload = frappe.request.files.get("file") if getattr(frappe.local, "request", None) else None
	if upload:
		filename = upload.filename
		name = checked_name(filename)
		data = upload.stream.read(max_bytes() + 1)  # Frappe's own request limit already bounds it
	else:
		name = checked_name(one_line(filename, _("File name")))
		data = decoded(content)
	check_size(name, len(data or b""))
	return name, data


def decoded(content) -> bytes:
	if not content or not isinstance(content, str):
		frappe.throw(
			_("Send the file as the multipart field 'file', or its content in base64 with its filename.")
		)
	try:
		return base64.b64decode(
			content.split(",", 1)[-1] if content.startswith("data:") else content, validate=True
		)
	except (binascii.Error, ValueError):
		frappe.throw(_("The file's content is not valid base64."))


def already_attached(issue: str, data: bytes) -> dict | None:
	"""The same content on the same issue (a retried upload of the connector's outbox): kept once, whatever
	its name (Frappe renames a file whose name is taken on disk)."""
	digest = hashlib.md5(data).hexdigest()  # Frappe's own content_hash
	row = frappe.db.get_value(
		"File",
		{"attached_to_doctype": "Support Issue", "attached_to_name": issue, "content_hash": digest},
		["name", "file_name", "file_size"],
		as_dict=True,
	)
	return {**row, "issue": issue} if row else None


@frappe.whitelist(methods=["GET", "POST"])
@customer_method()
def download_file(name: str) -> None:
	"""The file, if it is on one of the caller's issues or on an email of one."""
	row = (
		frappe.db.get_value("File", name, ["name", "attached_to_doctype", "attached_to_name"], as_dict=True)
		if isinstance(name, str)
		else None
	)
	if not row:
		frappe.throw(_("File {0} not found").format(name), frappe.DoesNotExistError)
	own("Support Issue", issue_of(row))
	file = frappe.get_doc("File", row.name)
	frappe.local.response.filename = file.file_name
	frappe.local.response.filecontent = file.get_content()
	frappe.local.response.type = "download"


def issue_of(row) -> str | None:
	if row.attached_to_doctype == "Support Issue":
		return row.attached_to_name
	if row.attached_to_doctype == "Communication":
		reference = frappe.db.get_value(
			"Communication", row.attached_to_name, ["reference_doctype", "reference_name"], as_dict=True
		)
		if reference and reference.reference_doctype == "Support Issue":
			return reference.reference_name
	frappe.throw(_("File {0} is not on one of your issues.").format(row.name), frappe.PermissionError)
