"""The rules of site health, without Frappe: a snapshot from a customer site cleaned to what the provider
keeps (known keys, bounded numbers and texts), the thresholds it crosses, and the monthly trend of a site's
daily snapshots (database size and growth, errors a day).

A snapshot is what the customer site's connector builds from Frappe's own System Health Report; the
provider trusts none of it: unknown keys are dropped, numbers are clamped to >= 0 and texts cut short.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

NUMBERS = (
	"workers",
	"pending_jobs",
	"failed_jobs",
	"errors_24h",
	"db_size_mb",
	"files_mb",
	"backups_mb",
	"emails_pending",
	"emails_failed",
	"emails_7d",
)
TEXTS = ("taken_on", "scheduler", "oldest_unscheduled_job", "database_version")
LISTS = {  # list key: (its text field, its number field), at most LIST_ROWS rows
	"largest_tables": ("table", "size_mb"),
	"top_errors": ("method", "count"),
	"failing_jobs": ("job", "failure_rate"),
	"queues": ("queue", "pending_jobs"),
}
LIST_ROWS = 10
TEXT_LENGTH = 140
LARGEST = 1e12  # no real figure is larger: anything above is garbage


def number(value) -> float | None:
	try:
		n = float(value)
	except (TypeError, ValueError):
		return None
	if math.isnan(n) or math.isinf(n):
		return None
	return round(min(max(n, 0.0), LARGEST), 2)


def text(value) -> str | None:
	if value is None or isinstance(value, dict | list):
		return None
	return str(value).replace("\n", " ").strip()[:TEXT_LENGTH] or None


def clean(snapshot) -> dict:
	"""What is kept of a snapshot: its known keys only, each of its kind; {} for anything not a dict."""
	if not isinstance(snapshot, dict):
		return {}
	kept = {k: number(snapshot.get(k)) for k in NUMBERS if number(snapshot.get(k)) is not None}
	kept.update({k: text(snapshot.get(k)) for k in TEXTS if text(snapshot.get(k))})
	for key, (label, figure) in LISTS.items():
		rows = snapshot.get(key)
		if isinstance(rows, list):
			kept[key] = [
				{label: text(r.get(label)) or "", figure: number(r.get(figure)) or 0.0}
				for r in rows[:LIST_ROWS]
				if isinstance(r, dict)
			]
	return kept


@dataclass(frozen=True)
class Thresholds:
	db_growth_mb: float  # database growth over the last 30 days; 0: not checked
	errors_per_day: float  # Error Log entries in the last 24 hours
	pending_jobs: float  # jobs waiting in the site's queues


def crossed(
	latest: dict, db_month_ago_mb: float | None, limits: Thresholds
) -> dict[str, tuple[float, float]]:
	"""{threshold: (figure, limit)} of the thresholds this snapshot is over (a limit of 0 is off)."""
	figures = {
		"errors_per_day": latest.get("errors_24h"),
		"pending_jobs": latest.get("pending_jobs"),
		"db_growth_mb": None
		if db_month_ago_mb is None or latest.get("db_size_mb") is None
		else round(latest["db_size_mb"] - db_month_ago_mb, 2),
	}
	over = {}
	for key, figure in figures.items():
		limit = getattr(limits, key)
		if limit and limit > 0 and figure is not None and figure > limit:
			over[key] = (figure, limit)
	return over


def monthly_trend(days: list[tuple[date, float | None, float | None]]) -> list[dict]:
	"""(day, database MB, errors in the last 24 h) rows, any order -> one row a month, oldest first: the
	month's last database size, its growth since the month before's last, and the mean errors a day."""
	months: dict[str, list[tuple[date, float | None, float | None]]] = {}
	for row in sorted(days):
		months.setdefault(row[0].strftime("%Y-%m"), []).append(row)
	trend, previous = [], None
	for month, rows in months.items():
		sizes = [size for _day, size, _errors in rows if size is not None]
		errors = [e for _day, _size, e in rows if e is not None]
		size = sizes[-1] if sizes else None
		trend.append(
			{
				"month": month,
				"db_size_mb": size,
				"growth_mb": None if size is None or previous is None else round(size - previous, 2),
				"errors_per_day": round(sum(errors) / len(errors), 1) if errors else None,
				"days": len(rows),
			}
		)
		previous = size if size is not None else previous
	return trend
