"""A deterministic demo company: a German maker of machine tools and measuring devices.

``generate`` builds the input tables (customers, contacts, invoices, installed base, activities,
ratings, surveys) plus a separate ground truth of what the generator intended for each customer
(trajectory type, phase at the end date, ...). ``write`` stores them as German CSV or Parquet;
``generate_to`` does both block by block for millions of customers.
"""

from __future__ import annotations

from kundenwert.demo.generator import BLOCK_SIZE, DEFAULT_END, generate, generate_to
from kundenwert.demo.model import PHASES, TRAJECTORIES, DemoCompany
from kundenwert.demo.writer import write

__all__ = [
    "BLOCK_SIZE",
    "DEFAULT_END",
    "PHASES",
    "TRAJECTORIES",
    "DemoCompany",
    "generate",
    "generate_to",
    "write",
]
