from __future__ import annotations

from datetime import date
from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest

CDNOW = Path(__file__).parents[1] / "data" / "cdnow" / "CDNOW_sample.txt"
CALIBRATION_END = date(1997, 9, 30)  # 39 weeks after 1997-01-01, as in the literature


def _read_cdnow() -> pa.Table:
    text = "\n".join(" ".join(line.split()) for line in CDNOW.read_text().splitlines())
    table = pacsv.read_csv(
        pa.BufferReader(text.encode()),
        read_options=pacsv.ReadOptions(
            column_names=["master_id", "customer_id", "date", "cds", "amount"]
        ),
        parse_options=pacsv.ParseOptions(delimiter=" "),
        convert_options=pacsv.ConvertOptions(
            column_types={"customer_id": pa.string(), "date": pa.string()}
        ),
    )
    dates = pc.strptime(table["date"], format="%Y%m%d", unit="s").cast(pa.date32())
    return pa.table({"customer_id": table["customer_id"], "date": dates, "amount": table["amount"]})


@pytest.fixture(scope="session")
def cdnow_invoices() -> ibis.Table:
    """The CDNOW sample as an in-memory invoice table (customer_id, date, amount)."""
    return ibis.memtable(_read_cdnow())


@pytest.fixture(scope="session")
def cdnow_calibration_end() -> date:
    return CALIBRATION_END
