"""The customer API, version 1: the one door through which customers reach the provider, from the
support portal (their browser, logged in) and from the connector of their own ERPNext site (token auth
with their provider-side user's API key and secret).

Every method runs as the calling customer user, reaches only the records of the customers that user's
Contact links to, and spends one rate budget per user (120 reads and 30 writes a minute; 429 with
Retry-After beyond). Writes are POST only and take an idempotency key where a retry could repeat them.
Errors are Frappe's: 403 for a record of another customer, 404 for one that does not exist, 417 with a
translated message for bad input. What customers write is sanitized before it is stored.

    /api/method/frappe_support.api.v1.<method>
"""

from frappe_support.api.v1.advisories import acknowledge_exposure, book_fix, fix_plan, list_exposures
from frappe_support.api.v1.contracts import get_contract, list_contracts, statement_pdf
from frappe_support.api.v1.files import attach_file, download_file
from frappe_support.api.v1.issues import (
	confirm_resolved,
	get_issue,
	issue_news,
	list_issues,
	raise_issue,
	reopen_issue,
	reply,
)
from frappe_support.api.v1.sites import get_site, heartbeat, list_sites, ping, report_site
from frappe_support.api.v1.upgrades import cancel_upgrade, list_upgrades, request_upgrade, upgrade_slots

__all__ = [
	"acknowledge_exposure",
	"attach_file",
	"book_fix",
	"cancel_upgrade",
	"confirm_resolved",
	"download_file",
	"fix_plan",
	"get_contract",
	"get_issue",
	"get_site",
	"heartbeat",
	"issue_news",
	"list_contracts",
	"list_exposures",
	"list_issues",
	"list_sites",
	"list_upgrades",
	"ping",
	"raise_issue",
	"reopen_issue",
	"reply",
	"report_site",
	"request_upgrade",
	"statement_pdf",
	"upgrade_slots",
]
