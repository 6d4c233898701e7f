"""One round of uptime checks over HTTP, without Frappe: `GET <site>/api/method/ping` for every site at once,
at most `concurrency` connections open, each given `timeout` seconds in all (connect, TLS, answer).

As Press counts it: up is an HTTP 200 whose JSON message is "pong", or a 429 (the site is up, only busy);
anything else is down, with its reason as a code the caller puts in words: "http:502", "timeout",
"refused", "tls", "not-json", "no-pong", "connect:<the system's words>" or "error:<exception name>".
aiohttp (asyncio) rather than threads: a round of 10,000 sites, some of them hanging until the timeout, fits
in one process with a few hundred sockets open.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass

import aiohttp

PING = "/api/method/ping"


@dataclass(frozen=True)
class Result:
	up: bool
	reason: str  # "" when up, else a code (see the module's docstring)
	at: float  # when the check started: seconds since the epoch
	ms: int  # how long it took


def check_all(urls: dict[str, str], timeout: float = 5.0, concurrency: int = 200) -> dict[str, Result]:
	"""{site: base URL} -> {site: Result}. Runs its own event loop (a worker thread has none)."""
	return asyncio.run(check_many(urls, timeout, max(int(concurrency), 1)))


async def check_many(urls: dict[str, str], timeout: float, concurrency: int) -> dict[str, Result]:
	limit = asyncio.Semaphore(concurrency)
	connector = aiohttp.TCPConnector(limit=concurrency, force_close=True, ttl_dns_cache=300)
	client_timeout = aiohttp.ClientTimeout(total=timeout)
	async with aiohttp.ClientSession(connector=connector, timeout=client_timeout) as session:
		names = list(urls)
		results = await asyncio.gather(*(check_one(session, limit, urls[n]) for n in names))
	return dict(zip(names, results, strict=True))


async def check_one(session, limit: asyncio.Semaphore, base: str) -> Result:
	async with limit:
		started = time.time()
		up, reason = await ping(session, base.rstrip("/") + PING)
		return Result(up, reason, started, int((time.time() - started) * 1000))


async def ping(session, url: str) -> tuple[bool, str]:
	try:
		async with session.get(url, allow_redirects=False, headers={"Accept": "application/json"}) as r:
			if r.status == 429:
				return True, ""
			if r.status != 200:
				return False, f"http:{r.status}"
			return answered_pong(await r.read())
	except asyncio.TimeoutError:
		return False, "timeout"
	except aiohttp.ClientConnectorCertificateError:
		return False, "tls"
	except aiohttp.ClientConnectorError as e:
		return False, connection_failure(e)
	except (aiohttp.ClientError, OSError, ValueError) as e:
		return False, f"error:{type(e).__name__}"


def answered_pong(body: bytes) -> tuple[bool, str]:
	try:
		message = json.loads(body.decode("utf-8", "replace")).get("message")
	except (ValueError, AttributeError):
		return False, "not-json"
	return (True, "") if message == "pong" else (False, "no-pong")


def connection_failure(error: aiohttp.ClientConnectorError) -> str:
	os_error = getattr(error, "os_error", None)
	if isinstance(os_error, ConnectionRefusedError):
		return "refused"
	return f"connect:{getattr(os_error, 'strerror', None) or type(os_error or error).__name__}"
