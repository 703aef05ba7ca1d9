"""Credit notes linked to the invoice they cancel.

Many exports mark a cancellation only by its number (``C536379``) and do not name the invoice
it cancels. Where the file gives no ``credit_for``, a credit note line is linked to the latest
invoice, on or before the credit note's date, in which the same customer bought the same
product for at least the amount credited (of several such invoices on that day, the highest
number). A line without a product or without such an invoice stays unlinked; it is still a
credit note.
"""

from __future__ import annotations

import duckdb


def link_credit_notes(con: duckdb.DuckDBPyConnection, batch_id: int) -> tuple[int, int]:
    """Link this batch's unlinked credit note lines; returns (credit note lines, linked)."""
    con.execute(
        """
        UPDATE invoices AS t SET credit_for = m.original
        FROM (
            SELECT c.invoice_id, c.line_no, o.invoice_id AS original
            FROM invoices AS c JOIN invoices AS o
              ON o.customer_id = c.customer_id AND o.product = c.product
             AND o.date <= c.date AND o.amount >= -c.amount
             AND NOT coalesce(o.credit_note, false)
            WHERE c.batch_id = $batch AND c.credit_note AND c.credit_for IS NULL
            QUALIFY row_number() OVER (
                PARTITION BY c.invoice_id, c.line_no ORDER BY o.date DESC, o.invoice_id DESC
            ) = 1
        ) AS m
        WHERE t.batch_id = $batch AND t.invoice_id = m.invoice_id
          AND t.line_no IS NOT DISTINCT FROM m.line_no
        """,
        {"batch": batch_id},
    )
    lines, linked = con.execute(
        "SELECT count(*), count(credit_for) FROM invoices WHERE batch_id = ? AND credit_note",
        [batch_id],
    ).fetchone()
    return int(lines), int(linked)
