"""Security advisories. `versions` is the pure-Python version engine: nothing in it imports Frappe."""
