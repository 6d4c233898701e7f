"""The uptime checker over real HTTP on loopback, without Frappe: what counts as up (a pong, a 429), what as
down and why, the timeout, and that no more than `concurrency` checks are in flight at once."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from frappe_support.sites.uptime_check import check_all


class Server:
	"""Answers by path: /pong/..., /busy/..., /error/..., /html/..., /other/... (a 200 JSON that is no
	pong), /hang/... (after 2 s), /redirect/...; counts the requests in flight at once."""

	def __init__(self):
		self.in_flight = self.most = 0
		self.lock = threading.Lock()
		owner = self

		class Handler(BaseHTTPRequestHandler):
			def do_GET(self):
				with owner.lock:
					owner.in_flight += 1
					owner.most = max(owner.most, owner.in_flight)
				try:
					self.answer(self.path.split("/")[1])
				finally:
					with owner.lock:
						owner.in_flight -= 1

			def answer(self, mode):
				if mode in ("hang", "slow"):
					time.sleep(2 if mode == "hang" else 0.2)
				status, body = {
					"busy": (429, b"{}"),
					"error": (502, b"bad gateway"),
					"html": (200, b"<html></html>"),
					"other": (200, json.dumps({"message": "hello"}).encode()),
					"redirect": (302, b""),
				}.get(mode, (200, json.dumps({"message": "pong"}).encode()))
				self.send_response(status)
				if status == 302:
					self.send_header("Location", "/pong/")
				self.send_header("Content-Length", str(len(body)))
				self.end_headers()
				self.wfile.write(body)

			def log_message(self, *args):
				pass

		ThreadingHTTPServer.daemon_threads = True
		ThreadingHTTPServer.request_queue_size = 256
		self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
		self.base = f"http://127.0.0.1:{self.httpd.server_port}"
		threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

	def close(self):
		self.httpd.shutdown()
		self.httpd.server_close()


@pytest.fixture
def server():
	s = Server()
	yield s
	s.close()


def closed_port() -> int:
	with socket.socket() as sock:
		sock.bind(("127.0.0.1", 0))
		return sock.getsockname()[1]


def test_up_and_down_and_why(server):
	urls = {mode: f"{server.base}/{mode}" for mode in ("pong", "busy", "error", "html", "other", "redirect")}
	urls["refused"] = f"http://127.0.0.1:{closed_port()}"
	urls["hang"] = f"{server.base}/hang"
	results = check_all(urls, timeout=0.5, concurrency=10)
	assert {name: (r.up, r.reason) for name, r in results.items()} == {
		"pong": (True, ""),
		"busy": (True, ""),
		"error": (False, "http:502"),
		"html": (False, "not-json"),
		"other": (False, "no-pong"),
		"redirect": (False, "http:302"),  # a ping is answered where it is asked
		"refused": (False, "refused"),
		"hang": (False, "timeout"),
	}


def test_no_more_than_concurrency_checks_at_once(server):
	server.most = 0
	urls = {f"site{i}": f"{server.base}/slow/{i}" for i in range(30)}
	results = check_all(urls, timeout=5, concurrency=5)
	assert all(r.up for r in results.values())
	assert server.most <= 5
	assert server.most >= 2  # they did overlap


def test_an_empty_round_checks_nothing():
	assert check_all({}, timeout=1, concurrency=3) == {}
