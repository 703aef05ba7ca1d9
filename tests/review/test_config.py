import pytest

from kundenwert.errors import ConfigError
from kundenwert.review.config import ReviewSettings, review_settings_from_json
from kundenwert.settings import Settings, settings_from_dict


def test_defaults_describe_a_machine_maker():
    cfg = Settings().review
    assert set(cfg.scoring.indicators) == {
        "machine_volume",
        "new_business_potential",
        "service_potential",
        "service_revenue",
        "reference_importance",
        "location",
        "relationship_quality",
    }
    assert cfg.scoring.indicators["service_revenue"].categories == ["service"]
    assert cfg.scoring.indicators["machine_volume"].source == "installed_base"
    assert abs(sum(cfg.scoring.shares("default").values()) - 1) < 1e-12
    assert [lv.key for lv in cfg.service.levels] == ["premium", "plus", "standard"]
    assert cfg.service.mapping["C"] == "standard"


def test_configuration_round_trips_through_json_with_the_same_hash():
    cfg = ReviewSettings()
    again = review_settings_from_json(cfg.as_json())
    assert again == cfg
    assert again.config_hash() == cfg.config_hash()
    assert list(again.scoring.indicators) == list(cfg.scoring.indicators)


def refused(review: dict) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        settings_from_dict({"review": review})
    return info.value


def test_unknown_indicator_in_weights_is_refused_naming_the_key():
    err = refused({"scoring": {"weights": {"default": {"machine_volume": 1, "colour": 2}}}})
    assert "review.scoring.weights.default.colour" in err.message


def test_negative_weight_is_refused_naming_the_key():
    err = refused({"scoring": {"weights": {"default": {"machine_volume": -1, "location": 2}}}})
    assert "review.scoring.weights.default.machine_volume" in err.message
    assert "negative" in err.message


def test_all_zero_weights_are_refused():
    err = refused({"scoring": {"weights": {"default": {"location": 0}}}})
    assert "review.scoring.weights.default" in err.message


def test_split_on_unknown_measure_is_refused_naming_the_key():
    err = refused({"matrix": {"x": {"measure": "turnover"}}})
    assert err.details["key"] == "review.matrix.x.measure"
    assert "turnover" in err.message


def test_quantile_split_needs_q():
    err = refused({"matrix": {"y": {"measure": "potential", "kind": "quantile"}}})
    assert "review.matrix.y" in err.message


def test_unknown_indicator_key_and_measure_are_refused():
    err = refused({"scoring": {"indicators": {"x": {"source": "ratings", "colour": 1}}}})
    assert "review.scoring.indicators.x.colour" in err.message
    err = refused({"scoring": {"indicators": {"x": {"source": "invoices", "measure": "hours"}}}})
    assert "review.scoring.indicators.x" in err.message


def test_unknown_invoice_category_is_refused():
    err = refused(
        {"scoring": {"indicators": {"x": {"source": "invoices", "categories": ["spare"]}}}}
    )
    assert "spare" in err.message


def test_mapping_to_unknown_service_level_is_refused():
    err = refused({"service": {"mapping": {"A": "gold", "B": "plus", "C": "standard"}}})
    assert "review.service.mapping.high is missing" in err.message
    by_class = {"by": "class", "mapping": {"A": "gold", "B": "plus", "C": "standard"}}
    assert "review.service.mapping.A" in refused({"service": by_class}).message


def test_abc_cutoffs_must_be_ordered():
    err = refused({"abc": {"a_cutoff": 0.9, "b_cutoff": 0.8}})
    assert "b_cutoff" in err.message


def test_abc_measure_must_be_known():
    err = refused({"abc": {"measure": "profit"}})
    assert err.details["key"] == "review.abc.measure"


def test_potential_indicator_must_be_an_indicator():
    err = refused({"potential": {"indicators": ["luck"]}})
    assert "review.potential.indicators" in err.message


def test_example_configuration_in_the_docs_is_valid():
    import re
    import tomllib
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "review.md").read_text("utf-8")
    example = re.search(r"## Example configuration.*?```toml\n(.*?)```", text, re.S).group(1)
    cfg = settings_from_dict(tomllib.loads(example)).review
    assert cfg.abc.measure == "margin_1"
    assert cfg.matrix.y.q == 0.7
    assert cfg.scoring.shares("Service")["service_revenue"] == 0.5
    assert cfg.service.by == "quadrant"


def test_service_level_keys_are_plain():
    levels = [lv.model_dump() for lv in ReviewSettings().service.levels]
    levels[0]["key"] = "pre'mium"
    err = refused({"service": {"levels": levels}})
    assert "review.service.levels.0.key" in err.message


def test_a_holdout_that_is_no_duration_is_refused_naming_the_key():
    from kundenwert.errors import ConfigError
    from kundenwert.settings import settings_from_dict

    with pytest.raises(ConfigError) as info:
        settings_from_dict({"review": {"potential": {"holdout": "half a year"}}})
    assert info.value.details["key"] == "review.potential.holdout"
    assert (
        settings_from_dict({"review": {"potential": {"holdout": ""}}}).review.potential.holdout
        is None
    )
