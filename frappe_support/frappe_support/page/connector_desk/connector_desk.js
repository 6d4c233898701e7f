// Copyright (c) 2026, Frappe Support Developers and contributors
// For license information, please see license.txt

// The customer site's support desk: raise and follow issues, answer the provider, see the advisories that
// affect this site and book upgrades. Every call goes to this site's own server
// (frappe_support.connector.desk), which talks to the provider; the provider's secret never reaches here.

const DESK = "frappe_support.connector.desk.";
const NEWS = "frappe_support.connector.news.";
const STATE_COLORS = frappe_support.SLA_COLORS; // public/js/frappe_support.js

function state_pill(issue) {
	const [label, color] = frappe_support.shown_state(issue.sla_state, issue.clock);
	return `<span class="indicator-pill ${color}">${frappe.utils.escape_html(label)}</span>`;
}

function close_dialog(dialog) {
	// Bootstrap ignores hide() while a modal is still opening (a fast answer on a slow machine): close it
	// once it has opened
	if (!dialog.display) dialog.$wrapper.one("shown.bs.modal", () => dialog.hide());
	dialog.hide();
}

function choices(values) {
	// Select options that keep their value and show the user's language
	return values.map((value) => ({ value, label: __(value) }));
}

frappe.pages["connector-desk"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({
		parent: wrapper,
		title: __("Support Desk"),
		single_column: true,
	});
	wrapper.support_desk = new SupportDesk(page);
};

frappe.pages["connector-desk"].on_page_show = function (wrapper) {
	if (!wrapper.support_desk) return;
	wrapper.support_desk.refresh();
	// a notice of the provider's news opens its issue here (/app/connector-desk?issue=...)
	const issue = new URLSearchParams(window.location.search).get("issue");
	if (issue) wrapper.support_desk.show_issue(issue);
};

class SupportDesk {
	constructor(page) {
		this.page = page;
		page.set_primary_action(__("Raise Support Issue"), () => this.raise_issue(), "add");
		page.add_inner_button(__("Book an Upgrade"), () => this.book_upgrade());
		page.add_inner_button(__("Refresh"), () => this.refresh());
		this.$body = $(`
			<div class="connector-desk">
				<div class="support-desk-waiting"></div>
				<h5 class="mt-4">${__("Your issues")}</h5>
				<div class="support-desk-issues"></div>
				<h5 class="mt-4">${__("Security advisories affecting this site")}</h5>
				<div class="support-desk-advisories"></div>
			</div>`).appendTo(page.main);
	}

	refresh() {
		frappe.xcall(NEWS + "unread_news").then((count) =>
			count
				? this.page.set_indicator(__("{0} new from your provider", [count]), "blue")
				: this.page.clear_indicator()
		);
		this.load(".support-desk-waiting", "waiting", (rows) => this.waiting_html(rows));
		this.load(".support-desk-issues", "list_issues", (rows) => this.issues_html(rows));
		this.load(".support-desk-advisories", "list_exposures", (rows) => this.exposures_html(rows));
	}

	load(selector, method, render) {
		const $area = this.$body.find(selector);
		$area.html(`<div class="text-muted small">${__("Loading...")}</div>`);
		frappe
			.xcall(DESK + method)
			.then((rows) => $area.html(render(rows || [])))
			.catch(() =>
				$area.html(
					`<div class="text-muted small">${__(
						"The support provider could not be reached; try again later."
					)}</div>`
				)
			);
	}

	when(value) {
		// the provider sends ISO 8601 with its offset: shown in this user's own time zone, with its name
		if (!value) return "";
		const zone = (frappe.boot.time_zone && frappe.boot.time_zone.user) || moment.tz.guess();
		return moment(value).tz(zone).format("ddd D MMM HH:mm z");
	}

	waiting_html(rows) {
		if (!rows.length) return "";
		const items = rows
			.map(
				(r) => `<li>${frappe.utils.escape_html(r.summary || r.kind)}
					<span class="indicator-pill ${r.status === "Failed" ? "red" : "orange"}">${
					r.status === "Failed" ? __("Not delivered") : __("Waiting to be delivered")
				}</span>
					<span class="text-muted small">${frappe.utils.escape_html(r.last_error || "")}</span></li>`
			)
			.join("");
		return `<div class="alert alert-warning"><ul class="mb-0">${items}</ul></div>`;
	}

