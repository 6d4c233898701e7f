from frappe_support.install import fill_settings_defaults


def execute():
	"""Settings added after the app was installed (notifications, reminders, email in, follow-up) get their
	defaults on sites that already had it."""
	fill_settings_defaults()
