"""Computed columns: SQL expressions over an export's headers, checked before they run.

A real export often lacks a column we need but holds what it is made of (an amount that is
Quantity × Price). The configuration may then give the column as an expression in DuckDB's SQL
over the file's headers. sqlglot parses it when the configuration is loaded, so that a typo or
anything other than one scalar expression (a query, a statement, a table reference) is refused
with the key named, before any file is read.
"""

from __future__ import annotations


def check_expression(text: str) -> set[str]:
    """Parse ``text`` as one scalar SQL expression; returns the headers it reads.

    Raises ValueError (turned into a configuration error naming the key) otherwise.
    """
    # Imported here: loading the settings, which every command does, must not cost sqlglot's
    # 0.08 s when the configuration has no computed column (``forecast fit`` needs none).
    import sqlglot
    from sqlglot import exp

    # Node types an expression must not contain: it computes one value from one row's fields.
    forbidden = (exp.Query, exp.Subquery, exp.Table, exp.Star, exp.Window, exp.AggFunc)
    try:
        tree = sqlglot.parse_one(text, dialect="duckdb")
    except sqlglot.errors.ParseError as exc:
        first = str(exc).splitlines()[0]
        raise ValueError(f"not a valid SQL expression ({first})") from exc
    if tree is None or isinstance(tree, (exp.Query, exp.Command, exp.DDL, exp.DML)):
        raise ValueError("must be one expression over the file's columns, not a statement")
    for node in tree.walk():
        if isinstance(node, forbidden):
            kind = type(node).__name__.lower()
            raise ValueError(f"must compute a value from one row's fields; {kind} not allowed")
    return {col.name for col in tree.find_all(exp.Column)}