	issues_html(rows) {
		if (!rows.length) return `<div class="text-muted small">${__("No issues yet.")}</div>`;
		const body = rows
			.map(
				(r) => `<tr class="support-desk-issue" data-name="${frappe.utils.escape_html(r.name)}">
					<td><a>${frappe.utils.escape_html(r.subject)}</a><div class="text-muted small">${frappe.utils.escape_html(r.name)}</div></td>
					<td>${frappe.utils.escape_html(__(r.status || ""))}</td>
					<td>${frappe.utils.escape_html(__(r.priority || ""))}</td>
					<td>${state_pill(r)}</td>
					<td>${this.when(r.next_deadline)}${
						r.clock
							? `<div class="small fs-list-clock ${
									r.clock.remaining < 0 ? "text-danger" : "text-muted"
							  }">${frappe.utils.escape_html(frappe_support.clock_words(r.clock))}</div>`
							: ""
					}</td>
				</tr>`
			)
			.join("");
		setTimeout(() =>
			this.$body
				.find(".support-desk-issue")
				.on("click", (e) => this.show_issue($(e.currentTarget).attr("data-name")))
		);
		return `<table class="table table-hover table-sm">
			<thead><tr><th>${__("Issue")}</th><th>${__("Status")}</th><th>${__("Priority")}</th>
			<th>${__("SLA")}</th><th>${__("Next Deadline")}</th></tr></thead><tbody>${body}</tbody></table>`;
	}

	exposures_html(rows) {
		if (!rows.length)
			return `<div class="text-muted small">${__("No open advisory affects this site.")}</div>`;
		const body = rows
			.map(
				(r) => `<tr>
					<td>${frappe.utils.escape_html(r.advisory_title || r.advisory)}</td>
					<td>${frappe.utils.escape_html(__(r.severity || ""))}</td>
					<td>${frappe.utils.escape_html(r.app_name || "")} ${frappe.utils.escape_html(
					r.installed_version || ""
				)}</td>
					<td>${frappe.utils.escape_html(r.fixed_version || "")}</td>
					<td>${
						r.acknowledged_on
							? __("Acknowledged {0}", [this.when(r.acknowledged_on)])
							: `<button class="btn btn-xs btn-default support-desk-ack" data-name="${frappe.utils.escape_html(
									r.name
							  )}">${__("Acknowledge")}</button>`
					}</td>
					<td>${this.fix_html(r)}</td>
				</tr>`
			)
			.join("");
		setTimeout(() => {
			this.$body.find(".support-desk-ack").on("click", (e) => {
				frappe
					.xcall(DESK + "acknowledge_exposure", { name: $(e.currentTarget).attr("data-name") })
					.then(() => this.refresh());
			});
			this.$body
				.find(".support-desk-fix")
				.on("click", (e) => this.book_fix($(e.currentTarget).attr("data-name")));
		});
		return `<table class="table table-sm">
			<thead><tr><th>${__("Advisory")}</th><th>${__("Severity")}</th><th>${__("Installed")}</th>
			<th>${__("Fixed In")}</th><th></th><th>${__("Fix")}</th></tr></thead><tbody>${body}</tbody></table>`;
	}

	fix_html(r) {
		if (r.upgrade_schedule)
			return __("Booked: upgrade {0}", [frappe.utils.escape_html(r.upgrade_schedule)]);
		if (r.status !== "Affected" || !r.fixed_version) return "";
		return `<button class="btn btn-xs btn-primary support-desk-fix" data-name="${frappe.utils.escape_html(
			r.name
		)}">${__("Book the Fix")}</button>`;
	}

	book_fix(name) {
		frappe_support.book_fix_dialog({
			plan: () => frappe.xcall(DESK + "fix_plan", { name }),
			book: (start) => frappe.xcall(DESK + "book_fix", { name, window_start: start }),
			when: (value) => this.when(value),
			on_booked: () => {
				frappe.show_alert({
					message: __("Fix booking sent to your provider"),
					indicator: "green",
				});
				this.refresh();
			},
		});
	}

	raise_issue() {
		const dialog = new frappe.ui.Dialog({
			title: __("Raise Support Issue"),
			fields: [
				{ fieldname: "subject", fieldtype: "Data", label: __("Subject"), reqd: 1 },
				{
					fieldname: "priority",
					fieldtype: "Select",
					label: __("Priority"),
					options: choices(["High", "Medium", "Low"]),
					default: "Medium",
				},
				{
					fieldname: "category",
					fieldtype: "Select",
					label: __("Category"),
					options: choices([
						"Bug",
						"Configuration",
						"Upgrade",
						"Server Deployment",
						"Scaling",
						"Security",
					]),
					default: "Bug",
				},
				{
					fieldname: "health_note",
					fieldtype: "HTML",
					depends_on: "eval:['Scaling', 'Server Deployment', 'Upgrade'].includes(doc.category)",
					options: `<p class="text-muted small">${__(
						"This site's health (queues, errors, database size, from System Health Report) is attached for the engineer."
					)}</p>`,
				},
				{ fieldname: "description", fieldtype: "Text Editor", label: __("Description") },
				{ fieldname: "files", fieldtype: "HTML", options: FILES_INPUT },
				{ fieldname: "errors", fieldtype: "HTML", options: "" },
			],
			primary_action_label: __("Raise"),
			primary_action: (values) => {
				const errors = dialog.$wrapper
					.find(".support-desk-error:checked")
					.map((_i, e) => e.value)
					.get();
				if (errors.length) values.errors = JSON.stringify(errors);
				delete values.health_note;
				send_with_files("raise_issue", values, dialog).then(() => {
					close_dialog(dialog);
					frappe.show_alert({
						message: __("Issue sent to your support provider"),
						indicator: "green",
					});
					setTimeout(() => this.refresh(), 1500);
				});
			},
		});
		dialog.show();
		frappe.xcall("frappe_support.connector.error_report.recent_errors").then((rows) => {
			if (!rows.length) return;
			const items = rows
				.map(
					(r) => `<div class="checkbox"><label><input type="checkbox" class="support-desk-error" value="${frappe.utils.escape_html(
						r.name
					)}"> <span class="small">${this.when(r.when)} · ${frappe.utils.escape_html(
						r.method
					)}<br><span class="text-muted">${frappe.utils.escape_html(r.first_line)}</span></span></label></div>`
				)
				.join("");
			dialog.fields_dict.errors.$wrapper.html(
				`<label class="control-label">${__("Attach recent errors of this site (secrets are removed)")}</label>
				<div style="max-height: 200px; overflow-y: auto">${items}</div>`
			);
		});
	}

	show_issue(name) {
		frappe.xcall(NEWS + "mark_read", { issue: name }).then((read) => read && this.refresh());
		frappe.xcall(DESK + "get_issue", { name }).then((issue) => {
			const clocks = (issue.clocks || [])
				.map((c) =>
					c.finished
						? `<div>${frappe.utils.escape_html(c.label)}: ${
								c.met ? __("met") : __("missed")
						  }</div>`
						: `<div class="fs-clock" data-clock="${c.clock}">${frappe.utils.escape_html(
								c.label
						  )}: ${frappe.utils.escape_html(frappe_support.clock_words(c))}, ${__("due {0}", [
								this.when(c.deadline),
						  ])}</div>`
				)
				.join("");
			const thread = (issue.replies || [])
				.map(
					(r) => `<div class="border-bottom py-2">
						<div class="text-muted small">${frappe.utils.escape_html(
							r.sender_full_name || r.sender || ""
						)} · ${this.when(r.communication_date)}</div>
						<div>${frappe.utils.escape_html(frappe.utils.html2text(r.content || ""))}</div>
					</div>`
				)
				.join("");
			const dialog = new frappe.ui.Dialog({
				// the subject is the customer's own text: a dialog title is set as HTML
				title: frappe.utils.escape_html(issue.subject || ""),
				size: "large",
				fields: [
					{
						fieldname: "summary",
						fieldtype: "HTML",
						options: `<div class="mb-3"><span class="indicator-pill ${
							STATE_COLORS[issue.sla_state] || "gray"
						}">${frappe.utils.escape_html(__(issue.sla_state || ""))}</span> ${frappe.utils.escape_html(
							__(issue.status || "")
						)}${clocks}</div>${
							thread || `<div class="text-muted">${__("No replies yet.")}</div>`
						}${files_html(issue.files || [])}`,
					},
					{ fieldname: "message", fieldtype: "Small Text", label: __("Your reply") },
					{ fieldname: "files", fieldtype: "HTML", options: FILES_INPUT },
				],
				primary_action_label: __("Send Reply"),
				primary_action: ({ message }) => {
					send_with_files("reply", { issue: name, message }, dialog).then(() => {
						close_dialog(dialog);
						frappe.show_alert({ message: __("Reply sent"), indicator: "green" });
						setTimeout(() => this.refresh(), 1500);
					});
				},
			});
			dialog.show();
		});
	}

	book_upgrade() {
		frappe.xcall(DESK + "upgrade_slots").then((slots) => {
			if (!slots.length) {
				frappe.msgprint(__("No free upgrade window was found; your provider will propose one."));
				return;
			}
			const dialog = new frappe.ui.Dialog({
				title: __("Book an Upgrade"),
				fields: [
					frappe_support.window_field(slots, (s) => `${this.when(s.start)} – ${this.when(s.end)}`),
					{ fieldname: "app_name", fieldtype: "Data", label: __("App"), default: "erpnext", reqd: 1 },
					{ fieldname: "to_version", fieldtype: "Data", label: __("Target Version"), reqd: 1 },
				],
				primary_action_label: __("Request"),
				primary_action: (values) => {
					const slot = slots[Number(values.slot)];
					frappe
						.xcall(DESK + "request_upgrade", {
							window_start: slot.start,
							window_end: slot.end,
							apps: [{ app_name: values.app_name, to_version: values.to_version }],
						})
						.then(() => {
							close_dialog(dialog);
							frappe.show_alert({ message: __("Upgrade requested"), indicator: "green" });
							this.refresh();
						});
				},
			});
			dialog.show();
		});
	}
}

