"""A customer site's /api/method/ping as the uptime checks see it, served on a loopback address of its own
(127.x.y.z: each test site gets its own host name) in a thread of the test process. `mode` says how it
answers: "pong", "busy" (HTTP 429), "error" (HTTP 502), "html" (200 without the pong), "hang" (answers only
after `hang_seconds`); `stop()` closes the port, so checks are refused, and `start()` serves it again."""

from __future__ import annotations

import json
import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class PingServer:
	def __init__(self, mode: str = "pong", hang_seconds: float = 3.0):
		self.mode, self.hang_seconds, self.hits = mode, hang_seconds, 0
		self.host = f"127.{random.randint(1, 250)}.{random.randint(1, 250)}.{random.randint(2, 250)}"
		self.server = None
		self.port = 0
		self.start()

	@property
	def url(self) -> str:
		return f"http://{self.host}:{self.port}"

	def start(self) -> None:
		owner = self

		class Handler(BaseHTTPRequestHandler):
			def do_GET(self):
				owner.hits += 1
				if owner.mode == "hang":
					time.sleep(owner.hang_seconds)
				status, body = {
					"busy": (429, {"exc_type": "TooManyRequests"}),
					"error": (502, {}),
					"html": (200, None),
				}.get(owner.mode, (200, {"message": "pong"}))
				data = b"<html>maintenance</html>" if body is None else json.dumps(body).encode()
				self.send_response(status)
				self.send_header("Content-Type", "text/html" if body is None else "application/json")
				self.send_header("Content-Length", str(len(data)))
				self.end_headers()
				self.wfile.write(data)

			def log_message(self, *args):
				pass

		ThreadingHTTPServer.allow_reuse_address = True
		self.server = ThreadingHTTPServer((self.host, self.port), Handler)
		self.server.daemon_threads = True
		self.port = self.server.server_port
		threading.Thread(target=self.server.serve_forever, daemon=True).start()

	def stop(self) -> None:
		if self.server:
			self.server.shutdown()
			self.server.server_close()
			self.server = None
