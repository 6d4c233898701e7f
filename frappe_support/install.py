"""Install and uninstall: roles, the Standard Support plan and the default calendar. Idempotent."""

from __future__ import annotations

import frappe
from frappe.utils import get_system_timezone

from frappe_support.sla import WEEKDAY_NAMES

# role -> (description, desk access)
ROLES = {
	"Support Manager": ("Runs support: contracts, plans, calendars and every issue.", 1),
	"Support Engineer": ("Works on support issues, sites and upgrades.", 1),
	"Support Customer": (
		"A customer's user at the provider (a Website User): the support portal and the customer API, "
		"for their own customers' records only.",
		0,
	),
	"Support Desk User": (
		"On a customer's own ERPNext site: may raise and follow issues with the provider (Support Desk).",
		1,
	),
}

STANDARD_PLAN = "Standard Support"
DEFAULT_CALENDAR = "Standard Business Hours"

# priority -> (response, response unit, resolution, resolution unit): docs/design.md's promises
STANDARD_TARGETS = {
	"High": (1, "Business Hours", 8, "Business Hours"),
	"Medium": (4, "Business Hours", 4, "Business Days"),
	"Low": (1, "Business Days", 8, "Business Days"),
}


# ERPNext lets only its own roles read these; support staff pick customers and their contacts on
# contracts, sites and issues, and holiday lists on calendars.
STAFF_READ = {
	"Customer": ("Support Manager", "Support Engineer"),
	"Contact": ("Support Manager", "Support Engineer"),
	"Holiday List": ("Support Manager", "Support Engineer"),
}
PERM_RIGHTS = (
	"if_owner",
	"select",
	"read",
	"write",
	"create",
	"delete",
	"submit",
	"cancel",
	"amend",
	"report",
	"export",
	"import",
	"share",
	"print",
	"email",
)


def after_install() -> None:
	create_roles()
	create_defaults()
	grant_staff_permissions()


