"""How a deadline is reached, in plain words: the explanation shown beside every SLA deadline."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import datetime

from frappe_support.sla.days import (
	BUSINESS_HOURS,
	CALENDAR_HOURS,
	WEEKDAY_NAMES,
	check_target,
	day_date,
	fmt_clock,
)
from frappe_support.sla.errors import _
from frappe_support.sla.zone import DAY


class Explaining:
	"""The explanations of a BusinessCalendar."""

	def explain(self, t: datetime, amount: float, unit: str, translate=None) -> list[str]:
		"""How the deadline of `amount` `unit` after t is reached, in plain words."""
		tr = translate or _
		u = self._instant(t)
		amount = check_target(amount, unit)
		deadline = self.add(t, amount, unit).timestamp()
		lines = [tr("Calendar: {0}, time zone {1}.").format(self.describe(), self.timezone)]
		if unit == CALENDAR_HOURS:
			lines.append(
				tr("Started at {0}; calendar hours run around the clock.").format(self.format_instant(u))
			)
			lines.append(tr("Target: {0} calendar hours of elapsed time.").format(_num(amount)))
		else:
			start, owner = self._open_at_or_after(u)
			if start == u:
				lines.append(tr("Started at {0}, inside business hours.").format(self.format_instant(u)))
			else:
				lines.append(
					tr(
						"Raised at {0}, outside business hours: the clock starts at the next opening, {1}."
					).format(self.format_instant(u), self.format_instant(start))
				)
			if unit == BUSINESS_HOURS:
				lines.append(tr("Target: {0} business hours.").format(_num(amount)))
			else:
				end_day = self._nth_business_day(owner, int(amount))
				lines.append(
					tr(
						"Target: {0} business days: business day {0} after {1} is {2}; the same time of day "
						"there gives {3} business hours."
					).format(
						_num(amount),
						day_date(owner).isoformat(),
						day_date(end_day).isoformat(),
						_num(round(self._seconds_between(start, deadline) / 3600, 2)),
					)
				)
			lines.extend(self._skipped(start, deadline, tr))
		lines.append(tr("Deadline: {0}.").format(self.format_instant(deadline)))
		return lines

	def _skipped(self, start: float, end: float, tr) -> list[str]:
		lines = []
		d1, d2 = self.zone.local_day(start), self.zone.local_day(end)
		for d in self._holiday_days[
			bisect_left(self._holiday_days, d1) : bisect_right(self._holiday_days, d2)
		]:
			if self._nominal[(d + 3) % 7]:
				lines.append(tr("Skipped holiday {0}.").format(day_date(d).isoformat()))
		for a, b, reason in self._closure_reasons:
			if a < end and b > start:
				lines.append(
					tr("Skipped closure from {0} to {1}{2}.").format(
						self.format_instant(a), self.format_instant(b), (": " + reason) if reason else ""
					)
				)
		for when, before, after in self.zone.transitions_between(start, end):
			lines.append(
				tr("Crossed a clock change at {0} (UTC offset {1} to {2}).").format(
					self.format_instant(when), _offset(before), _offset(after)
				)
			)
		return lines

	def describe(self) -> str:
		if self.always_open:
			return "24x7"
		parts = []
		for w in range(7):
			if self._template[w]:
				spans = ", ".join(f"{fmt_clock(s)}-{fmt_clock(e % DAY or DAY)}" for s, e in self._template[w])
				parts.append(f"{WEEKDAY_NAMES[w][:3]} {spans}")
		return "; ".join(parts)


def _num(value: float) -> str:
	return str(int(value)) if value == int(value) else str(value)


def _offset(seconds: int) -> str:
	return ("+" if seconds >= 0 else "-") + fmt_clock(abs(seconds) // 60 * 60)
