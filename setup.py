# Shim for tooling that still calls setup.py; the build is defined in pyproject.toml (flit).
from setuptools import find_packages, setup

from frappe_support import __version__ as version

setup(
	name="frappe_support",
	version=version,
	description="Support contracts, business-time SLAs, upgrade schedules and security advisories",
	author="Frappe Support Developers",
	author_email="support@example.com",
	packages=find_packages(exclude=("tests", "tests.*", "benchmarks")),
	zip_safe=False,
	include_package_data=True,
	install_requires=["packaging"],
)
