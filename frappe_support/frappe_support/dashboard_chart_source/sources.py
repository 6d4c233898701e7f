# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt
"""The one method behind the app's Dashboard Chart Sources (each source's .js names it): the chart's
source picks the function that computes it. For support staff; cached per chart by Frappe."""

import frappe
from frappe import _
from frappe.utils.dashboard import cache_source

from frappe_support.permissions import require_staff

SOURCES = {
	"Support Issues Raised and Resolved": "frappe_support.issues.charts.raised_and_resolved",
	"SLA Met by Priority": "frappe_support.issues.charts.met_by_priority",
	"Upgrade Outcomes": "frappe_support.upgrades.charts.outcomes_per_month",
}


@frappe.whitelist()
@cache_source
def get(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
):
	require_staff(_("The Frappe Support charts"))
	chart = (
		frappe.get_doc("Dashboard Chart", chart_name)
		if chart_name
		else frappe._dict(frappe.parse_json(chart))
	)
	source = chart.source or chart.name
	if source not in SOURCES:
		frappe.throw(
			_("{0} is not a chart of Frappe Support: choose one of {1}.").format(source, ", ".join(SOURCES))
		)
	return frappe.get_attr(SOURCES[source])()
