"""Mail in: a real Email Account pulls real RFC 822 messages over POP3 and opens or threads Support Issues.

A POP3 server runs in a thread of this process (tests/integration/pop3_server.py); the Email Account logs in
to it as the scheduler's pull does (`EmailAccount.receive`). That pull commits after every mail, so this class
commits the records it makes and deletes exactly those records (and the trail deleting leaves) afterwards.
"""

from __future__ import annotations

import email.policy
import time
import unittest
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

import frappe
from frappe.core.doctype.communication.email import make
from frappe.utils import get_datetime, random_string, strip_html

from frappe_support.common.settings import get_settings
from tests.integration.pop3_server import Pop3Server
from tests.integration.utils import SupportTestCase, delete_trail, unique


def mail(
	sender: str,
	to: str,
	subject: str,
	body: str,
	in_reply_to: str | None = None,
	parts: tuple[str, ...] = ("plain", "html"),
) -> bytes:
	"""An RFC 822 message as a mail client sends it (CRLF lines, its own Message-ID, a Date of now): the
	body as text/plain and text/html alternatives by default, or only one of them."""
	message = EmailMessage()
	message["From"] = formataddr((sender.split("@")[0].title(), sender))
	message["To"] = to
	message["Subject"] = subject
	message["Date"] = formatdate(localtime=True)
	message["Message-ID"] = make_msgid(domain="mail.fs-customer.example.net")
	if in_reply_to:
		message["In-Reply-To"] = f"<{in_reply_to}>"
		message["References"] = f"<{in_reply_to}>"
	html = f"<html><body><p>{body}</p></body></html>\n"
	if parts == ("html",):
		message.set_content(html, subtype="html")
	else:
		message.set_content(body + "\n")
		if "html" in parts:
			message.add_alternative(html, subtype="html")
	return message.as_bytes(policy=email.policy.SMTP)


