// The support portal's pages: times in the customer's own time zone, live business-time countdowns, and
// the actions, each a call of the customer API (the same door the connector uses).
(function () {
	const API = "/api/method/frappe_support.api.v1.";
	const root = document.querySelector("[data-portal-page]");
	if (!root) return;
	const zone = root.dataset.timezone || undefined;

	const escape = frappe_support.escape; // public/js/frappe_support.js, inlined before this script

	function local(iso) {
		if (!iso) return "";
		const moment = new Date(iso);
		if (isNaN(moment)) return iso;
		const text = new Intl.DateTimeFormat(undefined, {
			timeZone: zone,
			weekday: "short",
			day: "numeric",
			month: "short",
			hour: "2-digit",
			minute: "2-digit",
		}).format(moment);
		return text + " (" + (zone || "") + ")";
	}

	const duration = frappe_support.format_duration;

	function message_of(response, body) {
		try {
			const messages = JSON.parse(body._server_messages || "[]").map((m) => JSON.parse(m).message);
			if (messages.length) return messages.join(" ");
		} catch (e) {
			// not Frappe's message list
		}
		return body.exception || body.message || response.statusText;
	}

	async function call(method, args, verb) {
		const options = { method: verb || "POST", headers: { Accept: "application/json" } };
		let url = API + method;
		if (options.method === "GET") {
			url += "?" + new URLSearchParams(args || {});
		} else if (args instanceof FormData) {
			options.body = args;
		} else {
			options.headers["Content-Type"] = "application/json";
			options.body = JSON.stringify(args || {});
		}
		if (frappe.csrf_token) options.headers["X-Frappe-CSRF-Token"] = frappe.csrf_token;
		const response = await fetch(url, options);
		const body = await response.json().catch(() => ({}));
		if (!response.ok) throw new Error(message_of(response, body));
		return body.message;
	}

	function notify(text, failed) {
		let box = document.querySelector(".fs-notice");
		if (!box) {
			box = document.createElement("div");
			root.prepend(box);
		}
		box.className = "fs-notice alert " + (failed ? "alert-danger" : "alert-success");
		box.textContent = text;
	}

	function act(button, work) {
		button.disabled = true;
		return work()
			.catch((error) => notify(error.message, true))
			.finally(() => (button.disabled = false));
	}

	async function attach(issue, input) {
		for (const file of (input && input.files) || []) {
			const form = new FormData();
			form.append("issue", issue);
			form.append("file", file, file.name);
			await call("attach_file", form);
		}
	}

	function show_times() {
		document.querySelectorAll("time.fs-time").forEach((el) => {
			el.textContent = local(el.getAttribute("datetime"));
		});
	}

	// -- the issue page's clocks, counting down in business time ------------------------------------
	const loaded_at = Date.now();

	function clock_text(el) {
		const d = el.dataset;
		const label = d.label;
		if (d.finished === "1") {
			return d.met === "1"
				? __("{0}: met, resolved {1} (deadline {2})", [label, local(d.resolvedOn), local(d.deadline)])
				: __("{0}: missed, resolved {1} (deadline {2})", [label, local(d.resolvedOn), local(d.deadline)]);
		}
		const elapsed = d.running === "1" ? (Date.now() - loaded_at) / 1000 : 0;
		const left = Number(d.remaining) - elapsed;
		if (d.paused === "1") {
			return __("{0}: paused while we wait for you, {1} of support time left", [label, duration(left)]);
		}
		if (left >= 0) {
			return __("{0}: due in {1} of support time, {2}", [label, duration(left), local(d.deadline)]);
		}
		return __("{0}: overdue by {1} of support time, since {2}", [label, duration(left), local(d.deadline)]);
	}

	function tick() {
		document.querySelectorAll(".fs-clock").forEach((el) => {
			el.textContent = clock_text(el);
			el.dataset.left = Math.round(
				Number(el.dataset.remaining) -
					(el.dataset.running === "1" ? (Date.now() - loaded_at) / 1000 : 0)
			);
			el.classList.toggle("text-danger", Number(el.dataset.left) < 0 && el.dataset.finished !== "1");
		});
	}

	function start_clocks() {
		const clocks = [...document.querySelectorAll(".fs-clock")];
		if (!clocks.length) return;
		tick();
		if (clocks.some((el) => el.dataset.running === "1")) setInterval(tick, 10 * 1000);
		const changes = clocks.map((el) => Number(el.dataset.changesIn)).filter((n) => n > 0);
		// the calendar opens or closes: read the clocks again from the server
		if (changes.length && Math.min(...changes) < 7 * 86400) {
			setTimeout(() => window.location.reload(), (Math.min(...changes) + 1) * 1000);
		}
	}

	function list_clocks() {
		// the issue list's next deadlines in support time, as the desk's list writes them
		document.querySelectorAll(".fs-list-clock").forEach((el) => {
			const d = el.dataset;
			const clock = { remaining: Number(d.remaining), running: d.running === "1", paused: d.paused === "1" };
			el.textContent = frappe_support.clock_words(clock);
			el.classList.toggle("text-danger", clock.remaining < 0);
		});
	}

	// -- pages --------------------------------------------------------------------------------------
	function dashboard() {
		list_clocks();
		const tabs = [...root.querySelectorAll("[data-tab]")];
		function open(name) {
			tabs.forEach((t) => t.classList.toggle("active", t.dataset.tab === name));
			root.querySelectorAll(".fs-tab").forEach((s) => s.classList.toggle("d-none", s.id !== "tab-" + name));
		}
		tabs.forEach((t) =>
			t.addEventListener("click", (e) => {
				e.preventDefault();
				history.replaceState(null, "", "#" + t.dataset.tab);
				open(t.dataset.tab);
			})
		);
		function follow_hash() {
			const wanted = window.location.hash.slice(1);
			if (tabs.some((t) => t.dataset.tab === wanted)) open(wanted);
		}
		window.addEventListener("hashchange", follow_hash);
		follow_hash();

		root.querySelectorAll(".fs-acknowledge").forEach((b) =>
			b.addEventListener("click", () =>
				act(b, async () => {
					await call("acknowledge_exposure", { name: b.dataset.name });
					b.replaceWith(Object.assign(document.createElement("span"), {
						className: "text-muted small fs-acknowledged",
						textContent: __("Acknowledged"),
					}));
				})
			)
		);
		root.querySelectorAll(".fs-book-fix").forEach((b) =>
			b.addEventListener("click", () => act(b, () => fix_panel(b.dataset.name)))
		);
		const wanted_fix = new URLSearchParams(window.location.search).get("fix");
		if (wanted_fix && root.querySelector(`.fs-book-fix[data-name="${CSS.escape(wanted_fix)}"]`)) {
			open("advisories");
			fix_panel(wanted_fix).catch((e) => notify(e.message, true)); // the advisory mail's link
		}
		root.querySelectorAll(".fs-cancel-upgrade").forEach((b) =>
			b.addEventListener("click", () =>
				act(b, async () => {
					await call("cancel_upgrade", { name: b.dataset.name });
					window.location.hash = "upgrades";
					window.location.reload();
				})
			)
		);
		const form = root.querySelector(".fs-request-upgrade");
		if (form) upgrade_form(form);
		root.querySelectorAll(".fs-statement").forEach((link) =>
			link.addEventListener("click", (e) => {
				e.preventDefault();
				const month = link.parentElement.querySelector(".fs-statement-month").value;
				if (!month) return notify(__("Choose the month of the statement first."), true);
				window.location.href =
					API + "statement_pdf?" + new URLSearchParams({ contract: link.dataset.contract, month });
			})
		);
	}

	function window_choices(slots, id, value, group) {
		// free windows as radio buttons, the first chosen; `value(slot)` is what a choice sends
		return slots
			.map(
				(s, i) => `<div class="form-check"><input class="form-check-input" type="radio"
					name="${escape(group || id)}" id="${escape(id)}-${i}" value="${escape(value(s))}" ${i ? "" : "checked"}>
					<label class="form-check-label" for="${escape(id)}-${i}">${escape(local(s.start))} –
					${escape(local(s.end))}</label></div>`
			)
			.join("");
	}

	async function fix_panel(name) {
		// "Book the fix": the plan from the customer API, the free windows to choose from, one click to book
		const row = root.querySelector(`.fs-fix-panel[data-for="${CSS.escape(name)}"]`);
		const cell = row.querySelector("td");
		const p = await call("fix_plan", { name }, "GET");
		const what = __("Upgrade {0} on {1} from {2} to {3}.", [
			escape(p.app_name),
			escape(p.site),
			escape(p.from_version || "?"),
			escape(p.to_version),
		]);
		let choices = "";
		if (p.open_upgrade) {
			choices = `<p class="text-muted">${escape(
				__("Your site already has upgrade {0} open: the fix is added to it.", [p.open_upgrade])
			)}</p>`;
		} else if (p.slots.length) {
			choices = window_choices(p.slots, `fs-fix-${name}`, (s) => s.start);
		} else {
			cell.innerHTML = `<p>${what}</p><p class="text-muted">${escape(
				__("No free window in the coming weeks: write to us.")
			)}</p>`;
			row.classList.remove("d-none");
			return;
		}
		cell.innerHTML = `<div class="fs-fix-plan"><p>${what}</p>${choices}
			<button class="btn btn-sm btn-primary fs-confirm-fix mt-2">${escape(__("Book"))}</button></div>`;
		row.classList.remove("d-none");
		const confirm = cell.querySelector(".fs-confirm-fix");
		confirm.addEventListener("click", () =>
			act(confirm, async () => {
				const chosen = cell.querySelector("input[type=radio]:checked");
				const upgrade = await call("book_fix", {
					name,
					window_start: chosen ? chosen.value : null,
					idempotency_key: confirm.dataset.key || (confirm.dataset.key = String(Date.now()) + Math.random()),
				});
				cell.innerHTML = `<span class="fs-fix-booked">${escape(
					__("Booked: upgrade {0}, {1} – {2}", [upgrade.name, local(upgrade.window_start), local(upgrade.window_end)])
				)}</span>`;
				const button = root.querySelector(`.fs-book-fix[data-name="${CSS.escape(name)}"]`);
				if (button) button.remove();
			})
		);
	}

	function upgrade_form(form) {
		const windows = form.querySelector(".fs-windows");
		form.querySelector(".fs-find-windows").addEventListener("click", (e) =>
			act(e.currentTarget, async () => {
				const slots = await call("upgrade_slots", { site: form.site.value }, "GET");
				windows.innerHTML = slots.length
					? window_choices(slots, "fs-slot", (s) => `${s.start}|${s.end}`, "slot")
					: `<p class="text-muted">${escape(__("No free window in the coming weeks: write to us."))}</p>`;
			})
		);
		form.addEventListener("submit", (e) => {
			e.preventDefault();
			const chosen = form.querySelector("input[name=slot]:checked");
			if (!chosen) return notify(__("Find the free windows and choose one first."), true);
			const [window_start, window_end] = chosen.value.split("|");
			return act(form.querySelector("[type=submit]"), async () => {
				await call("request_upgrade", {
					site: form.site.value,
					window_start,
					window_end,
					apps: [{ app_name: form.app_name.value, to_version: form.to_version.value }],
					idempotency_key: form.dataset.key || (form.dataset.key = String(Date.now()) + Math.random()),
				});
				window.location.hash = "upgrades";
				window.location.reload(); // the request is listed, Requested, until the team schedules it
			});
		});
	}

	function issue_page() {
		const issue = root.dataset.issue;
		start_clocks();
		const form = root.querySelector(".fs-reply-form");
		if (form) {
			form.addEventListener("submit", (e) => {
				e.preventDefault();
				act(form.querySelector("[type=submit]"), async () => {
					if (form.message.value.trim()) {
						await call("reply", {
							issue,
							message: form.message.value,
							idempotency_key: form.dataset.key || (form.dataset.key = String(Date.now()) + Math.random()),
						});
					}
					await attach(issue, form.files);
					window.location.reload();
				});
			});
		}
		for (const [selector, method] of [[".fs-confirm", "confirm_resolved"], [".fs-reopen", "reopen_issue"]]) {
			const button = root.querySelector(selector);
			if (button) {
				button.addEventListener("click", () =>
					act(button, async () => {
						await call(method, { name: issue });
						window.location.reload();
					})
				);
			}
		}
	}

	function new_issue_page() {
		const form = root.querySelector(".fs-new-issue");
		const topics = JSON.parse(root.dataset.topics || "{}");
		function fill_topics() {
			const options = ["", ...(topics[form.category.value] || [])];
			form.topic.innerHTML = options
				.map((t) => `<option value="${escape(t)}">${escape(t ? __(t) : "")}</option>`)
				.join("");
			form.topic.disabled = options.length === 1;
		}
		form.category.addEventListener("change", fill_topics);
		fill_topics();
		form.addEventListener("submit", (e) => {
			e.preventDefault();
			act(form.querySelector("[type=submit]"), async () => {
				const made = await call("raise_issue", {
					subject: form.subject.value,
					description: form.description.value,
					priority: form.priority.value,
					category: form.category.value,
					topic: form.topic.value || null,
					site: form.site.value || null,
					idempotency_key: root.dataset.idempotencyKey,
				});
				await attach(made.name, form.files);
				window.location.href = "/support/issues/" + encodeURIComponent(made.name);
			});
		});
	}

	show_times();
	({ dashboard, issue: issue_page, "new-issue": new_issue_page })[root.dataset.portalPage]();
})();
