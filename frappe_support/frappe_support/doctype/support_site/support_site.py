# Copyright (c) 2026, Frappe Support Developers and contributors
# For license information, please see license.txt

from urllib.parse import urlparse

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from frappe_support.advisories import lifecycle as advisories
from frappe_support.common.fields import ShapeChecked
from frappe_support.permissions import require_staff_on
from frappe_support.sites import uptime
from frappe_support.sites.probe import probe_site


class SupportSite(ShapeChecked, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from frappe_support.frappe_support.doctype.support_site_app.support_site_app import SupportSiteApp

		api_key: DF.Data | None
		api_secret: DF.Password | None
		apps: DF.Table[SupportSiteApp]
		cadence_reminded_on: DF.Date | None
		contract: DF.Link | None
		customer: DF.Link
		downtime: DF.Link | None
		engineer: DF.Link | None
		environment: DF.Literal["Production", "Staging", "Development"]
		health: DF.Literal["Unknown", "Healthy", "Degraded", "Down"]
		health_alerts: DF.Data | None
		health_reported_on: DF.Datetime | None
		heartbeat_alerted_on: DF.Datetime | None
		last_heartbeat_on: DF.Datetime | None
		last_upgraded_on: DF.Datetime | None
		monitor_uptime: DF.Check
		notes: DF.SmallText | None
		probe_status: DF.SmallText | None
		probed_on: DF.Datetime | None
		site_url: DF.Data
		versions_reported_on: DF.Datetime | None
		versions_source: DF.Literal["Manual", "Probe", "Connector"]

	# end: auto-generated types
	def autoname(self):
		self.name = self.hostname()

	def validate(self):
		self.normalize_url()
		self.validate_contract()
		self.validate_apps()
		self.stamp_versions()

	def on_update(self):
		advisories.on_site_update(self)

	@frappe.whitelist()
	def probe(self):
		"""Read the site's app versions and health now (staff only: it uses the site's API key)."""
		require_staff_on(self, "write")
		probe_site(self.name)

	@frappe.whitelist()
	def check_uptime(self) -> dict:
		"""Ping the site now, as a round of the uptime checks does, and record what it finds (staff only)."""
		require_staff_on(self, "write")
		return uptime.check_now(self.name)

	def hostname(self) -> str:
		url = (self.site_url or "").strip()
		host = urlparse(url if "://" in url else "https://" + url).hostname
		if not host:
			frappe.throw(
				_("{0} is not a site URL: write it as https://erp.example.com.").format(self.site_url),
				title=_("Invalid site URL"),
			)
		return host.lower()

	def normalize_url(self):
		url = (self.site_url or "").strip().rstrip("/")
		if "://" not in url:
			url = "https://" + url
		self.hostname()
		self.site_url = url

	def validate_contract(self):
		if not self.contract:
			return
		customer = frappe.get_cached_value("Support Contract", self.contract, "customer")
		if customer != self.customer:
			frappe.throw(
				_(
					"Contract {0} belongs to {1}, not to {2}: choose a contract of this site's customer."
				).format(self.contract, customer, self.customer),
				title=_("Wrong contract"),
			)

	def validate_apps(self):
		seen = set()
		for row in self.apps:
			row.app_name = (row.app_name or "").strip()
			if row.app_name in seen:
				frappe.throw(
					_("App {0} is listed twice: keep one row per app.").format(row.app_name),
					title=_("Duplicate app"),
				)
			seen.add(row.app_name)

	def stamp_versions(self):
		before = self.get_doc_before_save()
		current = [(r.app_name, r.version, r.branch, r.commit) for r in self.apps]
		previous = [(r.app_name, r.version, r.branch, r.commit) for r in before.apps] if before else []
		if current != previous and not self.flags.versions_reported_on:
			self.versions_reported_on = now_datetime()
			if not self.flags.versions_source:
				self.versions_source = "Manual"
