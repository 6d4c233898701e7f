"""The staff workspace's onboarding (Module Onboarding "Frappe Support"): each step is done once what it
asks for exists. Checked when a record of the step's DocType is saved (`on_record`, from doc_events) and by
the hourly job (which, by running at all, shows that the scheduler works, and reads every step again). A
step found done is remembered in Redis, so later saves cost no query."""

from __future__ import annotations

import frappe

DONE = "frappe_support:onboarding_done"


def outgoing_email() -> bool:
	return bool(frappe.db.exists("Email Account", {"enable_outgoing": 1}))


def scheduler_on() -> bool:
	from frappe.utils.scheduler import is_scheduler_inactive

	return not is_scheduler_inactive(verbose=False)


def calendar_with_holidays() -> bool:
	return bool(frappe.db.exists("Support Calendar", {"holiday_list": ("is", "set")}))


def plan_reviewed() -> bool:
	plan = frappe.qb.DocType("Support Plan")
	# saved since it was made (not "later than": a time zone set after the install moves the clock back)
	return bool(frappe.qb.from_(plan).select(plan.name).where(plan.modified != plan.creation).limit(1).run())


def contract_with_holder() -> bool:
	contract = frappe.qb.DocType("Support Contract")
	holder = frappe.qb.DocType("Support Contract Holder")
	return bool(
		frappe.qb.from_(holder)
		.join(contract)
		.on((contract.name == holder.parent) & (holder.parenttype == "Support Contract"))
		.select(contract.name)
		.where(contract.docstatus == 1)
		.limit(1)
		.run()
	)


def site_registered() -> bool:
	return bool(frappe.db.exists("Support Site", {}))


def issue_raised() -> bool:
	return bool(frappe.db.exists("Support Issue", {}))


STEPS = {  # step: (the DocType whose saves can complete it, the check)
	"Set Up Outgoing Email": ("Email Account", outgoing_email),
	"Check the Scheduler": (None, scheduler_on),
	"Make Your Calendar": ("Support Calendar", calendar_with_holidays),
	"Review the Plan": ("Support Plan", plan_reviewed),
	"Create a Contract with a Holder": ("Support Contract", contract_with_holder),
	"Register a Site": ("Support Site", site_registered),
	"Raise a First Issue": ("Support Issue", issue_raised),
}


def on_record(doc, method=None) -> None:
	"""doc_events: the steps this record's DocType completes, unless known done."""
	for step, (doctype, done) in STEPS.items():
		if doctype == doc.doctype and not frappe.cache.hget(DONE, step):
			update(step, done)


def update_steps() -> None:
	"""Hourly, and from the doctor: every step, checked again."""
	for step, (_doctype, done) in STEPS.items():
		update(step, done)


def update(step: str, done) -> None:
	complete = frappe.db.get_value("Onboarding Step", step, "is_complete")
	if complete is None:
		return  # not synced yet (installing)
	if not complete:
		if not done():
			return
		frappe.db.set_value("Onboarding Step", step, "is_complete", 1, update_modified=False)
	# remembered at once: should this transaction roll back, the hourly job (which reads no flag) marks
	# the step again from the records, so a stale flag delays a step by an hour at most
	frappe.cache.hset(DONE, step, 1)


def after_migrate() -> None:
	"""A migrate may sync the steps again from their files (not done): check them all again."""
	frappe.cache.delete_value(DONE)
	update_steps()