class TestEmailIn(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.started = frappe.utils.now()
		cls.series = set(frappe.db.sql("select name from tabSeries", pluck=True))
		cls.customer = cls.calendar = cls.contract = cls.account = cls.outgoing = None
		cls.contacts, cls.senders = [], []
		cls.inbox = f"support-{random_string(10).lower()}@fs-provider.example.com"
		cls.server = Pop3Server(cls.inbox, f"pop-{random_string(12)}").start()
		try:
			cls.make_records()
		except Exception:
			cls.tearDownClass()
			raise
		frappe.db.commit()

	@classmethod
	def make_records(cls):
		helper = cls("test_holder_mail_opens_an_issue_on_their_contract")
		cls.customer = helper.make_customer()
		cls.holder = helper.make_holder(cls.customer)
		cls.colleague = helper.make_holder(cls.customer)  # a contact of the customer, not a holder
		cls.contacts = [cls.holder.name, cls.colleague.name]
		cls.senders = [cls.holder.email_id, cls.colleague.email_id]
		cls.calendar = helper.make_calendar()
		cls.contract = helper.make_contract(
			cls.customer, calendar=cls.calendar, holders=[{"contact": cls.holder.name, "notify_issues": 1}]
		).name
		cls.outgoing = helper.ensure_outgoing_account()  # staff replies are queued through it
		cls.account = (
			frappe.get_doc(
				{
					"doctype": "Email Account",
					"email_account_name": unique("FS Inbox"),
					"email_id": cls.inbox,
					"password": cls.server.mailbox.password,
					"enable_incoming": 1,
					"use_imap": 0,
					"use_ssl": 0,
					"email_server": cls.server.host,
					"incoming_port": str(cls.server.port),
					"append_to": "Support Issue",
					"create_contact": 0,
					"enable_outgoing": 0,
				}
			)
			.insert()
			.name
		)

	@classmethod
	def tearDownClass(cls):
		try:
			for attempt in range(1, 6):
				try:
					cls.delete_created()
					break
				except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
					# another connection (a test run alongside) held a lock: everything rolled back, so again
					frappe.db.rollback()
					if attempt == 5:
						raise
					time.sleep(attempt)
		finally:
			cls.server.stop()
			super().tearDownClass()

	@classmethod
	def our_issues(cls) -> list[str]:
		issues = set(
			frappe.get_all("Support Issue", filters={"raised_by": ("in", cls.senders or [""])}, pluck="name")
		)
		if cls.account:
			issues.update(
				frappe.get_all(
					"Communication",
					filters={"email_account": cls.account, "reference_doctype": "Support Issue"},
					pluck="reference_name",
				)
			)
		return sorted(i for i in issues if i)

	@classmethod
	def delete_created(cls):
		"""Delete exactly what this class made or received, newest first, then the trail deleting leaves."""
		frappe.db.rollback()
		frappe.set_user("Administrator")
		issues = cls.our_issues()
		comms = set(
			frappe.get_all(
				"Communication",
				filters={"reference_doctype": "Support Issue", "reference_name": ("in", issues or [""])},
				pluck="name",
			)
		)
		if cls.account:
			comms.update(
				frappe.get_all("Communication", filters={"email_account": cls.account}, pluck="name")
			)
		queues = set(
			frappe.get_all(
				"Email Queue",
				filters={"reference_doctype": "Support Issue", "reference_name": ("in", issues or [""])},
				pluck="name",
			)
		)
		queues.update(
			frappe.get_all("Email Queue", filters={"communication": ("in", comms or [""])}, pluck="name")
		)
		deleted = []

		def delete(doctype, name):
			if name and frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
				deleted.append((doctype, name))

		for queue in sorted(queues):
			delete("Email Queue", queue)
		for comm in sorted(comms):
			delete("Communication", comm)
		for issue in sorted(issues, reverse=True):  # newest first, so the naming series goes back too
			delete("Support Issue", issue)
		if cls.contract and frappe.db.exists("Support Contract", cls.contract):
			contract = frappe.get_doc("Support Contract", cls.contract)
			if contract.docstatus == 1:
				contract.cancel()
			delete("Support Contract", cls.contract)
		delete("Support Calendar", cls.calendar)
		for contact in cls.contacts:
			delete("Contact", contact)
		delete("Customer", cls.customer)
		delete("Email Account", cls.account)
		delete("Email Account", cls.outgoing)
		delete_trail(deleted, cls.started, cls.series)
		names = [name for _doctype, name in deleted]
		if names:
			frappe.db.delete("Error Log", {"reference_name": ("in", names)})
		frappe.db.commit()
		if cls.account:
			frappe.cache.delete_value(f"{cls.account}:email-account-failed-attempts")

	def setUp(self):
		super().setUp()
		self.before = set(self.our_issues())

	# -- helpers ---------------------------------------------------------------------------------------
	def stranger(self) -> str:
		"""An address no Contact has, remembered so that its issues are deleted afterwards."""
		address = f"{random_string(10).lower()}@fs-stranger.example.org"
		type(self).senders.append(address)
		return address

	def mail(self, sender: str, subject: str, body: str, **kwargs) -> bytes:
		return mail(sender, self.inbox, subject, body, **kwargs)

	def pull(self, *messages: bytes) -> None:
		"""Deliver the messages to the POP3 mailbox and let the Email Account pull them (this commits)."""
		logins = len(self.server.mailbox.logins)
		errors = {"reference_doctype": "Email Account", "reference_name": self.account}
		logged = set(frappe.get_all("Error Log", filters=errors, pluck="name"))
		self.server.mailbox.deliver(*messages)
		frappe.get_doc("Email Account", self.account).receive()  # raises if a mail failed
		self.assertEqual(self.server.mailbox.logins[logins:], [self.inbox])  # one session, as the account
		self.assertEqual(self.server.mailbox.waiting(), 0)  # every message retrieved, then deleted
		new_errors = frappe.get_all(
			"Error Log", filters={**errors, "name": ("not in", logged or [""])}, pluck="error"
		)
		self.assertEqual(new_errors, [])  # a failed connection is only logged

	def new_issues(self) -> list[str]:
		return sorted(set(self.our_issues()) - self.before)

	def only_new_issue(self):
		issues = self.new_issues()
		self.assertEqual(len(issues), 1, issues)
		return frappe.get_doc("Support Issue", issues[0])

	def received(self, issue: str) -> list:
		return frappe.get_all(
			"Communication",
			filters={
				"reference_doctype": "Support Issue",
				"reference_name": issue,
				"sent_or_received": "Received",
			},
			fields=["name", "sender", "subject", "email_account", "in_reply_to", "content"],
			order_by="creation asc",
		)

	def events(self, issue: str) -> list[str]:
		return [row.event for row in frappe.get_doc("Support Issue", issue).sla_log]

	def use_email_priority(self, priority: str) -> None:
		"""Set the settings' priority for mail; committed by the pull, so put back (and committed) after."""
		old = frappe.db.get_single_value("Frappe Support Settings", "email_priority")

		def restore():
			frappe.db.set_single_value(
				"Frappe Support Settings", "email_priority", old, update_modified=False
			)
			frappe.db.commit()

		self.addCleanup(restore)
		frappe.db.set_single_value(
			"Frappe Support Settings", "email_priority", priority, update_modified=False
		)

	def open_issue(self, sender: str) -> tuple[str, str, str]:
		"""Pull a first mail from `sender`: (issue, subject, body)."""
		subject, body = unique("Backups fail"), f"The nightly backup stops at 40% ({random_string(6)})."
		self.pull(self.mail(sender, subject, body))
		return self.only_new_issue().name, subject, body

	def staff_reply(self, issue: str, subject: str) -> frappe._dict:
		"""An engineer answers from the desk: a Sent Communication, queued to the raiser."""
		sent = make(
			doctype="Support Issue",
			name=issue,
			subject=f"Re: {subject}",
			content="Which site is it? Please send the backup log.",
			recipients=frappe.db.get_value("Support Issue", issue, "raised_by"),
			send_email=True,
		)
		return frappe.db.get_value("Communication", sent["name"], ["name", "message_id"], as_dict=True)

	def set_status(self, issue: str, status: str):
		doc = frappe.get_doc("Support Issue", issue)
		doc.status = status
		doc.save()
		return doc

	# -- tests -----------------------------------------------------------------------------------------
	def test_holder_mail_opens_an_issue_on_their_contract(self):
		self.use_email_priority("Low")  # not the field's default, so it can only come from the settings
		subject = unique("Printing fails")
		body = f"Since this morning every sales invoice fails to print ({random_string(6)})."
		raw = self.mail(self.holder.email_id, subject, body)
		self.pull(raw)
		issue = self.only_new_issue()
		self.assertEqual(
			(issue.subject, issue.raised_by, issue.customer, issue.contract, issue.site),
			(subject, self.holder.email_id, self.customer, self.contract, None),
		)
		self.assertEqual(
			(issue.priority, issue.category, issue.status, issue.sla_state, issue.coverage_note),
			("Low", "Bug", "Open", "Running", None),
		)
		self.assertIsNotNone(issue.sla_start)
		self.assertIsNotNone(issue.resolution_by)
		self.assertGreater(get_datetime(issue.resolution_by), get_datetime(issue.opening_date))
		self.assertEqual(issue.response_state, "Pending")
		self.assertEqual(self.events(issue.name), ["Started"])
		self.assertEqual(strip_html(issue.description or "").strip(), body)
		received = self.received(issue.name)
		self.assertEqual(len(received), 1)
		self.assertEqual(
			(received[0].sender, received[0].subject, received[0].email_account, received[0].in_reply_to),
			(self.holder.email_id, subject, self.account, None),
		)
		self.assertIn(body, strip_html(received[0].content))
		# the same message pulled again (a server that kept it) is known by its Message-ID: nothing new
		self.pull(raw)
		self.assertEqual(self.new_issues(), [issue.name])
		self.assertEqual(len(self.received(issue.name)), 1)

	def test_plain_text_mail_becomes_the_description(self):
		"""Many clients send text/plain only: its text is the description as much as an HTML mail's."""
		subject = unique("Payroll slow")
		body = f"Salary slips take ten minutes each ({random_string(6)})."
		self.pull(self.mail(self.holder.email_id, subject, body, parts=("plain",)))
		issue = self.only_new_issue()
		self.assertEqual((issue.contract, issue.sla_state), (self.contract, "Running"))
		self.assertIn(body, strip_html(self.received(issue.name)[0].content))
		self.assertEqual(strip_html(issue.description or "").strip(), body)

	def test_contact_of_the_customer_opens_an_issue_on_its_contract(self):
		subject = unique("Stock ledger wrong")
		body = f"The stock balance report shows negative stock ({random_string(6)})."
		self.pull(self.mail(self.colleague.email_id, subject, body, parts=("html",)))
		issue = self.only_new_issue()
		self.assertEqual(
			(issue.raised_by, issue.customer, issue.contract, issue.category, issue.sla_state),
			(self.colleague.email_id, self.customer, self.contract, "Bug", "Running"),
		)
		self.assertEqual(issue.priority, get_settings().email_priority or "Medium")
		self.assertIsNotNone(issue.resolution_by)
		self.assertEqual(self.events(issue.name), ["Started"])
		self.assertEqual(strip_html(issue.description or "").strip(), body)
		self.assertEqual([r.sender for r in self.received(issue.name)], [self.colleague.email_id])

	def test_unknown_senders_are_kept_not_covered(self):
		first, second = self.stranger(), self.stranger()
		subjects = {first: unique("Question"), second: unique("Quote request")}
		self.pull(*(self.mail(a, subjects[a], f"Mail from {a}.") for a in (first, second)))  # one session
		issues = self.new_issues()
		self.assertEqual(len(issues), 2)
		raisers = sorted(frappe.db.get_value("Support Issue", name, "raised_by") for name in issues)
		self.assertEqual(raisers, sorted([first, second]))
		for name in issues:
			issue = frappe.get_doc("Support Issue", name)
			sender = issue.raised_by
			self.assertEqual(issue.subject, subjects[sender])
			self.assertEqual(
				(issue.customer, issue.contract, issue.status, issue.sla_state, issue.category),
				(None, None, "Open", "Not Covered", "Bug"),
			)
			self.assertIn(sender, issue.coverage_note or "")
			self.assertEqual((issue.sla_start, issue.response_by, issue.resolution_by), (None, None, None))
			self.assertEqual(self.events(name), ["Not Covered"])
			self.assertEqual(strip_html(issue.description or "").strip(), f"Mail from {sender}.")
			self.assertEqual([r.sender for r in self.received(name)], [sender])

	def test_customer_reply_threads_into_the_issue_and_resumes_its_clock(self):
		issue, subject, body = self.open_issue(self.holder.email_id)
		sent = self.staff_reply(issue, subject)
		self.assertEqual(frappe.db.get_value("Support Issue", issue, "status"), "Replied")
		waiting = self.set_status(issue, "Waiting for Customer")
		self.assertEqual(waiting.sla_state, "Paused")
		self.assertIsNotNone(waiting.paused_since)
		# the raiser answers the engineer's mail: threaded by In-Reply-To alone (the subject has no #name)
		reply = self.mail(
			self.holder.email_id, "Re: our backups", "It is erp.example.com.", in_reply_to=sent.message_id
		)
		self.pull(reply)
		self.assertEqual(self.new_issues(), [issue])
		received = self.received(issue)
		self.assertEqual([r.sender for r in received], [self.holder.email_id] * 2)
		self.assertEqual(received[1].in_reply_to, sent.name)
		doc = frappe.get_doc("Support Issue", issue)
		self.assertEqual((doc.status, doc.sla_state, doc.paused_since), ("Open", "Running", None))
		self.assertEqual(self.events(issue), ["Started", "Responded", "Paused", "Resumed"])
		self.assertEqual((doc.sla_log[-1].clock, doc.sla_log[-1].note), ("Resolution", "Back to Open"))
		self.assertEqual(strip_html(doc.description or "").strip(), body)  # still the first mail's text

	def test_colleague_naming_the_issue_reopens_it_after_resolution(self):
		issue, subject, _body = self.open_issue(self.holder.email_id)
		self.set_status(issue, "Resolved")
		events = self.events(issue)
		self.assertEqual(events[-2:], ["Paused", "Met"])
		# another contact of the customer, not the raiser: threaded by the #name in the subject alone
		self.pull(self.mail(self.colleague.email_id, f"Re: {subject} (#{issue})", "Still failing tonight."))
		self.assertEqual(self.new_issues(), [issue])
		self.assertEqual(
			[r.sender for r in self.received(issue)], [self.holder.email_id, self.colleague.email_id]
		)
		doc = frappe.get_doc("Support Issue", issue)
		self.assertEqual((doc.status, doc.sla_state), ("Open", "Running"))
		self.assertEqual((doc.resolved_on, doc.paused_since), (None, None))
		self.assertEqual(self.events(issue), [*events, "Resumed", "Reopened"])

	def test_stranger_naming_a_waiting_issue_gets_an_issue_of_their_own(self):
		issue, subject, _body = self.open_issue(self.holder.email_id)
		waiting = self.set_status(issue, "Waiting for Customer")
		events = self.events(issue)
		stranger = self.stranger()
		self.pull(self.mail(stranger, f"Re: {subject} (#{issue})", "I have the same problem."))
		theirs = [i for i in self.new_issues() if i != issue]
		self.assertEqual(len(theirs), 1, theirs)
		own = frappe.get_doc("Support Issue", theirs[0])  # not threaded into the issue it named
		self.assertEqual(
			(own.raised_by, own.customer, own.sla_state, own.subject),
			(stranger, None, "Not Covered", f"Re: {subject}"),
		)
		self.assertEqual([r.sender for r in self.received(own.name)], [stranger])
		self.assertEqual([r.sender for r in self.received(issue)], [self.holder.email_id])
		doc = frappe.get_doc("Support Issue", issue)
		self.assertEqual(
			(doc.status, doc.sla_state, doc.paused_since),
			("Waiting for Customer", "Paused", waiting.paused_since),
		)
		self.assertEqual(self.events(issue), events)

	def test_another_customers_contact_replying_to_an_issue_mail_gets_their_own_issue(self):
		"""In-Reply-To of a mail the engineer sent on this customer's issue: the mail of another customer's
		contact opens an issue for their customer, never joins this one; their next mail joins theirs."""
		issue, subject, _body = self.open_issue(self.holder.email_id)
		sent = self.staff_reply(issue, subject)
		events = self.events(issue)
		other_customer = self.make_customer()
		other = self.make_holder(other_customer)
		frappe.db.commit()
		type(self).contacts.append(other.name)
		type(self).senders.append(other.email_id)
		self.addCleanup(self.delete_customer, other_customer, other.name)
		self.pull(
			self.mail(other.email_id, f"Re: {subject}", "Our backups fail too.", in_reply_to=sent.message_id),
			self.mail(other.email_id, f"Re: {subject}", "And the stock report is slow."),
		)
		theirs = [i for i in self.new_issues() if i != issue]
		self.assertEqual(len(theirs), 1, theirs)  # their second mail threads into their own issue
		doc = frappe.get_doc("Support Issue", theirs[0])
		self.assertEqual(
			(doc.raised_by, doc.customer, doc.subject), (other.email_id, other_customer, f"Re: {subject}")
		)
		self.assertEqual([r.sender for r in self.received(doc.name)], [other.email_id] * 2)
		self.assertEqual([r.sender for r in self.received(issue)], [self.holder.email_id])
		self.assertEqual(frappe.db.get_value("Support Issue", issue, "status"), "Replied")
		self.assertEqual(self.events(issue), events)

	def delete_customer(self, customer: str, contact: str) -> None:
		"""The other customer and its contact (ERPNext deletes a customer's own contacts with it)."""
		frappe.db.rollback()
		for doctype, name in (("Contact", contact), ("Customer", customer)):
			if frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		delete_trail([("Contact", contact), ("Customer", customer)], self.started)
		frappe.db.commit()

	def test_stranger_naming_a_replied_issue_changes_nothing(self):
		issue, subject, _body = self.open_issue(self.holder.email_id)
		self.staff_reply(issue, subject)
		events = self.events(issue)
		stranger = self.stranger()
		self.pull(self.mail(stranger, f"Re: {subject} (#{issue})", "Any news on this?"))
		self.assertEqual(len(self.new_issues()), 2)  # the holder's, and the stranger's own (Not Covered)
		self.assertEqual([r.sender for r in self.received(issue)], [self.holder.email_id])
		self.assertEqual(frappe.db.get_value("Support Issue", issue, "status"), "Replied")
		self.assertEqual(self.events(issue), events)

	def test_a_mailed_script_is_stored_harmless(self):
		subject = unique("Broken form")
		self.pull(
			self.mail(
				self.holder.email_id,
				subject + ' "<img src=x onerror=alert(1)>"',
				'<img src=x onerror="alert(document.cookie)"><script>alert(1)</script>Form is blank',
				parts=("html",),
			)
		)
		issue = self.only_new_issue()
		stored = [issue.subject, issue.description, *(r.content for r in self.received(issue.name))]
		self.assertIn("Form is blank", issue.description)
		for text in stored:
			self.assertNotIn("onerror", text or "")
			self.assertNotIn("<script", text or "")


if __name__ == "__main__":
	unittest.main()
