"""Locust users of the customer API, one per customer user of benchmarks/api_load.py (which runs this file
headless against the site served by gunicorn on loopback). Each raises issues (and sends the same
idempotency key again, as a connector retrying does), lists and reads its issues and replies to them."""

from __future__ import annotations

import itertools
import json
import os
import random
import uuid
from collections import Counter

from locust import HttpUser, between, events, task

API = "/api/method/frappe_support.api.v1."
CREDENTIALS = json.loads(open(os.environ["FS_LOAD_CREDENTIALS"]).read())
NEXT = itertools.count()
STATUSES: Counter = Counter()
MISMATCHES: list[str] = []


class Customer(HttpUser):
	wait_time = between(0.5, 1.5)

	def on_start(self):
		me = CREDENTIALS[next(NEXT) % len(CREDENTIALS)]
		self.client.headers.update(
			{"Authorization": f"token {me['key']}:{me['secret']}", "Accept": "application/json"}
		)
		self.issues: dict[str, str] = {}  # idempotency key -> issue

	def call(self, method: str, name: str, **kwargs):
		with self.client.request(
			method, API + name.split("#")[0], name=name, catch_response=True, **kwargs
		) as r:
			STATUSES[r.status_code] += 1
			if r.status_code >= 500:
				r.failure(f"HTTP {r.status_code}")
			elif r.status_code == 429:
				r.success()  # the budget doing its job, counted apart
			elif r.status_code >= 400:
				r.failure(f"HTTP {r.status_code}: {r.text[:200]}")
			return r

	@task(2)
	def raise_issue(self):
		key = str(uuid.uuid4())
		r = self.call(
			"POST",
			"raise_issue",
			data={"subject": f"Load {key[:8]}", "priority": "Low", "idempotency_key": key},
		)
		if r.status_code == 200:
			self.issues[key] = r.json()["message"]["name"]

	@task(1)
	def raise_again(self):
		"""A retry of an earlier call with its key: the same issue comes back, none is made."""
		if not self.issues:
			return
		key, name = random.choice(list(self.issues.items()))
		r = self.call("POST", "raise_issue#retry", data={"subject": "Retry", "idempotency_key": key})
		if r.status_code == 200 and r.json()["message"]["name"] != name:
			MISMATCHES.append(key)

	@task(3)
	def list_issues(self):
		self.call("GET", "list_issues", params={"page_length": 20})

	@task(3)
	def get_issue(self):
		if self.issues:
			self.call("GET", "get_issue", params={"name": random.choice(list(self.issues.values()))})

	@task(1)
	def reply(self):
		if self.issues:
			key = str(uuid.uuid4())
			issue = random.choice(list(self.issues.values()))
			self.call(
				"POST", "reply", data={"issue": issue, "message": "More detail", "idempotency_key": key}
			)
			self.call(
				"POST", "reply#retry", data={"issue": issue, "message": "More detail", "idempotency_key": key}
			)


@events.test_stop.add_listener
def report(environment, **kwargs):
	with open(os.environ["FS_LOAD_RESULT"], "w") as out:
		json.dump({"statuses": dict(STATUSES), "mismatches": MISMATCHES}, out)
