// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Upgrade Cadence"] = {
	filters: [{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" }],
};
