"""What the data allow at all, learned from the generator itself.

benchmarks/ceiling.py fits each generator's curve families by least squares; it turned out
weaker than the product's own model, so it bounds nothing. This ceiling is stronger by
construction: a gradient-boosted classifier (scikit-learn's HistGradientBoostingClassifier)
trained on fresh customers of the *same* generator (other seeds) with their true types. It sees
exactly what the product sees (the monthly series of revenue, purchases and margin III that
``kundenwert.dynamics`` builds) and knows, through its training data, every curve family,
noise law and parameter range of the generator. With enough training customers it approaches
the best classifier possible on these series (the Bayes rule), so where it errs the data
themselves do not show the type.

It answers three questions on the benchmark's customers:

* its accuracy when it types everybody, and on the customers we type;
* its accuracy when it types as many customers as we do (its most confident ones);
* how many customers it can type at 90 % accuracy (its most confident first), and how each
  true type fares at that point (share typed, share right): whether issue 13's targets are
  within what the data allow.

Benchmark code, not part of the product; needs scikit-learn (a dev dependency).
"""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

TARGET_ACCURACY = 0.9


def features(s) -> np.ndarray:
    """Scale-free shape features of each customer's series (a ``SeriesMatrix``)."""
    quarters = s.months // 3
    cut = s.months - quarters * 3

    def q(values: np.ndarray) -> np.ndarray:
        return values[:, cut:].reshape(s.n, quarters, 3).sum(2)

    orders = s.invoices if s.invoices is not None else s.lines
    revenue, count, margin = q(s.revenue), q(orders.astype(np.float64)), q(s.margin_3)
    scale = np.maximum(np.abs(revenue).mean(1, keepdims=True), 1e-9)
    cscale = np.maximum(count.mean(1, keepdims=True), 1e-9)
    size = np.where(count > 0, revenue / np.maximum(count, 1), np.nan)
    sscale = np.maximum(revenue.sum(1, keepdims=True), 1e-9) / np.maximum(
        count.sum(1, keepdims=True), 1
    )
    m2 = s.margin_2_12m if s.margin_2_12m is not None else s.margin_2
    with np.errstate(invalid="ignore", divide="ignore"):
        size_rel = np.log(size / sscale)
    return np.column_stack(
        [
            revenue / scale,
            np.cumsum(revenue, 1) / np.maximum(np.abs(revenue).sum(1, keepdims=True), 1e-9),
            count / cscale,
            size_rel,
            margin / scale,
            s.margin_3[:, -12:].sum(1) / np.maximum(np.abs(m2), 1e-9),
            np.log1p(np.maximum(s.revenue[:, -12:].sum(1), 0)),
            np.log1p(np.maximum(revenue.sum(1), 0)),
            np.log1p(count.sum(1)),
            (s.lines > 0).sum(1),
            s.tenure_months,
            s.silent_days,
        ]
    )


def train(samples: list[tuple[object, np.ndarray]], seed: int = 0):
    """Fit on (series, true type per row) pairs; rows without a truth ("") are left out."""
    x = np.vstack([features(s) for s, _ in samples])
    y = np.concatenate([np.asarray(t, dtype=object) for _, t in samples])
    keep = y != ""
    model = HistGradientBoostingClassifier(
        max_iter=400, learning_rate=0.05, early_stopping=True, random_state=seed
    )
    return model.fit(x[keep], y[keep].astype(str))


def report(model, s, truth: np.ndarray, known: np.ndarray, typed: np.ndarray, types) -> dict:
    """The ceiling's figures on the benchmark's customers (see the module docstring)."""
    proba = model.predict_proba(features(s))
    guess = model.classes_[proba.argmax(1)].astype(object)
    conf = proba.max(1)
    hit = (guess == truth) & known
    rows = np.flatnonzero(known)
    order = rows[np.argsort(-conf[rows], kind="stable")]
    running = np.cumsum(hit[order]) / np.arange(1, len(order) + 1)
    at_ours = order[: int(typed.sum())]
    ok = np.flatnonzero(running >= TARGET_ACCURACY)
    top = order[: ok[-1] + 1] if len(ok) else order[:0]
    chosen = np.zeros(s.n, dtype=bool)
    chosen[top] = True
    per_type = {}
    for kind in types:
        mine = known & (truth == kind)
        per_type[kind] = {
            "typed": float(chosen[mine].mean()) if mine.any() else None,
            "right": float(hit[mine & chosen].mean()) if (mine & chosen).any() else None,
        }
    return {
        "accuracy_all": float(hit[rows].mean()),
        "accuracy_on_our_typed": float(hit[typed & known].mean()) if typed.any() else None,
        "accuracy_at_our_coverage": float(hit[at_ours].mean()) if len(at_ours) else None,
        "coverage_at_target": float(len(top) / max(len(rows), 1)),
        "per_type_at_target": per_type,
    }
