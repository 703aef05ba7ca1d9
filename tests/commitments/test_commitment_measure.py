"""Adherence per customer and commitment, against hand-computed figures.

As-of date 2025-12-31 (a Wednesday), window of 12 months: 2025-01-01 to 2025-12-31.
Default levels: premium (callback same day, contact every 2 months, yearly check, 4 h,
10,000 € goodwill, events every 12 months, printed newsletter every 3 months), plus (next
day, contact every 3 months, 8 h, 3,000 €, events, e-mail newsletter), standard (next day,
reactive, check on request, 24 h, 500 €, events on request, e-mail newsletter).
"""

from __future__ import annotations

from datetime import date, datetime

import pyarrow as pa
import pytest

from kundenwert.commitments.measure import data_missing, measure
from kundenwert.review.period import months_before, window_start
from kundenwert.review.service_config import ServiceSettings
from kundenwert.store import open_store

AS_OF = date(2025, 12, 31)


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "kw.duckdb", create=True) as s:
        yield s


def act(store, cid, day, kind, *, by=None, asked=None, answered=None, cost=None, free=None):
    n = store.con.execute("SELECT count(*) FROM activities").fetchone()[0]
    store.con.execute(
        "INSERT INTO activities (activity_id, customer_id, date, kind, cost, free_of_charge, "
        "requested_at, responded_at, initiated_by, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
        [f"A{n}", cid, day, kind, cost, free, asked, answered, by],
    )


def customers(*rows) -> pa.Table:
    return pa.table(
        {
            "customer_id": [r[0] for r in rows],
            "service_level": [r[1] for r in rows],
            "customer_since": pa.array([r[2] for r in rows], pa.date32()),
        }
    )


def by_key(table: pa.Table) -> dict[tuple[str, str], dict]:
    return {(r["customer_id"], r["commitment"]): r for r in table.to_pylist()}


def test_months_before_clamps_to_the_month_end():
    assert months_before(date(2025, 12, 31), 2) == date(2025, 10, 31)
    assert months_before(date(2025, 12, 31), 10) == date(2025, 2, 28)
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert window_start(AS_OF, 12) == date(2025, 1, 1)


def _company(store):
    # P, premium. Callbacks (calls the customer started, same day promised):
    act(store, "P", date(2025, 3, 3), "call", by="customer",  # 23:59 -> 00:01: next day
        asked=datetime(2025, 3, 3, 23, 59), answered=datetime(2025, 3, 4, 0, 1))  # fmt: skip
    act(store, "P", date(2025, 3, 5), "call", by="customer",  # the last second of the day
        asked=datetime(2025, 3, 5, 9), answered=datetime(2025, 3, 5, 23, 59, 59))  # fmt: skip
    act(store, "P", date(2025, 12, 31), "call", by="customer",  # open, due on the as-of date
        asked=datetime(2025, 12, 31, 10))  # fmt: skip
    # Proactive contacts (every 2 months: 6 periods back from 2025-12-31):
    act(store, "P", date(2025, 1, 15), "visit", by="company")  # (2024-12-31, 2025-02-28]
    act(store, "P", date(2025, 3, 1), "call", by="company")  # (02-28, 04-30]
    act(store, "P", date(2025, 4, 30), "visit", by="company")  # the same period's last day
    act(store, "P", date(2025, 7, 1), "visit", by="customer")  # the customer came: no
    act(store, "P", date(2025, 9, 1), "ticket", by="company")  # not a contact kind: no
    act(store, "P", date(2025, 12, 31), "visit", by="company")  # (10-31, 12-31]
    # Newsletter (every 3 months: 4 quarters), one on a quarter's last day:
    act(store, "P", date(2025, 3, 31), "newsletter", by="company")
    act(store, "P", date(2025, 10, 1), "newsletter", by="company")
    # Goodwill 4,000 + 6,000.50 free of charge = 10,000.50 > 10,000.
    act(store, "P", date(2025, 5, 1), "goodwill", cost=4000)
    act(store, "P", date(2025, 6, 1), "service", cost=6000.5, free=True)
    act(store, "P", date(2024, 6, 1), "goodwill", cost=99999)  # before the window
    # S, standard (next working day, 24 h):
    act(store, "S", date(2025, 12, 26), "call", by="customer",  # Friday -> Monday: kept
        asked=datetime(2025, 12, 26, 16), answered=datetime(2025, 12, 29, 8))  # fmt: skip
    act(store, "S", date(2025, 12, 27), "call", by="customer",  # Saturday -> Monday: late
        asked=datetime(2025, 12, 27, 10), answered=datetime(2025, 12, 30, 9))  # fmt: skip
    act(store, "S", date(2025, 12, 30), "call", by="customer",  # open since Tuesday: missed
        asked=datetime(2025, 12, 30, 17))  # fmt: skip
    act(store, "S", date(2025, 12, 31), "call", by="customer",  # open, due tomorrow: not due
        asked=datetime(2025, 12, 31, 9))  # fmt: skip
    act(store, "S", date(2024, 12, 31), "call", by="customer",  # before the window
        asked=datetime(2024, 12, 31, 9))  # fmt: skip
    act(store, "S", date(2025, 6, 2), "ticket", by="customer",  # exactly 24 h: in time
        asked=datetime(2025, 6, 2, 8), answered=datetime(2025, 6, 3, 8))  # fmt: skip
    act(store, "S", date(2025, 6, 2), "event", by="company")
    # N, plus, a customer since 2025-07-15: only the last quarter is due for contact.
    return customers(("P", "premium", None), ("S", "standard", None),
                     ("N", "plus", date(2025, 7, 15)))  # fmt: skip


