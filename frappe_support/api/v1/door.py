"""The one door customers come through: who may call, how often, which records they reach, what they
may send, and the audit of what they reached.

Customer users have no DocType permission on the app's records (see `frappe_support.permissions`), so
every method reads and writes with `ignore_permissions` after `own()` has checked that the record belongs
to one of the caller's customers. Ownership never comes from the request: a method takes names, and the
customer, contract and site of what it makes are read from the records those names point at.
"""

from __future__ import annotations

import functools
import inspect
import json
from datetime import datetime

import frappe
from frappe import _
from frappe.utils import cint, get_datetime, now_datetime

from frappe_support.common.dates import to_aware, to_stored
from frappe_support.common.fields import parsed  # noqa: F401 (the endpoints import it from here)
from frappe_support.common.sanitize import plain_text, rich_text
from frappe_support.permissions import customers_of, is_customer_user

API_VERSION = 1
READS_PER_MINUTE = 120
WRITES_PER_MINUTE = 30
MAX_SUBJECT = 140
MAX_TEXT = 65_000
MAX_KEY = 140


# -- the guard every method passes --------------------------------------------------------------------
def customer_method(write: bool = False):
	"""The guard of a customer API method: customer users only, one rate budget per user, every success
	audited. Stacked under `@frappe.whitelist(methods=...)`, so a grep for the decorator finds every
	endpoint (POST only for a write: the tests check each method's guard and HTTP methods)."""

	def decorate(fn):
		signature = inspect.signature(fn)

		@functools.wraps(fn)
		def wrapper(*args, **kwargs):
			require_customer()
			spend(write)
			check_arguments(signature, args, kwargs)
			result = fn(*args, **kwargs)
			audit(fn.__name__, kwargs)
			return result

		wrapper.customer_method = {"write": write}
		return wrapper

	return decorate


def check_arguments(signature: inspect.Signature, args: tuple, kwargs: dict) -> None:
	"""A call without a required argument is the caller's mistake (417), not the server's (500)."""
	named = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
	required = [p.name for p in signature.parameters.values() if p.kind in named and p.default is p.empty]
	missing = [name for name in required[len(args) :] if name not in kwargs]
	if missing:
		frappe.throw(_("Missing {0}: this method needs {1}.").format(", ".join(missing), ", ".join(required)))


def require_customer() -> list[str]:
	if not is_customer_user() or not customers_of():
		frappe.throw(
			_(
				"The customer API is for customer users: use the login or API key of a user whose Contact links to a customer."
			),
			frappe.PermissionError,
		)
	return customers_of()


class Budget:
	"""Stands in for Frappe's request rate limiter once a caller is over budget, so the 429 response
	carries Retry-After (Frappe adds the limiter's headers to every response)."""

	def __init__(self, retry_after: int, previous=None):
		self.retry_after, self.previous, self.rejected = retry_after, previous, True

	def headers(self) -> dict:
		headers = self.previous.headers() if self.previous else {}
		return {**headers, "Retry-After": str(self.retry_after)}

	def update(self) -> None:
		if self.previous:
			self.previous.update()

	def respond(self):
		from werkzeug.wrappers import Response

		return Response(
			json.dumps(
				{"exc_type": "RateLimitExceededError", "message": frappe.local.support_budget_message}
			),
			status=429,
			content_type="application/json",
		)


