"""The SLA engine: business calendars, deadlines and clocks. Pure Python: nothing here imports Frappe."""

from frappe_support.sla.calendar import BusinessCalendar, get_calendar
from frappe_support.sla.clock import (
	ClockResult,
	Countdown,
	Pause,
	consumed,
	countdown,
	explain_clock,
	instant_after,
	run_clock,
)
from frappe_support.sla.days import (
	BUSINESS_DAYS,
	BUSINESS_HOURS,
	CALENDAR_HOURS,
	UNITS,
	WEEKDAY_NAMES,
	check_target,
)
from frappe_support.sla.errors import CalendarError

__all__ = [
	"BUSINESS_DAYS",
	"BUSINESS_HOURS",
	"CALENDAR_HOURS",
	"UNITS",
	"WEEKDAY_NAMES",
	"BusinessCalendar",
	"CalendarError",
	"ClockResult",
	"Countdown",
	"Pause",
	"check_target",
	"consumed",
	"countdown",
	"explain_clock",
	"get_calendar",
	"instant_after",
	"run_clock",
]
