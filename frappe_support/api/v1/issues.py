"""Issues through the customer API: raise, list, read (clocks, thread, files), reply, attach, reopen or
confirm resolved."""

from __future__ import annotations

from typing import TYPE_CHECKING

import frappe
from frappe import _
from frappe.query_builder.functions import Max
from frappe.utils import now_datetime

from frappe_support.api.v1.door import (
	MAX_SUBJECT,
	aware,
	choice,
	clean_key,
	customer_method,
	mine,
	one_line,
	optional_text,
	own,
	page,
	parsed,
	required_text,
)
from frappe_support.common.sanitize import rich_text
from frappe_support.issues import coverage, panel
from frappe_support.issues.mail_in import customers_of_email
from frappe_support.permissions import customers_of, is_staff
from frappe_support.sites import health as site_health

if TYPE_CHECKING:
	from frappe_support.frappe_support.doctype.support_issue.support_issue import SupportIssue

PRIORITIES = ("High", "Medium", "Low")
STATUSES = ("Open", "Replied", "Waiting for Customer", "Resolved", "Closed")
ISSUE_FIELDS = (
	"name",
	"subject",
	"status",
	"priority",
	"category",
	"topic",
	"site",
	"contract",
	"raised_by",
	"opening_date",
	"sla_state",
	"response_by",
	"first_responded_on",
	"resolution_by",
	"next_deadline",
	"resolved_on",
	"modified",
)

THREAD_FIELDS = (
	"name",
	"sender",
	"sender_full_name",
	"sent_or_received",
	"subject",
	"content",
	"communication_date",
)


@frappe.whitelist(methods=["POST"])
@customer_method(write=True)
def raise_issue(
	subject: str,
	description: str | None = None,
	priority: str = "Medium",
	category: str = "Bug",
	site: str | None = None,
	raised_by: str | None = None,
	idempotency_key: str | None = None,
	topic: str | None = None,
	health: dict | str | None = None,
) -> dict:
	"""A new issue on the caller's active contract (the site's, when given). The same idempotency key
	returns the issue it made the first time. `health`, the site's snapshot (the connector sends it with a
	Scaling, Server Deployment or Upgrade issue), is attached to the issue as site-health.json."""
	key = clean_key(idempotency_key)
	existing = key and issue_with_key(key)
	if existing:
		return issue_summary(existing)
	health = parsed(health, _("Health")) if health else None  # bad input refused before anything is made
	values = {
		"doctype": "Support Issue",
		"subject": one_line(subject, _("Subject"), MAX_SUBJECT),
		"description": optional_text(description, _("Description")),
		"priority": choice(priority, _("Priority"), PRIORITIES, "Medium"),
		"category": choice(category, _("Category"), tuple(coverage.CATEGORIES), "Bug"),
		"topic": one_line(topic, _("Topic"), required=False),
		"customer": issue_customer(site),
		"site": site or None,
		"raised_by": raiser(raised_by),
		"idempotency_key": key,
	}
	frappe.db.savepoint("raise_issue")
	try:
		issue = frappe.get_doc(values).insert(ignore_permissions=True)
	except frappe.UniqueValidationError:
		frappe.db.rollback(save_point="raise_issue")
		existing = key and issue_with_key(key)  # the same call, made twice at once
		if not existing:
			raise
		return issue_summary(existing)
	if health and site:
		site_health.attach_snapshot(issue.name, health)
	return issue_summary(issue)


def issue_customer(site: str | None) -> str:
	"""The customer of a new issue: its site's, or the caller's only customer."""
	if site:
		return own("Support Site", site).customer
	mine_ = customers_of()
	if len(mine_) > 1:
		frappe.throw(_("You support several customers: name the site the issue is about."))
	return mine_[0]


