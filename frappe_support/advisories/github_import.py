"""Import of GitHub repository advisories (the REST API's JSON: a list, or one object).

From an uploaded file, or from the API (`GET /repos/{owner}/{repo}/security-advisories`, paginated by
its Link header) for the repositories and token in Frappe Support Settings. Every advisory is read and
checked before anything is saved: one bad advisory or one failed page and nothing is imported. An
advisory is matched by its GHSA id, so importing again updates it (a revised range is a new revision,
matched again) instead of adding a copy.
"""

from __future__ import annotations

import json
from datetime import datetime

import frappe
import requests
from frappe import _
from frappe.utils import flt

from frappe_support.advisories.versions import parse_range
from frappe_support.common.dates import to_stored

SEVERITY = {"low": "Low", "moderate": "Medium", "medium": "Medium", "high": "High", "critical": "Critical"}
TIMEOUT = (5, 30)
FIELDS = (
	"title",
	"cve_id",
	"severity",
	"cvss_score",
	"cvss_vector",
	"description",
	"reference_url",
	"cwe_ids",
	"published_on",
	"source_modified_on",
)


def when(value: str | None):
	if not value:
		return None
	return to_stored(datetime.fromisoformat(value.replace("Z", "+00:00")))


def cvss(item: dict) -> tuple[float | None, str | None]:
	for entry in ((item.get("cvss_severities") or {}).get("cvss_v3"), item.get("cvss")):
		if isinstance(entry, dict) and entry.get("score") is not None:
			return flt(entry.get("score")), entry.get("vector_string")
	return None, None


def read_advisory(item, position: int) -> tuple[dict | None, list[str]]:
	"""(the advisory's values, errors): every problem of one advisory, in words."""
	if not isinstance(item, dict):
		return None, [_("Advisory {0}: not a JSON object.").format(position)]
	label = item.get("ghsa_id") or _("number {0}").format(position)
	errors = []
	if not isinstance(item.get("ghsa_id"), str) or not item["ghsa_id"].startswith("GHSA-"):
		errors.append(_("Advisory {0}: it has no GHSA id.").format(label))
	if not (item.get("summary") or "").strip():
		errors.append(_("Advisory {0}: it has no summary.").format(label))
	ranges = _read_ranges(item.get("vulnerabilities"), label, errors)
	if errors:
		return None, errors
	return {**_advisory_values(item), "ranges": ranges}, []


def _read_ranges(vulnerabilities, label: str, errors: list[str]) -> list[dict]:
	"""The advisory's readable ranges per package; a problem with any of them goes into `errors`."""
	if not isinstance(vulnerabilities, list) or not vulnerabilities:
		errors.append(_("Advisory {0}: it lists no vulnerable packages.").format(label))
		return []
	ranges = []
	for vulnerability in vulnerabilities:
		package = ((vulnerability or {}).get("package") or {}).get("name")
		text = (vulnerability or {}).get("vulnerable_version_range")
		parsed = parse_range(text)
		if not package or not parsed.readable:
			errors.append(
				_("Advisory {0}: the range {1} of {2} cannot be read ({3}).").format(
					label, text, package or _("an unnamed package"), parsed.error or _("no package name")
				)
			)
			continue
		ranges.append(
			{
				"app_name": package.strip().lower(),
				"vulnerable_range": text.strip(),
				"patched_version": (vulnerability.get("patched_versions") or "").strip() or None,
			}
		)
	return ranges


def _advisory_values(item: dict) -> dict:
	score, vector = cvss(item)
	withdrawn = item.get("state") == "withdrawn" or bool(item.get("withdrawn_at"))
	published = item.get("state", "published") == "published"
	return {
		"ghsa_id": item["ghsa_id"],
		"title": item["summary"].strip()[:140],
		"cve_id": item.get("cve_id"),
		"severity": SEVERITY.get((item.get("severity") or "").lower(), "Medium"),
		"cvss_score": score,
		"cvss_vector": vector,
		"description": item.get("description"),
		"reference_url": item.get("html_url"),
		"cwe_ids": ", ".join(item.get("cwe_ids") or []) or None,
		"published_on": when(item.get("published_at")),
		"source_modified_on": when(item.get("updated_at")),
		"withdrawn_on": when(item.get("withdrawn_at")),
		"state": "Withdrawn" if withdrawn else "Published" if published else "Draft",
	}


