"""Two sweeps at once, in two processes with their own connections, send each notification once.

The processes only see committed rows, so this class commits the records it makes and deletes exactly
those records (and the trail deleting leaves) afterwards.
"""

import frappe
from frappe.desk.form.assign_to import add as assign

from tests.integration.utils import SupportTestCase, finished, start_in_sites

SWEEP = (
	"import frappe, sys\n"
	"frappe.init(site=sys.argv[1], sites_path='.')\n"
	"frappe.connect()\n"
	"from frappe_support.issues.sweep import run_sla_sweep\n"
	"print(run_sla_sweep())\n"
	"frappe.destroy()\n"
)


class TestConcurrentSweeps(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		helper = cls("test_two_processes_notify_once")
		cls.customer = helper.make_customer()
		cls.holder = helper.make_holder(cls.customer)
		cls.contract = helper.make_contract(
			cls.customer,
			calendar="Standard Business Hours",
			holders=[{"contact": cls.holder.name, "notify_issues": 1}],
		)
		cls.engineer = helper.make_engineer()
		cls.account = helper.ensure_outgoing_account()
		cls.issue = helper.make_issue(cls.contract, opening="2025-06-09 10:00:00", priority="High")
		frappe.flags.mute_emails = True
		assign({"doctype": "Support Issue", "name": cls.issue.name, "assign_to": [cls.engineer]})
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		started = frappe.db.get_value("Support Issue", cls.issue.name, "creation")
		name = cls.issue.name
		queues = frappe.get_all("Email Queue", filters={"reference_name": name}, pluck="name")
		queues += frappe.get_all("Email Queue Recipient", filters={"recipient": cls.engineer}, pluck="parent")
		for queue in set(queues):
			frappe.delete_doc("Email Queue", queue, force=True, ignore_permissions=True)
		frappe.db.delete("Notification Log", {"document_type": "Support Issue", "document_name": name})
		frappe.db.delete("Notification Log", {"for_user": cls.engineer})
		frappe.db.delete("ToDo", {"reference_type": "Support Issue", "reference_name": name})
		frappe.db.delete("Error Log", {"reference_name": name})
		frappe.delete_doc("Support Issue", name, force=True, ignore_permissions=True)
		cls.contract.reload()
		cls.contract.cancel()
		frappe.delete_doc("Support Contract", cls.contract.name, force=True, ignore_permissions=True)
		contacts = [cls.holder.name, *frappe.get_all("Contact", filters={"user": cls.engineer}, pluck="name")]
		for contact in contacts:
			frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
		frappe.delete_doc("User", cls.engineer, force=True, ignore_permissions=True)
		frappe.delete_doc("Customer", cls.customer, force=True, ignore_permissions=True)
		if cls.account:
			frappe.delete_doc("Email Account", cls.account, force=True, ignore_permissions=True)
		names = [name, cls.contract.name, cls.engineer, cls.customer, *contacts, cls.account, *queues]
		frappe.db.delete("Deleted Document", {"deleted_name": ("in", names)})
		frappe.db.delete("Comment", {"reference_name": ("in", names)})
		frappe.db.delete(
			"Comment", {"comment_type": "Deleted", "creation": (">=", started), "owner": "Administrator"}
		)
		frappe.db.delete("Version", {"docname": ("in", names)})
		frappe.db.commit()
		super().tearDownClass()

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_two_processes_notify_once(self):
		procs = start_in_sites(["-c", SWEEP, frappe.local.site], count=2)
		marked = sorted(int(out.strip().splitlines()[-1]) for out in finished(procs))
		frappe.db.rollback()  # see what the other connections committed
		events = [
			(r.event, r.clock)
			for r in frappe.get_doc("Support Issue", self.issue.name).sla_log
			if r.note == "Marked by the SLA sweep."
		]
		self.assertEqual(
			sorted(events), [("Breached", "Resolution"), ("Breached", "Response"), ("Warned", "Resolution")]
		)
		self.assertEqual(sum(marked), 3, marked)
		queues = frappe.get_all("Email Queue", filters={"reference_name": self.issue.name}, pluck="name")
		recipients = frappe.get_all(
			"Email Queue Recipient", filters={"parent": ("in", queues or [""])}, pluck="recipient"
		)
		# the engineer hears of 3 events, the holder of the resolution breach only; nobody twice per event
		self.assertEqual(recipients.count(self.engineer), 3)
		self.assertEqual(recipients.count(self.holder.email_id), 1)
