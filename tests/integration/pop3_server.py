"""A minimal POP3 server (RFC 1939) for tests: one mailbox on 127.0.0.1, plain text, USER/PASS login.

It serves what `poplib` (and so Frappe's EmailServer) asks for: USER, PASS, STAT, LIST, UIDL, RETR, TOP,
DELE, RSET, NOOP, CAPA and QUIT. As RFC 1939 says, a session sees the messages there were when it logged in,
and the messages it marked with DELE are removed only when it ends with QUIT.
"""

from __future__ import annotations

import hashlib
import socketserver
import threading


class Mailbox:
	def __init__(self, user: str, password: str):
		self.user, self.password = user, password
		self.messages: list[bytes] = []
		self.logins: list[str] = []  # the USER name of each session that logged in
		self.lock = threading.Lock()

	def deliver(self, *messages: bytes) -> None:
		with self.lock:
			self.messages.extend(messages)

	def waiting(self) -> int:
		with self.lock:
			return len(self.messages)


def _lines(message: bytes) -> list[bytes]:
	"""The message's lines, dot-stuffed for a multi-line response."""
	return [b"." + line if line.startswith(b".") else line for line in message.splitlines()]


def _uid(message: bytes) -> str:
	return hashlib.sha1(message).hexdigest()


class _Session(socketserver.StreamRequestHandler):
	server: _Server

	def send(self, *lines: bytes | str) -> None:
		self.wfile.write(
			b"".join((line.encode() if isinstance(line, str) else line) + b"\r\n" for line in lines)
		)
		self.wfile.flush()

	def handle(self) -> None:
		box = self.server.mailbox
		self.user: str | None = None
		self.listing: list[bytes] | None = None  # the session's messages, once logged in
		self.deleted: set[int] = set()
		self.send("+OK fs-test POP3 server ready")
		while True:
			raw = self.rfile.readline(10_000)
			if not raw:
				return  # dropped without QUIT: nothing is deleted
			command, _sep, argument = raw.decode("ascii", "replace").strip().partition(" ")
			command = command.upper()
			if command == "QUIT":
				self.quit(box)
				return
			handler = getattr(self, f"do_{command.lower()}", None)
			if handler is None:
				self.send("-ERR unknown command")
			elif self.listing is None and command not in ("USER", "PASS", "CAPA"):
				self.send("-ERR log in first")
			else:
				handler(box, argument)

	# -- authorization ---------------------------------------------------------------------------------
	def do_capa(self, box: Mailbox, argument: str) -> None:
		self.send("+OK capabilities follow", "USER", "UIDL", "TOP", ".")

	def do_user(self, box: Mailbox, argument: str) -> None:
		self.user = argument
		self.send("+OK send PASS")

	def do_pass(self, box: Mailbox, argument: str) -> None:
		if self.user != box.user or argument != box.password:
			self.send("-ERR [AUTH] Authentication failed")
			return
		with box.lock:
			self.listing = list(box.messages)
			box.logins.append(self.user)
		self.send(f"+OK {len(self.listing)} messages")

	# -- transaction -----------------------------------------------------------------------------------
	def live(self) -> list[tuple[int, bytes]]:
		return [(n, m) for n, m in enumerate(self.listing or [], 1) if n not in self.deleted]

	def message(self, argument: str) -> tuple[int, bytes] | None:
		number = int(argument) if argument.strip().isdigit() else 0
		found = dict(self.live()).get(number)
		if found is None:
			self.send("-ERR no such message")
			return None
		return number, found

	def do_noop(self, box: Mailbox, argument: str) -> None:
		self.send("+OK")

	def do_stat(self, box: Mailbox, argument: str) -> None:
		live = self.live()
		self.send(f"+OK {len(live)} {sum(len(m) for _n, m in live)}")

	def do_list(self, box: Mailbox, argument: str) -> None:
		if argument:
			found = self.message(argument)
			if found:
				self.send(f"+OK {found[0]} {len(found[1])}")
			return
		live = self.live()
		self.send(f"+OK {len(live)} messages", *(f"{n} {len(m)}" for n, m in live), ".")

	def do_uidl(self, box: Mailbox, argument: str) -> None:
		if argument:
			found = self.message(argument)
			if found:
				self.send(f"+OK {found[0]} {_uid(found[1])}")
			return
		self.send("+OK", *(f"{n} {_uid(m)}" for n, m in self.live()), ".")

	def do_retr(self, box: Mailbox, argument: str) -> None:
		found = self.message(argument)
		if found:
			self.send(f"+OK {len(found[1])} octets", *_lines(found[1]), ".")

	def do_top(self, box: Mailbox, argument: str) -> None:
		number, _sep, count = argument.partition(" ")
		found = self.message(number)
		if not found:
			return
		head, _sep, body = found[1].replace(b"\r\n", b"\n").partition(b"\n\n")
		body_lines = body.splitlines()[: int(count or 0)]
		self.send("+OK", *_lines(head), b"", *_lines(b"\n".join(body_lines)), ".")

	def do_dele(self, box: Mailbox, argument: str) -> None:
		found = self.message(argument)
		if found:
			self.deleted.add(found[0])
			self.send(f"+OK message {found[0]} deleted")

	def do_rset(self, box: Mailbox, argument: str) -> None:
		self.deleted.clear()
		self.send("+OK")

	# -- update ----------------------------------------------------------------------------------------
	def quit(self, box: Mailbox) -> None:
		if self.listing is not None and self.deleted:
			gone = [self.listing[n - 1] for n in self.deleted]
			with box.lock:
				for message in gone:
					box.messages.remove(message)
		self.send("+OK bye")


class _Server(socketserver.ThreadingTCPServer):
	daemon_threads = True
	allow_reuse_address = True
	mailbox: Mailbox


class Pop3Server:
	"""`with Pop3Server(user, password) as server:` serves `server.mailbox` on 127.0.0.1:`server.port`."""

	def __init__(self, user: str, password: str):
		self.mailbox = Mailbox(user, password)
		self._server = _Server(("127.0.0.1", 0), _Session)
		self._server.mailbox = self.mailbox
		self.host, self.port = self._server.server_address[:2]
		self._thread = threading.Thread(target=self._server.serve_forever, name="fs-pop3", daemon=True)

	def start(self) -> Pop3Server:
		self._thread.start()
		return self

	def stop(self) -> None:
		self._server.shutdown()
		self._server.server_close()
		self._thread.join(10)

	def __enter__(self) -> Pop3Server:
		return self.start()

	def __exit__(self, *exc) -> None:
		self.stop()
