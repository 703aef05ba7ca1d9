"""Settings of the future-potential forecast (section ``[forecast]`` of ``kundenwert.toml``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

TimeUnit = Literal["day", "week"]
ModelName = Literal["bgnbd", "pnbd", "mbgcnbd", "auto"]

UNIT_DAYS: dict[str, int] = {"day": 1, "week": 7}
_DURATION = re.compile(r"^\s*(\d+)\s*([dw])\s*$", re.IGNORECASE)
_DURATION_UNIT_DAYS = {"d": 1, "w": 7}


@dataclass(frozen=True)
class Duration:
    """A span of whole days, written like ``39w`` or ``273d``."""

    days: int

    def in_units(self, unit: str) -> float:
        return self.days / UNIT_DAYS[unit]

    def __str__(self) -> str:
        return f"{self.days // 7}w" if self.days % 7 == 0 else f"{self.days}d"


def parse_duration(text: str) -> Duration:
    """``"39w"`` -> 273 days, ``"90d"`` -> 90 days; ValueError for anything else."""
    match = _DURATION.match(str(text))
    if not match or int(match.group(1)) <= 0:
        raise ValueError(
            f"{text!r} is not a duration; write a positive number with d (days) or w (weeks), "
            "e.g. 39w or 90d"
        )
    return Duration(int(match.group(1)) * _DURATION_UNIT_DAYS[match.group(2).lower()])


class ForecastSettings(BaseModel):
    """Buy-till-you-die forecast of future purchases, spend and customer lifetime value."""

    model_config = ConfigDict(extra="forbid")

    model: ModelName = Field(
        "bgnbd",
        description=(
            "Model of the purchase process: `bgnbd` (BG/NBD, Fader, Hardie & Lee 2005), "
            "`pnbd` (Pareto/NBD, Schmittlein, Morrison & Colombo 1987), `mbgcnbd` "
            "(MBG/CNBD-k, Reutterer, Platzer & Schröder 2021: regular reorders, Erlang-k gaps "
            "with k chosen from the data) or `auto`: the one of the three with the smallest "
            "mean absolute error per customer when the last `selection_holdout` before the "
            "reference date is held out and forecast from the data before it. Spend is always "
            "modelled with Gamma-Gamma."
        ),
    )
    selection_holdout: str = Field(
        "26w",
        description="With model `auto`: the last stretch of the data before the reference "
        "date that the candidate models forecast to be compared, e.g. `26w` or `182d`.",
    )
    unit: Literal["day", "week"] = Field(
        "week",
        description="Time unit in which frequency, recency and customer age are counted: "
        "`day` or `week`.",
    )
    horizon: str = Field(
        "52w",
        description="Forecast horizon for expected purchases and lifetime value, e.g. `52w` "
        "or `365d`.",
    )
    margin: float = Field(
        0.3,
        gt=0,
        le=1,
        description="Share of revenue that is contribution margin, used for the lifetime "
        "value (a fraction, e.g. 0.3 for 30 %).",
    )
    discount_rate: float = Field(
        0.1,
        ge=0,
        lt=1,
        description="Yearly discount rate for the lifetime value (a fraction, e.g. 0.1 for 10 %).",
    )
    zero_value_purchases: bool = Field(
        False,
        description="Count a day whose invoice lines total exactly zero (free samples, "
        "goodwill deliveries) as a purchase. By default only days with a positive net total "
        "are purchases; credit notes reduce the day's total.",
    )
    min_customers: int = Field(
        100,
        ge=10,
        description="Fewest customers with purchases needed to fit a purchase model; below "
        "that the forecast refuses rather than report noise.",
    )
    min_repeat_customers: int = Field(
        30,
        ge=3,
        description="Fewest customers with at least one repeat purchase needed to fit the "
        "Gamma-Gamma spend model.",
    )

    @field_validator("horizon", "selection_holdout")
    @classmethod
    def _valid_duration(cls, value: str) -> str:
        parse_duration(value)
        return value

    @property
    def horizon_duration(self) -> Duration:
        return parse_duration(self.horizon)

    @property
    def selection_holdout_duration(self) -> Duration:
        return parse_duration(self.selection_holdout)
