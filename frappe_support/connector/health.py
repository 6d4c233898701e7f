"""The customer site's health snapshot for its provider, built from Frappe's own System Health Report: the
queues' backlog and failing jobs, the scheduler, errors of the last day, the database's size and largest
tables, files and backups, and mail. No user names or addresses go with it (the report's list of active
users stays on the site)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import now_datetime

from frappe_support.common.dates import to_aware

HEALTH_CATEGORIES = ("Scaling", "Server Deployment", "Upgrade")  # raised with the snapshot attached
PARTS = (
	"fetch_background_jobs",
	"fetch_scheduler",
	"fetch_email_stats",
	"fetch_errors",
	"fetch_database_details",
	"fetch_storage_details",
)


def snapshot() -> dict:
	"""The figures as sent (the provider cleans them again); a failing part of the report leaves its
	figures out, as the report itself does."""
	report = frappe.get_doc({"doctype": "System Health Report"})
	for part in PARTS:  # what its load does, less its System Manager check: the raiser need not be one
		getattr(report, part)()
	return {
		"taken_on": to_aware(now_datetime()).isoformat(),
		"scheduler": report.scheduler_status,
		"oldest_unscheduled_job": report.oldest_unscheduled_job,
		"workers": report.total_background_workers,
		"pending_jobs": sum(q.pending_jobs or 0 for q in report.queue_status),
		"queues": [{"queue": q.queue, "pending_jobs": q.pending_jobs} for q in report.queue_status],
		"failed_jobs": sum(w.failed_jobs or 0 for w in report.background_workers),
		"failing_jobs": [
			{"job": j.scheduled_job_type, "failure_rate": j.failure_rate}
			for j in report.failing_scheduled_jobs
		],
		"errors_24h": report.total_errors,
		"top_errors": [{"method": e.title, "count": e.occurrences} for e in report.top_errors],
		"db_size_mb": report.db_storage_usage,
		"largest_tables": [{"table": t.table, "size_mb": t.size} for t in report.top_db_tables],
		"database_version": report.database_version,
		"files_mb": (report.private_files_size or 0) + (report.public_files_size or 0),
		"backups_mb": report.backups_size,
		"emails_7d": report.total_outgoing_emails,
		"emails_pending": report.pending_emails,
		"emails_failed": report.failed_emails,
	}


def snapshot_or_none() -> dict | None:
	"""The snapshot, or None (logged) when the report cannot be built: a report never stops for it."""
	try:
		return snapshot()
	except Exception:
		frappe.log_error(title=_("Site health snapshot failed"))
		return None
