"""One call for everything: trajectories, phases, alerts and next actions as of a date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kundenwert.dynamics.actions import next_actions
from kundenwert.dynamics.alerts import (
    BuyingRhythm,
    Signals,
    alert_masks,
    alert_reasons,
    money_at_stake,
)
from kundenwert.dynamics.context import (
    expiring_overrides,
    latest_surveys,
    review_context,
    service_figures,
    skipped_rules,
)
from kundenwert.dynamics.evidence import evidence_array
from kundenwert.dynamics.lists import by_stake
from kundenwert.dynamics.phases import Phases, assign_phases
from kundenwert.dynamics.series import SeriesMatrix, monthly_series
from kundenwert.dynamics.trajectories import Trajectories, classify_trajectories
from kundenwert.i18n import translate

if TYPE_CHECKING:
    from kundenwert.engine import Inputs
    from kundenwert.settings import Settings

ALERT_SCHEMA = pa.schema(
    [
        ("customer_id", pa.string()),
        ("name", pa.string()),
        ("owner", pa.string()),
        ("alert", pa.string()),
        ("reason", pa.string()),
        ("stake", pa.float64()),  # money at stake, the order of the list (highest first)
    ]
)


@dataclass
class DynamicsResult:
    as_of: date
    review_id: int | None
    series: SeriesMatrix
    trajectories: Trajectories
    phases: Phases
    signals: Signals
    alerts: pa.Table  # ALERT_SCHEMA
    actions: pa.Table  # actions.ACTION_SCHEMA
    settings: Settings
    skipped: dict[str, str] = field(default_factory=dict)  # alert rule -> why it did not run

    def customers(self, lang: str = "de", *, evidence_text: bool = True) -> pa.Table:
        """One row per customer: trajectory with confidence and evidence, phase, figures."""
        s, tr, ph = self.series, self.trajectories, self.phases
        cfg = self.settings.dynamics.trajectory
        cols = {
            "customer_id": s.customer_id,
            "name": s.name,
            "account_manager": s.account_manager,
            "quadrant": pa.array(self.signals.quadrant.astype(str)),
            "abc_class": pa.array(self.signals.abc_class.astype(str)),
            "trajectory": pa.array(tr.type.astype(str)),
            "confidence": pa.array(tr.confidence, from_pandas=True),
            "yearly_change": pa.array(tr.yearly_change, from_pandas=True),
            "margin_share": pa.array(tr.margin_share, from_pandas=True),
            "revenue_12m": pa.array(tr.revenue_12m),
            "revenue_prev_12m": pa.array(tr.revenue_prev_12m),
            "phase": pa.array(ph.phase.astype(str)),
            "silent_months": pa.array(ph.silent_months, from_pandas=True),
            "rhythm_months": pa.array(ph.rhythm_months, from_pandas=True),
            "p_alive": pa.array(ph.p_alive, from_pandas=True),
        }
        if evidence_text:
            cols["evidence"] = evidence_array(tr, s.tenure_months, cfg, lang)
        return pa.table(cols)

    def tables(self, lang: str = "de") -> dict[str, pa.Table]:
        """The sheets for the export and the workbook: trajectories, alerts, actions."""
        names = {
            "de": ("Verläufe", "Warnungen", "Nächste Schritte"),
            "en": ("Trajectories", "Alerts", "Next actions"),
        }[lang if lang in ("de", "en") else "de"]
        return dict(zip(names, (self.customers(lang), self.alerts, self.actions), strict=True))

    def monthly(self, customer_id: str) -> pa.Table:
        """The monthly revenue and margin III series of one customer."""
        return _one_series(self.series, customer_id, quarterly=False)

    def quarterly(self, customer_id: str) -> pa.Table:
        return _one_series(self.series, customer_id, quarterly=True)


def _one_series(s: SeriesMatrix, customer_id: str, quarterly: bool) -> pa.Table:
    from kundenwert.errors import NotFoundError

    pos = pc.index(s.customer_id, customer_id).as_py()
    if pos < 0:
        raise NotFoundError(
            f"Kunde {customer_id} ist nicht bekannt.", hint="Prüfen Sie die Kundennummer."
        )
    rev, m3 = s.revenue[pos : pos + 1], s.margin_3[pos : pos + 1]
    starts = s.month_starts
    if quarterly:
        rev, m3 = s.quarterly(rev), s.quarterly(m3)
        labels = sorted({f"{d.year}-Q{(d.month - 1) // 3 + 1}" for d in starts})
    else:
        labels = [f"{d.year}-{d.month:02d}" for d in starts]
    return pa.table({"period": labels, "revenue": rev[0], "margin_3": m3[0]})


def _rhythm(data, settings, series: SeriesMatrix, lang: str) -> BuyingRhythm | None:
    """P(alive) and the buying rhythm under the forecast's chosen purchase model, aligned to
    the series (only with ``dynamics.use_forecast``: it fits the model). ``data``: the store
    or engine inputs, whose invoices the forecast summarises (on Spark: there)."""
    if not settings.dynamics.use_forecast:
        return None
    from kundenwert.forecast.fitting import fit_forecast
    from kundenwert.forecast.rhythm import rhythm_table
    from kundenwert.forecast.text import model_name

    fit = fit_forecast(data, series.as_of, settings.forecast)
    f = rhythm_table(fit)
    pos = pc.fill_null(pc.index_in(series.customer_id, value_set=f["customer_id"]), -1)
    pos = pos.to_numpy()

    def aligned(column: str) -> np.ndarray:
        values = f[column].to_numpy(zero_copy_only=False).astype(np.float64)
        return np.append(values, np.nan)[pos]

    k = fit.purchases.params_.get("k")
    name = model_name(fit.purchases.name, lang)
    return BuyingRhythm(
        p_alive=aligned("p_alive"),
        usual_gap_days=aligned("usual_gap_days"),
        days_since_last=aligned("days_since_last"),
        model=name.replace("-k", f"-{int(k)}") if k is not None else name,
    )


def default_as_of(store, review_id: int | None = None) -> date:
    """The as-of date of the review (the latest when None), or today without reviews."""
    sql = "SELECT as_of FROM reviews " + (
        "WHERE review_id = ?" if review_id is not None else "ORDER BY review_id DESC LIMIT 1"
    )
    row = store.con.execute(sql, [review_id] if review_id is not None else []).fetchone()
    return row[0] if row else date.today()


def analyse(
    store,
    settings,
    as_of: date | None = None,
    review_id: int | None = None,
    *,
    today: date | None = None,
    lang: str | None = None,
    inputs: Inputs | None = None,
) -> DynamicsResult:
    """Trajectories, phases, alerts and actions of every customer known on ``as_of``.

    ``review_id`` names the review whose (effective) quadrants, classes and service levels the
    alerts and actions use; None takes the latest, and without any review the review-based
    alerts stay empty. ``as_of`` None takes the review's as-of date. ``today`` (default: as_of)
    decides which overrides are about to expire.

    ``inputs`` (:func:`kundenwert.engine.open_inputs`, e.g. on Spark): the input tables the
    aggregates run on — the monthly series (invoices, customers, activities), the forecast's
    summary for the buying rhythm, the service figures (activities) and the surveys. What
    describes kundenwert's own work stays in ``store``: the reviews, the overrides and (in
    :func:`kundenwert.dynamics.status.with_status`) the lists' status. None: all in the store.
    """
    data = store if inputs is None else inputs
    as_of = as_of or default_as_of(store, review_id)
    lang = lang or settings.language
    cfg = settings.dynamics
    series = monthly_series(data, settings, as_of)
    ctx = review_context(store, series, review_id)
    tr = classify_trajectories(series, cfg.trajectory, ctx.abc_class, ctx.quadrant)
    rhythm = _rhythm(data, settings, series, lang)
    ph = assign_phases(series, cfg.phase, None if rhythm is None else rhythm.p_alive)
    check_kinds = settings.review.service.adherence.check_kinds
    signals = Signals(
        tr=tr,
        ph=ph,
        tenure=series.tenure_months,
        quadrant=ctx.quadrant,
        abc_class=ctx.abc_class,
        service_level=ctx.service_level,
        response_hours=ctx.response_hours,
        yearly_check=ctx.yearly_check,
        surveys=latest_surveys(data, series),
        service=service_figures(data, series, ctx, check_kinds),
        rhythm=rhythm,
        check_kinds=tuple(check_kinds),
        level_names={
            lv.key: getattr(lv.label, lang, lv.label.de) for lv in settings.review.service.levels
        },
    )
    masks = alert_masks(signals, cfg.alerts)
    skipped = skipped_rules(data, ctx)
    for rule in skipped:
        masks[rule] = np.zeros(series.n, dtype=bool)
    alerts = _alert_table(series, signals, masks, cfg.alerts, lang)
    overrides = expiring_overrides(store, today or as_of, cfg.alerts.override_days)
    alerts, masks = _with_overrides(series, alerts, masks, overrides, lang)
    alerts = by_stake(alerts)
    actions = next_actions(
        cfg,
        customer_id=series.customer_id,
        name=series.name,
        owner=series.account_manager,
        quadrant=ctx.quadrant,
        abc_class=ctx.abc_class,
        phase=ph.phase,
        trajectory=tr.type,
        alerts=masks,
        as_of=as_of,
        lang=lang,
        quadrant_names={
            k: getattr(v, lang, v.de) for k, v in settings.review.matrix.labels.items()
        },
        stake=np.maximum(tr.revenue_12m, 0.0),
        strategic=ctx.strategic,
    )
    return DynamicsResult(
        as_of, ctx.review_id, series, tr, ph, signals, alerts, actions, settings, skipped
    )


def _alert_table(series, signals, masks, cfg, lang) -> pa.Table:
    parts = []
    for alert, mask in masks.items():
        idx = np.flatnonzero(mask)
        if not len(idx):
            continue
        take = pa.array(idx, pa.int64())
        parts.append(
            pa.Table.from_arrays(
                [
                    series.customer_id.take(take),
                    series.name.take(take),
                    series.account_manager.take(take),
                    pa.array([alert] * len(idx), pa.string()),
                    alert_reasons(alert, signals, idx, cfg, lang),
                    pa.array(money_at_stake(alert, signals, idx)),
                ],
                schema=ALERT_SCHEMA,
            )
        )
    return pa.concat_tables(parts) if parts else ALERT_SCHEMA.empty_table()


def _with_overrides(series, alerts, masks, overrides, lang):
    from kundenwert.dynamics.alerts import TEXT

    if overrides.num_rows == 0:
        masks["override_expiring"] = np.zeros(series.n, dtype=bool)
        return alerts, masks
    pos = pc.fill_null(pc.index_in(overrides["customer_id"], value_set=series.customer_id), -1)
    pos = pos.to_numpy()
    mask = np.zeros(series.n, dtype=bool)
    mask[pos[pos >= 0]] = True
    masks["override_expiring"] = mask
    rows = overrides.to_pylist()
    names = series.name.take(pa.array(np.maximum(pos, 0))).to_pylist()
    owners = series.account_manager.take(pa.array(np.maximum(pos, 0))).to_pylist()
    extra = pa.Table.from_pylist(
        [
            {
                "customer_id": r["customer_id"],
                "name": names[k] if pos[k] >= 0 else None,
                "owner": owners[k] if pos[k] >= 0 else None,
                "alert": "override_expiring",
                "stake": 0.0,
                "reason": translate(
                    TEXT,
                    "override_expiring",
                    lang,
                    field=r["field"],
                    value=r["value"],
                    until=r["valid_until"].isoformat(),
                    reason=r["reason"],
                ),
            }
            for k, r in enumerate(rows)
        ],
        schema=ALERT_SCHEMA,
    )
    return pa.concat_tables([alerts, extra.select(ALERT_SCHEMA.names)]), masks
