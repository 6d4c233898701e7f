"""Every endpoint of the customer API is whitelisted with its guard (`customer_method`) under it, and a write
answers POST only: one place to read what customers can call, checked on the running site."""

import importlib
import inspect
import pkgutil

import frappe

from frappe_support.api import v1
from tests.integration.utils import SupportTestCase

ENDPOINTS = 25  # a lost or an unguarded endpoint fails below


class TestCustomerEndpoints(SupportTestCase):
	def endpoints(self) -> dict:
		found = {}
		for info in pkgutil.iter_modules(v1.__path__):
			module = importlib.import_module(f"{v1.__name__}.{info.name}")
			for name, fn in inspect.getmembers(module, inspect.isfunction):
				if fn.__module__ == module.__name__ and fn in frappe.whitelisted:
					found[name] = fn
		return found

	def test_every_endpoint_is_guarded_and_a_write_is_post_only(self):
		endpoints = self.endpoints()
		self.assertEqual(len(endpoints), ENDPOINTS, sorted(endpoints))
		for name, fn in endpoints.items():
			guard = getattr(fn, "customer_method", None)
			self.assertIsNotNone(guard, f"{name} is whitelisted without customer_method under it")
			methods = frappe.allowed_http_methods_for_whitelisted_func[fn]
			self.assertEqual(methods, ["POST"] if guard["write"] else ["GET", "POST"], name)
			self.assertIs(getattr(v1, name), fn, f"{name} is not served as frappe_support.api.v1.{name}")

	def test_a_write_answers_post_only(self):
		from frappe_support.api.v1 import raise_issue

		self.assertEqual(frappe.allowed_http_methods_for_whitelisted_func[raise_issue], ["POST"])
		self.assertTrue(raise_issue.customer_method["write"])
