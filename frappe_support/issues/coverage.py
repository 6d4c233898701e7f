"""What a support contract covers: issue categories, their topics and the contract service behind each."""

from __future__ import annotations

import frappe
from frappe import _

EXCLUDED = "Excluded Service"

# category -> (contract field of the service that covers it, topics)
CATEGORIES: dict[str, tuple[str | None, tuple[str, ...]]] = {
	"Bug": ("covers_bug_fix", ()),
	"Server Deployment": (
		"covers_server_deployment",
		(
			"DNS Multi-tenancy",
			"Firewall",
			"Server Security Rules",
			"Migration",
			"Domains and Redirects",
			"Email Service",
			"Uptime Monitoring",
		),
	),
	"Configuration": (
		"covers_configuration",
		(
			"System Settings",
			"Data Import",
			"Users and Roles",
			"Role and User Permissions",
			"Workflow",
			"Print Formats",
			"Field-level Customization",
			"Custom Fields",
			"Custom DocType",
			"Custom Script",
		),
	),
	"Upgrade": ("covers_upgrade", ("Failing Patches", "Slow Patches", "Dependency Issues")),
	"Scaling": (
		"covers_scaling",
		("Bottleneck Identification", "Table Indexes", "Server Capacity Planning", "Feature Flags"),
	),
	"Security": ("covers_security_alerts", ()),
	EXCLUDED: (
		None,
		(
			"On-site Support",
			"Master-Replica Setup",
			"Server, Backup or Email Service Costs",
			"Professional Services",
		),
	),
}


def topics_for(category: str | None) -> tuple[str, ...]:
	return CATEGORIES.get(category or "", (None, ()))[1]


@frappe.whitelist()
def get_topics(category: str) -> list[str]:
	return list(topics_for(category))


def validate_topic(category: str, topic: str | None) -> None:
	if category not in CATEGORIES:
		frappe.throw(
			_("{0} is not an issue category: choose one of {1}.").format(category, ", ".join(CATEGORIES)),
			title=_("Invalid category"),
		)
	topics = topics_for(category)
	if topic and topics and topic not in topics:
		frappe.throw(
			_("{0} is not a topic of {1}: choose one of {2}, or leave the topic empty.").format(
				topic, _(category), ", ".join(topics)
			),
			title=_("Invalid topic"),
		)


def not_covered_reason(contract, category: str, topic: str | None) -> str | None:
	"""Why the contract gives this issue no SLA, or None when it is covered."""
	service_field, _topics = CATEGORIES[category]
	if category == EXCLUDED:
		return _("{0} is excluded from support contracts ({1}).").format(
			_(topic) if topic else _("The requested service"), contract.exclusions or _("see the contract")
		)
	if not contract.get(service_field):
		label = contract.meta.get_label(service_field)
		return _("Contract {0} does not cover {1}: {2} issues get no SLA under it.").format(
			contract.name, _(label), _(category)
		)
	return None
