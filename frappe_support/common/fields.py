"""Values of the wrong shape in a record's fields, refused with a message before Frappe reads them.

Frappe checks a Link by querying its value, so a list or an object there (easy to send through REST)
turns into SQL and a 500; a date that is no date fails deep in the conversion; `true` or a number in a text
field fails in the first hook that treats it as text. Frappe checks links before
any hook of an insert runs, so the app's DocTypes check shapes in front of that check (`ShapeChecked`), for
the record and each of its child rows."""

from __future__ import annotations

import json

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate

TABLES = frozenset({"Table", "Table MultiSelect"})
TEXTS = frozenset(
	{
		"Autocomplete",
		"Code",
		"Data",
		"Dynamic Link",
		"HTML Editor",
		"Link",
		"Long Text",
		"Markdown Editor",
		"Phone",
		"Select",
		"Small Text",
		"Text",
		"Text Editor",
	}
)
DATES = {"Date": getdate, "Datetime": get_datetime}


def refuse_wrong_shapes(doc) -> None:
	for row in (doc, *doc.get_all_children()):
		for df in row.meta.fields:
			if df.fieldtype not in TABLES:
				check_value(row, df)


def check_value(row, df) -> None:
	value = row.get(df.fieldname)
	if value is None or value == "":
		return
	label = _(df.label or df.fieldname)
	if isinstance(value, dict | list | tuple | set):
		frappe.throw(
			_("{0} must be a single value, not a list or an object.").format(label),
			title=_("Invalid value"),
		)
	if df.fieldtype in TEXTS and not isinstance(value, str):
		frappe.throw(
			_("{0} must be text, not {1}.").format(label, frappe.as_json(value)),
			title=_("Invalid value"),
		)
	convert = DATES.get(df.fieldtype)
	if convert and isinstance(value, str):
		try:
			convert(value)
		except Exception:
			frappe.throw(
				_("{0} is not a date: write it as {1}.").format(
					label,
					"2027-03-02" if df.fieldtype == "Date" else "2027-03-02 10:00:00",
				),
				title=_("Invalid value"),
			)


class ShapeChecked:
	"""Mixed into the app's DocType controllers, before Document."""

	def _validate_links(self):
		refuse_wrong_shapes(self)
		super()._validate_links()


def parsed(value, label: str):
	"""A JSON argument of a request (a string) as data; unreadable JSON refused, saying what to send."""
	if isinstance(value, str):
		try:
			return json.loads(value)
		except ValueError:
			frappe.throw(_("{0} is not valid JSON: send a JSON object or list.").format(label))
	return value
