"""Site health rules: whatever a customer site sends, what is kept is known keys of their kind; the thresholds
crossed, each with its figure and limit; the monthly trend against a simple oracle. (Told once per crossing:
tests/integration/test_site_health.py.)"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from frappe_support.sites.health_rules import (
	LIST_ROWS,
	LISTS,
	NUMBERS,
	TEXT_LENGTH,
	TEXTS,
	Thresholds,
	clean,
	crossed,
	monthly_trend,
)

anything = st.recursive(
	st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=300),
	lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=15), inner, max_size=4),
	max_leaves=12,
)
keys = st.sampled_from([*NUMBERS, *TEXTS, *LISTS, "last_10_active_users", "password", "__proto__"])
snapshots = st.dictionaries(keys, anything, max_size=12) | anything


@given(snapshots)
def test_clean_keeps_only_known_keys_of_their_kind(raw):
	kept = clean(raw)
	assert set(kept) <= {*NUMBERS, *TEXTS, *LISTS}
	for key, value in kept.items():
		if key in NUMBERS:
			assert isinstance(value, float) and 0 <= value <= 1e12
		elif key in TEXTS:
			assert isinstance(value, str) and 0 < len(value) <= TEXT_LENGTH and "\n" not in value
		else:
			label, figure = LISTS[key]
			assert isinstance(value, list) and len(value) <= LIST_ROWS
			assert all(set(row) == {label, figure} for row in value)
			assert all(isinstance(row[figure], float) and row[figure] >= 0 for row in value)


def test_clean_examples():
	assert clean("not a dict") == {}
	kept = clean(
		{
			"db_size_mb": "45.75",
			"errors_24h": -3,
			"pending_jobs": float("nan"),
			"scheduler": "Active\nreally",
			"last_10_active_users": "a@b.c",
			"largest_tables": [{"table": "tabGL Entry", "size_mb": 10}, "junk"],
		}
	)
	assert kept == {
		"db_size_mb": 45.75,
		"errors_24h": 0.0,
		"scheduler": "Active really",
		"largest_tables": [{"table": "tabGL Entry", "size_mb": 10.0}],
	}


def test_crossed_says_each_threshold_with_its_figure_and_limit():
	limits = Thresholds(db_growth_mb=100, errors_per_day=10, pending_jobs=0)  # jobs: off
	latest = {"db_size_mb": 450.0, "errors_24h": 11.0, "pending_jobs": 9999.0}
	assert crossed(latest, 300.0, limits) == {"db_growth_mb": (150.0, 100), "errors_per_day": (11.0, 10)}
	assert crossed(latest, None, limits) == {"errors_per_day": (11.0, 10)}  # no month-ago size yet
	assert crossed({"errors_24h": 10.0}, None, limits) == {}  # at the limit is not over it


days = st.lists(
	st.tuples(
		st.integers(min_value=0, max_value=500).map(lambda n: date(2026, 1, 1) + timedelta(days=n)),
		st.none() | st.floats(min_value=0, max_value=1e6, allow_nan=False),
		st.none() | st.floats(min_value=0, max_value=1e5, allow_nan=False),
	),
	max_size=40,
	unique_by=lambda row: row[0],
)


@given(days)
def test_monthly_trend_matches_the_oracle(rows):
	trend = monthly_trend(rows)
	months = sorted({d.strftime("%Y-%m") for d, _s, _e in rows})
	assert [m["month"] for m in trend] == months
	last_size = None
	for month in trend:
		in_month = sorted(r for r in rows if r[0].strftime("%Y-%m") == month["month"])
		sizes = [s for _d, s, _e in in_month if s is not None]
		errors = [e for _d, _s, e in in_month if e is not None]
		assert month["db_size_mb"] == (sizes[-1] if sizes else None)
		assert month["days"] == len(in_month)
		expected_growth = None if not sizes or last_size is None else round(sizes[-1] - last_size, 2)
		assert month["growth_mb"] == expected_growth
		assert month["errors_per_day"] == (round(sum(errors) / len(errors), 1) if errors else None)
		if sizes:
			last_size = sizes[-1]
