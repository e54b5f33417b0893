"""What every command shares: the --store option, opening the observatory, one-line errors, progress bars."""
from __future__ import annotations

import contextlib
import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from frontierwatch.core import Observatory
from frontierwatch.errors import FrontierwatchError
from frontierwatch.settings import load_settings

console = Console(stderr=True)
StoreOpt = Annotated[Optional[Path], typer.Option("--store", help="Store directory [env FRONTIERWATCH_STORE; default ./fw-data]")]
ProfileOpt = Annotated[Optional[Path], typer.Option(
    "--profile", help="Also write the run's stage timings here as JSON: each stage's seconds, rows and peak memory. / "
                      "把各步骤的用时、行数与峰值内存写成 JSON。")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout, stage timings included "
                                                      "(\"timings\"). / 以 JSON 输出结果（含各步骤用时）。")]
EngineOpt = Annotated[Optional[str], typer.Option(
    "--engine", help="embedded (default: DuckDB + numpy on this machine) or spark (document-level jobs on Apache Spark "
                     "over Parquet; pip install 'frontierwatch[spark]') [env FRONTIERWATCH_ENGINE]. / 计算引擎。")]
SparkMasterOpt = Annotated[Optional[str], typer.Option(
    "--spark-master", help="Spark master of the spark engine: local[*] (default), local[2], spark://host:7077, yarn "
                           "[env FRONTIERWATCH_SPARK_MASTER]. / Spark 集群地址。")]
SparkDataOpt = Annotated[Optional[str], typer.Option(
    "--spark-data", help="Parquet data directory of the spark engine: a path or a Hadoop URI (s3a://…, hdfs://…); "
                         "default <store>/parquet [env FRONTIERWATCH_SPARK_DATA]. / Spark 引擎的 Parquet 数据目录。")]


def lang() -> str:
    return load_settings().lang


def open_observatory(store: Path | None, *, read_only: bool = False, create: bool = True, engine: str | None = None,
                     spark_master: str | None = None, spark_data: str | None = None) -> Observatory:
    if engine not in (None, "embedded", "spark"):
        from frontierwatch.errors import InputError
        raise InputError(f"--engine {engine!r} is not embedded or spark", f"--engine {engine!r} 应为 embedded 或 spark")
    settings = load_settings(store=store, engine=engine, spark_master=spark_master, spark_data=spark_data)
    return Observatory(settings.store, settings, read_only=read_only, create=create)


@contextlib.contextmanager
def errors_to_exit():
    """Print a FrontierwatchError as one line (in the configured language) and exit 1."""
    try:
        yield
    except FrontierwatchError as exc:
        console.print(f"[red]error[/red] {exc.message(lang())}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        console.print("interrupted — committed work is kept; run the same command again to resume / 已中断，重新运行以继续")
        raise typer.Exit(130) from None


def progress_bar(transient: bool = False) -> Progress:
    """A Rich progress bar on stderr (quiet when stderr is not a terminal is Rich's own behaviour)."""
    return Progress(SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
                    MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=transient)


def setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")


def report_timings(timings: dict | None, path: Path | None) -> None:
    """At the end of a long command: print where its time and memory went (stderr, so stdout stays the
    command's result), and write the timings to `path` as JSON when given."""
    if not timings:
        return
    from frontierwatch.timings import format_timings
    for line in format_timings(timings, zh=lang() == "zh"):
        console.print(line, highlight=False, soft_wrap=True)
    if path:
        import json
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(timings, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
