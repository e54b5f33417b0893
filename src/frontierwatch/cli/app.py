"""The Typer application: registers each stage's commands."""
from __future__ import annotations

from typing import Annotated

import typer

from frontierwatch import __version__
from frontierwatch.cli import ingest as ingest_cli
from frontierwatch.cli import topics as topics_cli
from frontierwatch.cli.common import setup_logging

app = typer.Typer(name="frontierwatch", no_args_is_help=True, add_completion=False,
                  help="frontierwatch — an open observatory of frontier technology / 未来产业瞭望站")


@app.callback()
def _root(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log row counts and timings.")] = False) -> None:
    setup_logging(verbose)


@app.command("version")
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


app.command("ingest")(ingest_cli.ingest_command)
app.command("status")(ingest_cli.status_command)
app.command("rejects")(ingest_cli.rejects_command)
app.command("build")(topics_cli.build_command)
app.command("update")(topics_cli.update_command)
app.command("topics")(topics_cli.topics_command)
app.command("topic")(topics_cli.topic_command)
app.command("candidates")(topics_cli.candidates_command)


def main() -> None:
    app()
