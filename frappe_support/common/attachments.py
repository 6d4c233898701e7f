"""What may be attached to an issue, as Frappe Support Settings says (largest file, file types), on the
provider and on a customer site alike: one check, one refusal that says the limit."""

from __future__ import annotations

import os

import frappe
from frappe import _
from frappe.utils import cint

from frappe_support.common.sanitize import plain_text
from frappe_support.common.settings import get_settings

DEFAULT_TYPES = "png, jpg, jpeg, gif, webp, pdf, txt, log, csv, json, xml, zip, gz, xlsx, docx, odt, ods"
MB = 1024 * 1024


def allowed_types() -> frozenset[str]:
	raw = get_settings().attachment_types or DEFAULT_TYPES
	return frozenset(t.strip().lstrip(".").lower() for t in raw.replace(";", ",").split(",") if t.strip())


def max_bytes() -> int:
	"""The settings' largest file, never more than the site's own limit (Frappe's max_file_size)."""
	from frappe.core.api.file import get_max_file_size

	wanted = (cint(get_settings().attachment_max_mb) or 10) * MB
	return min(wanted, get_max_file_size())


def checked_name(filename) -> str:
	"""A file name without its path, of an allowed type; else a refusal naming the types."""
	name = plain_text(os.path.basename(str(filename or "").replace("\\", "/")), 140) or ""
	extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
	types = allowed_types()
	if not name or extension not in types:
		frappe.throw(
			_("Files of type {0} cannot be attached: send one of {1}.").format(
				extension or _("(none)"), ", ".join(sorted(types))
			),
			title=_("File type not allowed"),
		)
	return name


def check_size(name: str, size: int) -> None:
	if size <= 0:
		frappe.throw(_("The file {0} is empty: choose another file.").format(name))
	if size > max_bytes():
		frappe.throw(
			_("The file {0} is too large ({1} MB): at most {2} MB.").format(
				name, round(size / MB, 1), max_bytes() // MB
			),
			title=_("File too large"),
		)
