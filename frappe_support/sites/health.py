"""Site health on the provider: what a customer site's connector reports (cleaned by `health_rules`), kept a
row a site a day (Support Site Health) and as the site's latest; the thresholds it crosses suggested to
staff once per crossing; the form's figures and monthly trend; the snapshot attached to an issue raised
with it.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import frappe
from frappe import _
from frappe.utils import add_days, cint, flt, get_url, getdate, now_datetime

from frappe_support.common.claims import claimed
from frappe_support.common.files import attach_private
from frappe_support.common.mail import alert_desk, enabled_managers, send
from frappe_support.common.settings import get_settings
from frappe_support.permissions import staff_doc
from frappe_support.sites.health_rules import Thresholds, clean, crossed, monthly_trend


def words(key: str) -> str:
	return {
		"db_growth_mb": _("the database grew {0} MB in 30 days (threshold {1} MB)"),
		"errors_per_day": _("{0} errors in the last 24 hours (threshold {1})"),
		"pending_jobs": _("{0} background jobs waiting (threshold {1})"),
	}[key]


def store(site: str, raw) -> dict:
	"""Keep a reported snapshot: the day's row and the site's latest; then the thresholds. Returns what
	was kept ({} when nothing of it could be)."""
	kept = clean(raw)
	if not kept:
		return {}
	now = now_datetime()
	keep_day(site, kept, now)
	frappe.db.set_value("Support Site", site, "health_reported_on", now, update_modified=False)
	check_thresholds(site, kept)
	return kept


def keep_day(site: str, kept: dict, now) -> None:
	values = {
		"reported_on": now,
		"db_size_mb": kept.get("db_size_mb"),
		"errors_24h": cint(kept.get("errors_24h")),
		"pending_jobs": cint(kept.get("pending_jobs")),
		"failed_jobs": cint(kept.get("failed_jobs")),
		"scheduler": kept.get("scheduler"),
		"snapshot": json.dumps(kept, sort_keys=True),
	}
	name = f"{site} {getdate(now)}"
	if frappe.db.exists("Support Site Health", name):
		frappe.db.set_value("Support Site Health", name, values, update_modified=False)
		return
	doc = frappe.get_doc(
		{
			"doctype": "Support Site Health",
			"site": site,
			"customer": frappe.get_cached_value("Support Site", site, "customer"),
			"day": getdate(now),
			**values,
		}
	)
	frappe.db.savepoint("site_health")
	try:
		doc.insert(ignore_permissions=True)
	except frappe.DuplicateEntryError:  # the same site's report, at the same time
		frappe.db.rollback(save_point="site_health")
		frappe.db.set_value("Support Site Health", name, values, update_modified=False)


def limits() -> Thresholds:
	settings = get_settings()
	return Thresholds(
		flt(settings.health_db_growth_mb),
		flt(settings.health_errors_per_day),
		flt(settings.health_pending_jobs),
	)


def db_month_ago(site: str) -> float | None:
	"""The database size of the site's oldest day in the last 30 days (None before a second day)."""
	rows = frappe.get_all(
		"Support Site Health",
		filters={"site": site, "day": (">=", add_days(getdate(), -30)), "db_size_mb": ("is", "set")},
		fields=["day", "db_size_mb"],
		order_by="day asc",
		limit=1,
	)
	return rows[0].db_size_mb if rows and rows[0].day < getdate() else None


def alert_keys(value: str | None) -> list[str]:
	"""The thresholds a site is over, as Over Thresholds keeps them ("db_growth_mb,pending_jobs")."""
	return [key for key in (value or "").split(",") if key]


def check_thresholds(site: str, kept: dict) -> None:
	over = crossed(kept, db_month_ago(site), limits())
	before = frappe.db.get_value("Support Site", site, "health_alerts")
	now = ",".join(sorted(over))
	if now == (before or ""):
		return
	table = frappe.qb.DocType("Support Site")
	unchanged = table.health_alerts.isnull() if not before else table.health_alerts == before
	if not claimed(
		frappe.qb.update(table).set(table.health_alerts, now or None).where((table.name == site) & unchanged)
	):
		return  # another report of the site moved it first
	new = set(over) - set(alert_keys(before))  # told once a crossing: what was not over before
	if new:
		suggest_issue(site, {key: over[key] for key in sorted(new)})


def suggest_issue(site: str, over: dict) -> None:
	"""Tell the site's engineer and the Support Managers, with a link that opens a Scaling issue."""
	doc = frappe.get_cached_doc("Support Site", site)
	staff = sorted({*enabled_managers(), *([doc.engineer] if doc.engineer else [])})
	if not staff:
		return
	reasons = [words(key).format(figure, limit) for key, (figure, limit) in over.items()]
	subject = _("Site {0} may need scaling: {1}").format(site, "; ".join(reasons))
	link = get_url(
		"/app/support-issue/new?"
		+ urlencode({"site": site, "category": "Scaling", "topic": "Bottleneck Identification"})
	)
	send(
		doc,
		customer=False,
		recipients=staff,
		subject=subject,
		template="support_site_health",
		args={"site": site, "customer": doc.customer, "reasons": reasons, "link": link},
	)
	alert_desk(doc, subject, staff)


def latest(site: str) -> dict:
	row = frappe.get_all(
		"Support Site Health", filters={"site": site}, fields=["snapshot"], order_by="day desc", limit=1
	)
	return json.loads(row[0].snapshot) if row and row[0].snapshot else {}


@frappe.whitelist()
def site_health(site: str) -> dict:
	"""The form's health: the latest snapshot and the last 12 months' trend (staff only)."""
	doc = staff_doc("Support Site", site)
	days = frappe.get_all(
		"Support Site Health",
		filters={"site": site, "day": (">=", add_days(getdate(), -366))},
		fields=["day", "db_size_mb", "errors_24h"],
		order_by="day asc",
		limit_page_length=0,
	)
	return {
		"reported_on": doc.health_reported_on,
		"over": alert_keys(doc.health_alerts),
		"latest": latest(site),
		"trend": monthly_trend([(getdate(d.day), d.db_size_mb, d.errors_24h) for d in days]),
	}


def attach_snapshot(issue: str, raw) -> str | None:
	"""The snapshot sent with a raised issue, kept as a private JSON file on it; its name."""
	kept = clean(raw)
	if not kept:
		return None
	return attach_private(
		"Support Issue", issue, "site-health.json", json.dumps(kept, indent=1, sort_keys=True)
	).name


def purge_old_health() -> None:
	"""Daily job: health rows older than the retention period go."""
	days = cint(get_settings().health_retention_days)
	if days > 0:
		frappe.db.delete("Support Site Health", {"day": ("<", add_days(getdate(), -days))})
