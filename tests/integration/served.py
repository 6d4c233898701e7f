"""This bench's site served over real HTTP on 127.0.0.1 by Frappe's own WSGI application, in a thread of the
test process, with Frappe's realtime (socket.io) server beside it when the browser needs one."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time

import frappe
from werkzeug.serving import make_server


class LoopbackSite:
	"""Serves the site at self.url. With desk=True it is served as `DEV_SERVER=true bench serve` serves it:
	/assets and /files too, and pages tell the browser to reach the realtime server on its own port."""

	def __init__(self, site: str, desk: bool = False, port: int = 0):
		from frappe.app import application

		def app(environ, start_response):
			environ["HTTP_X_FRAPPE_SITE_NAME"] = site  # as a proxy would route the site's host name
			return application(environ, start_response)

		served = app
		self.desk = desk
		if desk:
			from frappe.middlewares import StaticDataMiddleware
			from werkzeug.middleware.shared_data import SharedDataMiddleware

			sites = os.path.abspath(frappe.local.sites_path)
			served = SharedDataMiddleware(served, {"/assets": os.path.join(sites, "assets")})
			served = StaticDataMiddleware(served, {"/files": sites})
		self.server = make_server("127.0.0.1", port, served, threaded=True)
		self.url = f"http://127.0.0.1:{self.server.server_port}"
		self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

	def start(self):
		if self.desk:
			self.dev_server, frappe._dev_server = frappe._dev_server, 1  # what DEV_SERVER=true sets
		self.thread.start()
		return self

	def stop(self):
		self.server.shutdown()
		self.thread.join(10)
		if self.desk:
			frappe._dev_server = self.dev_server


def port_is_open(port: int) -> bool:
	with socket.socket() as s:
		s.settimeout(0.5)
		return s.connect_ex(("127.0.0.1", port)) == 0


def closed_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


class Realtime:
	"""Frappe's socket.io server (`node apps/frappe/socketio.js`, what `bench socketio` runs), started for the
	test unless one already listens on the bench's socketio_port; the desk connects to it on every page."""

	def __init__(self):
		self.port = int(frappe.get_conf().get("socketio_port") or 9000)
		self.process = None

	def start(self):
		if port_is_open(self.port):
			return self
		bench = frappe.utils.get_bench_path()
		self.process = subprocess.Popen(
			["node", os.path.join(bench, "apps", "frappe", "socketio.js")],
			cwd=bench,
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
		)
		for _ in range(100):
			if port_is_open(self.port):
				return self
			time.sleep(0.1)
		self.stop()
		raise RuntimeError(f"Frappe's socket.io server did not start on port {self.port}")

	def stop(self):
		if self.process:
			self.process.terminate()
			self.process.wait(10)
			self.process = None
