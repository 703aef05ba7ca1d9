"""Whose customers a read covers: the one row filter of rights, for every edge.

An account manager sees only their own customers; everyone else (and the command line, unless
told otherwise) sees all. The web turns its user into a :class:`Scope`, the CLI takes it from
``--account-manager``; the read functions apply it and nothing else does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Scope:
    """``account_manager`` None: every customer; else only those this manager looks after."""

    account_manager: str | None = None

    @property
    def everyone(self) -> bool:
        return self.account_manager is None

    def where(self, alias: str = "f") -> tuple[str, list[Any]]:
        """An SQL condition on ``alias.account_manager`` and its parameters."""
        if self.account_manager is None:
            return "TRUE", []
        return f"{alias}.account_manager = ?", [self.account_manager]

    @property
    def key(self) -> tuple:
        """Part of a cache key: results differ by scope."""
        return (self.account_manager,)


EVERYONE = Scope()


def customer_visible(con, scope: Scope, customer_id: str) -> bool:
    """Whether ``customer_id`` lies in ``scope`` (for reads outside a review, e.g. overrides)."""
    where, params = scope.where("cu")
    row = con.execute(
        f"SELECT 1 FROM customers cu WHERE cu.customer_id = ? AND {where} LIMIT 1",
        [customer_id, *params],
    ).fetchone()
    return row is not None


def visible_ids_sql(scope: Scope) -> tuple[str, list[Any]]:
    """A subquery of the customer ids in ``scope`` and its parameters."""
    where, params = scope.where("cu")
    return f"SELECT customer_id FROM customers cu WHERE {where}", params
