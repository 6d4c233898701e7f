"""Errors of the SLA engine, kept translatable without importing Frappe.

Messages are written as `_("... {0} ...")` so Frappe's string extraction finds them; the engine itself
formats them in English, and the Frappe side re-translates `error.template` with `frappe._`.
"""

from __future__ import annotations


def _(text: str) -> str:
	"""Mark a string for translation; the engine leaves it as it is."""
	return text


class CalendarError(ValueError):
	"""A calendar, target or input the engine cannot work with. The message says how to fix it."""

	def __init__(self, template: str, *args: object):
		self.template = template
		self.args_ = args
		super().__init__(template.format(*args))

	def translated(self, translate) -> str:
		return translate(self.template).format(*self.args_)
