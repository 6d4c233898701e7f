"""Frappe-side business logic of Frappe Support; the DocType controllers call into these modules."""
