from frappe_support.install import grant_staff_permissions


def execute():
	"""Support staff read the customers, contacts and holiday lists they link to."""
	grant_staff_permissions()
