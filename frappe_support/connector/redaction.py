"""Secrets taken out of a traceback before it leaves the customer's site, without Frappe.

Frappe's tracebacks carry the locals of each frame and the request's headers and form, so a password, an
API key, a token or a session cookie can sit anywhere in them: as `name = value`, `name: value`, a JSON or
Python dict entry, a URL's user:password@ or its query string, an Authorization header. Every value whose
name says it is secret is replaced, and so is every credential whose shape gives it away, whatever it is
called. What is left says where a secret was ("password=[redacted]"), never what it was.
"""

from __future__ import annotations

import re

MARK = "[redacted]"

# names that say their value is secret (case-insensitive, as a whole word or part of one: db_password)
SECRET_NAMES = (
	r"[\w-]*(?:passw(?:or)?d|passwd|pwd|secret|token|api[_-]?key|apikey|private[_-]?key|access[_-]?key|"
	r"auth(?:orization)?|credential|session[_-]?id|sid|cookie|csrf|signature|otp)[\w-]*"
)

PATTERNS = (
	# an Authorization header or value: "token key:secret", "Bearer x", "Basic x"
	re.compile(r"(?i)\b(token|bearer|basic)(\s+)[A-Za-z0-9._~+/=:-]{6,}"),
	# user:password@host in a URL
	re.compile(
		r"(?i)\b([a-z][a-z0-9+.-]*://)([^\s:/@'\"]*):([^\s@'\"]+)@"
	),  # may take a port and path too: safe
	# a name, quoted or not, and a quoted value: password = 'x', 'password': 'x', "api_key": "x", ("sid", "x")
	re.compile(r"(?i)(['\"]?\b" + SECRET_NAMES + r"\b['\"]?\s*[:=,]\s*b?)(['\"])((?:\\.|(?!\2).)*)(\2)"),
	# a name and a bare value: password=x, db_password = x, Authorization: x, ?token=x&, --secret x
	re.compile(r"(?i)(\b" + SECRET_NAMES + r"\b\s*(?:=|:)\s*)([^\s,;&'\"\)\]}]+)"),
	# well-known credential shapes, whatever they are called
	re.compile(r"\b(AKIA|ASIA)[A-Z0-9]{16}\b"),  # AWS access key ids
	re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b"),  # GitHub tokens
	re.compile(r"\b(sk|pk|rk)_(live|test)_[A-Za-z0-9]{10,}\b"),  # Stripe-style keys
	re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b"),  # JWTs
	re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.S),
)


def redact(text: str) -> str:
	"""The text with every secret replaced by [redacted]."""
	if not text:
		return text or ""
	header, url, quoted, bare, *shapes = PATTERNS
	text = header.sub(lambda m: f"{m.group(1)}{m.group(2)}{MARK}", text)
	text = url.sub(lambda m: f"{m.group(1)}{MARK}:{MARK}@", text)
	text = quoted.sub(lambda m: f"{m.group(1)}{m.group(2)}{MARK}{m.group(4)}", text)
	text = bare.sub(lambda m: m.group(1) + (m.group(2) if m.group(2) == MARK else MARK), text)
	for shape in shapes:
		text = shape.sub(MARK, text)
	return text


def first_line(text: str | None, length: int = 140) -> str:
	"""The line a traceback ends with (the exception and its message), redacted, cut short."""
	lines = [line.strip() for line in (text or "").strip().splitlines() if line.strip()]
	return redact(lines[-1] if lines else "")[:length]
