from datetime import date, timedelta

import numpy as np
import pyarrow.compute as pc
import pytest

from kundenwert.dynamics import analyse, review_changes
from kundenwert.dynamics.config import ALERTS
from kundenwert.errors import NotFoundError
from kundenwert.settings import Settings

AS_OF = date(2026, 6, 30)


@pytest.fixture(scope="module")
def result(demo_store):
    return analyse(demo_store, Settings(), AS_OF)


def test_every_customer_gets_a_trajectory_and_a_phase(result, demo_store):
    known = demo_store.con.execute(
        "SELECT count(*) FROM customers WHERE customer_since IS NULL OR customer_since <= ?",
        [AS_OF],
    ).fetchone()[0]
    table = result.customers("en")
    assert table.num_rows == known
    assert result.review_id == 2
    assert pc.all(pc.is_valid(table["phase"])).as_py()
    judged = pc.not_equal(table["trajectory"], "insufficient")
    assert pc.all(pc.is_valid(pc.filter(table["confidence"], judged))).as_py()
    assert all(t for t in table["evidence"].to_pylist())


def test_alerts_carry_their_reason_and_are_known(result):
    alerts = result.alerts
    assert alerts.num_rows > 0
    assert set(alerts["alert"].to_pylist()) <= set(ALERTS)
    assert all(r and any(ch.isdigit() for ch in r) for r in alerts["reason"].to_pylist())
    klette = pc.filter(alerts, pc.equal(alerts["alert"], "klette"))
    ids = set(klette["customer_id"].to_pylist())
    types = dict(zip(result.series.customer_id.to_pylist(), result.trajectories.type, strict=True))
    assert ids and all(types[i] == "klette" for i in ids)


def test_top_alerts_only_for_top_customers(result):
    alerts = result.alerts
    top = pc.filter(
        alerts, pc.is_in(alerts["alert"], pc.cast(["top_silent", "top_declining"], "string"))
    )
    quad = dict(zip(result.series.customer_id.to_pylist(), result.signals.quadrant, strict=True))
    klass = dict(zip(result.series.customer_id.to_pylist(), result.signals.abc_class, strict=True))
    for cid in top["customer_id"].to_pylist():
        assert quad[cid] in ("top", "premium") or klass[cid] == "A"


def test_actions_go_to_the_account_manager_with_a_due_date(result, demo_store):
    actions = result.actions
    assert actions.num_rows > 0
    managers = dict(
        demo_store.con.execute("SELECT customer_id, account_manager FROM customers").fetchall()
    )
    rules = {r.action: r for r in Settings().dynamics.actions}
    for row in actions.slice(0, 200).to_pylist():
        assert row["owner"] == managers[row["customer_id"]]
        assert row["due"] == AS_OF + timedelta(days=rules[row["action"]].due_days)
    per_customer = np.unique(
        actions["customer_id"].to_numpy(zero_copy_only=False), return_counts=True
    )[1]
    assert per_customer.max() <= Settings().dynamics.max_actions


def test_changes_between_the_two_reviews(demo_store):
    ch = review_changes(demo_store)
    assert (ch.from_id, ch.to_id) == (1, 2)
    n2 = demo_store.con.execute(
        "SELECT count(*) FROM review_customers WHERE review_id = 2"
    ).fetchone()[0]
    into = pc.filter(ch.class_matrix, pc.not_equal(ch.class_matrix["class_to"], "gone"))
    assert pc.sum(into["customers"]).as_py() == n2
    for row in ch.moved.to_pylist():
        assert row["class_from"] != row["class_to"] or row["quadrant_from"] != row["quadrant_to"]
    changes = [abs(v) for v in ch.top_movers["score_change"].to_pylist()]
    assert changes == sorted(changes, reverse=True)


def test_changes_need_two_reviews(store):
    with pytest.raises(NotFoundError):
        review_changes(store)


def test_without_a_review_the_review_alerts_stay_empty(store):
    from dynamics_helpers import add_customer, add_invoice

    add_customer(store, "K1")
    for m in range(1, 13):
        add_invoice(store, "K1", date(2025, m, 10), 100)
    res = analyse(store, Settings(), AS_OF)
    assert res.review_id is None
    assert not set(res.alerts["alert"].to_pylist()) & {"top_silent", "top_declining"}
    assert res.customers()["phase"].to_pylist() == ["dormant"]


def test_forecast_p_alive_feeds_the_phases(demo_store):
    from kundenwert.settings import settings_from_dict

    res = analyse(demo_store, settings_from_dict({"dynamics": {"use_forecast": True}}), AS_OF)
    p = res.phases.p_alive
    assert np.isfinite(p).mean() > 0.5 and np.nanmin(p) >= 0 and np.nanmax(p) <= 1
    low = p < Settings().dynamics.phase.dormant_p_alive
    assert low.any()
    assert set(res.phases.phase[low]) <= {"dormant", "lost"}


def test_tables_for_the_export(result):
    sheets = result.tables("en")
    assert list(sheets) == ["Trajectories", "Alerts", "Next actions"]
    assert sheets["Next actions"].num_rows == result.actions.num_rows
    assert "evidence" in sheets["Trajectories"].column_names
