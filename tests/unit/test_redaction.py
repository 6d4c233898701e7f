"""Secrets planted anywhere a Frappe traceback may hold them never survive redaction; what is not secret
stays readable."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from frappe_support.connector.redaction import MARK, first_line, redact

secrets = st.text(alphabet=string.ascii_letters + string.digits + "-_.~+/", min_size=10, max_size=40).filter(
	lambda s: any(c.isdigit() for c in s) and any(c.isalpha() for c in s)
)
names = st.sampled_from(
	[
		"password",
		"db_password",
		"new_password",
		"api_secret",
		"api_key",
		"secret",
		"token",
		"sid",
		"apikey",
		"Authorization",
		"X-Frappe-CSRF-Token",
		"access_key",
		"private_key",
		"session_id",
		"pwd",
		"cookie",
	]
)
CONTEXTS = (
	"{name} = '{s}'",
	'{name} = "{s}"',
	"{name}={s}",
	"{name}: {s}",
	"'{name}': '{s}'",
	'"{name}": "{s}"',
	'{{"{name}":"{s}","user":"bob"}}',
	"('{name}', '{s}')",
	"GET /api/method/x?{name}={s}&page=2",
	"{name} = b'{s}'",
	"Authorization: token 0123456789abcd:{s}",
	"headers={{'Authorization': 'Bearer {s}'}}",
	"https://admin:{s}@erp.example.com/app",
	"redis://:{s}@127.0.0.1:6379/0",
)
contexts = st.sampled_from(CONTEXTS)
noise = st.text(alphabet=string.ascii_letters + " \n=:,()'\"", max_size=60)


@given(st.lists(st.tuples(contexts, names, secrets), min_size=1, max_size=5), noise, noise)
def test_no_planted_secret_survives(planted, before, after):
	lines = ["Traceback (most recent call last):", before]
	for context, name, secret in planted:
		lines.append('  File "apps/frappe/frappe/app.py", line 42, in application')
		lines.append("    " + context.format(name=name, s=secret))
	lines += [after, "frappe.exceptions.ValidationError: bad input"]
	text = "\n".join(lines)
	out = redact(text)
	for _context, _name, secret in planted:
		assert secret not in out, (secret, out)
	assert "Traceback (most recent call last):" in out
	assert "frappe.exceptions.ValidationError: bad input" in out
	assert MARK in out


def test_what_is_not_secret_stays():
	text = "customer = 'ACME Ltd'\nitems = 3\nfrappe.exceptions.LinkValidationError: Could not find Item X"
	assert redact(text) == text
	assert first_line(text) == "frappe.exceptions.LinkValidationError: Could not find Item X"
	assert (
		first_line("pymysql.err.OperationalError: password=hunter22x")
		== "pymysql.err.OperationalError: password=[redacted]"
	)


def test_known_credential_shapes_whatever_their_name():
	for secret in (
		"AKIAIOSFODNN7EXAMPLE",
		"ghp_" + "a1" * 18,
		"sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc",
		"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
	):
		assert secret not in redact(f"value = {secret!r} # x"), secret
	key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"
	assert "MIIEowIBAAKCAQEA" not in redact("k = '''" + key + "'''")
