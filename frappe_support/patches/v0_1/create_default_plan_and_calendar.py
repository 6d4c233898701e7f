from frappe_support.install import create_defaults, create_roles


def execute():
	"""Roles, the Standard Support plan and the default calendar on sites that had the app before them."""
	create_roles()
	create_defaults()
