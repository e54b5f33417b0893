"""The `match` command through Typer's CliRunner."""
from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from frontierwatch.cli.match import match_command


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command()(match_command)
    return app


def test_match_command_json_and_text(match_store):
    path = str(match_store.path)
    match_store.close()
    runner = CliRunner()
    result = runner.invoke(_app(), ["等离子体", "--json", "--top", "2", "--store", path])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["language"] == "zh" and len(data["topics"]) == 2
    result = runner.invoke(_app(), ["plasma turbulence", "--store", path])
    assert result.exit_code == 0 and "shared terms" in result.output


def test_match_command_empty_need_exits_1(match_store):
    path = str(match_store.path)
    match_store.close()
    result = CliRunner().invoke(_app(), ["  ", "--store", path])
    assert result.exit_code == 1
