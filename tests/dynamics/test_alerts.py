from datetime import date, datetime

import numpy as np
import pytest
from dynamics_helpers import add_activity, add_customer, add_invoice, matrix, shape

from kundenwert.dynamics.actions import next_actions
from kundenwert.dynamics.alerts import Signals, alert_masks, alert_text
from kundenwert.dynamics.config import AlertSettings, DynamicsSettings, TrajectorySettings
from kundenwert.dynamics.context import ReviewContext, service_figures
from kundenwert.dynamics.phases import assign_phases
from kundenwert.dynamics.trajectories import classify_trajectories
from kundenwert.errors import ConfigError
from kundenwert.settings import settings_from_dict

CFG = AlertSettings()


def signals(rows, quadrant, *, surveys=None, service=None, share=None, **kw):
    s = matrix(rows, margin_share=share, **kw)
    n = s.n
    return Signals(
        tr=classify_trajectories(s, TrajectorySettings()),
        ph=assign_phases(s, DynamicsSettings().phase),
        tenure=s.tenure_months,
        quadrant=np.array(quadrant, dtype=object),
        abc_class=np.array(["B"] * n, dtype=object),
        service_level=np.array(["premium"] * n, dtype=object),
        response_hours=np.full(n, 4.0),
        yearly_check=np.ones(n, dtype=bool),
        surveys=surveys or tuple(np.full(n, np.nan) for _ in range(4)),
        service=service or (np.zeros(n), np.zeros(n), np.ones(n)),
    )


def test_small_customer_growing_fast_and_top_customer_declining():
    s = signals([shape("growth"), shape("growth"), shape("shrinking")], ["small", "top", "top"])
    m = alert_masks(s, CFG)
    assert list(m["rising_small"]) == [True, False, False]
    assert list(m["top_declining"]) == [False, False, True]
    text = alert_text("rising_small", s, 0, CFG)
    # The change shown is the one decided on: the last 12 months against the 12 before.
    rev, prev = s.tr.revenue_12m[0], s.tr.revenue_prev_12m[0]
    assert f"+{round((rev / prev - 1) * 100)}\xa0% zum Vorjahr" in text
    assert "Verlauf wachsend" in text


def test_a_change_within_the_order_noise_is_no_alert():
    s = signals([shape("shrinking")] * 2, ["top", "top"])
    tr = s.tr
    tr.revenue_prev_12m[:] = 100_000.0
    tr.revenue_12m[:] = 70_000.0  # -30 %: beyond the 20 % of the rule
    tr.orders_12m[:] = tr.orders_prev_12m[:] = 40.0
    # Log revenue noise per order: 0.5 (steady reorders of similar size) and 8 (a few
    # lumpy orders): the second customer's -30 % lies within one standard deviation.
    tr.order_noise[:] = [0.5, 8.0]
    assert list(alert_masks(s, CFG)["top_declining"]) == [True, False]
    # sd = sqrt(0.5 * (1/40 + 1/40)) = 0.158; |log 0.7| / 0.158 = 2.26 >= 1.28 (90 %) and
    # < 2.33 (99 %).
    strict = CFG.model_copy(update={"change_confidence": 0.99})
    assert not alert_masks(s, strict)["top_declining"].any()


def test_top_customer_silent_beyond_its_rhythm():
    silent = [1.0] * 30 + [0.0] * 6
    s = signals([silent, silent], ["top", "small"])
    m = alert_masks(s, CFG)
    assert list(m["top_silent"]) == [True, False]
    assert "6" in alert_text("top_silent", s, 0, CFG, "en")


def test_falling_satisfaction_of_a_top_customer():
    sat, prev = np.array([6.0, 8.0]), np.array([9.0, 8.5])
    rec = np.array([7.0, 8.0])
    s = signals([shape("steady")] * 2, ["premium", "premium"], surveys=(sat, prev, rec, rec))
    m = alert_masks(s, CFG)
    assert list(m["satisfaction_falling"]) == [True, False]
    assert "9 → 6" in alert_text("satisfaction_falling", s, 0, CFG)


def test_klette_alert_with_the_margin_share():
    s = signals([shape("steady")], ["small"], share=[0.05])
    assert alert_masks(s, CFG)["klette"][0]
    assert "5\xa0%" in alert_text("klette", s, 0, CFG)
    # English writes percent as English does, without the German space
    assert "margin III = 5% of margin II" in alert_text("klette", s, 0, CFG, "en")


