"""Frappe Support Settings as the jobs read them: the cached document (whose controller has the getters and
their defaults) and the parsers of its comma-separated lists."""

from __future__ import annotations

import frappe
from frappe import _


def get_settings():
	return frappe.get_cached_doc("Frappe Support Settings")


def parse_offsets(value: str | None, label: str | None = None, unit: str | None = None) -> tuple[int, ...]:
	"""'30, 7, 1' -> (30, 7, 1), largest first; throws on anything but distinct whole numbers of at least 1."""
	parts = [p.strip() for p in (value or "").replace(";", ",").split(",") if p.strip()]
	if (
		not parts
		or not all(p.isdigit() and int(p) >= 1 for p in parts)
		or len(set(map(int, parts))) < len(parts)
	):
		frappe.throw(
			_(
				"{0} must be distinct whole numbers of {1} of at least 1, separated by commas (for example 30, 7, 1), not {2}."
			).format(label or _("Renewal Reminders"), unit or _("days"), frappe.bold(value or _("(empty)"))),
			title=_("Invalid setting"),
		)
	return tuple(sorted({int(p) for p in parts}, reverse=True))


def numbers_in(value: str | None) -> set[int]:
	"""The whole numbers of a comma-separated list as a job stores what it has done ("72,24")."""
	return {int(v) for v in (value or "").split(",") if v.strip().isdigit()}
