"""Customers leave the desk: Support Customer becomes a role without desk access (its users become Website
Users, who reach their records through the portal and the customer API), and the grants the desk gave
them go. Their users, contacts, records and API keys stay as they are. On a customer's own site (connector
mode) the employees who used the Support Desk get the Support Desk User role instead, and keep the desk."""

import frappe

from frappe_support.install import create_roles
from frappe_support.permissions import CUSTOMER_ROLE, DESK_USER_ROLE


def execute():
	create_roles()
	if frappe.db.get_single_value("Frappe Support Settings", "site_mode") == "Customer Site":
		keep_desk_users()
	role = frappe.get_doc("Role", CUSTOMER_ROLE)
	if role.desk_access:
		role.desk_access = 0
		role.save(ignore_permissions=True)  # Frappe re-evaluates the user type of everyone with the role
	frappe.delete_doc_if_exists("Workspace", "My Support", force=True)
	frappe.db.delete("Custom DocPerm", {"role": CUSTOMER_ROLE})
	frappe.db.delete(
		"Has Role", {"role": CUSTOMER_ROLE, "parenttype": ("in", ("Report", "Page", "Workspace"))}
	)
	frappe.clear_cache()


def keep_desk_users() -> None:
	for user in frappe.get_all(
		"Has Role", filters={"role": CUSTOMER_ROLE, "parenttype": "User"}, pluck="parent"
	):
		doc = frappe.get_doc("User", user)
		doc.set("roles", [r for r in doc.roles if r.role != CUSTOMER_ROLE])
		doc.append_roles(DESK_USER_ROLE)
		doc.save(ignore_permissions=True)
