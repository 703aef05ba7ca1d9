"""Fixtures of the review tests."""

from __future__ import annotations

import pytest

from kundenwert.settings import settings_from_dict


@pytest.fixture
def settings():
    return settings_from_dict({})
