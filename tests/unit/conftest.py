"""Unit tests of the pure-Python SLA engine: no Frappe site needed (`python -m pytest tests/unit`)."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
for path in (ROOT, HERE):
	if path not in sys.path:
		sys.path.insert(0, path)

# No per-example time limit: a busy machine (CI runs beside other work) must not fail a correct property.
try:
	from hypothesis import settings

	settings.register_profile("frappe_support", deadline=None)
	settings.load_profile("frappe_support")
except ImportError:  # the unit tier's own install step brings hypothesis
	pass
