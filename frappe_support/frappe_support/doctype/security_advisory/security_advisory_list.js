frappe.listview_settings["Security Advisory"] = {
	add_fields: ["status", "severity"],
	get_indicator(doc) {
		const colors = { Draft: "gray", Published: "red", Withdrawn: "blue" };
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
	onload(listview) {
		if (!frappe.model.can_create("Security Advisory")) return;
		const done = (r) => {
			const c = r.message || {};
			frappe.msgprint(
				__("{0} created, {1} updated, {2} unchanged.", [c.created || 0, c.updated || 0, c.unchanged || 0])
			);
			listview.refresh();
		};
		listview.page.add_inner_button(__("Import GitHub JSON"), () => {
			new frappe.ui.FileUploader({
				restrictions: { allowed_file_types: [".json"] },
				make_attachments_public: false,
				on_success(file) {
					frappe
						.call("frappe_support.advisories.github_import.import_file", { file_url: file.file_url })
						.then(done);
				},
			});
		});
		listview.page.add_inner_button(__("Fetch from GitHub"), () =>
			frappe
				.call({
					method: "frappe_support.advisories.github_import.fetch_from_github",
					freeze: true,
					freeze_message: __("Reading advisories from GitHub…"),
				})
				.then(done)
		);
	},
};
