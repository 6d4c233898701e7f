# Copyright (c) 2026, Frappe Support Developers and Contributors
# See license.txt

# import frappe
from frappe.tests.utils import FrappeTestCase


class TestSupportCalendar(FrappeTestCase):
	pass