def import_advisories(payload) -> dict[str, int]:
	"""Import a list of advisories (or one); all or nothing."""
	items = payload if isinstance(payload, list) else [payload]
	read, errors = [], []
	for position, item in enumerate(items, start=1):
		values, problems = read_advisory(item, position)
		errors += problems
		if values:
			read.append(values)
	if errors:
		frappe.throw("<br>".join(errors), title=_("Nothing was imported"))
	counts = {"created": 0, "updated": 0, "unchanged": 0}
	for values in read:
		counts[save_advisory(values)] += 1
	return counts


def signature(doc) -> tuple:
	return (
		tuple(str(doc.get(f) or "") for f in FIELDS),
		tuple(doc.range_signature()),
	)


def save_advisory(values: dict) -> str:
	name = frappe.db.get_value("Security Advisory", {"ghsa_id": values["ghsa_id"]})
	doc = frappe.get_doc("Security Advisory", name) if name else frappe.new_doc("Security Advisory")
	before = signature(doc) if name else None
	doc.update({f: values[f] for f in FIELDS})
	doc.ghsa_id = values["ghsa_id"]
	doc.source = "GitHub"
	doc.set("ranges", values["ranges"])
	state = values["state"]
	changed = before != signature(doc)
	if not name:
		doc.insert()
	elif changed:
		doc.save()
	if state == "Published" and doc.status != "Published":
		doc.publish()
		changed = True
	elif state == "Withdrawn" and doc.status == "Published":
		doc.withdraw()
		changed = True
	elif state == "Withdrawn" and doc.status == "Draft":
		doc.db_set({"status": "Withdrawn", "withdrawn_on": values["withdrawn_on"]})
	if not name:
		return "created"
	return "updated" if changed else "unchanged"


@frappe.whitelist()
def import_file(file_url: str) -> dict[str, int]:
	"""Import the advisories of an uploaded JSON file."""
	frappe.has_permission("Security Advisory", "create", throw=True)
	file = frappe.get_doc("File", {"file_url": file_url})
	try:
		payload = json.loads(file.get_content())
	except (ValueError, TypeError) as e:
		frappe.throw(
			_("{0} is not JSON: {1}. Upload the file GitHub's security-advisories API returns.").format(
				file.file_name, e
			),
			title=_("Nothing was imported"),
		)
	return import_advisories(payload)


@frappe.whitelist()
def fetch_from_github() -> dict[str, int]:
	"""Import the advisories of the settings' repositories from GitHub's API."""
	frappe.has_permission("Security Advisory", "create", throw=True)
	settings = frappe.get_single("Frappe Support Settings")
	repos = [r.strip() for r in (settings.advisory_repositories or "").splitlines() if r.strip()]
	if not repos:
		frappe.throw(
			_("List the repositories to read (owner/name, one per line) in Frappe Support Settings.")
		)
	token = settings.get_password("github_token", raise_exception=False)
	items = []
	for repo in repos:
		items += fetch_repository(settings.github_api_url or "https://api.github.com", repo, token)
	return import_advisories(items)


def fetch_repository(api: str, repo: str, token: str | None) -> list:
	headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
	if token:
		headers["Authorization"] = f"Bearer {token}"
	url, items, pages = f"{api.rstrip('/')}/repos/{repo}/security-advisories?per_page=100", [], 0
	while url and pages < 50:
		try:
			response = requests.get(url, headers=headers, timeout=TIMEOUT)
		except requests.RequestException as e:
			frappe.throw(
				_("Could not reach GitHub for {0}: {1}. Nothing was imported.").format(
					repo, type(e).__name__
				),
				title=_("Nothing was imported"),
			)
		if response.status_code != 200:
			try:
				message = response.json().get("message")
			except ValueError:
				message = response.text[:200]
			frappe.throw(
				_("GitHub answered HTTP {0} for {1}: {2}. Nothing was imported.").format(
					response.status_code, repo, message
				),
				title=_("Nothing was imported"),
			)
		page = response.json()
		items += page if isinstance(page, list) else [page]
		url = response.links.get("next", {}).get("url")
		pages += 1
	return items
