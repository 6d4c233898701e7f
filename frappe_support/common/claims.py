"""Claims: a conditional UPDATE whose WHERE holds only while the thing is still free (not yet told, not yet
marked, not yet sent today), so of any number of runs at once exactly one wins it, in its own transaction:
a rollback gives the claim back."""

from __future__ import annotations

import frappe


def claimed(update) -> bool:
	"""Run a `frappe.qb` UPDATE of one record (or one Singles value); true when this run changed it."""
	return changed(update) > 0


def changed(update) -> int:
	"""Run a `frappe.qb` UPDATE; how many rows it changed (a claim of many takes exactly that many)."""
	update.run()
	return frappe.db._cursor.rowcount
