frappe.views.calendar["Upgrade Schedule"] = {
	field_map: {
		start: "window_start",
		end: "window_end",
		id: "name",
		title: "site",
		allDay: "all_day",
		status: "status",
	},
	style_map: {
		Requested: "warning",
		Scheduled: "info",
		"In Progress": "danger",
		Completed: "success",
		Failed: "danger",
		"Rolled Back": "default",
		Cancelled: "default",
	},
	order_by: "window_start",
	get_events_method: "frappe.desk.calendar.get_events",
};
