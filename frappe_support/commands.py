"""The app's bench commands: `bench --site S frappe-support doctor`."""

from __future__ import annotations

import sys

import click
from frappe.commands import get_site, pass_context

from frappe_support.doctor import CHECKS


@click.group("frappe-support")
def frappe_support():
	"""Frappe Support: check a site's setup."""


@frappe_support.command("doctor")
@click.option(
	"--check",
	"only",
	multiple=True,
	type=click.Choice(CHECKS),
	help="Run only this check (repeatable).",
)
@pass_context
def doctor(context, only):
	"""Report what keeps this site's support desk from keeping its promises, each with how to fix it.
	Exits 1 when anything is wrong, for monitoring."""
	import frappe

	from frappe_support.doctor import exit_code, run_checks

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		results = run_checks(list(only) or None)
		click.echo(render(site, results))
	finally:
		frappe.destroy()
	sys.exit(exit_code(results))


def render(site: str, results: list[dict]) -> str:
	from frappe import _

	lines = [_("Frappe Support doctor for {0}").format(site)]
	for result in results:
		if not result["problems"]:
			lines.append("  " + _("OK") + "       " + result["label"])
		for problem in result["problems"]:
			lines.append("  " + _("PROBLEM") + "  " + result["label"] + ": " + problem["problem"])
			lines.append("           " + _("Fix:") + " " + problem["fix"])
	found = sum(len(r["problems"]) for r in results)
	lines.append(_("{0} problem(s) found.").format(found) if found else _("No problems found."))
	return "\n".join(lines)


commands = [frappe_support]
