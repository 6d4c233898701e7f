app_name = "frappe_support"
app_title = "Frappe Support"
app_publisher = "Frappe Support Developers"
app_description = (
	"Support contracts, business-time SLAs, upgrade schedules and security advisories for self-hosted ERPNext"
)
app_email = "support@example.com"
app_license = "mit"

# Apps
# ------------------

required_apps = ["erpnext"]

# Includes in <head>
# ------------------

# include js in doctype views
# doctype_js = {"doctype" : "public/js/doctype.js"}

# Installation
# ------------

after_install = "frappe_support.install.after_install"
# the mode (provider or customer site) decides which workspaces show; migrate may re-sync them
after_migrate = "frappe_support.connector.mode.apply_workspace_visibility"

# Uninstallation
# ------------

before_uninstall = "frappe_support.install.before_uninstall"
after_uninstall = "frappe_support.install.after_uninstall"

# Permissions
# -----------
# A Support Customer sees only the records of the customers their Contact links to.

permission_query_conditions = {
	"Support Contract": "frappe_support.permissions.contract_query_conditions",
	"Support Site": "frappe_support.permissions.site_query_conditions",
	"Support Issue": "frappe_support.permissions.issue_query_conditions",
	"Advisory Exposure": "frappe_support.permissions.exposure_query_conditions",
	"Security Advisory": "frappe_support.permissions.advisory_query_conditions",
	"Upgrade Schedule": "frappe_support.permissions.upgrade_query_conditions",
}

has_permission = {
	"Support Contract": "frappe_support.permissions.has_customer_permission",
	"Support Site": "frappe_support.permissions.has_customer_permission",
	"Support Issue": "frappe_support.permissions.has_customer_permission",
	"Advisory Exposure": "frappe_support.permissions.has_customer_permission",
	"Security Advisory": "frappe_support.permissions.has_advisory_permission",
	"Upgrade Schedule": "frappe_support.permissions.has_customer_permission",
}

# A Support Customer's desk timeline of an issue, contract or site shows emails and attachments, never
# internal notes, assignments, edits or views.
override_whitelisted_methods = {
	"frappe.desk.form.load.getdoc": "frappe_support.support.timeline.getdoc",
	"frappe.desk.form.load.get_docinfo": "frappe_support.support.timeline.get_docinfo",
}

# Jinja
# -----
# The "SLA Statement" print format of a Support Contract calls this.

jinja = {"methods": ["frappe_support.support.statement.sla_statement"]}

# Document Events
# ---------------

doc_events = {
	"Communication": {
		"after_insert": "frappe_support.support.communication.on_communication_insert",
		"on_update": "frappe_support.support.communication.on_communication_update",
	},
	"Holiday List": {
		"on_update": "frappe_support.support.recompute.on_holiday_list_update",
	},
	"Contact": {
		"on_update": "frappe_support.permissions.clear_customer_cache",
	},
}

# Scheduled Tasks
# ---------------

scheduler_events = {
	"cron": {
		"*/15 * * * *": [
			"frappe_support.support.upgrade_reminders.send_upgrade_reminders",
		],
		# the outbox job does something on customer sites only (also run right after an entry is queued)
		"*/5 * * * *": [
			"frappe_support.support.sweep.run_sla_sweep",
			"frappe_support.connector.outbox.deliver_outbox",
		],
	},
	"hourly": [
		"frappe_support.connector.sync.report_versions",
		"frappe_support.support.heartbeat.alert_silent_sites",
	],
	"daily": [
		"frappe_support.support.contracts.update_contract_statuses",
		"frappe_support.support.renewals.send_renewal_reminders",
		"frappe_support.support.followup.run_daily_follow_up",
		"frappe_support.support.advisory_mail.send_daily_digest",
		"frappe_support.support.probe.probe_all_sites",
		"frappe_support.support.upgrade_reminders.send_cadence_reminders",
	],
}

# Testing
# -------

# before_tests = "frappe_support.install.before_tests"

# Automatically update python controller files with type annotations for this app.
export_python_type_annotations = True

# Translation
# ------------
# List of apps whose translatable strings should be excluded from this app's translations.
# ignore_translatable_strings_from = []
