"""What the demo provider looks like: three customers on three calendars, their contracts, sites and the
issues each one raised. Instants are given relative to now (hours ago); the app computes every deadline,
state and log from them, as it does for real issues."""

from __future__ import annotations

from datetime import date

from dateutil.easter import easter

WEEK = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def german_holidays(year: int) -> list[tuple[date, str]]:
	"""The nationwide public holidays of Germany in a year."""
	from datetime import timedelta

	e = easter(year)
	return [
		(date(year, 1, 1), "Neujahr"),
		(e - timedelta(days=2), "Karfreitag"),
		(e + timedelta(days=1), "Ostermontag"),
		(date(year, 5, 1), "Tag der Arbeit"),
		(e + timedelta(days=39), "Christi Himmelfahrt"),
		(e + timedelta(days=50), "Pfingstmontag"),
		(date(year, 10, 3), "Tag der Deutschen Einheit"),
		(date(year, 12, 25), "1. Weihnachtstag"),
		(date(year, 12, 26), "2. Weihnachtstag"),
	]


def indian_holidays(year: int) -> list[tuple[date, str]]:
	"""India's three national holidays."""
	return [
		(date(year, 1, 26), "Republic Day"),
		(date(year, 8, 15), "Independence Day"),
		(date(year, 10, 2), "Gandhi Jayanti"),
	]


CALENDARS = {
	"berlin": {
		"calendar_name": "Demo Berlin Office",
		"timezone": "Europe/Berlin",
		"hours": [(d, "09:00:00", "17:00:00") for d in WEEK],
		"holidays": german_holidays,
	},
	"kolkata": {
		"calendar_name": "Demo Kolkata Office",
		"timezone": "Asia/Kolkata",
		"hours": [(d, "10:00:00", "18:30:00") for d in (*WEEK, "Saturday")],
		"holidays": indian_holidays,
	},
	"always": {"calendar_name": "Demo Around the Clock", "timezone": "UTC", "always_open": 1},
}

# each: calendar, contract (start and end relative to today, in days; services not covered), holder, sites
CUSTOMERS = {
	"berlin": {
		"customer_name": "Demo Brauerei Adler GmbH",
		"contract": {"start": -345, "end": 20},  # expires in 20 days
		"holder": ("Katrin", "Adler", "katrin.adler@brauerei-adler.example.com"),
		"sites": {
			"erp.brauerei-adler.example.com": {"frappe": "15.60.0", "erpnext": "15.55.0"},  # vulnerable
			"staging.brauerei-adler.example.com": {"frappe": "15.70.1", "erpnext": "15.99.0"},
		},
	},
	"kolkata": {
		"customer_name": "Demo Chai & Co Pvt Ltd",
		"contract": {"start": -120, "end": 245, "covers_upgrade": 0},  # no upgrade support
		"holder": ("Arjun", "Mehta", "arjun.mehta@chai-co.example.com"),
		"sites": {
			"erp.chai-co.example.com": {
				"frappe": ("16.0.0-dev", "develop"),
				"erpnext": ("16.0.0-dev", "develop"),
			}
		},
	},
	"always": {
		"customer_name": "Demo Nordlicht Logistics AS",
		"contract": {"start": -30, "end": 335},
		"holder": ("Ingrid", "Solberg", "ingrid.solberg@nordlicht.example.com"),
		"sites": {"erp.nordlicht.example.com": {"frappe": "15.80.0", "erpnext": "15.99.1"}},
	},
}

# each issue: customer, opened (hours ago), priority, category, what happened (in order), subject
ISSUES = [
	("always", 1, "High", "Bug", [], "Sales Invoice submit fails with a timeout"),  # running
	("always", 10, "High", "Bug", ["reply"], "Stock entries post twice since the update"),  # breached now
	("always", 6.5, "High", "Configuration", ["reply"], "Payment gateway webhook rejected"),  # at risk
	("berlin", 240, "Medium", "Bug", ["reply"], "Stock ledger shows negative quantities"),  # breached
	("kolkata", 30, "Low", "Configuration", ["reply", "wait"], "GST report misses credit notes"),  # paused
	("always", 3, "Medium", "Scaling", ["reply", "resolve"], "Reports slow since the last import"),  # met
	("kolkata", 2, "Medium", "Excluded Service", [], "Please visit our office to train the team"),
	("berlin", 4, "High", "Security", ["reply", "customer"], "Is our site affected by the SQL advisory?"),
]

THREAD = {
	"reply": "Thank you, we are looking into it and will update you here.",
	"wait": "Could you send the error's full traceback and the time it happened?",
	"customer": "Thanks: the site is erp.brauerei-adler.example.com, we run frappe 15.60.0.",
}
