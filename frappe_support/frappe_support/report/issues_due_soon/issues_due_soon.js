// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Issues Due Soon"] = {
	filters: [
		{ fieldname: "hours", label: __("Due Within (Hours)"), fieldtype: "Int", default: 24 },
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{
			fieldname: "priority",
			label: __("Priority"),
			fieldtype: "Select",
			options: ["", "High", "Medium", "Low"],
		},
	],
};
