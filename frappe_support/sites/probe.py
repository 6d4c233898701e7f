"""The site probe: reads a customer site's app versions and health over HTTP(S), with its API key.

`/api/method/frappe.utils.change_log.get_versions` gives the versions, `/api/method/ping` the health.
Every failure (refused connection, timeout, TLS, 401, a reply that is not the expected JSON) is written to
the site's Last Probe Result and leaves its stored versions exactly as they were.
"""

from __future__ import annotations

import re

import frappe
import requests
from frappe import _
from frappe.utils import now_datetime

from frappe_support.common.jobs import run_each

TIMEOUT = (5, 20)  # connect, read: seconds
VERSIONS = "/api/method/frappe.utils.change_log.get_versions"
PING = "/api/method/ping"


class ProbeError(Exception):
	pass


def probe_site(name: str) -> bool:
	"""Probe one Support Site; returns whether its versions were read."""
	site = frappe.get_doc("Support Site", name)
	base = (site.site_url or "").rstrip("/")
	now = now_datetime()
	health = ping(base)
	try:
		versions = read_versions(base, site)
	except ProbeError as e:
		site.db_set({"probed_on": now, "probe_status": str(e), "health": health}, notify=True)
		return False
	apply_versions(site, versions)
	site.health = health
	site.probed_on = now
	site.probe_status = _("Read {0} apps.").format(len(versions))
	site.versions_source = "Probe"
	site.versions_reported_on = now
	site.flags.versions_source = site.flags.versions_reported_on = True
	site.flags.ignore_permissions = True
	site.save()
	return True


def ping(base: str) -> str:
	try:
		response = requests.get(base + PING, timeout=TIMEOUT)
	except requests.RequestException:
		return "Down"
	try:
		return "Healthy" if response.ok and response.json().get("message") == "pong" else "Degraded"
	except ValueError:
		return "Degraded"


def read_versions(base: str, site) -> dict[str, dict]:
	key = site.api_key
	secret = site.get_password("api_secret", raise_exception=False) if key else None
	if not key or not secret:
		raise ProbeError(_("No API key and secret on this site: versions were not probed."))
	try:
		response = requests.get(
			base + VERSIONS,
			headers={"Authorization": f"token {key}:{secret}", "Accept": "application/json"},
			timeout=TIMEOUT,
		)
	except requests.RequestException as e:
		raise ProbeError(_("Could not reach {0}: {1}").format(base, type(e).__name__)) from e
	if response.status_code in (401, 403):
		raise ProbeError(
			_("{0} refused the API key (HTTP {1}): check the key and secret, and the user's roles.").format(
				base, response.status_code
			)
		)
	if not response.ok:
		raise ProbeError(_("{0} answered HTTP {1}.").format(base, response.status_code))
	try:
		message = response.json().get("message")
	except (ValueError, AttributeError) as e:
		raise ProbeError(_("{0} did not answer with JSON.").format(base)) from e
	if not isinstance(message, dict) or not all(isinstance(v, dict) for v in message.values()):
		raise ProbeError(_("{0} answered, but not with app versions.").format(base))
	return message


COMMIT = re.compile(r"\(([0-9a-f]{6,40})\)")


def apply_versions(site, versions: dict[str, dict]) -> None:
	"""Rows for the reported apps (others are kept: they may come from another source)."""
	rows = {row.app_name: row for row in site.apps}
	for app, info in sorted(versions.items()):
		row = rows.get(app) or site.append("apps", {"app_name": app})
		row.version = str(info.get("version") or "")
		row.branch = str(info.get("branch") or "") or None
		commit = COMMIT.search(str(info.get("branch_version") or ""))
		row.commit = commit.group(1) if commit else row.commit


def probe_all_sites() -> int:
	"""Daily job: queue the probes of every site with an API key, 50 sites per job."""
	names = frappe.get_all("Support Site", filters={"api_key": ("is", "set")}, pluck="name", order_by="name")
	for start in range(0, len(names), 50):
		chunk = names[start : start + 50]
		frappe.enqueue(
			"frappe_support.sites.probe.probe_sites",
			queue="long",
			job_id=f"frappe_support:probe:{chunk[0]}",
			deduplicate=True,
			names=chunk,
		)
	return len(names)


def probe_sites(names: list[str]) -> int:
	done, _failed = run_each(
		"Support Site", names, probe_site, _("Site probe failed for Support Site {0}"), commit=True
	)
	return done
