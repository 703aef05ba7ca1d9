"""The command line's help is in one language and shows no value type for a switch."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from kundenwert.cli import app
from kundenwert.docs import _commands

runner = CliRunner()


@pytest.mark.parametrize("path", [[], *_commands(app, [])], ids=lambda p: " ".join(p) or "root")
def test_help_is_german_without_bool(path):
    result = runner.invoke(app, [*path, "--help"], prog_name="kundenwert", color=False)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.replace("│", " ").split())  # as read, not as wrapped
    assert "Diese Hilfe zeigen und beenden." in text
    for english in ("<bool>", "Show this message", "[default:", "[env var:", "[required]",
                    "─ Options", "─ Commands", "Usage:", "[OPTIONS]"):  # fmt: skip
        assert english not in text, english