def spend(write: bool) -> None:
	"""One budget per user for all customer methods (reads and writes counted apart), per minute."""
	if not getattr(frappe.local, "request", None):
		return  # called in-process (a job or a test), not over HTTP
	per_minute = WRITES_PER_MINUTE if write else READS_PER_MINUTE
	now = now_datetime().timestamp()
	window = int(now // 60)
	key = frappe.cache.make_key(
		f"frappe_support:customer-api:{'writes' if write else 'reads'}:{frappe.session.user}:{window}"
	)
	count = frappe.cache.incrby(key, 1)  # make_key: the key carries the site's prefix
	if count == 1:
		frappe.cache.expire(key, 120)
	if count <= per_minute:
		return
	message = _("Too many calls: at most {0} {1} a minute. Try again in {2} seconds.").format(
		per_minute, _("writes") if write else _("reads"), 60 - int(now) % 60
	)
	frappe.local.support_budget_message = message
	frappe.local.rate_limiter = Budget(60 - int(now) % 60, getattr(frappe.local, "rate_limiter", None))
	frappe.throw(message, frappe.RateLimitExceededError)


def audit(method: str, kwargs: dict) -> None:
	"""An Access Log row per call that succeeded: who reached which record through which method."""
	from frappe.core.doctype.access_log.access_log import make_access_log

	reached = next((str(kwargs[k]) for k in ("name", "issue", "site", "contract") if kwargs.get(k)), None)
	make_access_log(method="frappe_support.api.v1." + method, document=reached)


# -- records --------------------------------------------------------------------------------------------
def own(doctype: str, name: str | None, for_update: bool = False):
	"""The record, if one of the caller's customers owns it (403 otherwise, 404 when there is none);
	`for_update` locks it for a change, so no sweep marks it between the read and the save."""
	if not name or not isinstance(name, str) or not frappe.db.exists(doctype, name):
		frappe.throw(_("{0} {1} not found").format(_(doctype), name), frappe.DoesNotExistError)
	customer = frappe.db.get_value(doctype, name, "customer")
	if customer not in customers_of():
		frappe.throw(
			_("{0} {1} is not one of your records.").format(_(doctype), name), frappe.PermissionError
		)
	return frappe.get_doc(doctype, name, for_update=for_update)


def mine() -> dict:
	"""The filter that keeps a query to the caller's customers."""
	return {"customer": ("in", customers_of())}


def page(start, page_length) -> dict:
	return {"start": max(cint(start), 0), "page_length": min(max(cint(page_length) or 20, 1), 100)}


# -- what customers send --------------------------------------------------------------------------------
def required_text(value, label: str, max_length: int = MAX_TEXT) -> str:
	value = optional_text(value, label, max_length)
	if not value or not plain_text(value).strip():
		frappe.throw(_("{0} is empty: write it.").format(label))
	return value


def optional_text(value, label: str, max_length: int = MAX_TEXT) -> str | None:
	if value is None:
		return None
	if not isinstance(value, str):
		frappe.throw(_("{0} must be text.").format(label))
	if len(value) > max_length:
		frappe.throw(
			_("{0} is too long: at most {1} characters, this has {2}.").format(label, max_length, len(value))
		)
	return rich_text(value)


def one_line(value, label: str, max_length: int = MAX_SUBJECT, required: bool = True) -> str | None:
	if value is not None and not isinstance(value, str):
		frappe.throw(_("{0} must be text.").format(label))
	if value and len(value) > max_length:
		frappe.throw(
			_("{0} is too long: at most {1} characters, this has {2}.").format(label, max_length, len(value))
		)
	text = plain_text(value)
	if required and not text:
		frappe.throw(_("{0} is empty: write it.").format(label))
	return text or None


def choice(value, label: str, allowed: tuple[str, ...], default: str | None = None) -> str:
	value = value or default
	if value not in allowed:
		frappe.throw(_("{0} must be one of {1}, not {2}.").format(label, ", ".join(allowed), value))
	return value


def clean_key(key) -> str | None:
	if key is not None and not isinstance(key, str):
		frappe.throw(_("The idempotency key must be text."))
	key = (key or "").strip()
	if len(key) > MAX_KEY:
		frappe.throw(_("The idempotency key is too long: at most {0} characters.").format(MAX_KEY))
	return key or None


def moment(value, label: str) -> datetime:
	"""A datetime the caller sent (ISO 8601, with or without an offset) as this site stores it."""
	try:
		parsed = get_datetime(value) if isinstance(value, str) and value.strip() else None
	except Exception:
		parsed = None
	if not parsed:
		frappe.throw(
			_("{0} is not a date and time: send ISO 8601, e.g. {1}.").format(
				label, "2027-03-02T10:00:00+01:00"
			)
		)
	return to_stored(parsed) if parsed.tzinfo else parsed


def aware(row: dict) -> dict:
	"""Datetimes as ISO 8601 with the provider's offset: the caller shows them in its users' zones."""
	return {k: to_aware(v).isoformat() if isinstance(v, datetime) else v for k, v in row.items()}
