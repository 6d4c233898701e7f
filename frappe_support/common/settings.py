"""Frappe Support Settings as the jobs read them: who is notified, from which account, reminder offsets."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cint


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


def reminder_offsets() -> tuple[int, ...]:
	return parse_offsets(get_settings().renewal_reminder_days or "30, 7, 1")


def upgrade_reminder_hours() -> tuple[int, ...]:
	return parse_offsets(
		get_settings().upgrade_reminder_hours or "72, 24, 1", _("Upgrade Reminders"), _("hours")
	)


def sender() -> str | None:
	"""The From address for support mail: the chosen outgoing account's, else Frappe's default."""
	account = get_settings().sender_account
	if not account:
		return None
	return frappe.get_cached_value("Email Account", account, "email_id")


def customer_mail_paused() -> bool:
	return bool(cint(get_settings().pause_customer_mail))


def notify(setting: str) -> bool:
	return bool(cint(get_settings().get(setting)))


def released_majors() -> dict[str, frozenset[int]]:
	"""{app: its released major versions}, from the settings' "app: 14, 15" lines."""
	majors: dict[str, frozenset[int]] = {}
	for line in (get_settings().released_majors or "").splitlines():
		app, _sep, numbers = line.partition(":")
		values = {int(n) for n in numbers.replace(";", ",").split(",") if n.strip().isdigit()}
		if app.strip() and values:
			majors[app.strip().lower()] = frozenset(values)
	return majors