def grant_staff_permissions() -> None:
	"""Read on the ERPNext records support staff link to (as Custom DocPerm rules, the way Role Permissions
	Manager adds them)."""
	from frappe.permissions import add_permission

	for doctype, roles in STAFF_READ.items():
		for role in roles:
			if not frappe.db.exists("Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 0}):
				add_permission(doctype, role, 0, "read")
		frappe.clear_cache(doctype=doctype)


def restore_standard_permissions() -> None:
	"""After the app's rules went with its roles: a doctype whose custom rules are now a plain copy of its
	standard ones (made when the app added its first rule) goes back to the standard ones."""

	def rules(table: str, doctype: str) -> list[tuple]:
		rows = frappe.get_all(table, filters={"parent": doctype}, fields=["role", "permlevel", *PERM_RIGHTS])
		return sorted(tuple(r.values()) for r in rows)

	for doctype in STAFF_READ:
		custom = rules("Custom DocPerm", doctype)
		if custom and custom == rules("DocPerm", doctype):
			frappe.db.delete("Custom DocPerm", {"parent": doctype})
			frappe.clear_cache(doctype=doctype)


def create_roles() -> None:
	for role, (description, desk_access) in ROLES.items():
		if not frappe.db.exists("Role", role):
			frappe.get_doc(
				{"doctype": "Role", "role_name": role, "desk_access": desk_access, "description": description}
			).insert(ignore_permissions=True)


def create_defaults() -> None:
	"""The Standard Support plan, a Mon-Fri 09:00-17:00 calendar in the system zone, and the settings."""
	if not frappe.db.exists("Support Calendar", DEFAULT_CALENDAR):
		frappe.get_doc(
			{
				"doctype": "Support Calendar",
				"calendar_name": DEFAULT_CALENDAR,
				"timezone": get_system_timezone(),
				"hours": [
					{"weekday": day, "start_time": "09:00:00", "end_time": "17:00:00"}
					for day in WEEKDAY_NAMES[:5]
				],
			}
		).insert(ignore_permissions=True)
	if not frappe.db.exists("Support Plan", STANDARD_PLAN):
		frappe.get_doc(
			{
				"doctype": "Support Plan",
				"plan_name": STANDARD_PLAN,
				"description": "High: fixed within 8 business hours; Medium: 4 business days; Low: 8 business days.",
				"targets": [
					{
						"priority": priority,
						"response_time": rt,
						"response_unit": ru,
						"resolution_time": st,
						"resolution_unit": su,
					}
					for priority, (rt, ru, st, su) in STANDARD_TARGETS.items()
				],
			}
		).insert(ignore_permissions=True)
	fill_settings_defaults(default_plan=STANDARD_PLAN, default_calendar=DEFAULT_CALENDAR)


def fill_settings_defaults(**values) -> None:
	"""Give every setting never saved on this site its default (and `values` where empty); a value someone
	chose, even an unticked box, is kept."""
	settings = frappe.get_single("Frappe Support Settings")
	stored = frappe.db.get_singles_dict("Frappe Support Settings")
	changed = False
	for df in settings.meta.fields:
		if df.fieldname not in stored and df.default is not None:
			settings.set(df.fieldname, df.default)
			changed = True
	for field, value in values.items():
		if not settings.get(field):
			settings.set(field, value)
			changed = True
	if changed:
		settings.flags.ignore_permissions = True
		settings.save()


# the app's naming series (PREFIX-.YYYY.-) as their Series rows are named: exactly these, so another app's
# numbering that starts the same way ("UPG-MAINT-") is never reset
SERIES_PATTERN = r"^(SUP-ISS|SUP-CON|SEC-ADV|UPG)-[0-9]{4}-$"
# desk records of the module that Frappe deletes with the app: reports, workspaces, number cards
MODULE_RECORDS = (
	"Report",
	"Workspace",
	"Number Card",
	"Print Format",
	"Page",
	"Dashboard Chart",
	"Dashboard Chart Source",
	"Module Onboarding",
)
# rows of Frappe's own tables that point at this app's DocTypes: (doctype, field naming the DocType)
REFERENCING = (
	("Comment", "reference_doctype"),
	("Version", "ref_doctype"),
	("Deleted Document", "deleted_doctype"),
	("ToDo", "reference_type"),
	("DocShare", "share_doctype"),
	("Error Log", "reference_doctype"),
)


def before_uninstall() -> None:
	"""Remove what the app created outside its own DocTypes' tables (the tables go with the DocTypes)."""
	frappe.flags.frappe_support_doctypes = frappe.get_all(
		"DocType", filters={"module": "Frappe Support"}, pluck="name"
	)
	frappe.flags.frappe_support_records = [
		(doctype, name)
		for doctype in MODULE_RECORDS
		for name in frappe.get_all(doctype, filters={"module": "Frappe Support"}, pluck="name")
	]
	frappe.flags.frappe_support_steps = frappe.get_all(
		"Onboarding Step Map", filters={"parent": "Frappe Support"}, pluck="step"
	)
	delete_roles()
	restore_standard_permissions()


def after_uninstall() -> None:
	"""Clear the trail the app's records left in Frappe's own tables, its patch log and its series."""
	doctypes = frappe.flags.get("frappe_support_doctypes") or []
	if doctypes:
		for table, field in REFERENCING:
			frappe.db.delete(table, {field: ("in", doctypes)})
		frappe.db.delete("Deleted Document", {"deleted_doctype": "DocType", "deleted_name": ("in", doctypes)})
	frappe.db.delete("Deleted Document", {"deleted_doctype": "Module Def", "deleted_name": "Frappe Support"})
	for doctype, name in frappe.flags.get("frappe_support_records") or []:
		frappe.db.delete("Deleted Document", {"deleted_doctype": doctype, "deleted_name": name})
		frappe.db.delete("Version", {"ref_doctype": doctype, "docname": name})
	frappe.db.delete("Deleted Document", {"deleted_doctype": "Role", "deleted_name": ("in", list(ROLES))})
	frappe.db.delete("Patch Log", {"patch": ("like", "frappe_support.%")})
	delete_onboarding_steps(frappe.flags.get("frappe_support_steps") or [])
	delete_app_series()
	frappe.db.commit()  # Frappe commits before after_uninstall runs, and not after it


def delete_app_series() -> None:
	series = frappe.qb.DocType("Series")
	frappe.qb.from_(series).delete().where(series.name.regexp(SERIES_PATTERN)).run()


def delete_roles() -> None:
	for role in ROLES:
		if frappe.db.exists("Role", role):
			frappe.db.delete("Has Role", {"role": role})
			frappe.db.delete("Custom DocPerm", {"role": role})
			frappe.db.delete("DocPerm", {"role": role})
			frappe.delete_doc("Role", role, ignore_permissions=True, force=True)


def delete_onboarding_steps(steps: list[str]) -> None:
	"""The workspace's onboarding steps: Onboarding Step has no module, so uninstalling leaves them (their
	Module Onboarding goes with the module); what Redis remembers of them goes too."""
	from frappe_support import onboarding

	if steps:
		frappe.db.delete("Onboarding Step", {"name": ("in", steps)})
		frappe.db.delete("Version", {"ref_doctype": "Onboarding Step", "docname": ("in", steps)})
	frappe.cache.delete_value(onboarding.DONE)
