"""Uptime checks on the provider: every production site with "Check Uptime" is pinged each interval
(`uptime_check` does the HTTP, `uptime_rules` decides), and what changed is written site by site.

A round claims its slot by inserting its Support Uptime Round (named by its minute), so two rounds at once
check once; each site's result is applied under a lock of its Support Site row, in its own savepoint, so a
site that fails is logged and the others proceed. Only sites that are down, or were, are written: a round
of 10,000 healthy sites writes one row.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import frappe
from frappe import _
from frappe.utils import add_to_date, cint, flt, now_datetime

from frappe_support.common.claims import changed
from frappe_support.common.dates import local, to_stored
from frappe_support.common.jobs import isolated
from frappe_support.common.settings import get_settings
from frappe_support.contracts.calendars import contract_zone
from frappe_support.sites import downtime as downtimes
from frappe_support.sites.uptime_check import Result, check_all
from frappe_support.sites.uptime_rules import Decision, OpenDowntime, Step, decide

JOB_ID = "frappe_support:uptime-round"


def schedule_round() -> bool:
	"""Scheduler job (every minute): queue a round when the interval has passed since the last one."""
	settings = get_settings()
	if not checks_on(settings) or not round_due(cint(settings.uptime_interval_minutes) or 1):
		return False
	frappe.enqueue("frappe_support.sites.uptime.run_round", queue="long", job_id=JOB_ID, deduplicate=True)
	return True


def checks_on(settings) -> bool:
	return settings.site_mode != "Customer Site" and cint(settings.uptime_failures_to_alert) > 0


def round_due(interval: int) -> bool:
	"""The last round started at least `interval` minutes ago (a few seconds early still counts: the
	scheduler's tick drifts)."""
	last = frappe.get_all("Support Uptime Round", fields=["max(started_on) as last"])[0].last
	return not last or last <= add_to_date(now_datetime(), minutes=-interval, seconds=10)


def run_round(commit: bool = True) -> str | None:
	"""One round: check every monitored site and apply what changed. Returns the round's name, or None
	when another round has this slot."""
	settings = get_settings()
	if not checks_on(settings):
		return None
	name = claim_round(cint(settings.uptime_interval_minutes) or 1, commit)
	if name is None:
		return None
	started = time.monotonic()
	results, windows = check_sites(monitored_sites(), commit)
	finish_round(name, results, windows, time.monotonic() - started)
	if commit:
		frappe.db.commit()
	return name


def check_sites(sites: list, commit: bool) -> tuple[dict[str, Result], dict[str, str]]:
	"""Check these sites (name, site_url, downtime) now and write what changed, site by site."""
	settings = get_settings()
	timeout, threshold = flt(settings.uptime_timeout_seconds) or 5.0, cint(settings.uptime_failures_to_alert)
	results = check_all(
		{s.name: s.site_url for s in sites}, timeout, concurrency=cint(settings.uptime_concurrency) or 200
	)
	windows = sites_in_window(now_datetime())
	if commit:
		frappe.db.commit()  # each site's transaction starts at its lock, with a fresh snapshot
	for site in sites:
		result = results[site.name]
		if result.up and not site.downtime:
			continue  # nothing to write
		isolated(
			"Support Site",
			site.name,
			lambda site=site, result=result: apply_check(
				site.name, result, windows.get(site.name), threshold, timeout
			),
			_("Uptime check of Support Site {0} could not be recorded"),
			commit,
		)
	return results, windows


def check_now(site: str) -> dict:
	"""The Support Site form's Check Uptime Now: one check, written as a round's would be."""
	sites = monitored_sites([site])
	if not sites:
		frappe.throw(
			_("Only production sites with Check Uptime on are checked: set Environment and Check Uptime."),
			title=_("Not monitored"),
		)
	result = check_sites(sites, commit=False)[0][site]
	timeout = flt(get_settings().uptime_timeout_seconds) or 5.0
	reason = downtimes.reason_words(result.reason, timeout) if result.reason else ""
	return {"up": result.up, "reason": reason, "ms": result.ms}


def claim_round(interval: int, commit: bool) -> str | None:
	"""The round of this interval's slot, named by its first minute: an INSERT IGNORE, so of any number
	of runs at once exactly one inserts it (and checks)."""
	now = now_datetime()
	minute = now.replace(second=0, microsecond=0)
	slot = minute - timedelta(minutes=(minute.hour * 60 + minute.minute) % interval)
	name = slot.strftime("%Y-%m-%d %H:%M")
	table = frappe.qb.DocType("Support Uptime Round")
	insert = (
		frappe.qb.into(table)
		.ignore()
		.columns(
			table.name,
			table.started_on,
			table.interval_minutes,
			table.creation,
			table.modified,
			table.owner,
			table.modified_by,
		)
		.insert(name, slot, interval, now, now, frappe.session.user, frappe.session.user)
	)
	if not changed(insert):
		return None
	if commit:
		frappe.db.commit()
	return name


def finish_round(name: str, results: dict[str, Result], windows: dict, seconds: float) -> None:
	down = [site for site, r in results.items() if not r.up]
	frappe.db.set_value(
		"Support Uptime Round",
		name,
		{
			"finished_on": now_datetime(),
			"seconds": round(seconds, 2),
			"sites": len(results),
			"up": len(results) - len(down),
			"down": sum(1 for site in down if site not in windows),
			"planned": sum(1 for site in down if site in windows),
		},
		update_modified=False,
	)


def monitored_sites(names: list[str] | None = None) -> list:
	filters = {"environment": "Production", "monitor_uptime": 1}
	if names is not None:
		filters["name"] = ("in", names or [""])
	return frappe.get_all(
		"Support Site",
		filters=filters,
		fields=["name", "site_url", "downtime"],
		order_by="name",
	)


def sites_in_window(now: datetime) -> dict[str, str]:
	"""{site: upgrade} for the sites whose downtime is expected now: inside a Scheduled window, or under
	an upgrade In Progress (it may run over its window)."""
	upgrade = frappe.qb.DocType("Upgrade Schedule")
	rows = (
		frappe.qb.from_(upgrade)
		.select(upgrade.site, upgrade.name)
		.where(
			(upgrade.status == "In Progress")
			| ((upgrade.status == "Scheduled") & (upgrade.window_start <= now) & (upgrade.window_end >= now))
		)
		.run(as_dict=True)
	)
	return {r.site: r.name for r in rows}


def apply_check(site: str, result: Result, upgrade: str | None, threshold: int, timeout: float) -> int:
	"""One site's check, under a lock of its row (two rounds at once apply one after the other)."""
	open_name = locked_downtime(site)
	# a locking read: the row as committed now, not as this transaction's snapshot first saw it
	current = frappe.get_doc("Support Site Downtime", open_name, for_update=True) if open_name else None
	decision = decide(open_state(current), result.up, bool(upgrade), threshold)
	at = stored_instant(result.at)
	reason = downtimes.reason_words(result.reason, timeout) if result.reason else ""
	current = downtimes.apply(site, current, decision, at, reason, upgrade)
	if decision.alert:
		downtimes.alert(current)
	return int(decision.step is not Step.NOTHING)


def locked_downtime(site: str) -> str | None:
	table = frappe.qb.DocType("Support Site")
	rows = frappe.qb.from_(table).select(table.downtime).where(table.name == site).for_update().run()
	return rows[0][0] if rows else None


def open_state(doc) -> OpenDowntime | None:
	if doc is None or doc.ended_on:
		return None
	return OpenDowntime(cint(doc.failures), bool(doc.planned), bool(doc.issue))


def stored_instant(epoch: float) -> datetime:
	return to_stored(datetime.fromtimestamp(epoch, tz=UTC)).replace(microsecond=0)


def heard_from(site: str) -> None:
	"""A heartbeat arrived: a downtime its silence opened is over."""
	open_name = locked_downtime(site)
	if not open_name:
		return
	current = frappe.get_doc("Support Site Downtime", open_name, for_update=True)
	if current.source == "Heartbeat" and not current.ended_on:
		downtimes.apply(site, current, Decision(Step.RECOVER, 0, False, False), now_datetime(), "", None)


def silent_production_site(site: str, last_heartbeat: datetime, expected_every: timedelta) -> int:
	"""The hourly heartbeat check found a production site silent: a downtime from its first missed
	heartbeat, alerted at once (the silence already lasted the settings' hours)."""
	if locked_downtime(site):
		return 0  # already down (the checks saw it, or an earlier silence)
	first_missed = min(last_heartbeat + expected_every, now_datetime())
	decision = Decision(Step.OPEN, 1, False, True)
	zone = contract_zone(frappe.db.get_value("Support Site", site, "contract"))
	reason = _("no heartbeat since {0}").format(local(last_heartbeat, zone))
	current = downtimes.apply(site, None, decision, first_missed, reason, None, source="Heartbeat")
	downtimes.alert(current)
	return 1


def purge_old_results() -> int:
	"""Daily job: rounds and finished downtimes older than the retention period go."""
	days = cint(get_settings().uptime_retention_days)
	if days <= 0:
		return 0
	before = add_to_date(now_datetime(), days=-days)
	rounds = frappe.db.count("Support Uptime Round", {"started_on": ("<", before)})
	frappe.db.delete("Support Uptime Round", {"started_on": ("<", before)})
	frappe.db.delete("Support Site Downtime", {"ended_on": ("<", before)})
	return rounds