def raiser(email) -> str:
	"""Who raised it: the caller, or the colleague the connector names, but never an address of another
	customer's contact or of the support staff (they would be mailed about this issue and could answer it)."""
	own_email = frappe.db.get_value("User", frappe.session.user, "email")
	email = (one_line(email, _("Raised By"), required=False) or "").lower()
	if not email or email == own_email:
		return own_email
	if not frappe.utils.validate_email_address(email):
		frappe.throw(_("Raised By must be an email address, not {0}.").format(email))
	theirs = set(customers_of_email(email))
	staff = frappe.db.exists("User", email) and is_staff(email)
	if staff or (theirs and not theirs & set(customers_of())):
		frappe.throw(_("{0} is not one of your colleagues: raise the issue in your own name.").format(email))
	return email


def issue_with_key(key: str) -> str | None:
	found = frappe.db.get_value("Support Issue", {"idempotency_key": key}, ["name", "customer"], as_dict=True)
	if not found:
		return None
	if found.customer not in customers_of():
		frappe.throw(_("That idempotency key belongs to another customer's issue."), frappe.PermissionError)
	return found.name


def issue_summary(issue: SupportIssue) -> dict:
	"""The issue's public fields; `issue` is a name (read fresh, so dates are typed) or a loaded doc."""
	doc = frappe.get_doc("Support Issue", issue) if isinstance(issue, str) else issue
	return aware({field: doc.get(field) for field in ISSUE_FIELDS})


@frappe.whitelist(methods=["GET", "POST"])
@customer_method()
def list_issues(status: str | None = None, start: int = 0, page_length: int = 20) -> list[dict]:
	filters = mine()
	if status:
		filters["status"] = choice(status, _("Status"), STATUSES)
	rows = frappe.get_all(
		"Support Issue",
		filters=filters,
		fields=[*ISSUE_FIELDS, "paused_since"],
		order_by="due_order asc, modified desc",  # what is due first, finished and paused ones last
		**page(start, page_length),
	)
	return [listed(row, now_datetime()) for row in rows]


def listed(row, now) -> dict:
	"""A row of the caller's issue list, with its next deadline's clock in support time (see the desk's)."""
	clock = panel.next_clock(row, now)
	del row["paused_since"]
	return {**aware(row), "clock": clock}


NEWS_BATCH = 1000


@frappe.whitelist(methods=["GET", "POST"])
@customer_method()
def issue_news(names: list | str) -> list[dict]:
	"""The state of these issues of the caller's (others are left out, unnamed): status, SLA state and when
	the support team last replied. A customer site's connector asks it once per sync for all its open issues:
	two queries, whatever their number (at most 1000 a call)."""
	names = parsed(names, _("Names"))
	if not isinstance(names, list) or len(names) > NEWS_BATCH or not all(isinstance(n, str) for n in names):
		frappe.throw(_("Send the issue names as a list of at most {0}.").format(NEWS_BATCH))
	rows = frappe.get_all(
		"Support Issue",
		filters={**mine(), "name": ("in", names or [""])},
		fields=["name", "status", "sla_state"],
		limit_page_length=0,
	)
	replied = last_replies([r.name for r in rows])
	return [aware({**row, "replied_on": replied.get(row.name)}) for row in rows]


def last_replies(issues: list[str]) -> dict:
	"""{issue: when the support team last wrote to the customer} (their emails, not internal notes)."""
	comm = frappe.qb.DocType("Communication")
	rows = (
		frappe.qb.from_(comm)
		.select(comm.reference_name, Max(comm.communication_date))
		.where(
			(comm.reference_doctype == "Support Issue")
			& comm.reference_name.isin(issues or [""])
			& (comm.communication_type == "Communication")
			& (comm.sent_or_received == "Sent")
		)
		.groupby(comm.reference_name)
		.run()
	)
	return dict(rows)


