"""Provider side: a site whose connector stops reporting. A production site is treated as down (a downtime
from its first missed heartbeat and the High "Site down" issue, as the uptime checks do; its next heartbeat
logs the recovery); any other site is told to the Support Managers. Either once per silence: a new heartbeat
clears the mark, so the next silence is told again."""

from __future__ import annotations

from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import add_to_date, cint, now_datetime

from frappe_support.common.claims import claimed
from frappe_support.common.dates import local
from frappe_support.common.jobs import run_each
from frappe_support.common.mail import enabled_managers, send
from frappe_support.common.settings import get_settings
from frappe_support.contracts.calendars import contract_zone
from frappe_support.sites.uptime import silent_production_site

REPORTS_EVERY = timedelta(hours=1)  # the connector's report_versions job is hourly


def alert_silent_sites(commit: bool = True) -> int:
	"""Scheduler job (hourly). Returns how many silent sites were told."""
	settings = get_settings()
	hours = cint(settings.heartbeat_alert_hours)
	if hours <= 0 or settings.site_mode == "Customer Site":
		return 0
	site = frappe.qb.DocType("Support Site")
	silent = (
		frappe.qb.from_(site)
		.select(site.name)
		.where(site.last_heartbeat_on.isnotnull())
		.where(site.last_heartbeat_on < add_to_date(now_datetime(), hours=-hours))
		.where(site.heartbeat_alerted_on.isnull())
		.run(pluck=True)
	)
	told, _failed = run_each(
		"Support Site",
		silent,
		lambda name: tell_silent(name, hours),
		_("Silent site alert for {0} failed"),
		commit,
	)
	return told


def tell_silent(name: str, hours: int) -> int:
	site = frappe.qb.DocType("Support Site")
	if not claimed(
		frappe.qb.update(site)
		.set(site.heartbeat_alerted_on, now_datetime())
		.where((site.name == name) & site.heartbeat_alerted_on.isnull())
	):
		return 0  # another run told it
	doc = frappe.get_doc("Support Site", name)
	if doc.environment == "Production" and not doc.monitor_uptime:  # else the checks watch it
		return silent_production_site(doc.name, doc.last_heartbeat_on, REPORTS_EVERY)
	managers = enabled_managers()
	subject = _("Site {0} of {1} has not reported in for {2} hours").format(doc.name, doc.customer, hours)
	if managers:
		send(
			doc,
			customer=False,
			recipients=managers,
			subject=subject,
			template="support_site_silent",
			args={
				"doc": doc,
				"hours": hours,
				"last": local(doc.last_heartbeat_on, contract_zone(doc.contract)),
			},
		)
		for manager in managers:
			frappe.publish_realtime("msgprint", {"message": subject, "alert": True}, user=manager)
	return 1
