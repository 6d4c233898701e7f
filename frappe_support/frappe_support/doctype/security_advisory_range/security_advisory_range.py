# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SecurityAdvisoryRange(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		app_name: DF.Data
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		patched_version: DF.Data | None
		vulnerable_range: DF.Data
	# end: auto-generated types
	pass
