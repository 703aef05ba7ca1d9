"""Numbers written as each language writes them."""

from decimal import Decimal

import pytest

from kundenwert.i18n import format_number


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "text"),
    [
        (1234567, "de", 0, "1.234.567"),
        (1234567, "en", 0, "1,234,567"),
        (2566093.08, "de", 2, "2.566.093,08"),
        (Decimal("7995442.4640"), "en", 0, "7,995,442"),
        (-1500.5, "de", 1, "-1.500,5"),
        (12, "de", 0, "12"),
    ],
)
def test_format_number(value, lang, decimals, text):
    assert format_number(value, lang, decimals) == text