@frappe.whitelist(methods=["GET", "POST"])
@customer_method()
def get_issue(name: str) -> dict:
	"""The issue with its SLA clocks, the explanation of its deadline, its email thread (never the staff's
	internal notes) and its files."""
	doc = own("Support Issue", name)
	issue = issue_summary(doc)
	issue["description"] = rich_text(doc.description)
	issue["coverage_note"] = doc.coverage_note
	sla = panel.sla_panel(doc)
	issue["clocks"] = [aware(clock) for clock in sla["clocks"]]
	issue["explanation"] = sla.get("explanation") or []
	issue["response_explanation"] = sla.get("response_explanation") or []
	issue["timezone"] = sla.get("timezone")
	replies = thread(doc.name)
	issue["replies"] = [aware({**r, "content": rich_text(r.content)}) for r in replies]
	issue["files"] = files_of(doc.name, [r.name for r in replies])
	return issue


def thread(issue: str) -> list:
	return frappe.get_all(
		"Communication",
		filters={
			"reference_doctype": "Support Issue",
			"reference_name": issue,
			"communication_type": "Communication",
		},
		fields=list(THREAD_FIELDS),
		order_by="communication_date asc",
	)


def files_of(issue: str, comms: list[str]) -> list[dict]:
	"""The files on the issue and on the emails of its thread (`comms`, the thread's names)."""
	file = frappe.qb.DocType("File")
	on_issue = (file.attached_to_doctype == "Support Issue") & (file.attached_to_name == issue)
	on_thread = (file.attached_to_doctype == "Communication") & file.attached_to_name.isin(comms or [""])
	rows = (
		frappe.qb.from_(file)
		.select(file.name, file.file_name, file.file_size, file.creation)
		.where(on_issue | on_thread)
		.orderby(file.creation)
		.run(as_dict=True)
	)
	return [aware(row) for row in rows]


@frappe.whitelist(methods=["POST"])
@customer_method(write=True)
def reply(issue: str, message: str, idempotency_key: str | None = None) -> dict:
	"""The caller's reply, threaded into the issue as a received email: it moves the SLA clock as a
	customer's mail does (a waiting or resolved issue goes back to Open)."""
	doc = own("Support Issue", issue)
	message = required_text(message, _("The reply"))
	if doc.status == "Closed":
		frappe.throw(_("Issue {0} is closed: raise a new issue instead.").format(doc.name))
	key = clean_key(idempotency_key)
	message_id = f"<{key}@frappe-support-connector>" if key else None
	if message_id:
		existing = frappe.db.get_value(
			"Communication", {"message_id": message_id, "reference_name": doc.name}
		)
		if existing:
			return {"issue": doc.name, "reply": existing, "status": doc.status}
	comm = received_reply(doc, message, message_id)
	return {
		"issue": doc.name,
		"reply": comm.name,
		"status": frappe.db.get_value("Support Issue", doc.name, "status"),
	}


def received_reply(issue: SupportIssue, message: str, message_id: str | None):
	user = frappe.db.get_value("User", frappe.session.user, ["email", "full_name"], as_dict=True)
	return frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Received",
			"subject": _("Re: {0}").format(issue.subject),
			"content": message,
			"sender": user.email,
			"sender_full_name": user.full_name,
			"reference_doctype": "Support Issue",
			"reference_name": issue.name,
			"message_id": message_id,
			"communication_date": now_datetime(),
		}
	).insert(ignore_permissions=True)


@frappe.whitelist(methods=["POST"])
@customer_method(write=True)
def reopen_issue(name: str) -> dict:
	"""A resolved issue that is not fixed after all: back to Open, its resolution clock running again."""
	return move_resolved(name, "Open")


@frappe.whitelist(methods=["POST"])
@customer_method(write=True)
def confirm_resolved(name: str) -> dict:
	"""The customer agrees the issue is fixed: it is closed."""
	return move_resolved(name, "Closed")


def move_resolved(name: str, status: str) -> dict:
	doc = own("Support Issue", name, for_update=True)
	if doc.status == status:
		return issue_summary(doc)
	if doc.status != "Resolved":
		frappe.throw(
			_("Issue {0} is {1}: only a resolved issue can be reopened or confirmed.").format(
				doc.name, _(doc.status)
			)
		)
	doc.status = status
	doc.save(ignore_permissions=True)
	return issue_summary(doc.name)
