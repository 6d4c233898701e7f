"""The doctor's checks: what a support desk needs to keep its promises, each problem with how to fix it.

Each check returns the problems it found (none: the check passed). They read only. The setup checks apply
to every site; the desk checks to a provider site, the connector check to a customer site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import add_to_date, getdate, now_datetime, pretty_date

SWEEP = "frappe_support.issues.sweep.run_sla_sweep"
SWEEP_LATE = timedelta(minutes=30)  # it runs every 5 minutes
WORKER_QUIET = timedelta(hours=1)
LISTED = 5  # names shown in a problem; the rest counted


@dataclass
class Problem:
	problem: str
	fix: str


def named(names: list[str]) -> str:
	shown = ", ".join(names[:LISTED])
	return shown if len(names) <= LISTED else _("{0} and {1} more").format(shown, len(names) - LISTED)


def time_zone() -> list[Problem]:
	"""A site whose setup wizard never ran has no system zone: Frappe then reads every stored time as
	Asia/Kolkata, whatever the calendars and users say."""
	if frappe.db.get_single_value("System Settings", "time_zone"):
		return []
	return [
		Problem(
			_(
				"The system time zone is not set, so every stored time (deadlines, windows, replies) is read as Asia/Kolkata."
			),
			_(
				"Set Time Zone in System Settings (/app/system-settings) to the zone the site runs in; times already stored are not converted, so do it before issues are raised."
			),
		)
	]


def scheduler() -> list[Problem]:
	from frappe.utils.scheduler import is_scheduler_inactive

	if not is_scheduler_inactive(verbose=False):
		return []
	return [
		Problem(
			_(
				"The scheduler is disabled or paused on this site: SLA sweeps, reminders, advisory matching and the daily jobs do not run."
			),
			_(
				"Run bench --site {0} enable-scheduler (and bench --site {0} scheduler resume if it was paused)."
			).format(frappe.local.site),
		)
	]


def workers() -> list[Problem]:
	from frappe.utils.background_jobs import get_workers

	try:
		running = get_workers()
	except Exception as e:
		return [
			Problem(
				_("The job queue's Redis ({0}) cannot be reached: {1}").format(frappe.conf.redis_queue, e),
				_("Start the queue's Redis (bench start, or its service)."),
			)
		]
	problems = []
	if not running:
		problems.append(
			Problem(
				_("No background worker is running: queued jobs (mail, matching, recomputation) wait."),
				_(
					"Start the workers: bench start in development, supervisor or systemd in production (bench setup production)."
				),
			)
		)
	if not frappe.db.exists("Scheduled Job Log", {"creation": (">=", now_datetime() - WORKER_QUIET)}):
		problems.append(
			Problem(
				_("No worker has run a scheduled job of this site in the last hour."),
				_(
					"Check that the scheduler is enabled and that a worker consumes the default, short and long queues (bench doctor)."
				),
			)
		)
	return problems


def email() -> list[Problem]:
	outgoing = frappe.get_all(
		"Email Account", filters={"enable_outgoing": 1}, fields=["name", "default_outgoing"]
	)
	sender = frappe.db.get_single_value("Frappe Support Settings", "sender_account")
	if sender and sender not in [a.name for a in outgoing]:
		return [
			Problem(
				_(
					"The sending account in Frappe Support Settings, {0}, is not enabled for outgoing mail."
				).format(sender),
				_("Enable Outgoing on Email Account {0}, or choose another sending account.").format(sender),
			)
		]
	if sender or any(a.default_outgoing for a in outgoing):
		return []
	return [
		Problem(
			_(
				"No default outgoing email account: notifications, breach warnings and advisories are not sent."
			),
			_(
				"Create an Email Account with Enable Outgoing and Default Outgoing (or set the sending account in Frappe Support Settings)."
			),
		)
	]


def sla_sweep() -> list[Problem]:
	job = frappe.db.get_value("Scheduled Job Type", {"method": SWEEP}, "name")
	last = frappe.get_all(
		"Scheduled Job Log",
		filters={"scheduled_job_type": job or "", "status": "Complete"},
		pluck="creation",
		order_by="creation desc",
		limit=1,
	)
	if last and last[0] >= now_datetime() - SWEEP_LATE:
		return []
	when = _("last ran {0}").format(pretty_date(last[0])) if last else _("has never run")
	return [
		Problem(
			_(
				"The SLA sweep {0} (it runs every 5 minutes): breaches and warnings are not marked or mailed."
			).format(when),
			_(
				"Enable the scheduler and start a worker; bench --site {0} execute {1} runs it once now."
			).format(frappe.local.site, SWEEP),
		)
	]


def calendars() -> list[Problem]:
	"""Calendars (not open around the clock) without a holiday list, or whose list has no public holiday
	in the coming year: two queries, whatever the number of calendars."""
	found = frappe.get_all(
		"Support Calendar", filters={"always_open": 0}, fields=["name", "holiday_list"], order_by="name"
	)
	listed = holiday_lists_with_holidays({c.holiday_list for c in found if c.holiday_list})
	return [calendar_problem(c) for c in found if c.holiday_list not in listed]


def holiday_lists_with_holidays(lists: set[str]) -> set[str]:
	today = getdate()
	coming = ("between", [today, add_to_date(today, years=1)])
	return set(
		frappe.get_all(
			"Holiday",
			filters={"parent": ("in", list(lists) or [""]), "weekly_off": 0, "holiday_date": coming},
			pluck="parent",
			distinct=True,
		)
	)


def calendar_problem(calendar) -> Problem:
	if not calendar.holiday_list:
		return Problem(
			_("Calendar {0} has no holiday list: public holidays count as business time.").format(
				calendar.name
			),
			_("Pick a Holiday List with the provider's public holidays in Support Calendar {0}.").format(
				calendar.name
			),
		)
	return Problem(
		_("Calendar {0}: its holiday list {1} has no holiday in the coming year.").format(
			calendar.name, calendar.holiday_list
		),
		_("Add the coming year's public holidays to Holiday List {0}.").format(calendar.holiday_list),
	)


def contracts() -> list[Problem]:
	active = frappe.get_all("Support Contract", filters={"docstatus": 1, "status": "Active"}, pluck="name")
	if not active:
		return []
	with_holders = set(
		frappe.get_all(
			"Support Contract Holder", filters={"parent": ("in", active)}, pluck="parent", distinct=True
		)
	)
	with_sites = set(
		frappe.get_all("Support Site", filters={"contract": ("in", active)}, pluck="contract", distinct=True)
	)
	problems = []
	if lacking := [c for c in active if c not in with_holders]:
		problems.append(
			Problem(
				_(
					"Active contracts without holders (nobody is told of breaches, advisories or renewals): {0}."
				).format(named(lacking)),
				_("Add the customer's contacts as holders on each contract (Holders table)."),
			)
		)
	if lacking := [c for c in active if c not in with_sites]:
		problems.append(
			Problem(
				_("Active contracts without sites (no advisory can reach them): {0}.").format(named(lacking)),
				_("Register the customer's sites (Support Site) under each contract."),
			)
		)
	return problems


def sites() -> list[Problem]:
	unknown = frappe.get_all(
		"Support Site",
		filters={"probed_on": ("is", "not set"), "versions_reported_on": ("is", "not set")},
		pluck="name",
		order_by="name",
	)
	if not unknown:
		return []
	return [
		Problem(
			_(
				"Sites never probed and never reported their versions (advisories cannot be matched): {0}."
			).format(named(unknown)),
			_(
				"Give each site its URL (the daily probe reads its versions) or install the connector on it, or enter its apps by hand."
			),
		)
	]


def advisories() -> list[Problem]:
	if frappe.db.exists("Security Advisory", {"status": "Published"}):
		return []
	return [
		Problem(
			_("No security advisory has been published: no site's exposure can be found."),
			_(
				"Import advisories (Security Advisory list: Fetch from GitHub, or Import GitHub JSON) and publish them."
			),
		)
	]


def connector() -> list[Problem]:
	settings = frappe.get_single("Frappe Support Settings")
	if not (
		settings.provider_url
		and settings.provider_api_key
		and settings.get_password("provider_api_secret", raise_exception=False)
	):
		return [
			Problem(
				_(
					"This customer site is not connected: the provider's URL or API key and secret are missing."
				),
				_("Fill in the Provider section of Frappe Support Settings and press Test Connection."),
			)
		]
	problems = []
	stuck = frappe.get_all(
		"Support Outbox",
		filters={"status": "Waiting", "attempts": (">=", 3)},
		fields=["name", "last_error"],
		order_by="creation",
	)
	if stuck:
		problems.append(
			Problem(
				_(
					"{0} entries could not be delivered to the provider after several attempts; last error: {1}"
				).format(len(stuck), stuck[-1].last_error or _("none recorded")),
				_(
					"Check the provider's URL and that it answers (Test Connection); the outbox retries by itself."
				),
			)
		)
	refused = frappe.db.count(
		"Support Outbox", {"status": "Failed", "modified": (">=", add_to_date(now_datetime(), days=-7))}
	)
	if refused:
		problems.append(
			Problem(
				_("The provider refused {0} entries in the last 7 days.").format(refused),
				_("Open the Support Outbox entries with status Failed: Last Error says why."),
			)
		)
	return problems
