"""Mail helpers every domain uses: who holds a role, a contract's holders who asked for some news, one email from the support sender."""

from __future__ import annotations

import frappe
from frappe import _

from frappe_support.common.settings import get_settings


def enabled_managers() -> list[str]:
	"""The enabled Support Managers, sorted."""
	return enabled_users_with_role("Support Manager")


def enabled_users_with_role(role: str | tuple[str, ...]) -> list[str]:
	"""The enabled users holding the role (or any of the roles), sorted."""
	holders = [u for r in ((role,) if isinstance(role, str) else role) for u in users_with_role(r)]
	return sorted(
		frappe.get_all("User", filters={"name": ("in", holders or [""]), "enabled": 1}, pluck="name")
	)


def users_with_role(role: str) -> list[str]:
	"""The users holding a role directly (Administrator and Guest left out); enabled or not."""
	return frappe.get_all(
		"Has Role",
		filters={"role": role, "parenttype": "User", "parent": ("not in", ("Administrator", "Guest"))},
		pluck="parent",
	)


def contract_holders(contract: str, news: str) -> list[str]:
	"""Addresses of the contract's holders who asked for this news: issues, upgrades, advisories, renewals."""
	rows = frappe.get_all(
		"Support Contract Holder",
		filters={"parent": contract, "parenttype": "Support Contract", f"notify_{news}": 1},
		pluck="email_id",
	)
	return sorted({r for r in rows if r})


def send(doc, customer: bool, **kwargs) -> bool:
	"""Queue one email (about `doc`, when given) from the support sender; False when it could not be queued
	(no outgoing Email Account: the failure is logged, and a caller that records notices takes its record
	back). Customer mail is dropped while the settings pause it (True: nothing is owed later)."""
	if customer and get_settings().customer_mail_paused():
		return True
	reference = {"reference_doctype": doc.doctype, "reference_name": doc.name} if doc else {}
	try:
		frappe.sendmail(sender=get_settings().sender_email(), **reference, **kwargs)
	except frappe.OutgoingEmailError:
		frappe.log_error(
			title=_("Email not queued: {0}").format(kwargs.get("subject") or ""),
			reference_doctype=doc.doctype if doc else None,
			reference_name=doc.name if doc else None,
		)
		return False
	return True


def can_send() -> bool:
	"""An outgoing Email Account exists (the settings' sender, or the default one)."""
	return bool(
		get_settings().sender_account
		or frappe.db.exists("Email Account", {"enable_outgoing": 1, "default_outgoing": 1})
	)


def alert_desk(doc, subject: str, users: list[str], link: str | None = None) -> None:
	"""A desk notification (the bell) about `doc` for each of these users; `link` is where it opens."""
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	if users:
		make_notification_logs(
			{
				"type": "Alert",
				"document_type": doc.doctype,
				"document_name": doc.name,
				"subject": subject,
				"from_user": "Administrator",
				**({"link": link} if link else {}),
			},
			list(users),
		)
