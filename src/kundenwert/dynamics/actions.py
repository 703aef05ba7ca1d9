"""Next actions: the configurable catalogue maps (quadrant or class, phase, trajectory, alert)
to actions, each assigned to the customer's account manager with a due date.

A rule applies when every list it sets matches the customer (an empty list matches anything;
``alerts`` matches when the customer has any of them). Rules are tried in catalogue order and a
customer gets at most ``max_actions`` of them. The due date is the as-of date plus the rule's
``due_days``.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pyarrow as pa

from kundenwert.dynamics.config import DynamicsSettings
from kundenwert.dynamics.labels import ALERT_NAMES, PHASE_NAMES, TRAJECTORY_NAMES, name_of
from kundenwert.i18n import Catalogue, translate

_CONDITIONS: Catalogue = {
    "quadrant": {"de": "Matrixfeld", "en": "Matrix field"},
    "class": {"de": "ABC-Klasse", "en": "ABC class"},
    "phase": {"de": "Phase", "en": "Phase"},
    "trajectory": {"de": "Verlauf", "en": "Trajectory"},
    "alert": {"de": "Warnung", "en": "Alert"},
    "strategic": {"de": "strategisch", "en": "strategic"},
    "not_strategic": {"de": "nicht strategisch", "en": "not strategic"},
}

ACTION_SCHEMA = pa.schema(
    [
        ("customer_id", pa.string()),
        ("name", pa.string()),
        ("owner", pa.string()),
        ("action", pa.string()),
        ("label", pa.string()),
        ("due", pa.date32()),
        ("because", pa.string()),
        ("stake", pa.float64()),  # the customer's revenue of the last 12 months
    ]
)


def next_actions(
    cfg: DynamicsSettings,
    *,
    customer_id: pa.Array,
    name: pa.Array,
    owner: pa.Array,
    quadrant: np.ndarray,
    abc_class: np.ndarray,
    phase: np.ndarray,
    trajectory: np.ndarray,
    alerts: dict[str, np.ndarray],
    as_of: date,
    lang: str = "de",
    quadrant_names: dict[str, str] | None = None,
    stake: np.ndarray | None = None,
    strategic: np.ndarray | None = None,
) -> pa.Table:
    """The actions of every customer; ``because`` names the rule's conditions in ``lang``
    (``quadrant_names``: the review's names of the quadrants; ``strategic``: the review's
    strategic flag, for rules that ask for it)."""
    n = len(customer_id)
    names = {
        "quadrant": quadrant_names or {},
        "class": {},
        "phase": {k: name_of(PHASE_NAMES, k, lang) for k in PHASE_NAMES},
        "trajectory": {k: name_of(TRAJECTORY_NAMES, k, lang) for k in TRAJECTORY_NAMES},
        "alert": {k: name_of(ALERT_NAMES, k, lang) for k in ALERT_NAMES},
    }

    def because(kind: str, values: list[str]) -> str:
        shown = "/".join(names[kind].get(v, v) for v in values)
        return f"{translate(_CONDITIONS, kind, lang)} {shown}"

    taken = np.zeros(n, dtype=np.int32)
    rows: list[tuple[np.ndarray, int, str]] = []  # (customers, rule index, reason)
    for r, rule in enumerate(cfg.actions):
        match = np.ones(n, dtype=bool)
        reasons = []
        for values, column, label in (
            (rule.quadrants, quadrant, "quadrant"),
            (rule.classes, abc_class, "class"),
            (rule.phases, phase, "phase"),
            (rule.trajectories, trajectory, "trajectory"),
        ):
            if values:
                match &= np.isin(column, values)
                reasons.append(because(label, values))
        if rule.alerts:
            any_alert = np.zeros(n, dtype=bool)
            for alert in rule.alerts:
                if alert in alerts:
                    any_alert |= alerts[alert]
            match &= any_alert
            reasons.append(because("alert", rule.alerts))
        if rule.strategic is not None:
            flag = np.zeros(n, dtype=bool) if strategic is None else np.asarray(strategic, bool)
            match &= flag == rule.strategic
            reasons.append(
                translate(_CONDITIONS, "strategic" if rule.strategic else "not_strategic", lang)
            )
        match &= taken < cfg.max_actions
        taken += match
        rows.append((np.flatnonzero(match), r, "; ".join(reasons)))
    if not rows:
        return ACTION_SCHEMA.empty_table()
    idx = np.concatenate([r[0] for r in rows])
    rule_of = np.concatenate([np.full(len(r[0]), r[1]) for r in rows])
    order = np.lexsort((rule_of, idx))
    idx, rule_of = idx[order], rule_of[order]
    rules = cfg.actions
    take = pa.array(idx, pa.int64())
    by_rule = pa.array(rule_of, pa.int64())

    def per_rule(values: list, type_: pa.DataType) -> pa.Array:
        return pa.array(values, type_).take(by_rule)

    return pa.Table.from_arrays(
        [
            customer_id.take(take),
            name.take(take),
            owner.take(take),
            per_rule([r.action for r in rules], pa.string()),
            per_rule([getattr(r, lang, r.de) for r in rules], pa.string()),
            per_rule([as_of + timedelta(days=r.due_days) for r in rules], pa.date32()),
            per_rule([row[2] for row in rows], pa.string()),
            pa.array(np.zeros(len(idx)) if stake is None else np.asarray(stake)[idx]),
        ],
        schema=ACTION_SCHEMA,
    ).sort_by([("due", "ascending"), ("stake", "descending"), ("customer_id", "ascending")])
