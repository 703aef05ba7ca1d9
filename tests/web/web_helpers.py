"""A small hand-made company for the web tests: two account managers, one review."""

from __future__ import annotations

import re
from datetime import date

from kundenwert.review import run_review
from kundenwert.settings import settings_from_dict
from kundenwert.web.users import add_user, create_token

AS_OF = date(2026, 6, 30)
PASSWORD = "geheim-und-lang-2026"
#: customer id -> (account manager, yearly revenue)
CUSTOMERS = {
    "K1": ("Anna", 90000),
    "K2": ("Anna", 20000),
    "K3": ("Anna", 3000),
    "K4": ("Bert", 60000),
    "K5": ("Bert", 1500),
    "K6": (None, 800),
}
#: customer id -> potential ratings (on the default scale 0 worst .. 10 best)
POTENTIAL = {
    "K1": {"new_business_potential": 4, "service_potential": 5},
    "K2": {"new_business_potential": 2, "service_potential": 3},
    "K3": {"new_business_potential": 5, "service_potential": 4},
    "K4": {"new_business_potential": 1, "service_potential": 2},
    "K5": {"new_business_potential": 3, "service_potential": 1},
    "K6": {"new_business_potential": 2, "service_potential": 2},
}
USERS = {
    "admin": "admin",
    "chef": "manager",
    "anna": "account-manager",
    "bert": "account-manager",
    "gast": "viewer",
}


def build_company(store) -> dict[str, str]:
    """Customers, invoices, one review and the users; returns an API token per user."""
    con = store.con
    for cid, (manager, revenue) in CUSTOMERS.items():
        con.execute(
            "INSERT INTO customers (customer_id, name, business_unit, account_manager, country, "
            "batch_id) VALUES (?, ?, 'Maschinen', ?, 'DE', 0)",
            [cid, f"Firma {cid}", manager],
        )
        for month in (1, 3, 5):
            con.execute(
                "INSERT INTO invoices (invoice_id, line_no, customer_id, date, amount, cost, "
                "category, batch_id) VALUES (?, 1, ?, ?, ?, ?, 'machine', 0)",
                [f"R{cid}{month}", cid, date(2026, month, 10), revenue / 3, revenue / 6],
            )
        # Potential ratings, so every customer has a place on the matrix's potential axis.
        for indicator, value in POTENTIAL[cid].items():
            con.execute(
                "INSERT INTO ratings (customer_id, indicator, value, date, batch_id) "
                "VALUES (?, ?, ?, DATE '2026-04-01', 0)",
                [cid, indicator, value],
            )
    # A cash sale without a customer number: unassigned revenue, seen by those who see all.
    con.execute(
        "INSERT INTO unassigned_invoices (invoice_id, line_no, date, amount, batch_id) "
        "VALUES ('B1', 1, DATE '2026-02-02', 4321, 0)"
    )
    run_review(store, settings_from_dict({}), AS_OF, 12, created_by="test")
    tokens = {}
    for name, role in USERS.items():
        manager_name = name.capitalize() if role == "account-manager" else None
        add_user(store, name, role, PASSWORD, account_manager=manager_name)
        tokens[name] = create_token(store, name, "test")
    return tokens


class FrozenClock:
    """A clock for the log-in throttle that moves only when told: no timed tests."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def login(client, name: str, password: str = PASSWORD, next: str = "/"):
    """Log in as a browser does: fetch the form (CSRF token and cookie), then post it."""
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login", data={"name": name, "password": password, "next": next, "csrf_token": token}
    )


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
