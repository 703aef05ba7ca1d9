"""The silence alert fed by the forecast's chosen purchase model (issue 17, item 3): a customer
who reorders in a rhythm and misses it is flagged under the MBG/CNBD-k, which knows the rhythm,
before BG/NBD would, at the same silence; the text names the rhythm and the silence."""

from datetime import date, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from dynamics_helpers import load_tables

from kundenwert.dynamics import analyse
from kundenwert.review import run_review
from kundenwert.settings import Settings
from kundenwert.store import open_store

AS_OF = date(2026, 6, 30)
START = date(2024, 1, 1)


def _company(seed: int = 7) -> dict[str, pa.Table]:
    """400 customers who reorder every 6 weeks on average with Erlang-3 gaps, some of whom
    drop out after a purchase; TOP buys big every 42 days and has been silent for 16 weeks."""
    rng = np.random.default_rng(seed)
    ids, days, amounts = [], [], []
    for i in range(400):
        mean = rng.uniform(28, 56)
        drop = rng.beta(1.0, 30.0)  # after each purchase: gone with this probability
        t = rng.uniform(0, mean)
        while t < (AS_OF - START).days:
            ids.append(f"K{i:03d}")
            days.append(START + timedelta(days=int(t)))
            amounts.append(float(rng.uniform(100, 400)))
            if rng.random() < drop:
                break
            t += rng.gamma(3.0, mean / 3.0)
    last = AS_OF - timedelta(weeks=16)
    for d in range((last - START).days, -1, -42):
        ids.append("TOP")
        days.append(START + timedelta(days=d))
        amounts.append(50_000.0)
    customers = sorted(set(ids))
    return {
        "customers": pa.table(
            {
                "customer_id": customers,
                "name": customers,
                "account_manager": ["Anna"] * len(customers),
            }
        ),
        "invoices": pa.table(
            {
                "invoice_id": [f"R{n}" for n in range(len(ids))],
                "line_no": [1] * len(ids),
                "customer_id": ids,
                "date": days,
                "amount": amounts,
            }
        ),
    }


@pytest.fixture(scope="module")
def store():
    with open_store(None) as s:
        load_tables(s, _company())
        run_review(s, Settings(), AS_OF)
        yield s


def _top(store, model: str):
    cfg = Settings.model_validate(
        {"dynamics": {"use_forecast": True}, "forecast": {"model": model}}
    )
    result = analyse(store, cfg, AS_OF)
    i = result.series.customer_id.to_pylist().index("TOP")
    alerts = result.alerts
    mine = pc.filter(
        alerts,
        pc.and_(pc.equal(alerts["customer_id"], "TOP"), pc.equal(alerts["alert"], "top_silent")),
    )
    return result.signals.rhythm.p_alive[i], mine["reason"].to_pylist()


def test_a_missed_reorder_is_flagged_under_the_rhythm_model_first(store):
    p_rhythm, flagged = _top(store, "mbgcnbd")
    p_random, not_flagged = _top(store, "bgnbd")
    assert p_rhythm < 0.5 <= p_random
    assert not_flagged == []
    (text,) = flagged
    assert text.startswith("Top-Kunde still: bestellt sonst alle 6 Wochen, seit 16 Wochen nichts")
    assert text.endswith("(MBG/CNBD-3).")  # k found from the data: the gaps are Erlang-3
