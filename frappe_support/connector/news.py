"""News on the customer site: the state of the site's open issues at the provider, pulled in one call per
sync (every 5 minutes, and after each delivery), and each change told to its raiser once as a desk
notification that opens the issue on the Support Desk page (where a reply goes through the outbox).

What was last read is kept on the issue's outbox entry (Status There, SLA State There, Last Reply There);
only entries whose state moved are written, each change claimed there with a conditional update, so two
syncs at once tell it once.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime

from frappe_support.common.claims import claimed
from frappe_support.common.dates import to_aware, to_stored
from frappe_support.common.jobs import run_each
from frappe_support.common.mail import alert_desk
from frappe_support.connector.client import ProviderRefused, ProviderUnreachable, call, is_customer_site

FINISHED = ("Closed",)
BATCH = 1000  # the provider's issue_news takes this many names a call


def pull_news(commit: bool = True) -> int:
	"""Scheduler job (customer sites): read the provider's state of the open issues raised from here; returns
	how many issues had news for their raisers."""
	if not is_customer_site():
		return 0
	entries = open_issue_entries()
	told = 0
	for start in range(0, len(entries), BATCH):
		chunk = entries[start : start + BATCH]
		try:
			states = call("issue_news", write=True, names=[e.remote_name for e in chunk])
		except (ProviderUnreachable, ProviderRefused):
			return told  # the next sync asks again; nothing was read, so nothing is lost
		by_name = {s["name"]: s for s in states or []}
		by_entry = {e.name: e for e in chunk}
		done, _failed = run_each(
			"Support Outbox",
			[e.name for e in chunk if e.remote_name in by_name and moved(e, by_name[e.remote_name])],
			lambda entry, by_name=by_name, by_entry=by_entry: apply_state(by_entry[entry], by_name),
			_("Issue news for outbox entry {0} could not be recorded"),
			commit,
		)
		told += done
	return told


def open_issue_entries() -> list:
	return frappe.get_all(
		"Support Outbox",
		filters={
			"kind": "Issue",
			"status": "Delivered",
			"remote_name": ("is", "set"),
			"remote_status": ("not in", FINISHED),
		},
		fields=[
			"name",
			"remote_name",
			"owner",
			"summary",
			"remote_status",
			"remote_sla_state",
			"remote_replied_on",
		],
		order_by="creation asc",
		limit_page_length=0,
	)


def moved(entry, state: dict) -> bool:
	"""The provider's state differs from what this site last read (else nothing is written for the entry)."""
	return (entry.remote_status, entry.remote_sla_state, entry.remote_replied_on) != (
		state.get("status"),
		state.get("sla_state"),
		replied_on(state),
	)


def apply_state(entry, by_name: dict) -> int:
	state = by_name[entry.remote_name]
	news = changes(entry, state)
	table = frappe.qb.DocType("Support Outbox")
	replied = replied_on(state)
	if not claimed(
		frappe.qb.update(table)
		.set(table.remote_status, state.get("status"))
		.set(table.remote_sla_state, state.get("sla_state"))
		.set(table.remote_replied_on, replied)
		.set(table.news_read_on, now_datetime())
		.where(same(table, entry))
	):
		return 0  # another sync read it first
	if news:
		tell_raiser(entry, "; ".join(news))  # one notice a sync, whatever changed
	return int(bool(news))


def same(table, entry):
	"""The entry, still holding what this sync read from it."""
	condition = table.name == entry.name
	for field in ("remote_status", "remote_sla_state", "remote_replied_on"):
		value = entry.get(field)
		condition &= table[field].isnull() if value is None else table[field] == value
	return condition


def replied_on(state: dict):
	"""When the team last replied, as this site stores datetimes (the provider sends ISO with its offset)."""
	value = state.get("replied_on")
	return to_stored(to_aware(get_datetime(value))) if value else None


def changes(entry, state: dict) -> list[str]:
	"""What the raiser hears of: a reply, a new status, a missed deadline (not the first reading)."""
	if entry.remote_status is None:
		return []  # delivered before the provider said its state: this reading is the first
	issue, news = entry.remote_name, []
	replied = replied_on(state)
	if replied and (entry.remote_replied_on is None or replied > entry.remote_replied_on):
		news.append(_("Your support provider replied to {0} ({1})").format(issue, entry.summary))
	if state.get("status") != entry.remote_status:
		news.append(_("{0} is now {1}").format(issue, _(state.get("status") or "")))
	if state.get("sla_state") == "Breached" and entry.remote_sla_state != "Breached":
		news.append(_("{0} has missed its deadline: your provider has been told").format(issue))
	return news


def tell_raiser(entry, subject: str) -> None:
	notice = frappe._dict(doctype="Support Outbox", name=entry.name)
	alert_desk(notice, subject, [entry.owner], link=f"/app/connector-desk?issue={entry.remote_name}")


@frappe.whitelist()
def unread_news() -> int:
	"""The Support Desk page's badge: the user's unread notices of their issues."""
	return frappe.db.count(
		"Notification Log", {"for_user": frappe.session.user, "document_type": "Support Outbox", "read": 0}
	)


@frappe.whitelist(methods=["POST"])
def mark_read(issue: str) -> int:
	"""The user opened the issue on the Support Desk page: its notices are read."""
	logs = frappe.get_all(
		"Notification Log",
		filters={
			"for_user": frappe.session.user,
			"document_type": "Support Outbox",
			"read": 0,
			"link": f"/app/connector-desk?issue={issue}",
		},
		pluck="name",
	)
	for name in logs:
		frappe.db.set_value("Notification Log", name, "read", 1, update_modified=False)
	return len(logs)
