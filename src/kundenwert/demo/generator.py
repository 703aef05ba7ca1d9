"""Block-wise generation: customers are made in fixed blocks, each with its own random stream.

Fixed block size plus a seed per block (``SeedSequence(seed, spawn_key=(block,))``) make the
output depend only on the arguments, never on memory or chunking, and let a million customers
be written block by block without holding everything in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Literal

import numpy as np
import pyarrow as pa

from kundenwert.demo.activities import build_activities
from kundenwert.demo.arrays import dates, money
from kundenwert.demo.calendar import Calendar
from kundenwert.demo.commitments import build_survey_dimensions, with_initiators
from kundenwert.demo.contacts import build_contacts, with_contacts
from kundenwert.demo.customers import build_customers
from kundenwert.demo.invoices import Counters, Sales, build_invoices
from kundenwert.demo.model import GROUND_TRUTH_SCHEMA, PHASES, TRAJECTORIES, DemoCompany
from kundenwert.demo.opinions import build_ratings, build_surveys
from kundenwert.demo.profiles import Profiles, draw_profiles
from kundenwert.demo.writer import CompanyWriter
from kundenwert.errors import InputError
from kundenwert.i18n import DEFAULT_LANGUAGE, Catalogue, translate

BLOCK_SIZE = 50_000
DEFAULT_END = date(2026, 6, 30)
Progress = Callable[[int, int], None]


def generate(
    customers: int = 2000, years: int = 3, seed: int = 42, end_date: date = DEFAULT_END
) -> DemoCompany:
    """The whole demo company in memory (fine up to some hundred thousand customers)."""
    parts = list(_blocks(customers, years, seed, end_date))
    return DemoCompany.concat(parts)


def generate_to(
    out_dir: Path,
    customers: int = 1_000_000,
    years: int = 3,
    seed: int = 42,
    end_date: date = DEFAULT_END,
    format: Literal["csv", "parquet"] = "csv",
    progress: Progress | None = None,
) -> dict[str, Path]:
    """Generate block by block and write each block at once (constant memory).

    Returns the paths written, keyed by table name plus ``ground_truth``.
    """
    done = 0
    with CompanyWriter(Path(out_dir), format) as writer:
        for part in _blocks(customers, years, seed, end_date):
            writer.append(part)
            done += part.customers.num_rows
            if progress is not None:
                progress(done, customers)
    return writer.paths


def _blocks(customers: int, years: int, seed: int, end_date: date) -> Iterator[DemoCompany]:
    _check(customers, years, seed)
    cal = Calendar.ending(end_date, years)
    counters = Counters()
    id_width = max(7, len(str(customers)))
    for block, first in enumerate(range(0, customers, BLOCK_SIZE)):
        n = min(BLOCK_SIZE, customers - first)
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block,)))
        # Contacts draw from a stream of their own: the other tables stay as they were.
        people = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block, 1)))
        # So do the commitments' inputs (who started a contact, the survey's dimensions).
        promises = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block, 2)))
        yield _block(rng, people, promises, n, first, id_width, cal, counters)


_MESSAGES: Catalogue = {
    "customers": {
        "de": "Anzahl Kunden muss mindestens 1 sein, nicht {value}.",
        "en": "The number of customers must be at least 1, not {value}.",
    },
    "customers_hint": {"de": "Z. B. 2000.", "en": "For example 2000."},
    "years": {
        "de": "Anzahl Jahre muss zwischen 1 und 30 liegen, nicht {value}.",
        "en": "The number of years must be between 1 and 30, not {value}.",
    },
    "years_hint": {"de": "Üblich sind 3 bis 5 Jahre.", "en": "3 to 5 years are usual."},
    "seed": {
        "de": "Der Seed muss >= 0 sein, nicht {value}.",
        "en": "The seed must be >= 0, not {value}.",
    },
    "seed_hint": {"de": "Z. B. 42.", "en": "For example 42."},
}


def _check(customers: int, years: int, seed: int, lang: str = DEFAULT_LANGUAGE) -> None:
    for key, value, ok in (
        ("customers", customers, customers >= 1),
        ("years", years, 1 <= years <= 30),
        ("seed", seed, seed >= 0),
    ):
        if not ok:
            raise InputError(
                translate(_MESSAGES, key, lang, value=value),
                hint=translate(_MESSAGES, f"{key}_hint", lang),
            )


def _block(
    rng: np.random.Generator,
    people: np.random.Generator,
    promises: np.random.Generator,
    n: int,
    first: int,
    id_width: int,
    cal: Calendar,
    counters: Counters,
) -> DemoCompany:
    prof = draw_profiles(rng, n, cal.months)
    customers, facts = build_customers(
        rng, prof, first, id_width, cal.window_start, cal.month_starts
    )
    invoices, installed, sales = build_invoices(rng, prof, facts, cal, counters)
    activities, care = build_activities(rng, prof, facts, cal, counters, sales)
    contacts, contact_facts = build_contacts(people, facts, counters)
    ratings = build_ratings(rng, prof, facts, cal, sales)  # before the surveys: one stream
    surveys = build_surveys(rng, prof, facts, cal)
    activities = with_contacts(people, activities, facts, contact_facts)
    return DemoCompany(
        customers=customers,
        contacts=contacts,
        invoices=invoices,
        installed_base=installed,
        activities=with_initiators(promises, activities),
        ratings=ratings,
        surveys=surveys,
        survey_dimensions=build_survey_dimensions(promises, surveys, facts),
        ground_truth=_ground_truth(prof, facts.ids, facts.since, cal, sales, care),
    )


def _ground_truth(
    prof: Profiles, ids: pa.Array, since: np.ndarray, cal: Calendar, sales: Sales, care: np.ndarray
) -> pa.Table:
    months = cal.months

    def month_date(month: np.ndarray, mask: np.ndarray) -> pa.Array:
        return dates(cal.month_starts[np.clip(month, 0, months - 1)], ~mask)

    columns = [
        ids,
        pa.array(np.array(TRAJECTORIES)[prof.trajectory]),
        pa.array(np.array(PHASES)[prof.phase]),
        dates(since),
        month_date(prof.start, prof.start >= 0),
        month_date(prof.end, prof.end < months),
        month_date(prof.won_back, prof.won_back >= 0),
        pa.array(prof.cycle, pa.int32(), mask=prof.cycle == 0),
        pa.array(np.round(prof.size, 4)),
        pa.array(sales.lines.astype(np.int64)),
        dates(np.maximum(sales.first_day, 0), sales.lines == 0),
        dates(np.maximum(sales.last_day, 0), sales.lines == 0),
        money(sales.revenue),
        money(sales.margin_ii),
        money(care),
    ]
    return pa.Table.from_arrays(columns, schema=GROUND_TRUTH_SCHEMA)