def test_service_commitments_from_the_activity_log(store):
    add_customer(store, "K1")
    add_customer(store, "K2")
    add_invoice(store, "K1", date(2026, 1, 5), 100)
    asked = datetime(2026, 3, 2, 8, 0)
    add_activity(
        store,
        "K1",
        date(2026, 3, 2),
        kind="ticket",
        asked=asked,
        answered=datetime(2026, 3, 2, 20, 0),
    )  # 12 h against 4 h promised
    add_activity(
        store,
        "K1",
        date(2026, 3, 9),
        kind="ticket",
        asked=asked.replace(day=9),
        answered=datetime(2026, 3, 9, 9, 0),
    )  # 1 h: kept
    add_activity(store, "K2", date(2026, 2, 1), kind="service")  # the yearly check
    from kundenwert.dynamics.series import monthly_series
    from kundenwert.settings import Settings

    s = monthly_series(store, Settings(), date(2026, 6, 30))
    two = np.ones(2, bool)
    ctx = ReviewContext(1, two, two, np.array(["premium"] * 2), np.array([4.0, 4.0]), two, ~two)
    requests, late, checks = service_figures(store, s, ctx, ["service"])
    assert list(requests) == [2, 0] and list(late) == [1, 0] and list(checks) == [0, 1]


def test_late_responses_count_against_each_customers_own_level(store):
    # Three customers, each with one request answered after 12 hours: late against 4 hours,
    # kept against 24 hours, and never late without a committed response time (no level).
    for cid in ("K1", "K2", "K3"):
        add_customer(store, cid)
        add_invoice(store, cid, date(2026, 1, 5), 100)
        asked = datetime(2026, 3, 2, 8, 0)
        add_activity(store, cid, date(2026, 3, 2), kind="ticket", asked=asked,
                     answered=datetime(2026, 3, 2, 20, 0))  # fmt: skip
    from kundenwert.dynamics.series import monthly_series
    from kundenwert.settings import Settings

    s = monthly_series(store, Settings(), date(2026, 6, 30))
    three = np.ones(3, bool)
    levels = np.array(["premium", "standard", ""])
    ctx = ReviewContext(1, three, three, levels, np.array([4.0, 24.0, np.nan]), three, ~three)
    requests, late, _ = service_figures(store, s, ctx, ["service"])
    assert list(requests) == [1, 1, 1] and list(late) == [1, 0, 0]
    # 12 hours against a committed 12: not later than promised.
    ctx.response_hours[:] = [12.0, 11.5, 12.0]
    assert list(service_figures(store, s, ctx, ["service"])[1]) == [0, 1, 0]


def test_a_strategic_customer_never_gets_low_touch():
    import pyarrow as pa

    ids = ["S", "N"]
    alerts = {"klette": np.ones(2, bool)}
    t = next_actions(
        DynamicsSettings(), customer_id=pa.array(ids), name=pa.array(ids),
        owner=pa.array(["X", "Y"]), quadrant=np.array(["small", "small"]),
        abc_class=np.array(["C", "C"]), phase=np.array(["established"] * 2),
        trajectory=np.array(["klette"] * 2), alerts=alerts, as_of=date(2026, 6, 30),
        strategic=np.array([True, False]),
    )  # fmt: skip
    got = {(r["customer_id"], r["action"]) for r in t.to_pylist()}
    assert ("N", "low_touch") in got and ("S", "low_touch") not in got
    assert ("S", "service_contract") in got  # the next rule of the catalogue still applies
    (row,) = [r for r in t.to_pylist() if r["action"] == "low_touch"]
    assert "nicht strategisch" in row["because"]


def test_actions_follow_the_catalogue_order_and_limit():
    cfg = DynamicsSettings()
    ids = ["A", "B", "C"]
    import pyarrow as pa

    alerts = {a: np.zeros(3, bool) for a in ("top_silent", "klette", "rising_small")}
    alerts["top_silent"][0] = True
    alerts["klette"][1] = True
    t = next_actions(
        cfg, customer_id=pa.array(ids), name=pa.array(ids), owner=pa.array(["X", "Y", "Z"]),
        quadrant=np.array(["top", "small", "top"]), abc_class=np.array(["A", "C", "A"]),
        phase=np.array(["established", "established", "new"]),
        trajectory=np.array(["steady", "klette", "growth"]), alerts=alerts,
        as_of=date(2026, 6, 30), lang="en",
    )  # fmt: skip
    got = sorted((r["customer_id"], r["action"]) for r in t.to_pylist())
    assert got == [
        ("A", "visit"),
        ("A", "yearly_review"),
        ("B", "low_touch"),
        ("B", "service_contract"),
        ("C", "welcome"),
    ]
    # The list is ordered by due date (then money at stake).
    due = t["due"].to_pylist()
    assert due == sorted(due)
    visit = t.filter(pa.compute.equal(t["action"], "visit")).to_pylist()[0]
    assert visit["label"] == "Visit the customer"
    assert visit["due"] == date(2026, 7, 14)
    # The reasons name conditions in words, never internal codes.
    because = " ".join(t["because"].to_pylist())
    assert "Top customer silent" in because and "top_silent" not in because


def test_bad_catalogue_names_the_key():
    with pytest.raises(ConfigError) as err:
        settings_from_dict(
            {"dynamics": {"actions": [{"action": "x", "de": "x", "en": "x", "alerts": ["nope"]}]}}
        )
    assert "dynamics.actions" in str(err.value)
