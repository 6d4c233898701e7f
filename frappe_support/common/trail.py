"""What deleting records leaves behind, removed with them: for the demo's removal and the tests' cleanup."""

from __future__ import annotations

import frappe


def delete_trail(deleted: list[tuple[str, str]], since: str, series_before: set[str] | None = None) -> None:
	"""Remove what deleting these (doctype, name) records leaves behind: their Deleted Document archive
	rows, Versions, Comments, and the "Deleted" feed comment Frappe adds for each (matched by its exact
	subject and time, so nobody else's rows go). With `series_before` (the naming series that existed
	before), a series the records started and their deletion (newest first) took back to 0 goes too."""
	names = [name for _doctype, name in deleted if name]
	if not names:
		return
	if series_before is not None:
		started = {
			name.rstrip("0123456789")
			for doctype, name in deleted
			if name and (frappe.get_meta(doctype).autoname or "").startswith("naming_series:")
		} - series_before
		if started:
			frappe.db.delete("Series", {"name": ("in", list(started)), "current": 0})
	frappe.db.delete("Deleted Document", {"deleted_name": ("in", names)})
	frappe.db.delete("Version", {"docname": ("in", names)})
	frappe.db.delete("Comment", {"reference_name": ("in", names)})
	frappe.db.delete(
		"Comment",
		{
			"comment_type": "Deleted",
			"creation": (">=", since),
			"subject": ("in", [f"{doctype} {name}" for doctype, name in deleted if name]),
		},
	)
