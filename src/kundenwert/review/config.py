"""The `[review]` section of kundenwert.toml: indicators, weights, classes, matrix, service levels.

The defaults describe a machine maker with field service (see docs/review.md); a company
changes them in its kundenwert.toml. Every cross-reference (a weight naming an indicator, a
mapping naming a service level, a split naming a measure) is checked here, at the door, so
that a review never starts on a configuration it cannot honour.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from kundenwert.forecast.config import parse_duration
from kundenwert.review._base import QUADRANTS, SCORE_CLASSES, Label, _Section
from kundenwert.review.service_config import ServiceSettings
from kundenwert.schema import ACTIVITY_KINDS, INVOICE_CATEGORIES

Source = Literal["invoices", "installed_base", "activities", "ratings", "customers"]
MEASURES_BY_SOURCE: dict[str, tuple[str, ...]] = {
    "invoices": ("amount", "margin_1", "margin_2", "margin_3", "count"),
    "installed_base": ("value", "count"),
    "activities": ("cost", "hours", "count"),
    "ratings": ("value",),
    "customers": ("points",),
}
CUSTOMER_ATTRIBUTES = ("country", "postal_code", "city", "industry", "business_unit")
MONEY_MEASURES = ("revenue", "margin_1", "margin_2", "margin_3")
MATRIX_MEASURES = (*MONEY_MEASURES, "value_score", "potential")


class Indicator(_Section):
    """One indicator of the value score and where its raw value comes from."""

    source: Source = Field(
        description="Table the raw value comes from: invoices, installed_base, activities, "
        "ratings or customers."
    )
    label: Label | None = Field(None, description="Display name (German and English).")
    measure: str | None = Field(
        None,
        description="What is summed: invoices `amount` (default) | `margin_1` | `margin_2` | "
        "`margin_3` (margin II less the cost to serve of every activity; no `categories`) | "
        "`count`; "
        "installed_base `value` (default) | `count`; activities `cost` (default) | `hours` | "
        "`count`. Not used for ratings and customers.",
    )
    categories: list[str] | None = Field(
        None, description='invoices: only lines of these categories (e.g. `["service"]`).'
    )
    kinds: list[str] | None = Field(None, description="activities: only these kinds.")
    rating: str | None = Field(
        None, description="ratings: the `indicator` value in the ratings table (default: key)."
    )
    scale: tuple[float, float] = Field(
        (0.0, 10.0),
        description="ratings: the rating scale [worst, best], mapped to 0..100 (worst 0, best "
        "100). A scale where higher is worse is written reversed, e.g. `[10, 0]` for "
        "competitive intensity; worst and best must differ.",
    )
    max_age_months: int | None = Field(
        None, ge=1, description="ratings: a rating older than this counts as missing."
    )
    missing: Literal["unknown", "zero"] = Field(
        "unknown",
        description="ratings: a customer without a (recent) rating is `unknown` on this "
        "indicator (left out of its score, which re-weights the known ones), or gets the "
        "worst value of the scale (`zero`: a decision that no rating means the worst).",
    )
    attribute: str | None = Field(
        None, description="customers: the column matched against `points` (e.g. `country`)."
    )
    points: dict[str, float] = Field(
        default_factory=dict,
        description="customers: points 0..100 per value prefix; the longest matching prefix "
        "wins (e.g. `{DE = 100, AT = 80}` or postal-code prefixes).",
    )
    default_points: float = Field(
        50.0, ge=0, le=100, description="customers: points when no prefix matches."
    )
    cap_quantile: float = Field(
        0.95,
        gt=0,
        le=1,
        description="Money and counts: values are divided by this quantile of all positive "
        "values (capped at 100), so one giant customer does not flatten the rest.",
    )

    @model_validator(mode="after")
    def _fits_source(self) -> Indicator:
        allowed = MEASURES_BY_SOURCE[self.source]
        if self.measure is None:
            self.measure = allowed[0]
        if self.measure not in allowed:
            raise ValueError(
                f"measure {self.measure!r} does not fit source {self.source}; "
                f"allowed: {', '.join(allowed)}"
            )
        for name, given, choices in (
            ("categories", self.categories, INVOICE_CATEGORIES),
            ("kinds", self.kinds, ACTIVITY_KINDS),
        ):
            bad = sorted(set(given or ()) - set(choices))
            if bad:
                raise ValueError(f"{name}: unknown {', '.join(bad)}; known: {', '.join(choices)}")
        if self.measure == "margin_3" and self.categories:
            raise ValueError(
                "measure margin_3 takes the cost to serve of all activities: it cannot be "
                "limited to invoice categories (use margin_2)"
            )
        if self.source == "customers":
            if self.attribute not in CUSTOMER_ATTRIBUTES:
                raise ValueError(f"attribute must be one of {', '.join(CUSTOMER_ATTRIBUTES)}")
            bad_points = [k for k, v in self.points.items() if not 0 <= v <= 100]
            if bad_points:
                raise ValueError(f"points must be within 0..100: {', '.join(bad_points)}")
        worst, best = self.scale
        if worst == best:
            raise ValueError(
                "scale: worst and best must differ (e.g. [0, 10], or [10, 0] when higher is worse)"
            )
        return self

    @property
    def is_money(self) -> bool:
        return self.source in ("invoices", "installed_base", "activities")


def _rating(name: str, de: str, en: str) -> Indicator:
    return Indicator(source="ratings", rating=name, label=Label(de=de, en=en))


def _default_indicators() -> dict[str, Indicator]:
    return {
        "machine_volume": Indicator(
            source="installed_base",
            measure="value",
            label=Label(de="Gelieferte Maschinen", en="Delivered machine volume"),
        ),
        "new_business_potential": _rating(
            "new_business_potential", "Neugeschäftspotenzial", "New-business potential"
        ),
        "service_potential": _rating("service_potential", "Servicepotenzial", "Service potential"),
        "service_revenue": Indicator(
            source="invoices",
            categories=["service"],
            label=Label(de="Serviceumsatz", en="Service revenue"),
        ),
        "reference_importance": _rating(
            "reference_value", "Referenzbedeutung", "Reference importance"
        ),
        "location": Indicator(
            source="customers",
            attribute="country",
            points={"DE": 100.0, "AT": 80.0, "CH": 80.0},
            default_points=40.0,
            label=Label(de="Standort", en="Location"),
        ),
        "relationship_quality": _rating(
            "relationship_quality", "Beziehungsqualität", "Relationship quality"
        ),
    }


def _default_weights() -> dict[str, dict[str, float]]:
    return {
        "default": {
            "machine_volume": 20,
            "new_business_potential": 15,
            "service_potential": 15,
            "service_revenue": 15,
            "reference_importance": 10,
            "location": 10,
            "relationship_quality": 15,
        },
        # The service unit lives from the installed base and its service business.
        "Service & Teile": {
            "machine_volume": 25,
            "new_business_potential": 5,
            "service_potential": 25,
            "service_revenue": 25,
            "reference_importance": 5,
            "location": 5,
            "relationship_quality": 10,
        },
    }


class ScoringSettings(_Section):
    """The value score (Kundenwert): indicators and their weights per business unit."""

    indicators: dict[str, Indicator] = Field(
        default_factory=_default_indicators,
        description="The indicators by name; each says where its raw value comes from.",
    )
    minimum_coverage: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of the weight whose inputs must be known for a value score; below "
        "it a customer has no score (and `review.service.unscored` decides its level).",
    )
    weights: dict[str, dict[str, float]] = Field(
        default_factory=_default_weights,
        description="Weights per business unit (`customers.business_unit`); `default` applies "
        "to every other unit. Weights are relative: they are divided by their sum.",
    )

    @field_validator("indicators")
    @classmethod
    def _some_indicators(cls, value: dict[str, Indicator]) -> dict[str, Indicator]:
        if not value:
            raise ValueError("at least one indicator is needed")
        for name in value:
            if not name.isidentifier():
                raise ValueError(f"indicator name {name!r} must be letters, digits, underscores")
        return value

    @model_validator(mode="after")
    def _weights_valid(self) -> ScoringSettings:
        if "default" not in self.weights:
            raise ValueError("review.scoring.weights.default is missing")
        for unit, weights in self.weights.items():
            for name, weight in weights.items():
                key = f"review.scoring.weights.{unit}.{name}"
                if name not in self.indicators:
                    raise ValueError(
                        f"{key}: unknown indicator {name!r}; known: {', '.join(self.indicators)}"
                    )
                if weight < 0:
                    raise ValueError(f"{key}: weight must not be negative (is {weight})")
            if sum(weights.values()) <= 0:
                raise ValueError(f"review.scoring.weights.{unit}: weights must not all be 0")
        return self

    def shares(self, unit: str) -> dict[str, float]:
        """Weight shares of one unit, summing to 1, for every indicator (0 when unweighted)."""
        weights = self.weights[unit]
        total = sum(weights.values())
        return {name: weights.get(name, 0.0) / total for name in self.indicators}


class AbcSettings(_Section):
    """The ABC analysis."""

    measure: Literal["revenue", "margin_1", "margin_2", "margin_3"] = Field(
        "revenue", description="Measure the customers are ranked by."
    )
    a_cutoff: float = Field(
        0.80, gt=0, lt=1, description="Cumulative share below which a customer is A."
    )
    b_cutoff: float = Field(
        0.95, gt=0, lt=1, description="Cumulative share below which a customer is B."
    )

    @model_validator(mode="after")
    def _ordered(self) -> AbcSettings:
        if self.b_cutoff <= self.a_cutoff:
            raise ValueError("review.abc.b_cutoff must be greater than review.abc.a_cutoff")
        return self


class Split(_Section):
    """Where one axis of the four-field matrix is split into low and high."""

    measure: str = Field(description=f"Measure on the axis: {', '.join(MATRIX_MEASURES)}.")
    kind: Literal["median", "quantile", "amount", "classes"] = Field(
        "median",
        description=(
            "Split rule: median or quantile of the customers above 0, a fixed amount, or (x "
            "axis) the ABC classes on the high side."
        ),
    )
    q: float | None = Field(None, gt=0, lt=1, description="kind quantile: the quantile.")
    value: float | None = Field(None, description="kind amount: the split amount.")
    classes: list[str] | None = Field(
        None, description='kind classes: the ABC classes on the high side, e.g. ["A", "B"].'
    )

    @field_validator("measure")
    @classmethod
    def _known_measure(cls, value: str) -> str:
        if value not in MATRIX_MEASURES:
            raise ValueError(f"unknown measure {value!r}; known: {', '.join(MATRIX_MEASURES)}")
        return value

    @model_validator(mode="after")
    def _complete(self) -> Split:
        if self.kind == "quantile" and self.q is None:
            raise ValueError("kind quantile needs q (e.g. q = 0.7)")
        if self.kind == "amount" and self.value is None:
            raise ValueError("kind amount needs value (e.g. value = 50000)")
        if self.kind == "classes" and not self.classes:
            raise ValueError('kind classes needs classes (e.g. classes = ["A", "B"])')
        return self


def _default_labels() -> dict[str, Label]:
    return {
        "top": Label(de="Topkunde", en="Top customer"),
        "development": Label(de="Entwicklungskunde", en="Development customer"),
        "small": Label(de="Kleinkunde", en="Small customer"),
        "premium": Label(de="Premiumkunde", en="Premium customer"),
    }


class MatrixSettings(_Section):
    """The four-field matrix: x current revenue, y future potential."""

    x: Split = Field(
        default_factory=lambda: Split(measure="revenue", kind="classes", classes=["A", "B"]),
        description=(
            "Split of the x axis; by default the ABC classes A and B are high (so no Topkunde "
            "is of class C and no Kleinkunde of class A; docs/review.md)."
        ),
    )
    y: Split = Field(
        default_factory=lambda: Split(measure="potential"), description="Split of the y axis."
    )
    labels: dict[str, Label] = Field(
        default_factory=_default_labels,
        description="Labels of the quadrants top, development, small, premium.",
    )

    @field_validator("labels")
    @classmethod
    def _all_quadrants(cls, value: dict[str, Label]) -> dict[str, Label]:
        unknown = sorted(set(value) - set(QUADRANTS))
        if unknown:
            raise ValueError(f"unknown quadrant(s) {', '.join(unknown)}")
        return {**_default_labels(), **value}


class PotentialSettings(_Section):
    """Future potential (the y axis of the matrix)."""

    source: Literal["ratings", "forecast", "blend"] = Field(
        "blend",
        description="`ratings`: mean of the known normalised rating indicators below "
        "(0..100); `forecast`: the customer lifetime value of kundenwert.forecast (money); "
        "`blend`: `ratings_weight` (shared by the rating indicators) and 1 - `ratings_weight` "
        "for the lifetime value on the same 0..100 scale; unknown parts are left out and the "
        "known ones re-weighted (`potential_coverage`).",
    )
    indicators: list[str] = Field(
        default_factory=lambda: ["new_business_potential", "service_potential"],
        description="Score indicators averaged into the potential (sources ratings and blend).",
    )
    ratings_weight: float = Field(
        0.5, ge=0, le=1, description="Share of the ratings in the blend (source blend)."
    )
    clv_scale: Literal["rank", "cap"] = Field(
        "rank",
        description="Blend: how the lifetime value is put on the 0..100 scale of the ratings. "
        "`rank`: 100 x the share of positive lifetime values at or below it (the median is "
        "50, like the middle of a rating scale); `cap`: 100 x value / its `cap_quantile`.",
    )
    cap_quantile: float = Field(
        0.95,
        gt=0,
        le=1,
        description='Blend with `clv_scale = "cap"`: lifetime values at or above this '
        "quantile of the positive ones count as 100.",
    )
    holdout: str | None = Field(
        "26w",
        description="Validate the forecast in every review: fit it again on the invoices up to "
        "the as-of date minus this period (e.g. `26w` or `180d`) and compare its predicted "
        "purchases with the actual ones up to the as-of date, per frequency group; kept with "
        "the review and shown in the workbook. Empty string: no validation.",
    )
    forecast_columns: bool = Field(
        True,
        description="Fit the forecast in every review and keep expected purchases, P(alive), "
        "expected spend and lifetime value per customer, whatever the source. A forecast that "
        "cannot be fitted (too little history, no convergence) leaves them empty and says why.",
    )

    @field_validator("holdout")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value:
            parse_duration(value)  # raises ValueError with the accepted forms
        return value or None


def _score_class_labels() -> dict[str, Label]:
    return {
        "high": Label(de="Kundenwert hoch", en="High value"),
        "medium": Label(de="Kundenwert mittel", en="Medium value"),
        "low": Label(de="Kundenwert niedrig", en="Low value"),
    }


class ScoreClassSettings(_Section):
    """Classes of the value score (issue 14.3): high, medium, low."""

    kind: Literal["quantile", "score"] = Field(
        "quantile",
        description="`quantile`: `high` and `medium` are quantiles (interpolated) of the value "
        "scores of the scored customers; `score`: they are value scores (0..100).",
    )
    high: float = Field(
        0.9,
        ge=0,
        le=100,
        description="A score at or above this (quantile or score) is class high.",
    )
    medium: float = Field(
        0.7,
        ge=0,
        le=100,
        description="A score at or above this, below high, is class medium; below it low.",
    )
    labels: dict[str, Label] = Field(
        default_factory=_score_class_labels,
        description="Labels of the score classes high, medium, low.",
    )

    @model_validator(mode="after")
    def _ordered(self) -> ScoreClassSettings:
        if self.kind == "quantile" and not (0 < self.medium < 1 and 0 < self.high < 1):
            raise ValueError("review.score_classes: quantiles lie strictly between 0 and 1")
        if self.medium >= self.high:
            raise ValueError("review.score_classes.medium must be below high")
        unknown = sorted(set(self.labels) - set(SCORE_CLASSES))
        if unknown:
            raise ValueError(f"review.score_classes.labels: unknown class(es) {', '.join(unknown)}")
        self.labels = {**_score_class_labels(), **self.labels}
        return self


class MarginSettings(_Section):
    cost_per_hour: float | None = Field(
        None,
        ge=0,
        description="Cost of an activity hour, used for activities that have hours but no "
        "cost. Unset, such activities count 0 and the customer's margins are marked incomplete "
        "(a decision `kundenwert init`'s template asks for).",
    )


class UnitSettings(_Section):
    """The review per strategic business unit (seed 000; docs/review.md)."""

    enabled: bool = Field(
        True,
        description="Also review every customer per business unit: score, ABC class, score "
        "class, quadrant and service level from the unit's invoice lines "
        "(`invoices.business_unit`; a line without one counts for the customer's own unit), "
        "beside the company view. Off: the review has no per-unit rows (and runs faster).",
    )


class ReviewSettings(_Section):
    """The customer value review (`kundenwert review`)."""

    window_months: int = Field(12, ge=1, le=120, description="Default window in months.")
    scoring: ScoringSettings = Field(default_factory=ScoringSettings, description="Value score.")
    abc: AbcSettings = Field(default_factory=AbcSettings, description="ABC analysis.")
    score_classes: ScoreClassSettings = Field(
        default_factory=ScoreClassSettings, description="Classes of the value score."
    )
    potential: PotentialSettings = Field(
        default_factory=PotentialSettings, description="Future potential."
    )
    matrix: MatrixSettings = Field(default_factory=MatrixSettings, description="Four-field matrix.")
    service: ServiceSettings = Field(
        default_factory=ServiceSettings, description="Service catalogue."
    )
    margins: MarginSettings = Field(default_factory=MarginSettings, description="Margins.")
    units: UnitSettings = Field(
        default_factory=UnitSettings, description="Review per business unit."
    )

    @model_validator(mode="after")
    def _potential_indicators(self) -> ReviewSettings:
        if self.potential.source in ("ratings", "blend"):
            if not self.potential.indicators:
                raise ValueError("review.potential.indicators: at least one is needed")
            for name in self.potential.indicators:
                if name not in self.scoring.indicators:
                    raise ValueError(
                        f"review.potential.indicators: unknown indicator {name!r}; "
                        f"known: {', '.join(self.scoring.indicators)}"
                    )
        return self

    def as_json(self) -> str:
        """The configuration as JSON, keeping the order of indicators and levels."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False)

    def config_hash(self) -> str:
        """SHA-256 of the canonical JSON (sorted keys): equal settings, equal hash."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def review_settings_from_json(text: str) -> ReviewSettings:
    """The configuration stored with a review, also one written by an earlier version."""
    data: dict[str, Any] = json.loads(text)
    # Before issue 14.2 a missing rating could count as a neutral value: such reviews keep
    # their stored figures; their configuration reads with the missing rating as unknown.
    for ind in data.get("scoring", {}).get("indicators", {}).values():
        ind.pop("neutral", None)
        if ind.get("missing") == "neutral":
            ind["missing"] = "unknown"
    return ReviewSettings.model_validate(data)
