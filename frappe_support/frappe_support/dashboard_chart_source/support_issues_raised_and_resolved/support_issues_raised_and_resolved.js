// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Support Issues Raised and Resolved"] = {
	method: "frappe_support.frappe_support.dashboard_chart_source.sources.get",
	filters: [],
};
