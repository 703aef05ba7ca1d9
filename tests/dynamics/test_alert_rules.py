"""The alert rules are defined once, and a rule without its inputs says which one is missing."""

from datetime import date

import numpy as np
import pytest
from dynamics_helpers import add_activity, add_customer

from kundenwert.cli.dynamics import SKIPPED
from kundenwert.dynamics.alert_rules import ALERT_NAMES, ALERT_NEEDS, ALERTS, INPUTS, RULES
from kundenwert.dynamics.alerts import TEXT
from kundenwert.dynamics.config import ActionRule
from kundenwert.dynamics.context import ReviewContext, skipped_rules
from kundenwert.store import open_store


def _context(review_id):
    empty = np.array([], dtype=object)
    return ReviewContext(review_id, empty, empty, empty, np.array([]), np.array([]), empty)


def test_every_rule_has_names_reasons_and_known_inputs_in_both_languages():
    assert tuple(RULES) == ALERTS and len(ALERTS) == 8
    for code in ALERTS:
        assert set(ALERT_NAMES[code]) == {"de", "en"}
        assert set(TEXT[code]) == {"de", "en"}
        assert set(ALERT_NEEDS[code]) <= set(INPUTS)
    # the settings refuse a rule the registry does not know
    with pytest.raises(ValueError, match="unknown"):
        ActionRule(action="x", de="x", en="x", alerts=["top_silent", "nope"])


def test_skipped_rules_name_the_first_missing_input(tmp_path):
    with open_store(tmp_path / "s.duckdb", create=True) as store:
        add_customer(store, "K1")
        nothing = skipped_rules(store, _context(None))
        # without a review every rule that reads one is skipped for that reason
        assert nothing == {
            "rising_small": "no_review",
            "top_declining": "no_review",
            "top_silent": "no_review",
            "satisfaction_falling": "no_review",
            "response_time_missed": "no_review",
            "yearly_check_missed": "no_review",
        }
        reviewed = skipped_rules(store, _context(1))
        assert reviewed == {
            "satisfaction_falling": "no_surveys",
            "response_time_missed": "no_activities",
            "yearly_check_missed": "no_activities",
        }
        add_activity(store, "K1", date(2024, 3, 1), kind="visit")
        assert skipped_rules(store, _context(1)) == {
            "satisfaction_falling": "no_surveys",
            "response_time_missed": "no_response_times",
        }
        add_activity(
            store, "K1", date(2024, 4, 1), kind="request",
            asked=date(2024, 4, 1), answered=date(2024, 4, 2),
        )  # fmt: skip
        assert skipped_rules(store, _context(1)) == {"satisfaction_falling": "no_surveys"}
    # every reason has a text in the CLI's catalogue
    assert {f"no_{need}" for need in INPUTS} <= set(SKIPPED)


def test_the_yearly_check_is_defined_once_and_the_old_key_says_where_it_moved():
    from kundenwert.errors import ConfigError
    from kundenwert.settings import settings_from_dict

    with pytest.raises(ConfigError, match=r"review\.service\.adherence\.check_kinds"):
        settings_from_dict({"dynamics": {"alerts": {"check_kinds": ["visit"]}}})
    cfg = settings_from_dict({"review": {"service": {"adherence": {"check_kinds": ["audit"]}}}})
    assert cfg.review.service.adherence.check_kinds == ["audit"]
