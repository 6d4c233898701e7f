"""Upgrades. `windows` is the pure-Python rule book (nothing in it imports Frappe): it reads a contract's
free-text remote-access window, checks a proposed upgrade window against the support calendar, the access
window, the notice period and the monitoring engineer's other bookings, and finds the next free windows.
Beside it the Frappe glue: `booking` (Upgrade Schedule's rules and slots) and `reminders` (reminders before a
window, overdue windows, the upgrade cadence).
"""
