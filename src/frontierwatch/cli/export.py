"""`export topics|signals|forecasts|documents|assignments --format parquet|csv|xlsx --out PATH`."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from frontierwatch.cli.common import StoreOpt, errors_to_exit, lang, open_observatory


def export_command(
    what: Annotated[str, typer.Argument(help="topics | signals | forecasts | documents | assignments")],
    out: Annotated[Path, typer.Option("--out", help="Output file.")],
    fmt: Annotated[str, typer.Option("--format", help="parquet | csv | xlsx")] = "parquet",
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Topic map date [default: latest].")] = None,
    store: StoreOpt = None,
) -> None:
    """Export a topic map's data with its data dictionary (zh/en). / 导出数据（附数据字典）。"""
    with errors_to_exit(), open_observatory(store, create=False) as obs:
        done = obs.export(what, fmt, out, as_of)
    typer.echo(f"已导出 {done['rows']:,} 行到 {done['path']}；数据字典：{done['dictionary']}" if lang() == "zh" else
               f"exported {done['rows']:,} rows to {done['path']}; data dictionary: {done['dictionary']}")
