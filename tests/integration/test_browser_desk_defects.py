"""Issue 19 in Chromium, as a new provider meets the desk: picking a link fills what the server would
(site: its contract; issue: customer and contract; upgrade: contract, the site's apps at their versions,
a free window with its engineer), the site's headline shows once, a saved upgrade's status moves only
through Set Status, durations read in support time the same on the list and the form (and the list says
when a clock stands still), Explain Deadline covers both clocks, the timeline has no bare "Both", and an
advisory's form follows its matching job (queued, then done when a real worker ran it, without a reload).
The manager's desk zone is America/New_York, so every time shown carries a zone (EST/EDT)."""

from __future__ import annotations

import re

import frappe
from frappe.utils import add_days, getdate

from frappe_support.sla.durations import format_support_time
from tests.integration.test_browser import PASSWORD, BrowserCase, shot_on_failure
from tests.integration.utils import BERLIN_WEEK, draft_advisory, run_in_sites, unique

ZONED = r"\d\d:\d\d E[SD]T"  # a time of the manager's zone, labelled


class TestDeskDefectsInTheBrowser(BrowserCase):
	@classmethod
	def make_records(cls):
		helper = cls("test_the_forms_fill_what_a_picked_link_tells")
		made = cls.committed.add
		calendar = cls.two_customers(helper)
		contract = helper.make_contract(
			cls.mine, calendar=calendar, covers_upgrade=1, covers_security_alerts=1
		)
		cls.contract = made("Support Contract", contract.name)
		cls.support_site = made(
			"Support Site",
			helper.make_site(cls.mine, contract.name, {"frappe": "15.50.0", "erpnext": "15.40.0"}),
		)
		# a second contract whose calendar is closed all of today (Berlin): its clock stands still
		other_day = add_days(getdate(), 3).strftime("%A")
		closed = made(
			"Support Calendar",
			helper.make_calendar(hours=[dict(BERLIN_WEEK[0], weekday=other_day)]),
		)
		cls.theirs_contract = made("Support Contract", helper.make_contract(cls.theirs, calendar=closed).name)
		cls.standing = helper.make_issue(
			frappe.get_doc("Support Contract", cls.theirs_contract), opening=frappe.utils.now_datetime()
		).name
		cls.advisory = made(
			"Security Advisory", draft_advisory("Desk matching", ">= 15.0.0, < 15.72.0", "15.72.0").name
		)
		cls.manager = cls.committed.user("Manager", ["Support Manager"], password=PASSWORD)[0]
		frappe.db.set_value("User", cls.manager, "time_zone", "America/New_York")

	def pick(self, fieldname: str, value: str, scope: str = ""):
		field = self.page.locator(f"{scope} input[data-fieldname='{fieldname}']").first
		field.fill(value)
		self.page.locator(".awesomplete [role='option']", has_text=value).first.click()

	def value_of(self, fieldname: str, timeout: int = 10_000):
		self.page.wait_for_function("(f) => cur_frm && cur_frm.doc[f]", arg=fieldname, timeout=timeout)
		return self.page.evaluate("(f) => cur_frm.doc[f]", fieldname)

	def saved(self, doctype_route: str) -> str:
		self.page.keyboard.press("Control+s")
		self.page.wait_for_function(
			"(r) => cur_frm && !cur_frm.is_new() && location.pathname.startsWith('/app/' + r + '/')",
			arg=doctype_route,
			timeout=30_000,
		)
		self.page.wait_for_load_state("networkidle")
		return self.page.evaluate("cur_frm.doc.name")

	@shot_on_failure
	def test_the_forms_fill_what_a_picked_link_tells(self):
		page = self.page
		self.login(self.manager)
		# a site: the customer's one active contract as soon as the customer is picked
		self.open("/app/support-site/new", "input[data-fieldname='site_url']")
		page.fill("input[data-fieldname='site_url']", f"https://{unique('picked').lower()}.example.com")
		self.pick("customer", self.mine)
		self.assertEqual(self.value_of("contract"), self.contract)  # before it is saved
		site = self.committed.add("Support Site", self.saved("support-site"))
		headline = page.locator(".form-message", has_text="No completed upgrade on record.")
		self.assertEqual(headline.count(), 1)
		# an issue: the site's customer and contract when the site is picked
		self.open("/app/support-issue/new", "input[data-fieldname='subject']")
		page.fill("input[data-fieldname='subject']", unique("Picked site"))
		self.pick("site", site)
		self.assertEqual((self.value_of("customer"), self.value_of("contract")), (self.mine, self.contract))
		# an upgrade: contract, the site's apps from the versions they run, and a free window
		self.open("/app/upgrade-schedule/new", "input[data-fieldname='site']")
		self.pick("site", self.support_site)
		self.assertEqual(self.value_of("contract"), self.contract)
		page.wait_for_function("cur_frm.doc.apps.length && cur_frm.doc.apps[0].from_version")
		apps = page.evaluate("cur_frm.doc.apps.map(a => [a.app_name, a.from_version])")
		self.assertEqual(sorted(apps), [["erpnext", "15.40.0"], ["frappe", "15.50.0"]])
		# a row added by hand is offered the site's apps, and takes the version it runs
		page.evaluate(
			"cur_frm.doc.apps.filter(a => a.app_name === 'erpnext').forEach(a => cur_frm.get_field('apps').grid.grid_rows_by_docname[a.name].remove())"
		)
		page.locator(".frappe-control[data-fieldname='apps'] .grid-add-row").click()
		cell = page.locator(".frappe-control[data-fieldname='apps'] .grid-row").last.locator(
			"[data-fieldname='app_name']"
		)
		cell.click()
		typed = cell.locator("input")
		typed.fill("erp")
		suggestion = page.locator(
			".frappe-control[data-fieldname='apps'] .awesomplete li", has_text="erpnext"
		)
		suggestion.first.click()
		page.wait_for_function(
			"cur_frm.doc.apps.some(a => a.app_name === 'erpnext' && a.from_version === '15.40.0')"
		)
		page.evaluate(
			"cur_frm.doc.apps.forEach(a => frappe.model.set_value(a.doctype, a.name, 'to_version', '15.90.0'))"
		)
		page.locator(
			".page-actions button, .form-inner-toolbar button", has_text="Find Free Window"
		).first.click()
		dialog = page.locator(".modal.show", has_text="Find Free Window")
		dialog.locator("select").wait_for(timeout=10_000)
		self.assertRegex(dialog.locator("select option").first.inner_text(), ZONED)
		self.shot("desk-upgrade-free-window")
		dialog.locator("button.btn-primary", has_text="Use Window").click()
		self.assertTrue(self.value_of("window_start") and self.value_of("engineer"))
		page.evaluate("cur_frm.set_value('status', 'Scheduled')")
		upgrade = self.committed.add("Upgrade Schedule", self.saved("upgrade-schedule"))
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Upgrade Schedule", upgrade, "status"), "Scheduled")
		# saved: the status field is read-only, Set Status offers the next steps
		self.assertEqual(page.evaluate("cur_frm.get_field('status').disp_status"), "Read")
		page.locator(".inner-group-button button", has_text="Set Status").click()
		self.assertTrue(
			page.locator(".inner-group-button .dropdown-item", has_text="In Progress").is_visible()
		)
		self.assertNoConsoleErrors()

	@shot_on_failure
	def test_support_time_reads_the_same_on_the_list_and_the_form(self):
		page = self.page
		self.login(self.manager)
		self.open("/app/support-issue/new", "input[data-fieldname='subject']")
		page.fill("input[data-fieldname='subject']", unique("Support time"))
		self.pick("site", self.support_site)
		self.value_of("contract")
		page.select_option("select[data-fieldname='priority']", "High")
		name = self.saved("support-issue")
		countdown = page.locator(".sla-clock[data-clock='Resolution'] .sla-countdown")
		countdown.wait_for(timeout=20_000)
		self.assertRegex(countdown.inner_text(), rf"^Due in (7 h 59 min|8 h) of support time, .*{ZONED}$")
		response = page.locator(".sla-clock[data-clock='Response'] .sla-countdown").inner_text()
		first = re.match(r"^Due in (59 min|1 h) of support time", response)  # High: 1 business hour
		self.assertTrue(first, response)
		self.assertEqual(page.locator(".sla-why").count(), 0)  # explained once: the button
		page.locator(
			".page-actions button, .form-inner-toolbar button", has_text="Explain Deadline"
		).first.click()
		dialog = page.locator(".modal.show", has_text="How the deadlines were reached")
		sections = dialog.locator(".sla-why-section strong")
		sections.first.wait_for(timeout=10_000)
		self.assertEqual(sections.all_inner_texts(), ["First response", "Resolution"])
		self.shot("desk-explain-both-deadlines")
		dialog.locator(".btn-modal-close").first.click()
		page.locator("button.nav-link", has_text="SLA").first.click()
		timeline = page.locator(".sla-timeline")
		timeline.locator(".sla-event").first.wait_for(timeout=10_000)
		self.assertIn("First response and resolution", timeline.inner_text())
		self.assertNotRegex(timeline.inner_text(), r"\bBoth\b")
		self.assertRegex(timeline.inner_text(), ZONED)
		# the list: the same words, and the other customer's issue on a closed calendar stands still
		self.open(
			f"/app/support-issue?customer={self.mine}", f".fs-list-clock[data-name='{name}'][data-remaining]"
		)
		listed = page.locator(f".fs-list-clock[data-name='{name}']").inner_text()
		self.assertRegex(listed, r"^(59 min|1 h) left$")  # the next deadline: the first response's
		self.assertEqual(listed.split(" left")[0], first.group(1))  # as the form says it
		title = page.locator(f".fs-list-clock[data-name='{name}']").get_attribute("title")
		self.assertRegex(title, rf"^(59 min|1 h) of support time left · .*{ZONED}$")
		self.open(
			f"/app/support-issue?customer={self.theirs}",
			f".fs-list-clock[data-name='{self.standing}'][data-remaining]",
		)
		stopped = page.locator(f".fs-list-clock[data-name='{self.standing}']").inner_text()
		self.assertRegex(stopped, r"^\d+ h( \d+ min)? left · stopped$")
		row = page.locator(".list-row", has=page.locator(f".list-row-checkbox[data-name='{self.standing}']"))
		self.assertEqual(row.locator(".indicator-pill").first.inner_text().strip(), "Off Hours")
		self.shot("desk-issue-list-support-time")
		self.assertNoConsoleErrors()

	@shot_on_failure
	def test_one_duration_formatter_on_the_server_and_in_the_browser(self):
		self.login(self.manager)
		values = [0, 29, 30, 59 * 60 + 31, 3600, 32 * 3600, 32 * 3600 + 61, -(8 * 3600 + 1800), 1_000_000]
		shown = self.page.evaluate("(vs) => vs.map((v) => frappe_support.format_duration(v))", values)
		self.assertEqual(shown, [format_support_time(v) for v in values])
		self.assertNotIn("1 d", " ".join(shown))

	@shot_on_failure
	def test_the_advisory_form_follows_its_matching_job(self):
		from frappe.utils.background_jobs import get_queue, get_workers

		page = self.page
		self.login(self.manager)
		self.open(f"/app/security-advisory/{self.advisory}", ".page-actions")
		page.locator(".page-actions button", has_text="Publish").first.click()
		page.locator(".modal.show button.btn-primary", has_text="Yes").click()
		state = page.locator(".form-message .matching-state")
		state.wait_for(timeout=20_000)
		listening = bool(get_workers(get_queue("long")))
		if not listening:  # the job waits in the queue: the form says so, and why
			self.assertEqual(state.get_attribute("data-state"), "queued")
			self.assertRegex(state.inner_text(), rf"^Matching queued at .*{ZONED}")
			self.assertIn(
				"No background worker is listening on the long queue",
				page.locator(".matching-warning").inner_text(),
			)
			self.assertIn("not matched yet", page.locator(".form-message").inner_text())
			self.shot("desk-advisory-matching-queued")
		page.evaluate("window.fs_not_reloaded = true")
		run_in_sites(
			["-m", "frappe.utils.bench_helper", "frappe", "worker", "--queue", "long", "--burst"], "a worker"
		)
		page.locator(".matching-state[data-state='done']").wait_for(timeout=30_000)  # told, not polled
		self.assertRegex(page.locator(".matching-state").inner_text(), rf"^Matching done at .*{ZONED}")
		self.assertTrue(page.evaluate("window.fs_not_reloaded === true"))
		page.locator(".advisory-exposures").wait_for(timeout=10_000)
		self.assertIn(self.support_site, page.locator(".advisory-exposures").inner_text())
		self.shot("desk-advisory-matching-done")
		self.assertNoConsoleErrors()
