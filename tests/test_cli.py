"""The `arcon` command: every registered subcommand imports and has --help."""

import subprocess
import sys

import pytest
from click.testing import CliRunner

from kg.cli import SUBCOMMANDS, cli


def test_top_level_help_lists_every_subcommand():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in SUBCOMMANDS:
        assert name in result.output


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_each_subcommand_has_help(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_installed_console_script_runs():
    result = subprocess.run([sys.executable, "-m", "kg.cli", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "arcon" in result.stdout


def test_unknown_subcommand_is_a_usage_error():
    result = CliRunner().invoke(cli, ["no-such-command"])
    assert result.exit_code == 2
    assert "No such command" in result.output
