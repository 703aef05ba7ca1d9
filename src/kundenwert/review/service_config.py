"""The service catalogue: levels with their commitments, mapping, strategic customers."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from kundenwert.review._base import CLASSES, QUADRANTS, SCORE_CLASSES, Label, _Section

#: What can decide a level: the column of the snapshot and its values.
BY_COLUMN = {"class": "abc_class", "quadrant": "quadrant", "score_class": "score_class"}
BY_KEYS = {"class": CLASSES, "quadrant": QUADRANTS, "score_class": SCORE_CLASSES}


class ServiceLevel(_Section):
    """One level of the service catalogue and its commitments (DOMAIN.md point 9)."""

    key: str = Field(description="Short name, e.g. premium.")
    label: Label = Field(description="Display name.")
    consultation: Literal["on_site", "office", "remote"] = Field(description="Consultation.")
    callback: Literal["same_day", "next_day", "within_3_days"] = Field(description="Callback.")
    contact: Literal["proactive", "reactive"] = Field(description="Who starts the contact.")
    yearly_check: Literal["guaranteed", "on_request"] = Field(description="Yearly check.")
    events: Literal["invited", "on_request", "none"] = Field(description="Event invitations.")
    newsletter: Literal["print", "email", "none"] = Field(description="Newsletter.")
    reachability: str = Field(description="When we can be reached, e.g. `Mo–Fr 7–18 Uhr`.")
    response_time_hours: float = Field(gt=0, description="Response time to a request, hours.")
    fixed_contact: bool = Field(description="A named, fixed contact person.")
    goodwill_budget: float = Field(ge=0, description="Goodwill (Kulanz) budget per year, EUR.")
    contact_every_months: int = Field(
        3,
        ge=1,
        le=12,
        description="contact proactive: we contact the customer at least once in every this "
        "many months (the rhythm measured by kundenwert commitments).",
    )
    events_every_months: int = Field(
        12,
        ge=1,
        le=12,
        description="events invited: at least one invitation in every this many months.",
    )
    newsletter_every_months: int = Field(
        3,
        ge=1,
        le=12,
        description="newsletter print or email: at least one issue in every this many months "
        "(seed 002: a printed newsletter each quarter).",
    )

    @field_validator("key")
    @classmethod
    def _plain_key(cls, value: str) -> str:
        # Keys end up in stored results and SQL text: letters, digits, - and _ only.
        if not re.fullmatch(r"[A-Za-z0-9_-]+", value):
            raise ValueError(f"key {value!r}: use letters, digits, '-' and '_' only")
        return value


def _default_levels() -> list[ServiceLevel]:
    return [
        ServiceLevel(
            key="premium",
            label=Label(de="Premium", en="Premium"),
            consultation="on_site",
            callback="same_day",
            contact="proactive",
            yearly_check="guaranteed",
            events="invited",
            newsletter="print",
            reachability="Mo–Sa 6–22 Uhr, Notfall-Hotline 24/7",
            response_time_hours=4,
            fixed_contact=True,
            goodwill_budget=10000,
            contact_every_months=2,
        ),
        ServiceLevel(
            key="plus",
            label=Label(de="Plus", en="Plus"),
            consultation="on_site",
            callback="next_day",
            contact="proactive",
            yearly_check="guaranteed",
            events="invited",
            newsletter="email",
            reachability="Mo–Fr 7–19 Uhr",
            response_time_hours=8,
            fixed_contact=True,
            goodwill_budget=3000,
        ),
        # The lowest level is the industry standard, not "no service" (seed 002).
        ServiceLevel(
            key="standard",
            label=Label(de="Standard", en="Standard"),
            consultation="office",
            callback="next_day",
            contact="reactive",
            yearly_check="on_request",
            events="on_request",
            newsletter="email",
            reachability="Mo–Fr 8–17 Uhr",
            response_time_hours=24,
            fixed_contact=False,
            goodwill_budget=500,
        ),
    ]


class AdherenceSettings(_Section):
    """How the service commitments are measured from the activity log (kundenwert
    commitments; docs/commitments.md)."""

    months: int = Field(
        12,
        ge=1,
        le=120,
        description="The window: the months up to the review's as-of date. Rhythms (contact, "
        "events, newsletter, yearly check) are counted in periods back from the as-of date.",
    )
    check_kinds: list[str] = Field(
        default_factory=lambda: ["service", "visit"],
        description="Activity kinds that count as the yearly check.",
    )
    callback_kinds: list[str] = Field(
        default_factory=lambda: ["call"],
        description="Activity kinds that are a callback when the customer started them "
        "(initiated_by customer) with a request time.",
    )
    contact_kinds: list[str] = Field(
        default_factory=lambda: ["visit", "call"],
        description="Activity kinds that count as a proactive contact when we started them "
        "(initiated_by company).",
    )


class StrategicRule(_Section):
    rating: str = Field(description="Rating indicator (ratings.indicator).")
    at_least: float = Field(description="The customer is strategic when the rating is >= this.")


class ServiceSettings(_Section):
    """The service catalogue and how customers are mapped to its levels."""

    levels: list[ServiceLevel] = Field(
        default_factory=_default_levels,
        description="The levels, listed from the highest to the lowest.",
    )
    by: Literal["class", "quadrant", "score_class"] = Field(
        "score_class",
        description="What decides the level: the value score's class (`score_class`, "
        "review.score_classes), the ABC `class` or the matrix `quadrant`.",
    )
    unscored: str = Field(
        "class",
        description="by score_class: the level of a customer without a value score (too "
        "little known, review.scoring.minimum_coverage): mapped from its ABC `class`, its "
        "`quadrant`, or a level key (e.g. `standard`).",
    )
    mapping: dict[str, str] = Field(
        default_factory=lambda: {
            "high": "premium",
            "medium": "plus",
            "low": "standard",
            "A": "premium",
            "B": "plus",
            "C": "standard",
            "top": "premium",
            "premium": "plus",
            "development": "plus",
            "small": "standard",
        },
        description="Level per score class (high, medium, low), per ABC class (A, B, C) and "
        "per quadrant (top, development, small, premium).",
    )
    strategic: list[StrategicRule] = Field(
        default_factory=lambda: [
            StrategicRule(rating="strategic_importance", at_least=7),
            StrategicRule(rating="reference_value", at_least=7),
        ],
        description="Rules marking strategic / reference customers (any rule suffices; the "
        "latest rating on or before the as-of date counts).",
    )
    strategic_minimum: str = Field(
        "plus", description="Strategic customers never get a level below this one."
    )
    adherence: AdherenceSettings = Field(
        default_factory=AdherenceSettings,
        description="How adherence to the levels' commitments is measured.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> ServiceSettings:
        keys = [level.key for level in self.levels]
        if not keys:
            raise ValueError("review.service.levels: at least one level is needed")
        if len(set(keys)) != len(keys):
            raise ValueError("review.service.levels: keys must be unique")
        if self.unscored not in ("class", "quadrant", *keys):
            raise ValueError(
                f"review.service.unscored: {self.unscored!r} is neither class, quadrant nor a "
                f"level ({', '.join(keys)})"
            )
        needed = list(BY_KEYS[self.by])
        if self.by == "score_class" and self.unscored in BY_KEYS:
            needed += BY_KEYS[self.unscored]
        for name in needed:
            if name not in self.mapping:
                raise ValueError(f"review.service.mapping.{name} is missing")
        for name, level in self.mapping.items():
            if name not in (*CLASSES, *QUADRANTS, *SCORE_CLASSES):
                raise ValueError(
                    f"review.service.mapping.{name}: not a score class, class or quadrant"
                )
            if level not in keys:
                raise ValueError(
                    f"review.service.mapping.{name}: unknown level {level!r}; "
                    f"known: {', '.join(keys)}"
                )
        if self.strategic_minimum not in keys:
            raise ValueError(
                f"review.service.strategic_minimum: unknown level {self.strategic_minimum!r}"
            )
        return self

    def rules(self) -> list[tuple[str | None, str | None, str]]:
        """The mapping as ordered rules (column, value, level); the first that matches wins.

        By score class, a customer without one (no value score) is matched by the fallback
        rules of ``unscored`` that follow; a rule (None, None, level) matches everyone. The
        review (Ibis) and the effective values (SQL) both read these rules.
        """
        rules: list[tuple[str | None, str | None, str]] = [
            (BY_COLUMN[self.by], key, self.mapping[key]) for key in BY_KEYS[self.by]
        ]
        if self.by == "score_class":
            if self.unscored in BY_KEYS:
                column = BY_COLUMN[self.unscored]
                rules += [(column, k, self.mapping[k]) for k in BY_KEYS[self.unscored]]
            else:
                rules.append((None, None, self.unscored))
        return rules

    def below_floor(self) -> list[str]:
        """The levels a strategic customer is lifted from (below ``strategic_minimum``)."""
        floor = self.rank(self.strategic_minimum)
        return [lv.key for lv in self.levels if self.rank(lv.key) > floor]

    def rank(self, key: str) -> int:
        """0 for the highest level; larger is lower."""
        return [level.key for level in self.levels].index(key)

    def level(self, key: str) -> ServiceLevel:
        return self.levels[self.rank(key)]
