"""The app's bench commands: `bench --site S frappe-support doctor` and `... frappe-support demo`."""

from __future__ import annotations

import sys

import click
from frappe.commands import get_site, pass_context

from frappe_support.doctor import CHECKS


@click.group("frappe-support")
def frappe_support():
	"""Frappe Support: check a site's setup, or give it demo data."""


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


@frappe_support.command("demo")
@click.option("--remove", is_flag=True, help="Take away exactly what the demo made.")
@pass_context
def demo(context, remove):
	"""Build a believable demo provider on this site (idempotent), or remove it again."""
	import frappe

	from frappe_support import demo as demo_data

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		click.echo(demo_data.describe(demo_data.remove() if remove else demo_data.make()))
	finally:
		frappe.destroy()


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
