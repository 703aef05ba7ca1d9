from __future__ import annotations

import pytest

from kundenwert.errors import ConfigError
from kundenwert.settings import load_settings, settings_from_dict


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.language == "de"
    assert settings.import_.for_table("invoices").columns == {}


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"language": "fr"}, "language"),
        ({"colour": "blue"}, "colour"),
        ({"import": {"tables": {"rechnungen": {}}}}, "import.tables"),
        (
            {"import": {"tables": {"invoices": {"delimiter": ";;"}}}},
            "import.tables.invoices.delimiter",
        ),
        ({"import": {"tables": {"invoices": {"columns": {"betrag": "Betrag"}}}}}, "import.tables"),
    ],
)
def test_bad_settings_are_refused_naming_the_key(data, key):
    with pytest.raises(ConfigError) as info:
        settings_from_dict(data)
    assert info.value.details["key"].startswith(key)
    assert key in info.value.message


def test_missing_explicit_file_and_bad_toml(tmp_path):
    with pytest.raises(ConfigError, match="nicht gefunden"):
        load_settings(tmp_path / "none.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("language = \n")
    with pytest.raises(ConfigError, match="TOML"):
        load_settings(bad)
