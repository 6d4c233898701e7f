# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class UpgradeScheduleApp(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		app_name: DF.Autocomplete
		from_version: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		to_version: DF.Data
	# end: auto-generated types
	pass
