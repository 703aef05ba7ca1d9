"""A small company for the commitment tests: four customers, two account managers, one
review as of 2026-06-30 (window of adherence 2025-07-01 to 2026-06-30).

With the default settings K1 (revenue 90,000) is class A -> premium, K2 (20,000) B -> plus,
K3 (3,000) and K4 (1,000) C -> standard.
"""

from __future__ import annotations

from datetime import date, datetime

from kundenwert.review import run_review
from kundenwert.settings import settings_from_dict
from kundenwert.web.users import add_user, create_token

AS_OF = date(2026, 6, 30)
PASSWORD = "geheim-und-lang-2026"
CUSTOMERS = {"K1": ("Anna", 90000), "K2": ("Anna", 20000), "K3": ("Anna", 3000),
             "K4": ("Bert", 1000)}  # fmt: skip
#: The level follows the ABC class here (A premium, B plus, C standard).
SETTINGS = settings_from_dict({"review": {"service": {"by": "class"}}})


def build(store) -> dict[str, str]:
    con = store.con
    for cid, (manager, revenue) in CUSTOMERS.items():
        con.execute(
            "INSERT INTO customers (customer_id, name, account_manager, country, batch_id) "
            "VALUES (?, ?, ?, 'DE', 0)",
            [cid, f"Firma {cid}", manager],
        )
        for month in (1, 3, 5):
            con.execute(
                "INSERT INTO invoices (invoice_id, line_no, customer_id, date, amount, cost, "
                "category, batch_id) VALUES (?, 1, ?, ?, ?, ?, 'machine', 0)",
                [f"R{cid}{month}", cid, date(2026, month, 10), revenue / 3, revenue / 6],
            )
        for indicator in ("new_business_potential", "service_potential"):
            con.execute(
                "INSERT INTO ratings (customer_id, indicator, value, date, batch_id) "
                "VALUES (?, ?, 5, DATE '2026-04-01', 0)",
                [cid, indicator],
            )
    n = 0

    def act(cid, day, kind, by=None, asked=None, answered=None, cost=None):
        nonlocal n
        n += 1
        con.execute(
            "INSERT INTO activities (activity_id, customer_id, date, kind, cost, requested_at, "
            "responded_at, initiated_by, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
            [f"A{n}", cid, day, kind, cost, asked, answered, by],
        )

    # K1 premium (same day, 4 h): one callback in time, one the next day.
    act("K1", date(2026, 2, 2), "call", "customer", datetime(2026, 2, 2, 9),
        datetime(2026, 2, 2, 10))  # fmt: skip
    act("K1", date(2026, 2, 3), "call", "customer", datetime(2026, 2, 3, 16),
        datetime(2026, 2, 4, 8))  # fmt: skip
    act("K1", date(2026, 3, 1), "visit", "company")  # proactive, and the yearly check
    act("K1", date(2026, 4, 1), "goodwill", cost=200)
    # K2 plus (next day, 8 h): one callback the next working day (Friday -> Monday).
    act("K2", date(2026, 3, 6), "call", "customer", datetime(2026, 3, 6, 15),
        datetime(2026, 3, 9, 9))  # fmt: skip
    # K3 standard (next day, 24 h): a callback two days late.
    act("K3", date(2026, 3, 2), "call", "customer", datetime(2026, 3, 2, 8),
        datetime(2026, 3, 4, 8))  # fmt: skip
    # K4 standard: a callback in time.
    act("K4", date(2026, 3, 2), "call", "customer", datetime(2026, 3, 2, 8),
        datetime(2026, 3, 2, 12))  # fmt: skip
    for cid, dim, imp, perf, day in (
        ("K1", "callback", 9, 4, date(2026, 5, 1)),
        ("K1", "callback", 2, 2, date(2025, 5, 1)),  # older answer: not counted
        ("K1", "reachability", 5, 5, date(2026, 5, 1)),
        ("K2", "callback", 7, 8, date(2026, 5, 1)),
        ("K3", "callback", 4, 6, date(2026, 5, 1)),
        ("K3", "events", 2, 9, date(2026, 7, 1)),  # after the as-of date: not counted
    ):
        con.execute(
            "INSERT INTO survey_dimensions VALUES (?, ?, ?, ?, ?, 0)", [cid, day, dim, imp, perf]
        )
    run_review(store, SETTINGS, AS_OF, 12, created_by="test")
    tokens = {}
    for name, role, manager in (("chef", "manager", None), ("anna", "account-manager", "Anna")):
        add_user(store, name, role, PASSWORD, account_manager=manager)
        tokens[name] = create_token(store, name, "test")
    return tokens
