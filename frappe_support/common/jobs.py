"""What every scheduled job here shares: one record at a time, each in its own savepoint, so a record that
fails is rolled back and logged to Error Log with its traceback while the others proceed."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import frappe

from frappe_support.common.claims import claimed
from frappe_support.common.settings import numbers_in


def isolated(doctype: str, name: str, step: Callable[[], int], title: str, commit: bool) -> int | None:
	"""Run `step` for one record; returns its result, or None when it raised (rolled back and logged).

	`title` is a translated message with {0} for the record's name. The scheduler commits after each
	record; a caller inside its own transaction passes commit=False.
	"""
	frappe.db.savepoint("support_job_record")
	try:
		result = step()
	except Exception:
		undo_record()
		frappe.log_error(title=title.format(name), reference_doctype=doctype, reference_name=name)
		result = None
	if commit:
		frappe.db.commit()
	return result


def undo_record() -> None:
	"""Back to before the failed record. A deadlock has already rolled the whole transaction back (the
	savepoint is gone with it), and a lost connection has taken it away: then roll back, or connect anew,
	so the next record still runs. With the scheduler's commit after each record, nothing else is lost."""
	try:
		frappe.db.rollback(save_point="support_job_record")
		return
	except Exception:
		pass
	try:
		frappe.db.rollback()
	except Exception:
		frappe.db.connect()


def run_each(
	doctype: str, names: Iterable[str], step: Callable[[str], int], title: str, commit: bool
) -> tuple[int, list[str]]:
	"""`step(name)` for each record, isolated; returns the sum of the results and the names that failed."""
	total, failed = 0, []
	for name in names:
		result = isolated(doctype, name, lambda name=name: step(name), title, commit)
		if result is None:
			failed.append(name)
		else:
			total += result
	return total, failed


def claim_numbers(doctype: str, name: str, field: str, current: str | None, add: set[int]) -> bool:
	"""Record `add` in a comma-separated field ("30,7") if the field still reads `current`: a conditional
	UPDATE, so of several jobs at once exactly one takes each reminder."""
	table = frappe.qb.DocType(doctype)
	updated = ",".join(str(n) for n in sorted(numbers_in(current) | add, reverse=True))
	unchanged = table[field].isnull() if not current else (table[field] == current)
	return claimed(frappe.qb.update(table).set(table[field], updated).where((table.name == name) & unchanged))
