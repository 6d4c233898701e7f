"""Support contracts: `lifecycle` (statuses, renewal), `renewals` (reminders) and `calendars` (Support
Calendar records compiled for the SLA engine). The other domains build on these."""
