"""The Typer application: registers each stage's commands."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from frontierwatch import __version__
from frontierwatch.cli import ingest as ingest_cli
from frontierwatch.cli import topics as topics_cli
from frontierwatch.cli import web as web_cli
from frontierwatch.cli import match as match_cli
from frontierwatch.cli import catalog as catalog_cli
from frontierwatch.cli import signals as signals_cli
from frontierwatch.cli import export as export_cli
from frontierwatch.cli import governance as governance_cli
from frontierwatch.cli import watch as watch_cli
from frontierwatch.cli.common import errors_to_exit, setup_logging

app = typer.Typer(name="frontierwatch", no_args_is_help=True, add_completion=False,
                  help="frontierwatch — an open observatory of frontier technology / 未来产业瞭望站")


@app.callback()
def _root(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log row counts and timings.")] = False,
          taxonomy: Annotated[Optional[Path], typer.Option(
              "--taxonomy", help="Your own taxonomy YAML instead of the six packaged directions "
                                 "[env FRONTIERWATCH_TAXONOMY]; validated before the command runs.")] = None) -> None:
    setup_logging(verbose)
    if taxonomy is not None:
        from frontierwatch.catalog import load_taxonomy
        with errors_to_exit():
            load_taxonomy(taxonomy)          # a bad file stops here, with the file and field named
        os.environ["FRONTIERWATCH_TAXONOMY"] = str(taxonomy.resolve())  # every stage reads it through the settings


@app.command("version")
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


app.command("ingest")(ingest_cli.ingest_command)
app.command("status")(ingest_cli.status_command)
app.command("rejects")(ingest_cli.rejects_command)
app.command("embed")(topics_cli.embed_command)
app.command("build")(topics_cli.build_command)
app.command("update")(topics_cli.update_command)
app.command("topics")(topics_cli.topics_command)
app.command("topic")(topics_cli.topic_command)
app.command("candidates")(topics_cli.candidates_command)
app.command("signals")(signals_cli.signals_command)
app.command("backtest")(signals_cli.backtest_command)
app.command("catalog")(catalog_cli.catalog_command)
app.command("directions")(catalog_cli.directions_command)
app.command("match")(match_cli.match_command)
app.command("serve")(web_cli.serve_command)
admin_app = typer.Typer(help="Accounts of the web app / 网站账户管理", no_args_is_help=True)
admin_app.command("create")(web_cli.admin_create_command)
app.add_typer(admin_app, name="admin")
governance_app = typer.Typer(help="Risk governance: flags, register and audit log / 风险治理", no_args_is_help=True)
governance_app.command("flags")(governance_cli.flags_command)
governance_app.command("export")(governance_cli.export_command)
governance_app.command("verify")(governance_cli.verify_command)
app.add_typer(governance_app, name="governance")
app.add_typer(watch_cli.watch_app, name="watch")
app.command("alerts")(watch_cli.alerts_command)
app.command("export")(export_cli.export_command)


def main() -> None:
    app()
