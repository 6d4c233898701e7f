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

# on the desk's apps screen (/apps), for support staff
add_to_apps_screen = [
	{
		"name": "frappe_support",
		"logo": "/assets/frappe_support/images/frappe-support-logo.svg",
		"title": "Support Desk",
		"route": "/app/frappe-support",
		"has_permission": "frappe_support.permissions.can_open_the_desk",
	}
]

# Includes in <head>
# ------------------

# the helpers every desk page of the app shares (SLA colours, durations in support time, user times);
# a plain asset, not a .bundle.js, so it is served without a `bench build` after install or upgrade
app_include_js = "/assets/frappe_support/js/frappe_support.js"

# the Error Log form's "Report to Support" (customer sites); the boot says which mode this site is in
doctype_js = {"Error Log": "public/js/error_log.js"}
extend_bootinfo = "frappe_support.connector.mode.extend_bootinfo"

# Website: the support portal for customers' users (Website Users), at /support
# ------------------

website_route_rules = [
	{"from_route": "/support/issues/<name>", "to_route": "support/issue"},
]
portal_menu_items = [
	{"title": "Support", "route": "/support", "reference_doctype": "", "role": "Support Customer"},
]
role_home_page = {"Support Customer": "support"}

# Installation
# ------------

after_install = "frappe_support.install.after_install"
# the mode (provider or customer site) decides which workspaces show; migrate may re-sync them
after_migrate = [
	"frappe_support.connector.mode.apply_workspace_visibility",
	"frappe_support.onboarding.after_migrate",
]

# Uninstallation
# ------------

before_uninstall = "frappe_support.install.before_uninstall"
after_uninstall = "frappe_support.install.after_uninstall"

# Permissions
# -----------
# The app's DocTypes (and their child tables) are for support staff only, whatever role permissions say:
# customers reach their own records through the customer API (frappe_support.api.v1) and the portal.

from frappe_support.permissions import APP_DOCTYPES as _APP_DOCTYPES  # a leading _: not a hook

permission_query_conditions = {
	**{doctype: "frappe_support.permissions.staff_only_conditions" for doctype in _APP_DOCTYPES},
	"Tag Link": "frappe_support.permissions.tag_link_conditions",
	"Dynamic Link": "frappe_support.permissions.contact_child_conditions",
	"Contact Email": "frappe_support.permissions.contact_child_conditions",
	"Contact Phone": "frappe_support.permissions.contact_child_conditions",
}

# Frappe's link titles would show any record's title to any user
override_whitelisted_methods = {
	"frappe.desk.search.get_link_title": "frappe_support.permissions.get_link_title",
}

has_permission = {
	**{doctype: "frappe_support.permissions.has_staff_permission" for doctype in _APP_DOCTYPES},
	"Tag Link": "frappe_support.permissions.has_tag_link_permission",
}

# Jinja
# -----
# The "SLA Statement" print format of a Support Contract calls these (its issues, its sites' uptime).

jinja = {
	"methods": [
		"frappe_support.issues.statement.sla_statement",
		"frappe_support.sites.uptime_view.statement_uptime",
	]
}

# Document Events
# ---------------

doc_events = {
	"Communication": {
		"before_insert": "frappe_support.issues.communication.before_communication_insert",
		"after_insert": "frappe_support.issues.communication.on_communication_insert",
		"on_update": "frappe_support.issues.communication.on_communication_update",
	},
	"Holiday List": {
		"on_update": "frappe_support.issues.recompute.on_holiday_list_update",
	},
	"File": {
		"before_insert": "frappe_support.common.files.refuse_unreadable_copy",
	},
	"Contact": {
		"on_update": "frappe_support.permissions.clear_customer_cache",
	},
	# the workspace's onboarding steps, done as their records appear
	"Email Account": {"on_update": "frappe_support.onboarding.on_record"},
	"Support Calendar": {"on_update": "frappe_support.onboarding.on_record"},
	"Support Plan": {"on_update": "frappe_support.onboarding.on_record"},
	"Support Contract": {"on_submit": "frappe_support.onboarding.on_record"},
	"Support Site": {"after_insert": "frappe_support.onboarding.on_record"},
	"Support Issue": {"after_insert": "frappe_support.onboarding.on_record"},
}

# Scheduled Tasks
# ---------------

scheduler_events = {
	"cron": {
		# queues a round of uptime checks when the settings' interval has passed
		"* * * * *": ["frappe_support.sites.uptime.schedule_round"],
		"*/15 * * * *": [
			"frappe_support.upgrades.reminders.send_upgrade_reminders",
			# matches and withdrawals a lost job left undone (queue down, worker killed)
			"frappe_support.advisories.lifecycle.catch_up",
		],
		# the outbox job does something on customer sites only (also run right after an entry is queued)
		"*/5 * * * *": [
			"frappe_support.issues.sweep.run_sla_sweep",
			"frappe_support.connector.outbox.deliver_outbox",
			"frappe_support.connector.news.pull_news",
		],
	},
	"hourly": [
		"frappe_support.onboarding.update_steps",
		"frappe_support.connector.sync.report_versions",
		"frappe_support.sites.heartbeat.alert_silent_sites",
	],
	"daily": [
		"frappe_support.contracts.lifecycle.update_contract_statuses",
		"frappe_support.contracts.renewals.send_renewal_reminders",
		"frappe_support.issues.follow_up.run_daily_follow_up",
		"frappe_support.issues.compliance_months.keep_finished_months",
		"frappe_support.advisories.mail.send_daily_digest",
		"frappe_support.sites.probe.probe_all_sites",
		"frappe_support.sites.uptime.purge_old_results",
		"frappe_support.sites.health.purge_old_health",
		"frappe_support.upgrades.reminders.send_cadence_reminders",
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
