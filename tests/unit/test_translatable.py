"""Every label and message the app shows goes through Frappe's translation: `__()` in the desk's JavaScript,
`_()` in Python, `{{ _("...") }}` in Jinja templates. This reads the source, no Frappe needed.

DocType, report and workspace labels in JSON are translated by Frappe itself; what is checked here is the
text the app's own code puts on screen or in mail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "frappe_support"
JS_FILES = sorted(p for p in APP.rglob("*.js") if "node_modules" not in p.parts)
PY_FILES = sorted(p for p in APP.rglob("*.py") if "patches" not in p.parts)
TEMPLATES = sorted(APP.rglob("*.html"))

# A string literal that reads as words: it starts with a capital letter or holds a space between words
# (not a field name like "site", nor markup like "<br>").
WORDS = r"""(?:[A-Z][^"'`]*|[^"'`]*[A-Za-z]{2,} [A-Za-z]{2,}[^"'`]*)"""
STRING = rf"""(?:"{WORDS}"|'{WORDS}'|`{WORDS}`)"""
PY_STRING = rf"""(?:"{WORDS}"|'{WORDS}')"""
# A call or property whose argument is shown to the user, given a bare string instead of __("...").
JS_SHOWN = re.compile(
	r"""(?:add_custom_button|msgprint|frappe\.throw|frappe\.confirm|show_alert|set_headline_alert|"""
	r"""frappe\.prompt|set_title|add_menu_item|add_inner_button|page\.set_primary_action)\s*\(\s*"""
	+ STRING
	+ r"""|\b(?:label|title|description|primary_action_label)\s*:\s*"""
	+ STRING
)
PY_SHOWN = re.compile(
	r"""(?:frappe\.throw|frappe\.msgprint|msgprint)\(\s*f?"""
	+ PY_STRING
	+ r"""|["'](?:label|title|subject)["']\s*:\s*f?["'][A-Z]"""
)
PY_F_STRING_IN_UNDERSCORE = re.compile(r"""\b_\(\s*f["']""")
JS_TEMPLATE_IN_UNDERSCORE = re.compile(r"""__\(\s*`[^`]*\$\{""")


def rel(path: Path) -> str:
	return str(path.relative_to(APP.parent))


def offending(pattern: re.Pattern, text: str) -> list[str]:
	out = []
	for number, line in enumerate(text.splitlines(), 1):
		if line.lstrip().startswith(("//", "#", "*")):
			continue
		for match in pattern.finditer(line):
			out.append(f"{number}: {match.group(0)}")
	return out


@pytest.mark.parametrize("path", JS_FILES, ids=rel)
def test_javascript_shows_only_translated_text(path):
	text = path.read_text()
	assert offending(JS_SHOWN, text) == []
	assert offending(JS_TEMPLATE_IN_UNDERSCORE, text) == []  # __() needs a literal to be extracted


@pytest.mark.parametrize("path", PY_FILES, ids=rel)
def test_python_shows_only_translated_text(path):
	text = path.read_text()
	if path.name == "hooks.py":  # titles Frappe translates where it shows them: data here
		# the portal sidebar shows _(item.title); the apps screen _(app_detail.get("title"))
		text = re.sub(r"(portal_menu_items|add_to_apps_screen) = \[.*?\n\]", "", text, flags=re.S)
	assert offending(PY_SHOWN, text) == []
	assert offending(PY_F_STRING_IN_UNDERSCORE, text) == []


@pytest.mark.parametrize("path", TEMPLATES, ids=rel)
def test_templates_have_no_bare_words(path):
	text = path.read_text()
	text = re.sub(r"<style.*?</style>", " ", text, flags=re.S)
	text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", text, flags=re.S)
	text = re.sub(r"<[^>]*>", " ", text)
	text = re.sub(r"&#?\w+;", " ", text)  # entities such as &mdash;
	words = re.findall(r"[A-Za-z]{2,}", text)
	assert words == [], f"text outside _(): {words[:10]}"


@pytest.mark.parametrize(
	"source, language, bad",
	[
		('frm.add_custom_button("Renew", () => {})', "js", True),
		('frm.add_custom_button(__("Renew"), () => {})', "js", False),
		('{ fieldname: "month", label: "Month" }', "js", True),
		("__(`Due in ${left}`)", "js", True),
		('frappe.throw("Contract is not active")', "py", True),
		('frappe.throw(_("Contract {0} is not active").format(name))', "py", False),
		('_(f"Contract {name}")', "py", True),
		('{"label": "Month", "fieldname": "month"}', "py", True),
	],
)
def test_the_checks_catch_bare_text(source, language, bad):
	patterns = (
		(JS_SHOWN, JS_TEMPLATE_IN_UNDERSCORE) if language == "js" else (PY_SHOWN, PY_F_STRING_IN_UNDERSCORE)
	)
	assert any(offending(p, source) for p in patterns) == bad
