"""`kundenwert demo --customers N` works for small companies too (issue 12).

With N = 200 the demo crashed: the BG/NBD fit ran to a and b in the millions, the expected
purchases came out NaN and xlsxwriter refused to write them. The sizes below include that one,
the 250 of the maintenance test that failed every fresh clone, and the smallest allowed.
"""

from __future__ import annotations

import math

import openpyxl
import pytest

from kundenwert.cli import main


@pytest.mark.parametrize("customers", [50, 200, 250])
def test_the_demo_runs_and_writes_finite_numbers(tmp_path, capsys, customers):
    out = tmp_path / "demo"
    with pytest.raises(SystemExit) as info:
        main(["demo", "--out", str(out), "--customers", str(customers)])
    assert info.value.code in (0, None)
    printed = capsys.readouterr().out
    assert "Arbeitsmappe" in printed
    # The alert and action lists are in words: no column keys, alert or service-level codes.
    assert "customer_id" not in printed and "_missed" not in printed and "top_" not in printed
    assert "Servicelevel premium" not in printed
    workbook = openpyxl.load_workbook(out / "kundenwert-review.xlsx", read_only=True)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, float) and not math.isfinite(value))
