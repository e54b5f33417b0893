"""`ingest`, `status` and `rejects` commands."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from frontierwatch.cli.common import (EngineOpt, JsonOpt, SparkDataOpt, SparkMasterOpt, ProfileOpt, StoreOpt, console, errors_to_exit, lang, open_observatory,
                                      progress_bar, report_timings)
from frontierwatch.sources.detect import format_names


def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories to ingest (directories are walked).")],
    source: Annotated[str, typer.Option(help="Format: auto or " + ", ".join(format_names()))] = "auto",
    strict: Annotated[bool, typer.Option(help="Exit 1 when any record was rejected.")] = False,
    force: Annotated[bool, typer.Option(help="Re-read files already ingested whole.")] = False,
    as_json: JsonOpt = False,
    profile: ProfileOpt = None,
    store: StoreOpt = None,
    engine: EngineOpt = None,
    spark_master: SparkMasterOpt = None,
    spark_data: SparkDataOpt = None,
) -> None:
    """Ingest real source files into the store: idempotent, resumable, nothing lost; prints where the time went.
    / 导入数据文件，并列出各步骤用时。"""
    with errors_to_exit(), open_observatory(store, engine=engine, spark_master=spark_master,
                                            spark_data=spark_data) as obs, progress_bar() as bar:
        task = bar.add_task("ingest", total=None)

        def advance(file: str, done: int) -> None:
            bar.update(task, description=f"{Path(file).name}: {done:,} records", advance=0)

        summary = obs.ingest(paths, source, force=force, progress=advance)
        bar.update(task, total=1, completed=1)
    report_timings(obs.last_run, profile)
    if as_json:
        typer.echo(json.dumps(summary.as_dict() | {"timings": obs.last_run}, ensure_ascii=False, indent=1))
        if strict and summary.rejected:
            raise typer.Exit(1)
        return
    zh = lang() == "zh"
    for file, why in summary.skipped:
        console.print(f"{'跳过' if zh else 'skipped'} {file}: {why}", highlight=False)
    for file in summary.unchanged_files:
        console.print(f"{'未变化，已导入过' if zh else 'unchanged, already ingested'}: {file}", highlight=False)
    line = (f"已接收 {summary.accepted:,} / 已合并 {summary.merged:,} / 已拒绝 {summary.rejected:,}"
            f"（未变 {summary.unchanged:,}；{len(summary.files)} 个文件，{summary.seconds:.1f} 秒）" if zh else
            f"accepted {summary.accepted:,} / merged {summary.merged:,} / rejected {summary.rejected:,} "
            f"(unchanged {summary.unchanged:,}; {len(summary.files)} files in {summary.seconds:.1f}s)")
    typer.echo(line)
    if summary.rejected:
        typer.echo("see rejected records with: frontierwatch rejects" if not zh else "查看被拒绝的记录：frontierwatch rejects")
    if strict and summary.rejected:
        raise typer.Exit(1)


def status_command(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False, store: StoreOpt = None) -> None:
    """Counts by source, kind, year and language. / 数据库概况。"""
    with errors_to_exit(), open_observatory(store, create=False) as obs:
        st = obs.status()
    if as_json:
        typer.echo(json.dumps(st, ensure_ascii=False, indent=2))
        return
    zh = lang() == "zh"
    typer.echo(f"{'文献' if zh else 'documents'}: {st['documents']:,}   {'记录' if zh else 'records'}: {st['records']:,}   "
               f"{'拒绝' if zh else 'rejects'}: {st['rejects']:,}")
    for title, key in (("source 来源", "by_source"), ("kind 类型", "by_kind"), ("language 语言", "by_language"), ("year 年份", "by_year")):
        table = Table(title=title, show_header=False)
        for k, v in st[key].items():
            table.add_row(k, f"{v:,}")
        console.print(table)
    run = st.get("last_run")
    if run:
        from frontierwatch.timings import format_timings
        when = run["started"][:19].replace("T", " ")
        status = {"done": "完成", "failed": "失败", "interrupted": "中断"}.get(run["status"], run["status"]) if zh else run["status"]
        typer.echo(f"{'最近一次运行' if zh else 'last run'}: {run['command']} ({when} UTC, {status})")
        for line in format_timings(run, zh=zh)[1:]:
            typer.echo("  " + line)


def rejects_command(limit: Annotated[int, typer.Option(help="Show at most this many.")] = 50,
                    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
                    store: StoreOpt = None) -> None:
    """What was refused and why (file, line, reason). / 被拒绝的记录及原因。"""
    with errors_to_exit(), open_observatory(store, create=False) as obs:
        rows = obs.rejects(limit)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("no rejects / 没有被拒绝的记录")
    for r in rows:
        typer.echo(f"{r['file']}:{r['line']}: {r['reason']}")