def test_every_commitment_per_customer(store):
    rows = by_key(measure(store.con, _company(store), ServiceSettings(), AS_OF))

    def figures(cid, key):
        r = rows[(cid, key)]
        return r["status"], r["due"], r["kept"], r["share"]

    assert figures("P", "callback") == ("measured", 3, 1, pytest.approx(1 / 3))
    # 2 min in time, 14:59:59 h late, open since 10:00 (4 h passed by the day's end).
    assert figures("P", "response_time") == ("measured", 3, 1, pytest.approx(1 / 3))
    assert figures("P", "contact") == ("measured", 6, 3, 0.5)
    assert figures("P", "yearly_check") == ("measured", 1, 1, 1.0)
    assert figures("P", "events") == ("measured", 1, 0, 0.0)
    assert figures("P", "newsletter") == ("measured", 4, 2, 0.5)
    assert figures("P", "goodwill") == ("measured", 1, 0, 0.0)
    assert rows[("P", "goodwill")]["goodwill_cost"] == pytest.approx(10000.5)
    assert rows[("P", "goodwill")]["goodwill_budget"] == 10000
    assert rows[("P", "contact")]["every_months"] == 2

    assert figures("S", "callback") == ("measured", 3, 1, pytest.approx(1 / 3))
    # 64 h, 71 h late, open past 24 h, exactly 24 h in time; the open one of 12-31 not due.
    assert figures("S", "response_time") == ("measured", 4, 1, 0.25)
    for key in ("contact", "yearly_check", "events"):
        assert figures("S", key) == ("not_promised", 0, 0, None)
        assert rows[("S", key)]["promise"] is None
    assert figures("S", "goodwill") == ("measured", 1, 1, 1.0)
    assert figures("S", "newsletter") == ("measured", 4, 0, 0.0)

    assert figures("N", "contact") == ("measured", 1, 0, 0.0)
    assert figures("N", "yearly_check") == ("nothing_due", 0, 0, None)  # under a year
    assert figures("N", "events") == ("nothing_due", 0, 0, None)
    assert figures("N", "callback") == ("nothing_due", 0, 0, None)  # no request: empty
    assert figures("N", "goodwill") == ("measured", 1, 1, 1.0)
    assert [r["commitment"] for r in measure(store.con, _company(store), ServiceSettings(),
            AS_OF).to_pylist() if r["customer_id"] == "N"] == [
        "callback", "contact", "yearly_check", "response_time", "goodwill", "events",
        "newsletter"]  # fmt: skip


