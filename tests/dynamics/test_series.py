from datetime import date

import pytest
from dynamics_helpers import add_activity, add_customer, add_invoice

from kundenwert.dynamics.series import monthly_series
from kundenwert.settings import settings_from_dict

AS_OF = date(2026, 6, 30)


def settings(**review):
    trajectory = {"history_months": 12, "cycle_months": [12]}
    return settings_from_dict({"review": review, "dynamics": {"trajectory": trajectory}})


def test_monthly_revenue_and_margin_three(store):
    add_customer(store, "K1")
    add_invoice(store, "K1", date(2026, 6, 3), 1000, cost=600, deductions=50)
    add_invoice(store, "K1", date(2026, 6, 20), 500, cost=None)  # unknown cost counts 0
    add_invoice(store, "K1", date(2026, 5, 2), -200, cost=-120)  # credit note
    add_activity(store, "K1", date(2026, 6, 5), cost=100)
    add_activity(store, "K1", date(2026, 6, 6), hours=2)  # no cost, hours priced below
    add_invoice(store, "K1", date(2026, 7, 1), 9999)  # after the as-of date: ignored
    add_invoice(store, "K1", date(2025, 6, 30), 7777)  # before the 12-month history: ignored
    s = monthly_series(store, settings(margins={"cost_per_hour": 80}), AS_OF)
    assert s.months == 12 and s.month_starts[-1] == date(2026, 6, 1)
    assert s.revenue[0, -1] == pytest.approx(1500)
    assert s.margin_3[0, -1] == pytest.approx(1500 - 600 - 50 - 100 - 160)
    assert s.revenue[0, -2] == pytest.approx(-200)
    assert s.margin_3[0, -2] == pytest.approx(-80)
    assert s.lines[0, -1] == 2 and s.lines[0, -2] == 0  # a credit note is no purchase
    assert s.activities[0, -1] == 2
    assert s.revenue[0, :-2].sum() == 0
    assert s.silent_days[0] == (AS_OF - date(2026, 6, 20)).days


def test_customers_not_yet_known_are_left_out_and_tenure_counts(store):
    add_customer(store, "K1", since=date(2026, 1, 15))
    add_customer(store, "K2", since=date(2026, 8, 1))  # after the as-of date
    add_customer(store, "K3", since=date(2024, 1, 1))  # never bought
    add_invoice(store, "K1", date(2025, 11, 3), 100)  # first invoice before customer_since
    s = monthly_series(store, settings(), AS_OF)
    assert s.customer_id.to_pylist() == ["K1", "K3"]
    assert list(s.tenure_months) == [7, 29]
    assert s.silent_days[1] == -1


def test_quarterly_sums_calendar_quarters(store):
    add_customer(store, "K1")
    add_invoice(store, "K1", date(2026, 4, 3), 100)
    add_invoice(store, "K1", date(2026, 6, 3), 50)
    add_invoice(store, "K1", date(2026, 3, 3), 7)
    s = monthly_series(store, settings(), AS_OF)
    q = s.quarterly(s.revenue)
    assert q.shape == (1, 4)
    assert list(q[0]) == [0, 0, 7, 150]


def test_invoices_count_purchases_not_lines(store):
    add_customer(store, "K1")
    for invoice, line, amount in (("R1", 1, 100), ("R1", 2, 50), ("R1", 3, 20), ("R2", 1, 80)):
        store.con.execute(
            "INSERT INTO invoices (invoice_id, line_no, customer_id, date, amount, batch_id) "
            "VALUES (?, ?, 'K1', ?, ?, 0)",
            [invoice, line, date(2026, 6, 2), amount],
        )
    store.con.execute(
        "INSERT INTO invoices (invoice_id, line_no, customer_id, date, amount, batch_id) "
        "VALUES ('G1', 1, 'K1', ?, -30, 0)",  # a credit note is no purchase
        [date(2026, 6, 9)],
    )
    s = monthly_series(store, settings(), AS_OF)
    assert s.lines[0, -1] == 4
    assert s.invoices[0, -1] == 2


def _months(store, limit: int) -> int:
    trajectory = {"history_months": limit, "cycle_months": [12]}
    return monthly_series(
        store, settings_from_dict({"dynamics": {"trajectory": trajectory}}), AS_OF
    ).months


def test_history_runs_from_the_first_invoice_month_within_the_limit(store):
    add_customer(store, "K1")
    assert _months(store, 60) == 12  # no invoices: the shortest history
    add_invoice(store, "K1", date(2025, 3, 31), 100)
    assert _months(store, 60) == 16  # March 2025 to June 2026
    add_invoice(store, "K1", date(2026, 7, 1), 100)  # after the as-of date: no influence
    assert _months(store, 60) == 16
    add_invoice(store, "K1", date(2026, 5, 2), 100)  # a later first month would be shorter
    add_invoice(store, "K1", date(2019, 1, 5), 100)
    assert _months(store, 60) == 60  # the limit
    assert _months(store, 24) == 24
