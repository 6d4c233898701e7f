"""Security advisories: `versions` is the pure-Python version engine (nothing in it imports Frappe); beside
it its Frappe glue: `lifecycle` (the jobs of a publish or a withdrawal, the catch-up), `matching` (exposures
of the covered sites), `mail` (who is told what) and `github_import`. Publishing, withdrawing and the ranges
are on the Security Advisory document, acknowledging on the Advisory Exposure."""
