"""A File row that points at an existing private file is a copy of it, owned by whoever made it, and Frappe
lets the owner download it. `upload_file` with a `file_url`, `POST /api/resource/File` and the attachments
of `email.make` all make such copies without asking whether the user could read the original. Here they
must: when other File rows already hold the URL, at least one of them has to be downloadable by the user.

Frappe's own `before_insert` has already read the file by then, so a copy cannot be told from an upload
of the very same bytes; such an upload by someone who may not read the first one is refused too (they
are asked to upload another file), which gives nothing away that they did not already have."""

from __future__ import annotations

import frappe
from frappe import _


def refuse_unreadable_copy(doc, method=None) -> None:
	url = doc.file_url or ""
	if not url.startswith("/private/") or frappe.session.user == "Administrator":
		return
	originals = frappe.get_all(
		"File", filters={"file_url": url, "name": ("!=", doc.name or "")}, pluck="name"
	)
	if not originals or any(frappe.get_doc("File", name).is_downloadable() for name in originals):
		return
	frappe.throw(
		_("You cannot attach {0}: it is not a file you may read. Upload another file instead.").format(
			doc.file_name or url
		),
		frappe.PermissionError,
	)


def attach_private(doctype: str, name: str, file_name: str, content: bytes | str, **flags):
	"""A private file on the record (an issue, an outbox entry), inserted as the app, not as the user."""
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": file_name,
			"attached_to_doctype": doctype,
			"attached_to_name": name,
			"is_private": 1,
			"content": content,
		}
	)
	file.flags.update(flags)
	return file.insert(ignore_permissions=True)
