"""Upgrade scheduling: the pure-Python rules for booking upgrade windows (nothing here imports Frappe).

`windows` reads a contract's free-text remote-access window, checks a proposed upgrade window against the
support calendar, the access window, the notice period and the monitoring engineer's other bookings, and
finds the next free windows.
"""
