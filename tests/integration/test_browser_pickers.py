"""Issue 19, item 3 in Chromium: the pickers whose options come from the server suggest them. The Topic of a
Support Issue (Upgrade: Failing Patches, Slow Patches, Dependency Issues) and the Time Zone of a Support
Calendar (hundreds of zones) used to show empty lists: their options were set after the control was built.
"""

from __future__ import annotations

from tests.integration.test_browser import PASSWORD, BrowserCase, shot_on_failure


class TestPickersSuggest(BrowserCase):
	@classmethod
	def make_records(cls):
		cls.manager = cls.committed.user("Manager", ["Support Manager"], password=PASSWORD)[0]

	def suggestions(self, fieldname: str, typed: str) -> list[str]:
		field = self.page.locator(f".frappe-control[data-fieldname='{fieldname}'] input")
		field.click()
		field.fill(typed)
		items = self.page.locator(f".frappe-control[data-fieldname='{fieldname}'] .awesomplete ul li")
		items.first.wait_for(timeout=10_000)
		return items.all_inner_texts()

	@shot_on_failure
	def test_topic_suggests_the_categorys_topics(self):
		self.login(self.manager)
		self.open("/app/support-issue/new", ".frappe-control[data-fieldname='category'] select")
		self.page.locator(".frappe-control[data-fieldname='category'] select").select_option("Upgrade")
		self.page.wait_for_load_state("networkidle")
		shown = self.suggestions("topic", "Patch")
		self.assertEqual(sorted(shown), ["Failing Patches", "Slow Patches"])
		self.shot("desk-topic-suggestions")
		self.assertNoConsoleErrors()

	@shot_on_failure
	def test_time_zone_suggests_zones(self):
		self.login(self.manager)
		self.open("/app/support-calendar/new", ".frappe-control[data-fieldname='timezone'] input")
		self.page.wait_for_load_state("networkidle")
		shown = self.suggestions("timezone", "Europe/Ber")
		self.assertIn("Europe/Berlin", shown)
		self.shot("desk-time-zone-suggestions")
		self.assertNoConsoleErrors()
