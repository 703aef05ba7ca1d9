"""German CSV as Excel writes it: ``;`` separated, decimal comma, ``31.12.2025``, ``ja``/``nein``.

The rows are formatted column by column with Arrow compute kernels and joined into one string
per line; the bytes of the file are then the data buffer of that string array. No per-row Python.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SEPARATOR = ";"
NEWLINE = "\r\n"  # Excel on Windows
DATE_FORMAT = "%d.%m.%Y"
_SLICE = 500_000  # rows per formatting pass: keeps each string buffer far below 2 GiB
_SPECIAL = (b";", b'"', b"\r", b"\n")
_CENTS = pa.array([f",{c:02d}" for c in range(100)])
_TIMES = pa.array([f"{m // 60:02d}:{m % 60:02d}" for m in range(1440)])


def header(table: pa.Table | pa.Schema) -> str:
    schema = table.schema if isinstance(table, pa.Table) else table
    return SEPARATOR.join(schema.names) + NEWLINE


def rows(table: pa.Table) -> bytes:
    """All rows of ``table`` as UTF-8 CSV text (without header)."""
    parts = []
    for start in range(0, table.num_rows, _SLICE):
        part = table.slice(start, _SLICE).combine_chunks()
        cells = [_format(part.column(i).combine_chunks()) for i in range(part.num_columns)]
        line = pc.binary_join_element_wise(*cells, SEPARATOR)
        line = pc.binary_join_element_wise(line, pa.scalar(NEWLINE), "")
        parts.append(_data_bytes(line))
    return b"".join(parts)


def _format(col: pa.Array) -> pa.Array:
    t = col.type
    if pa.types.is_string(t):
        out = _quote(col)
    elif pa.types.is_decimal(t) and t.scale >= 2:
        out = _money(col)
    elif pa.types.is_floating(t):
        out = pc.replace_substring(pc.cast(col, pa.string()), ".", ",")
    elif pa.types.is_integer(t):
        out = pc.cast(col, pa.string())
    elif pa.types.is_date(t):
        out = _dates(pc.cast(col, pa.int32()).to_numpy(zero_copy_only=False))
    elif pa.types.is_timestamp(t):
        minutes = pc.divide(pc.cast(col, pa.int64()), 60_000_000).to_numpy(zero_copy_only=False)
        out = _timestamps(minutes)
    elif pa.types.is_boolean(t):
        out = pc.if_else(col, "ja", "nein")
    else:
        raise TypeError(f"no German CSV format for {t}")
    if col.null_count:
        out = pc.if_else(pc.is_null(col), "", out)
    return out


def _quote(col: pa.Array) -> pa.Array:
    """Quote only where needed, as Excel does: separator, quote or line break in the text."""
    data = col.buffers()[2]
    # Fast path: one memchr-speed scan of the whole character buffer finds nothing to quote.
    chars = b"" if data is None else data.to_pybytes()
    if not any(c in chars for c in _SPECIAL):
        return col
    needs = pc.fill_null(pc.match_substring_regex(col, '[;"\r\n]'), False)
    if not pc.any(needs).as_py():
        return col
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(col, '"', '""'), '"', "")
    return pc.if_else(needs, quoted, col)


def _money(col: pa.Array) -> pa.Array:
    """Decimal comma with two places. Reads the low 64 bits of each decimal128 (money fits in
    int64) instead of Arrow's slower decimal-to-string cast; cents are exact by construction."""
    words = np.frombuffer(col.buffers()[1], dtype=np.int64)
    units = words[2 * col.offset : 2 * (col.offset + len(col)) : 2]
    amount_cents = units // 10 ** (col.type.scale - 2)
    whole, cent = np.divmod(np.abs(amount_cents), 100)
    sign = pc.if_else(pa.array(amount_cents < 0), "-", "")
    euros = pc.binary_join_element_wise(sign, pc.cast(pa.array(whole), pa.string()), "")
    return pc.binary_join_element_wise(euros, pc.take(_CENTS, pa.array(cent)), "")


def _dates(days: np.ndarray) -> pa.Array:
    """dd.mm.yyyy via a lookup table over the (small) range of distinct days."""
    valid = days[~np.isnan(days)] if days.dtype.kind == "f" else days
    if len(valid) == 0:
        return pa.nulls(len(days), pa.string())
    lo, hi = int(valid.min()), int(valid.max())
    table = pc.strftime(pa.array(np.arange(lo, hi + 1, dtype=np.int32), pa.date32()), DATE_FORMAT)
    idx = np.nan_to_num(days, nan=lo).astype(np.int64) - lo
    return pc.take(table, pa.array(idx))


def _timestamps(minutes: np.ndarray) -> pa.Array:
    """dd.mm.yyyy hh:mm (minute precision, as Excel shows a date with time)."""
    whole = np.nan_to_num(minutes, nan=0).astype(np.int64)
    day, minute = np.divmod(whole, 1440)
    return pc.binary_join_element_wise(_dates(day), pc.take(_TIMES, pa.array(minute)), " ")


def _data_bytes(line: pa.Array) -> bytes:
    """The concatenated characters of a string array (its data buffer, between the offsets)."""
    offsets = np.frombuffer(
        line.buffers()[1], dtype=np.int32, count=len(line) + 1, offset=line.offset * 4
    )
    return line.buffers()[2].to_pybytes()[offsets[0] : offsets[-1]]
