"""Credit notes linked to the invoice they cancel.

Many exports mark a cancellation only by its number (``C536379``) and do not name the invoice
it cancels. Where the file gives no ``credit_for``, a credit note line is linked to the latest
day, on or before the credit note's date, on which the same customer bought the same product,
provided that day's purchase of it covers the amount credited; of several invoices on that day,
to the highest number. A line without a product or without such a purchase stays unlinked; it
is still a credit note. An export that has a ``credit_for`` column is taken at its word: its
empty links are not guessed.
"""

from __future__ import annotations

import duckdb

from kundenwert.store.queries import one_row


def link_credit_notes(con: duckdb.DuckDBPyConnection, batch_id: int) -> tuple[int, int]:
    """Link this batch's unlinked credit note lines; returns (credit note lines, linked)."""
    # Only the purchases of the credit notes' customers and products are read, one row per
    # customer, product and day; the as-of join then finds each credit note's latest such day
    # on or before it. The links go to a temporary table first: an UPDATE joined directly to
    # the as-of join ran for minutes on 20 million lines.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE kw_credit_links AS
        WITH c AS (
            SELECT invoice_id, line_no, customer_id, product, date, amount FROM invoices
            WHERE batch_id = $batch AND credit_note AND credit_for IS NULL
              AND product IS NOT NULL
        ),
        o AS (
            SELECT customer_id, product, date, max(invoice_id) AS original,
                   sum(amount) AS bought
            FROM invoices SEMI JOIN c USING (customer_id, product)
            WHERE NOT coalesce(credit_note, false)
            GROUP BY ALL
        )
        SELECT c.invoice_id, c.line_no, o.original
        FROM c ASOF JOIN o
          ON c.customer_id = o.customer_id AND c.product = o.product AND c.date >= o.date
        WHERE o.bought >= -c.amount
        """,
        {"batch": batch_id},
    )
    con.execute(
        "UPDATE invoices AS t SET credit_for = m.original FROM kw_credit_links AS m "
        "WHERE t.batch_id = ? AND t.invoice_id = m.invoice_id "
        "AND t.line_no IS NOT DISTINCT FROM m.line_no",
        [batch_id],
    )
    con.execute("DROP TABLE kw_credit_links")
    lines, linked = one_row(
        con,
        "SELECT count(*), count(credit_for) FROM invoices WHERE batch_id = ? AND credit_note",
        [batch_id],
    )
    return int(lines), int(linked)
