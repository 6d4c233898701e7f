"""Security advisories: `versions` is the pure-Python version engine (nothing in it imports Frappe); beside it
its Frappe glue: `lifecycle` (publish, revise, withdraw, acknowledge), `matching` (exposures of the covered
sites), `mail` (who is told what) and `github_import`."""
