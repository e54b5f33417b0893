"""`catalog` and `directions` commands: thin faces of `Observatory.catalog` and `Observatory.topic_directions`."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from frontierwatch.cli.common import (JsonOpt, ProfileOpt, StoreOpt, console, errors_to_exit, lang, open_observatory,
                                      report_timings)


def catalog_command(
    out: Annotated[Path, typer.Option(help="Output file.")],
    edition: Annotated[Optional[str], typer.Option(help="Edition code, e.g. 2019H2 (default as-of: end of that half-year) [default: the half-year of --as-of, else the end of the last complete year of the store's documents].")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="As-of date YYYY-MM-DD [default: from --edition].")] = None,
    catalog_lang: Annotated[str, typer.Option("--lang", help="zh or en.")] = "zh",
    fmt: Annotated[str, typer.Option("--format", help="html, pdf, xlsx, json or md.")] = "html",
    per_field: Annotated[int, typer.Option(help="At most this many technologies per field (a field may list none: the selection rule decides).")] = 3,
    min_size: Annotated[int, typer.Option(help="Smallest topic (documents) that can be listed.")] = 10,
    backtest: Annotated[Optional[Path], typer.Option(help="Backtest JSON of 'frontierwatch backtest' to cite.")] = None,
    rebuild: Annotated[bool, typer.Option(help="Rebuild even when the store holds this edition with the same parameters.")] = False,
    as_json: JsonOpt = False,
    profile: ProfileOpt = None,
    store: StoreOpt = None,
) -> None:
    """Publish a catalog edition of frontier technologies in six directions; prints where the time went.
    / 发布前沿技术推广目录，并列出各步骤用时。"""
    with errors_to_exit(), open_observatory(store) as obs:
        done = obs.catalog(edition, as_of=as_of, lang=catalog_lang, fmt=fmt, out=out, per_field=per_field,
                           min_size=min_size, backtest=backtest, rebuild=rebuild,
                           progress=lambda step: console.print(f"[dim]{step}…[/dim]", highlight=False))
    report_timings(obs.last_run, profile)
    if as_json:
        typer.echo(json.dumps(done | {"path": str(done["path"]), "timings": obs.last_run}, ensure_ascii=False,
                              indent=1, default=str))
        return
    zh = lang() == "zh"
    typer.echo(f"{'已写入' if zh else 'wrote'} {done['path']} ({done['n_entries']} {'条' if zh else 'entries'}, "
               f"{done['edition']}, {done['as_of']})")


def directions_command(
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Topic map date [default: latest].")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    store: StoreOpt = None,
) -> None:
    """Map the topics of a topic map to the six directions, with confidence and reason. / 主题的六大方向归属。"""
    with errors_to_exit(), open_observatory(store, create=False) as obs:
        found = obs.topic_directions(as_of)
    rows = found["topics"]
    if as_json:
        typer.echo(json.dumps({"as_of": found["as_of"], "topics": rows}, ensure_ascii=False, indent=1))
        return
    code = "zh" if lang() == "zh" else "en"
    for r in rows:
        typer.echo(f"{r['topic_id']}  {','.join(r['directions']):<24} {r['confidence']:.2f}  {r['label']}  — {r['reason'][code]}")
