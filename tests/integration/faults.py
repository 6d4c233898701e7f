"""Real faults for the fault tests: the bench's Redis servers shut down and started again from their own
config files, MariaDB shut down and started again (needs the server's root password, $MYSQL_ROOT_PASSWORD,
default "root" as the bench recipe sets; the test is skipped, saying so, without it)."""

from __future__ import annotations

import os
import subprocess
import time
import unittest
from contextlib import contextmanager

import frappe

ROOT_PASSWORD = os.environ.get("MYSQL_ROOT_PASSWORD", "root")


class BenchRedis:
	"""One of the bench's Redis servers ("cache" or "queue"), as `bench start` runs it."""

	def __init__(self, which: str):
		self.which = which
		self.conf = os.path.join(frappe.utils.get_bench_path(), "config", f"redis_{which}.conf")
		if not os.path.exists(self.conf):
			raise unittest.SkipTest(f"no {self.conf}: this bench's Redis is not run from its config folder")
		self.port = next(line.split()[1] for line in open(self.conf) if line.startswith("port "))

	def is_up(self) -> bool:
		# redis-cli exits 0 on an error reply too: while Redis loads its dump it answers LOADING, and clients
		# are refused until it answers PONG
		ping = subprocess.run(["redis-cli", "-p", self.port, "ping"], capture_output=True, text=True)
		return ping.stdout.strip() == "PONG"

	def is_down(self) -> bool:
		return subprocess.run(["redis-cli", "-p", self.port, "ping"], capture_output=True).returncode != 0

	def stop(self) -> None:
		# the queue's jobs (other runs' too) survive the fault, as they do a restart; the cache is emptied
		keep = "save" if self.which == "queue" else "nosave"
		subprocess.run(["redis-cli", "-p", self.port, "shutdown", keep], capture_output=True)
		for _i in range(50):
			if self.is_down():
				return
			time.sleep(0.1)
		raise AssertionError(f"Redis on port {self.port} did not stop")

	def start(self) -> None:
		subprocess.run(
			["redis-server", self.conf, "--daemonize", "yes"],
			cwd=os.path.dirname(self.conf),
			capture_output=True,
		)
		for _i in range(300):
			if self.is_up():
				return
			time.sleep(0.1)
		raise AssertionError(f"Redis on port {self.port} did not start again")

	@contextmanager
	def down(self):
		self.stop()
		try:
			yield
		finally:
			self.start()


def mysqladmin(*args: str) -> subprocess.CompletedProcess:
	return subprocess.run(["mysqladmin", "-uroot", f"-p{ROOT_PASSWORD}", *args], capture_output=True)


def skip_without_mariadb_root() -> None:
	if mysqladmin("ping").returncode:
		raise unittest.SkipTest(
			"MariaDB restart skipped: set MYSQL_ROOT_PASSWORD to the server's root password"
		)


def restart_mariadb(down_for: float = 2) -> None:
	"""Shut MariaDB down, wait, start it again; this process connects anew (its connection went with it)."""
	try:
		mysqladmin("shutdown").check_returncode()
		time.sleep(down_for)
	finally:
		subprocess.run(["service", "mariadb", "start"], capture_output=True)
		for _i in range(60):
			if not mysqladmin("ping").returncode:
				break
			time.sleep(1)
		frappe.db.connect()
