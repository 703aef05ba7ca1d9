"""What an import batch rejected: the rows kept aside with their reasons."""

from __future__ import annotations

from typing import Any


def rejected_rows(con, batch_id: int, limit: int = 200) -> list[dict[str, Any]]:
    cur = con.execute(
        "SELECT line_no, field, reason, record FROM rejected_rows WHERE batch_id = ? "
        "ORDER BY line_no LIMIT ?",
        [batch_id, limit],
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
