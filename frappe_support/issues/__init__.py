"""Support issues: `deadlines` (the SLA engine applied to an issue), `panel` (its explanation), `sweep`,
`recompute`, `follow_up`, `coverage` (contract topics), `mail_in` and `communication` (issues by email, and
the thread), `notifications` (who hears of an SLA event) and `statement` (a contract's monthly SLA statement:
its issues and their outcomes)."""
