"""The customer site's HTTP client of its provider's connector API (frappe_support.api.v1).

`requests` with timeouts and TLS verification always on (a custom CA bundle may be configured, never "off").
Reads are retried on a dropped connection; writes are not retried here: the outbox retries them later with
the same idempotency key. No secret ever appears in an error or a log line.
"""

from __future__ import annotations

import json
import time
from urllib.parse import urlparse

import frappe
import requests
from frappe import _

from frappe_support.common.settings import get_settings

API_PATH = "/api/method/frappe_support.api.v1."
TIMEOUT = (5, 30)  # connect, read (seconds)
READ_RETRIES = 2
LOOPBACK = ("localhost", "127.0.0.1", "::1")


class ProviderUnreachable(Exception):
	"""No answer, or the provider is down or busy (5xx, 429): try again later."""


class ProviderRefused(Exception):
	"""The provider answered and said no (4xx): retrying the same call will not help."""

	def __init__(self, status: int, message: str):
		super().__init__(
			_("The provider refused the call ({0}): {1}").format(status, message or _("no reason given"))
		)
		self.status = status


def is_customer_site() -> bool:
	return get_settings().site_mode == "Customer Site"


def check_provider_url(url: str) -> str:
	"""The provider URL, or a clear error: https, or plain http to this machine only."""
	parsed = urlparse((url or "").strip())
	if parsed.scheme not in ("http", "https") or not parsed.hostname:
		frappe.throw(_("Provider URL {0} is not a web address: use https://support.example.com.").format(url))
	if parsed.scheme == "http" and parsed.hostname not in LOOPBACK:
		frappe.throw(
			_(
				"Provider URL {0} is not encrypted: use https:// (plain http is allowed only for this machine)."
			).format(url)
		)
	return f"{parsed.scheme}://{parsed.netloc}"


class ProviderClient:
	def __init__(self):
		settings = get_settings()
		if settings.site_mode != "Customer Site":
			frappe.throw(_("This site is not in Customer Site mode: set it up in Frappe Support Settings."))
		self.base = check_provider_url(settings.provider_url)
		secret = settings.get_password("provider_api_secret", raise_exception=False)
		if not settings.provider_api_key or not secret:
			frappe.throw(_("Set the API key and secret of your provider user in Frappe Support Settings."))
		self.headers = {
			"Authorization": f"token {settings.provider_api_key}:{secret}",
			"Accept": "application/json",
		}
		self.verify = settings.ca_bundle or True
		self.site = settings.provider_site

	def get(self, method: str, **params):
		for attempt in range(READ_RETRIES + 1):
			try:
				return self.send("GET", method, params=params)
			except (ProviderUnreachable, requests.exceptions.ConnectionError, requests.exceptions.Timeout):
				if attempt == READ_RETRIES:
					raise
				time.sleep(0.5 * (attempt + 1))  # a read changes nothing: safe to ask again

	def post(self, method: str, **data):
		body = {
			k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in data.items() if v is not None
		}
		return self.send("POST", method, data=body)  # never retried here: the outbox retries with its key

	def upload(self, method: str, path: str, filename: str, **fields):
		"""A multipart POST of a file on this site's disk, streamed from it (never read whole)."""
		from requests_toolbelt import MultipartEncoder

		with open(path, "rb") as stream:
			body = MultipartEncoder(
				fields={
					**{k: str(v) for k, v in fields.items()},
					"file": (filename, stream, "application/octet-stream"),
				}
			)
			return self.send(
				"POST", method, data=body, headers={**self.headers, "Content-Type": body.content_type}
			)

	def download(self, method: str, **params) -> requests.Response:
		"""A GET whose answer is read as it is passed on (the caller iterates it and closes it)."""
		response = requests.get(
			self.base + API_PATH + method,
			params=params,
			headers=self.headers,
			timeout=TIMEOUT,
			verify=self.verify,
			stream=True,
		)
		if response.status_code != 200:
			self.answer(response)  # raises, with the provider's reason
		return response

	def send(self, verb: str, method: str, **kwargs):
		kwargs.setdefault("headers", self.headers)
		response = requests.request(
			verb, self.base + API_PATH + method, timeout=TIMEOUT, verify=self.verify, **kwargs
		)
		return self.answer(response)

	def answer(self, response: requests.Response):
		if response.status_code == 200:
			return response.json().get("message")
		message = server_message(response)
		if response.status_code == 429 or response.status_code >= 500:
			raise ProviderUnreachable(
				_("The provider answered {0}: {1}").format(response.status_code, message)
			)
		raise ProviderRefused(response.status_code, message)


def server_message(response: requests.Response) -> str:
	"""The provider's own message for a refusal, without tracebacks."""
	try:
		body = response.json()
	except ValueError:
		return response.reason or str(response.status_code)
	messages = []
	for raw in json.loads(body.get("_server_messages") or "[]"):
		try:
			messages.append(frappe.utils.strip_html(json.loads(raw).get("message") or ""))
		except (ValueError, AttributeError):
			continue
	return " ".join(m for m in messages if m) or body.get("exc_type") or response.reason or ""


def call(method: str, write: bool = False, **args):
	"""One call to the provider; connection failures become ProviderUnreachable, without the secret."""
	client = ProviderClient()
	return reaching(lambda: client.post(method, **args) if write else client.get(method, **args))


def upload(method: str, path: str, filename: str, **fields):
	"""A file sent to the provider, streamed from disk (see ProviderClient.upload)."""
	client = ProviderClient()
	return reaching(lambda: client.upload(method, path, filename, **fields))


def download(method: str, **params) -> requests.Response:
	client = ProviderClient()
	return reaching(lambda: client.download(method, **params))


def reaching(send):
	"""`send()`, its connection failures told as ProviderUnreachable, without the secret."""
	try:
		return send()
	except requests.exceptions.SSLError as e:
		raise ProviderUnreachable(
			_("The provider's certificate was not trusted: {0}").format(type(e).__name__)
		) from None
	except requests.exceptions.RequestException as e:
		raise ProviderUnreachable(
			_("The provider could not be reached ({0}).").format(type(e).__name__)
		) from None