// files go with a new issue or a reply: the desk method gets them as multipart `files`
const FILES_INPUT = `<div class="form-group"><label class="control-label">${__("Attach Files")}</label>
	<input type="file" class="form-control support-desk-files" multiple></div>`;

function send_with_files(method, values, dialog) {
	const input = dialog.$wrapper.find(".support-desk-files")[0];
	const files = (input && input.files) || [];
	if (!files.length) return frappe.xcall(DESK + method, values);
	const form = new FormData();
	Object.entries(values).forEach(([key, value]) => value != null && form.append(key, value));
	Array.from(files).forEach((file) => form.append("files", file, file.name));
	return fetch("/api/method/" + DESK + method, {
		method: "POST",
		headers: { "X-Frappe-CSRF-Token": frappe.csrf_token, Accept: "application/json" },
		body: form,
	}).then(async (response) => {
		const body = await response.json().catch(() => ({}));
		if (!response.ok) {
			const messages = JSON.parse(body._server_messages || "[]").map((m) => JSON.parse(m).message);
			frappe.msgprint({ message: messages.join("<br>") || response.statusText, indicator: "red" });
			throw new Error(messages.join(" "));
		}
		return body.message;
	});
}

function files_html(files) {
	if (!files.length) return "";
	const links = files
		.map(
			(f) => `<li><a class="support-desk-file" href="/api/method/${DESK}download_file?name=${encodeURIComponent(
				f.name
			)}">${frappe.utils.escape_html(f.file_name)}</a></li>`
		)
		.join("");
	return `<div class="mt-3"><b>${__("Files")}</b><ul>${links}</ul></div>`;
}
