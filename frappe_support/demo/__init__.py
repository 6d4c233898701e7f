"""Demo data: `bench --site S frappe-support demo` builds a believable provider in one go, through the app's
own code paths and the real clock (issues raised hours or days ago get their deadlines, states and SLA
logs from the engine and the SLA sweep; advisories are imported from GitHub's format, published and
matched; upgrades are booked in free windows, then completed or failed). `... demo --remove` takes
exactly that away again, with the mail, logs and history it caused.

What the demo made is listed in a global default (`REGISTRY`); a second run finds it and adds nothing."""

from __future__ import annotations

import json

import frappe
from frappe import _

from frappe_support.demo import build

REGISTRY = "frappe_support_demo"


def made() -> dict | None:
	value = frappe.db.get_global(REGISTRY)
	return json.loads(value) if value else None


def make() -> dict:
	"""Build the demo once; returns what it made (or found made)."""
	if made():
		return {"made": False, **summary(made())}
	record = build.Record()
	build.build(record)
	frappe.db.set_global(REGISTRY, json.dumps(record.as_dict()))
	frappe.db.commit()
	return {"made": True, **summary(made())}


def remove() -> dict:
	"""Delete what the demo made, newest first, and what it left behind; nothing else."""
	record = made()
	if not record:
		return {"removed": False}
	build.remove(build.Record.from_dict(record))
	frappe.db.delete("DefaultValue", {"parent": "__global", "defkey": REGISTRY})
	frappe.clear_cache()
	frappe.db.commit()
	return {"removed": True, **summary(record)}


def summary(record: dict) -> dict:
	counts: dict[str, int] = {}
	for doctype, _name in record["records"]:
		counts[doctype] = counts.get(doctype, 0) + 1
	return {"records": counts}


def describe(result: dict) -> str:
	counts = ", ".join(f"{n} {_(d)}" for d, n in sorted(result.get("records", {}).items()))
	if result.get("removed") is False:
		return _("No demo data on this site.")
	if "removed" in result:
		return _("Demo data removed: {0}.").format(counts)
	if result["made"]:
		return _("Demo data made: {0}.").format(counts)
	return _("Demo data is already on this site ({0}): nothing added.").format(counts)
