"""Benchmark of the pure-Python SLA engine (frappe_support/sla): deadlines per second.

Run from the repository root:  python benchmarks/sla_engine.py [--starts 20000] [--repeat 3]
Run by a bench's Python ($FRAPPE_BENCH/env/bin/python benchmarks/sla_engine.py) it also times ERPNext's
get_expected_time_for on the same inputs and counts the queries of a Support Issue insert and priority change.

Calendar: Europe/Berlin, Monday to Friday 09:00-17:00, the German public holidays of 2025-2026 and a few
closures. Start instants are spread over 2025 (a fixed seed), inside and outside business hours. "cold" is
the first pass over a fresh calendar (it builds its per-day cache), "warm" the best of the later passes
(what a long-running worker sees: get_calendar() shares compiled calendars).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import sys
import time
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
	sys.path.insert(0, ROOT)

from frappe_support.sla import BUSINESS_DAYS, BUSINESS_HOURS, CALENDAR_HOURS, BusinessCalendar, run_clock

BERLIN = ZoneInfo("Europe/Berlin")
GERMAN_HOLIDAYS = (
	"2025-01-01", "2025-01-06", "2025-03-08", "2025-04-18", "2025-04-21", "2025-05-01", "2025-05-29",
	"2025-06-09", "2025-06-19", "2025-08-15", "2025-10-03", "2025-10-31", "2025-11-01", "2025-11-19",
	"2025-12-25", "2025-12-26",
	"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25", "2026-10-03",
	"2026-12-25", "2026-12-26",
)  # fmt: skip


def build_calendar() -> BusinessCalendar:
	return BusinessCalendar(
		"Europe/Berlin",
		{d: [("09:00", "17:00")] for d in range(5)},
		holidays=[date.fromisoformat(h) for h in GERMAN_HOLIDAYS],
		closures=[
			(datetime(2025, 7, 18, tzinfo=BERLIN), datetime(2025, 7, 19, tzinfo=BERLIN), "Server migration"),
			(
				datetime(2025, 9, 12, 9, tzinfo=BERLIN),
				datetime(2025, 9, 12, 13, tzinfo=BERLIN),
				"Team offsite",
			),
			(
				datetime(2025, 12, 24, 12, tzinfo=BERLIN),
				datetime(2025, 12, 24, 17, tzinfo=BERLIN),
				"Christmas Eve",
			),
			(
				datetime(2025, 12, 31, 12, tzinfo=BERLIN),
				datetime(2026, 1, 1, tzinfo=BERLIN),
				"New Year's Eve",
			),
		],
	)


def make_starts(n: int, seed: int = 20250606) -> list[datetime]:
	"""n instants over 2025: half at a random second, half at a random minute in office hours."""
	rng = random.Random(seed)
	lo = int(datetime(2025, 1, 1, tzinfo=timezone.utc).timestamp())
	hi = int(datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp())
	starts = []
	for k in range(n):
		if k % 2:
			starts.append(datetime.fromtimestamp(rng.randrange(lo, hi), timezone.utc))
		else:
			day = datetime.fromtimestamp(rng.randrange(lo, hi), BERLIN)
			starts.append(day.replace(hour=rng.randrange(9, 17), minute=rng.randrange(60), second=0))
	return starts


def time_calls(label: str, call, starts: list[datetime], repeat: int) -> None:
	"""Time call(start) over all starts: one cold pass on a fresh calendar, then `repeat` warm passes."""
	timings = []
	for _k in range(1 + repeat):
		t0 = time.perf_counter()
		for start in starts:
			call(start)
		timings.append(time.perf_counter() - t0)
	cold, warm = timings[0], min(timings[1:]) if repeat else timings[0]
	n = len(starts)
	print(
		f"  {label:<34} {warm / n * 1e6:8.2f} us/call  {n / warm:>10,.0f} deadlines/s"
		f"   (cold pass {cold / n * 1e6:7.2f} us/call)"
	)


def erpnext_comparison(starts: list[datetime]) -> None:
	"""Inside a bench: ERPNext's own deadline arithmetic on the same inputs, and issue query counts."""
	if importlib.util.find_spec("frappe") is None:
		print("\nERPNext comparison and query counts: skipped (run with a bench's Python to get them).")
		return
	sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
	import bench_site

	site = bench_site.connect()
	if not site:
		print("\nERPNext comparison and query counts: skipped (no site found; set FRAPPE_BENCH/FRAPPE_SITE).")
		return
	print(f"\nSite: {site}")
	cal = BusinessCalendar(  # the same inputs ERPNext gets: weekly hours and holidays, no closures
		"Europe/Berlin",
		{d: [("09:00", "17:00")] for d in range(5)},
		holidays=[date.fromisoformat(h) for h in GERMAN_HOLIDAYS],
	)
	bench_site.erpnext_vs_ours(starts, list(GERMAN_HOLIDAYS), lambda s: cal.add(s, 8, BUSINESS_DAYS))
	bench_site.issue_query_counts()


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--starts", type=int, default=20_000, help="start instants per measurement")
	parser.add_argument("--repeat", type=int, default=3, help="warm passes (the best one is reported)")
	args = parser.parse_args()
	starts = make_starts(args.starts)
	print(f"SLA engine benchmark: Python {sys.version.split()[0]}, {len(starts):,} start instants over 2025")
	print("Calendar: Europe/Berlin Mon-Fri 09:00-17:00, 25 German holidays 2025-2026, 4 closures\n")

	cases = [
		("8 Business Days", 8, BUSINESS_DAYS),
		("4 Business Days", 4, BUSINESS_DAYS),
		("8 Business Hours", 8, BUSINESS_HOURS),
		("250 Business Days", 250, BUSINESS_DAYS),
		("2000 Business Hours", 2000, BUSINESS_HOURS),
		("24 Calendar Hours", 24, CALENDAR_HOURS),
	]
	print("cal.add(start, amount, unit):")
	for label, amount, unit in cases:
		cal = build_calendar()
		time_calls(label, lambda s, cal=cal, a=amount, u=unit: cal.add(s, a, u), starts, args.repeat)

	print("\nrun_clock(cal, start, amount, unit) (deadline + at-risk, no pauses):")
	for label, amount, unit in cases[:3]:
		cal = build_calendar()
		time_calls(label, lambda s, cal=cal, a=amount, u=unit: run_clock(cal, s, a, u), starts, args.repeat)

	cal = build_calendar()
	sample = starts[0]
	print(f"\nExample: {sample.astimezone(BERLIN):%a %Y-%m-%d %H:%M %Z} + 8 Business Days = ", end="")
	print(f"{cal.add(sample, 8, BUSINESS_DAYS):%a %Y-%m-%d %H:%M %Z}")
	erpnext_comparison(starts)


if __name__ == "__main__":
	main()
