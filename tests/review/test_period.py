from datetime import date

import pytest

from kundenwert.dates import parse_date
from kundenwert.errors import InputError
from kundenwert.review.period import parse_window, window_start


@pytest.mark.parametrize(
    ("as_of", "months", "start"),
    [
        (date(2026, 6, 30), 12, date(2025, 7, 1)),
        (date(2025, 12, 31), 12, date(2025, 1, 1)),
        (date(2026, 2, 28), 12, date(2025, 3, 1)),
        (date(2024, 2, 29), 12, date(2023, 3, 1)),
        (date(2026, 3, 31), 1, date(2026, 3, 1)),
        (date(2026, 3, 15), 3, date(2025, 12, 16)),
    ],
)
def test_window_is_the_months_ending_on_the_as_of_date(as_of, months, start):
    assert window_start(as_of, months) == start


def test_dates_in_iso_and_german_form():
    assert parse_date("2025-12-31") == date(2025, 12, 31)
    assert parse_date("31.12.2025") == date(2025, 12, 31)
    with pytest.raises(InputError):
        parse_date("12/31/2025")


def test_window_text():
    assert parse_window("12m") == 12
    assert parse_window("24") == 24
    assert parse_window("2y") == 24
    with pytest.raises(InputError):
        parse_window("twelve")
    with pytest.raises(InputError):
        parse_window("0m")
