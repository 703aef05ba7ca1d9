"""Shared pieces of the review configuration models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

CLASSES = ("A", "B", "C")
QUADRANTS = ("top", "development", "small", "premium")
#: The order the workbook lists the quadrants in: high revenue first.
MATRIX_ORDER = ("top", "development", "premium", "small")
#: Score classes, highest first (review.score_classes).
SCORE_CLASSES = ("high", "medium", "low")


class _Section(BaseModel):
    # Same rules as kundenwert.settings._Section; not imported from there because
    # settings.py imports this module.
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Label(_Section):
    de: str = Field(description="German label.")
    en: str = Field(description="English label.")

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.de
