"""Settings of the customer dynamics (section ``[dynamics]`` of kundenwert.toml).

Every threshold of the trajectory types, the relationship phases, the alerts and the action
catalogue lives here, with its default and what it means; docs/dynamics.md explains the rules.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kundenwert.dynamics.alert_rules import ALERTS

TRAJECTORY_TYPES = ("steady", "cyclical", "bell", "growth", "shrinking", "klette")
PHASES = ("new", "growing", "established", "declining", "dormant", "lost", "won_back")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class TrajectorySettings(_Section):
    """How the value trajectory type of a customer is decided."""

    history_months: int = Field(
        60,
        ge=12,
        le=120,
        description=(
            "Months of history up to the as-of date that are used at most (fewer when the "
            "first invoice is later; at least 12)."
        ),
    )
    min_history_months: int = Field(
        12,
        ge=6,
        description="Fewer months between the first purchase and the as-of date: not enough data.",
    )
    min_purchase_months: int = Field(
        8,
        ge=3,
        description="Fewer months with an invoice in the history: not enough data.",
    )
    bell_evidence: float = Field(
        2.0,
        ge=0,
        description=(
            "Extra quasi-log-likelihood (beyond its Occam factor, see shape_prior_sd) the "
            "rise-and-fall model needs to beat the others: bell."
        ),
    )
    cycle_evidence: float = Field(
        3.0,
        ge=0,
        description=(
            "Extra quasi-log-likelihood (beyond its Occam factor, see shape_prior_sd) the "
            "cycle model needs to beat the others: cyclical."
        ),
    )
    stop_evidence: float = Field(
        4.0,
        ge=0,
        description=(
            "Extra quasi-log-likelihood (beyond the BIC penalty for the stop month) a flat or "
            "trend model that ends with the last purchase needs: a customer who stopped is "
            "judged on his business until then (that he stopped is his phase)."
        ),
    )
    shape_prior_sd: float = Field(
        0.4,
        gt=0,
        description=(
            "Prior standard deviation of each shape coefficient of the value models (slope, "
            "curvature, cycle, on the log of orders and of order value, time scaled to -1..1 "
            "over the history): a model's evidence is its marginal likelihood under this prior, "
            "so a customer whose data cannot tell a change is unclear, not steady."
        ),
    )
    min_trend: float = Field(
        0.4,
        gt=0,
        description=(
            "Smallest change of the customer's value (revenue) over its span, as a natural "
            "log (0.4 = x1.5), for growth or shrinking; smaller: steady."
        ),
    )
    bell_peak: tuple[float, float] = Field(
        (0.1, 0.85),
        description=(
            "A bell's peak must lie within this part of the customer's span (0 = start, "
            "1 = as-of date); its value must rise to the peak and fall after it by at least "
            "min_trend each."
        ),
    )
    cycle_months: list[int] = Field(
        default_factory=lambda: [12, 18, 24],
        description="Cycle lengths (months) tried for cyclical customers (seasons, budgets).",
    )
    min_confidence: float = Field(
        0.8,
        ge=0,
        le=1,
        description=(
            "A type needs at least this confidence (the weight of its models among all); "
            "below it the customer is 'unclear', with the confidence and the likeliest type."
        ),
    )
    klette_margin_share: float = Field(
        0.45,
        description=(
            "Klette: margin III at most this share of margin II (care eats the margin; zero "
            "or negative always qualifies), in the last 12 months and over the history ..."
        ),
    )
    klette_max_quantile: float = Field(
        0.25,
        ge=0,
        le=1,
        description=(
            "... and among the lowest this share of the buying customers by margin III, of "
            "the last 12 months and per year over the history (small in absolute terms) ..."
        ),
    )
    klette_min_tenure_months: int = Field(
        24, ge=0, description="... and has been a customer for at least this many months ..."
    )
    klette_min_quarter_share: float = Field(
        0.4,
        ge=0,
        le=1,
        description="... and bought in at least this share of the quarters of its span ...",
    )
    klette_exclude_classes: list[str] = Field(
        default_factory=lambda: ["A"],
        description="... and is not of these ABC classes in the review ...",
    )
    klette_exclude_quadrants: list[str] = Field(
        default_factory=lambda: ["top", "premium"],
        description="... nor in these quadrants of the review.",
    )

    @model_validator(mode="after")
    def _cycles(self) -> TrajectorySettings:
        if not self.cycle_months or any(
            c < 4 or c > self.history_months for c in self.cycle_months
        ):
            raise ValueError("cycle_months: lengths between 4 and history_months")
        return self


class PhaseSettings(_Section):
    """How the relationship phase is decided (rules in docs/dynamics.md)."""

    new_months: int = Field(12, ge=1, description="Tenure below this many months: new.")
    dormant_factor: float = Field(
        2.0, gt=1, description="Silent for more than this many own purchase rhythms: dormant."
    )
    dormant_min_months: int = Field(6, ge=1, description="... and at least this many months.")
    lost_factor: float = Field(
        4.0, gt=1, description="Silent for more than this many own rhythms: lost ..."
    )
    lost_min_months: int = Field(12, ge=1, description="... and at least this many months.")
    lost_p_alive: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Where the forecast exists: p_alive below this and dormant by rhythm: lost.",
    )
    dormant_p_alive: float = Field(
        0.3, ge=0, le=1, description="Where the forecast exists: p_alive below this: dormant."
    )
    won_back_months: int = Field(
        24, ge=1, description="Won back: bought again within this many months ..."
    )
    won_back_gap_months: int = Field(
        12, ge=1, description="... after a gap of at least this many months ..."
    )
    won_back_factor: float = Field(
        4.0, gt=1, description="... and at least this many of the customer's other rhythms."
    )
    min_events: int = Field(
        4, ge=1, description="Growing or declining needs this many orders (invoices)."
    )
    trend: float = Field(
        0.4,
        gt=0,
        description=(
            "Change of the revenue, last half of `trend_months` against the half before "
            "(natural log; 0.4 = x1.5), for growing or declining."
        ),
    )
    trend_months: int = Field(24, ge=6, description="Months the phase trend looks back.")


class AlertSettings(_Section):
    """When an alert is raised."""

    @model_validator(mode="before")
    @classmethod
    def _moved(cls, data: object) -> object:
        # The yearly check is defined once, for the commitments and this alert alike.
        if isinstance(data, dict) and "check_kinds" in data:
            raise ValueError(
                "dynamics.alerts.check_kinds gibt es nicht mehr: die Aktivitätsarten des "
                "Jahreschecks stehen jetzt in review.service.adherence.check_kinds."
            )
        return data

    rising_growth: float = Field(
        0.25, gt=0, description="Small and development customers: yearly growth at least this."
    )
    rising_quadrants: list[str] = Field(
        default_factory=lambda: ["small", "development"],
        description="Quadrants watched for growth.",
    )
    top_quadrants: list[str] = Field(
        default_factory=lambda: ["top", "premium"],
        description="Quadrants watched for decline, silence and falling satisfaction.",
    )
    top_classes: list[str] = Field(
        default_factory=lambda: ["A"], description="ABC classes watched like the top quadrants."
    )
    decline: float = Field(0.2, gt=0, description="Top customers: yearly decline at least this.")
    change_confidence: float = Field(
        0.975,
        ge=0.5,
        lt=1,
        description=(
            "Declines and growth count only when larger than the customer's own order noise "
            "at this confidence (one-sided; 0.975 is the 95 % two-sided test: at 0.9 growth "
            "customers with one weak year were told they decline, docs/dynamics.md)."
        ),
    )
    silent_factor: float = Field(
        1.5, gt=0, description="Top customers: silent for more than this many own rhythms."
    )
    silent_p_alive: float = Field(
        0.5,
        gt=0,
        lt=1,
        description=(
            "With use_forecast: top customers whose P(alive) under the chosen purchase model "
            "is below this are silent (instead of the rhythm in months)."
        ),
    )
    satisfaction_drop: float = Field(
        1.5, gt=0, description="Drop of the survey satisfaction (0–10) from the previous answer."
    )
    response_share: float = Field(
        0.2,
        ge=0,
        le=1,
        description="Response time alert when more than this share of requests was late.",
    )
    override_days: int = Field(30, ge=1, description="Overrides ending within this many days.")
    come_back_growth: float = Field(
        0.25,
        ge=0,
        description=(
            "An acknowledged, done or dismissed alert or action comes back when its money at "
            "stake has grown by more than this share since the status was given."
        ),
    )
    hold_days: int = Field(
        180,
        ge=1,
        description="... and at the latest this many days after the status was given.",
    )
    per_owner: int = Field(
        5,
        ge=1,
        description=(
            "Alerts and next actions shown per account manager by default (those with the "
            "most money at stake first); the whole list stays available."
        ),
    )


class ActionRule(_Section):
    """One entry of the action catalogue: when it applies and what to do."""

    action: str = Field(description="Key of the action, e.g. visit.")
    de: str = Field(description="Label in German.")
    en: str = Field(description="Label in English.")
    due_days: int = Field(30, ge=0, description="Due this many days after the as-of date.")
    alerts: list[str] = Field(default_factory=list, description="Any of these alerts (or none).")
    quadrants: list[str] = Field(default_factory=list, description="Any of these quadrants.")
    classes: list[str] = Field(default_factory=list, description="Any of these ABC classes.")
    phases: list[str] = Field(default_factory=list, description="Any of these phases.")
    trajectories: list[str] = Field(default_factory=list, description="Any of these types.")
    strategic: bool | None = Field(
        None,
        description=(
            "true: only strategic customers; false: never a strategic one (review.strategic "
            "or its override); empty: either."
        ),
    )

    @model_validator(mode="after")
    def _known(self) -> ActionRule:
        for name, values, known in (
            ("alerts", self.alerts, ALERTS),
            ("phases", self.phases, PHASES),
            ("trajectories", self.trajectories, TRAJECTORY_TYPES),
        ):
            unknown = sorted(set(values) - set(known))
            if unknown:
                raise ValueError(f"{name}: unknown {', '.join(unknown)}; known: {', '.join(known)}")
        return self


def _rule(action: str, de: str, en: str, due: int, **when) -> ActionRule:
    return ActionRule(action=action, de=de, en=en, due_days=due, **when)


def _default_actions() -> list[ActionRule]:
    return [
        _rule("win_back_call", "Rückgewinnungsanruf", "Win-back call", 14,
              phases=["lost"], quadrants=["top", "premium", "development"]),
        _rule("visit", "Besuch beim Kunden", "Visit the customer", 14,
              alerts=["top_declining", "top_silent"]),
        _rule("loyalty_talk", "Loyalitätsgespräch", "Loyalty talk", 30,
              alerts=["satisfaction_falling"]),
        _rule("service_recovery", "Servicezusage nachholen", "Make good the service commitment",
              7, alerts=["response_time_missed", "yearly_check_missed"]),
        _rule("development_plan", "Entwicklungsgespräch", "Development meeting", 30,
              alerts=["rising_small"]),
        _rule("low_touch", "Standardisierte Betreuung (low touch)", "Standardised low-touch care",
              60, alerts=["klette"], strategic=False),
        _rule("service_contract", "Servicevertrag anbieten", "Offer a service contract", 60,
              trajectories=["klette", "cyclical"], quadrants=["small", "development"]),
        _rule("override_check", "Ausnahme prüfen", "Review the override", 14,
              alerts=["override_expiring"]),
        _rule("yearly_review", "Jahresgespräch", "Yearly review meeting", 90,
              quadrants=["top", "premium"], phases=["established", "growing", "won_back"]),
        _rule("welcome", "Begrüßungsbesuch", "Welcome visit", 30, phases=["new"]),
    ]  # fmt: skip


class DynamicsSettings(_Section):
    """Customer dynamics: trajectories, phases, alerts and next actions."""

    trajectory: TrajectorySettings = Field(
        default_factory=TrajectorySettings, description="Value trajectory types."
    )
    phase: PhaseSettings = Field(default_factory=PhaseSettings, description="Relationship phases.")
    alerts: AlertSettings = Field(default_factory=AlertSettings, description="Alerts.")
    actions: list[ActionRule] = Field(
        default_factory=_default_actions,
        description=(
            "The action catalogue, in priority order: each rule applies when every list it "
            "sets matches (an empty list matches anything); a customer gets every action "
            "that applies, at most `max_actions`."
        ),
    )
    max_actions: int = Field(2, ge=1, description="Most actions per customer.")
    use_forecast: bool = Field(
        False,
        description="Use the forecast's p_alive in the phases (fits the forecast model: slower).",
    )