def test_nothing_imported_names_the_missing_activities(store):
    rows = measure(store.con, customers(("P", "premium", None)), ServiceSettings(), AS_OF)
    assert {r["status"] for r in rows.to_pylist()} == {"missing_input"}
    assert {r["missing"] for r in rows.to_pylist()} == {"activities"}
    assert all(r["share"] is None for r in rows.to_pylist())


def test_without_initiator_callback_and_contact_say_what_is_missing(store):
    act(store, "P", date(2025, 5, 5), "call",
        asked=datetime(2025, 5, 5, 8), answered=datetime(2025, 5, 5, 9))  # fmt: skip
    assert data_missing(store.con) == {
        "callback": "initiator",
        "contact": "initiator",
        "events": "event_activities",
        "newsletter": "newsletter_activities",
        "goodwill": "goodwill_activities",
    }
    rows = by_key(measure(store.con, customers(("P", "premium", None)), ServiceSettings(), AS_OF))
    assert rows[("P", "callback")]["status"] == "missing_input"
    assert rows[("P", "callback")]["missing"] == "initiator"
    assert rows[("P", "response_time")]["status"] == "measured"  # 1 h: in time
    assert rows[("P", "response_time")]["share"] == 1.0
    assert rows[("P", "yearly_check")]["status"] == "measured"  # a call is no check
    assert rows[("P", "yearly_check")]["share"] == 0.0


def test_without_request_times_and_initiator(store):
    act(store, "P", date(2025, 5, 5), "visit")
    missing = data_missing(store.con)
    assert missing["callback"] == "initiator_and_request_times"
    assert missing["response_time"] == "request_times"


def test_goodwill_of_unknown_cost_is_not_measured_for_that_customer(store):
    act(store, "P", date(2025, 5, 1), "goodwill", cost=None)
    act(store, "S", date(2025, 5, 1), "goodwill", cost=100)
    both = customers(("P", "premium", None), ("S", "standard", None))
    rows = by_key(measure(store.con, both, ServiceSettings(), AS_OF))
    assert rows[("P", "goodwill")]["status"] == "missing_input"
    assert rows[("P", "goodwill")]["missing"] == "goodwill_cost"
    assert rows[("S", "goodwill")]["status"] == "measured"
    assert rows[("S", "goodwill")]["share"] == 1.0  # 100 <= 500


def test_an_empty_window_keeps_no_rhythm_and_has_no_request_due(store):
    # Everything happened before the window: the periods are due and not kept, the
    # requests of the window are none.
    act(store, "P", date(2024, 6, 3), "call", by="customer",
        asked=datetime(2024, 6, 3, 8), answered=datetime(2024, 6, 3, 9))  # fmt: skip
    act(store, "P", date(2024, 6, 3), "visit", by="company")
    act(store, "P", date(2024, 6, 3), "event", by="company")
    act(store, "P", date(2024, 6, 3), "newsletter", by="company")
    act(store, "P", date(2024, 6, 3), "goodwill", cost=50)
    rows = by_key(measure(store.con, customers(("P", "premium", None)), ServiceSettings(), AS_OF))
    assert rows[("P", "callback")]["status"] == "nothing_due"
    assert rows[("P", "response_time")]["status"] == "nothing_due"
    assert (rows[("P", "contact")]["due"], rows[("P", "contact")]["kept"]) == (6, 0)
    assert rows[("P", "yearly_check")]["share"] == 0.0
    assert rows[("P", "goodwill")]["share"] == 1.0  # nothing spent in the window


def test_a_window_shorter_than_the_rhythm_is_not_measured(store):
    act(store, "P", date(2025, 12, 1), "visit", by="company")
    svc = ServiceSettings.model_validate({"adherence": {"months": 6}})
    rows = by_key(measure(store.con, customers(("P", "premium", None)), svc, AS_OF))
    assert rows[("P", "yearly_check")]["status"] == "missing_input"
    assert rows[("P", "yearly_check")]["missing"] == "short_window"
    assert (rows[("P", "contact")]["due"], rows[("P", "contact")]["kept"]) == (3, 1)
    # Budget for 6 months: half the year's.
    assert rows[("P", "goodwill")]["goodwill_budget"] == 5000
