"""Upgrades. The pure-Python rule book (nothing in it imports Frappe): `access` reads a contract's free-text
remote-access window, `windows` checks a proposed upgrade window against the support calendar, the access
window, the notice period and the monitoring engineer's other bookings, and `slots` finds the next free
windows. Beside it the Frappe glue: `booking` (what the Upgrade Schedule's rules read and say; the rules
run on the document) and `reminders` (reminders before a window, overdue windows, the upgrade cadence).
"""
