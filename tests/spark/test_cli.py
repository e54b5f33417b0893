"""The engine options of the CLI: an unknown engine is refused in both languages before anything runs; the options
are listed by ingest, build and update."""
from __future__ import annotations

from typer.testing import CliRunner

from frontierwatch.cli import app


def test_unknown_engine_is_refused(tmp_path):
    result = CliRunner().invoke(app, ["ingest", str(tmp_path), "--engine", "hadoop", "--store", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert "hadoop" in result.output and ("embedded or spark" in result.output or "embedded 或 spark" in result.output)
    assert not (tmp_path / "s").exists()


def test_engine_options_on_ingest_build_update():
    for command in ("ingest", "build", "update"):
        text = CliRunner().invoke(app, [command, "--help"], terminal_width=200).output
        for option in ("--engine", "--spark-master", "--spark-data"):
            assert option in text, (command, option)
