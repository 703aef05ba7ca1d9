"""The service catalogue: levels with their commitments, mapping, strategic customers."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from kundenwert.review._base import CLASSES, QUADRANTS, Label, _Section


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


class StrategicRule(_Section):
    rating: str = Field(description="Rating indicator (ratings.indicator).")
    at_least: float = Field(description="The customer is strategic when the rating is >= this.")


class ServiceSettings(_Section):
    """The service catalogue and how customers are mapped to its levels."""

    levels: list[ServiceLevel] = Field(
        default_factory=_default_levels,
        description="The levels, listed from the highest to the lowest.",
    )
    by: Literal["class", "quadrant"] = Field(
        "class", description="Map the ABC `class` or the matrix `quadrant` to a level."
    )
    mapping: dict[str, str] = Field(
        default_factory=lambda: {
            "A": "premium",
            "B": "plus",
            "C": "standard",
            "top": "premium",
            "premium": "plus",
            "development": "plus",
            "small": "standard",
        },
        description="Level per class (A, B, C) and per quadrant (top, development, small, "
        "premium).",
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

    @model_validator(mode="after")
    def _consistent(self) -> ServiceSettings:
        keys = [level.key for level in self.levels]
        if not keys:
            raise ValueError("review.service.levels: at least one level is needed")
        if len(set(keys)) != len(keys):
            raise ValueError("review.service.levels: keys must be unique")
        needed = CLASSES if self.by == "class" else QUADRANTS
        for name in needed:
            if name not in self.mapping:
                raise ValueError(f"review.service.mapping.{name} is missing")
        for name, level in self.mapping.items():
            if name not in (*CLASSES, *QUADRANTS):
                raise ValueError(f"review.service.mapping.{name}: not a class or quadrant")
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

    def rank(self, key: str) -> int:
        """0 for the highest level; larger is lower."""
        return [level.key for level in self.levels].index(key)

    def level(self, key: str) -> ServiceLevel:
        return self.levels[self.rank(key)]
