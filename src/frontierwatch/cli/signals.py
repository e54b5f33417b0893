"""`backtest` and `signals` commands (the lead registers them in `cli/app.py`)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from frontierwatch.cli.common import (ProfileOpt, StoreOpt, console, errors_to_exit, lang, open_observatory, progress_bar,
                                      report_timings)
from frontierwatch.errors import InputError


def _int_list(text: str, what: str) -> list[int]:
    try:
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise InputError(f"--{what} expects comma-separated years or numbers like 2013,2014; got {text!r}",
                         f"--{what} 需要逗号分隔的整数，例如 2013,2014；实际为 {text!r}") from None


def _provenance(cutoffs: str, horizon: str, seeds: str) -> dict:
    """When, where, how and from which commit a backtest JSON was made, so a published figure can be traced."""
    import os
    import platform
    import subprocess
    from datetime import datetime, timezone

    from frontierwatch import __version__

    try:
        here = Path(__file__).resolve().parent
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=here,
                               capture_output=True, text=True).stdout.strip()
        commit = (commit + ("+uncommitted changes" if dirty else "")) or None
    except OSError:
        commit = None
    return {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "frontierwatch": __version__,
            "commit": commit,
            "command": f"frontierwatch backtest --cutoffs {cutoffs} --horizon {horizon} --seeds {seeds}",
            "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
                        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()]}}


def _combined(results: list[dict]) -> dict:
    """One JSON for several horizons: the first horizon's result at the top (the shape of issue 4), every
    horizon's summary, calibration and per-cutoff results under ``horizons``."""
    main = dict(results[0])
    if len(results) > 1:
        main["horizons"] = {str(r["horizon"]): {k: r[k] for k in ("cutoffs", "seeds", "summary", "calibration",
                                                                   "results", "wall_seconds", "cache")}
                            for r in results}
    return main


def backtest_command(
    cutoffs: Annotated[str, typer.Option(help="Cutoff years, comma-separated.")] = "2013,2014,2015,2016",
    horizon: Annotated[str, typer.Option(help="Years ahead the label looks; several comma-separated (e.g. 3,2,5): "
                                              "the first leads the JSON.")] = "3",
    seeds: Annotated[str, typer.Option(help="Topic-model seeds, comma-separated.")] = "0",
    json_path: Annotated[Optional[Path], typer.Option("--json", help="Write the result as JSON here.")] = None,
    report: Annotated[Optional[Path], typer.Option(help="Write a bilingual HTML report here.")] = None,
    min_docs: Annotated[int, typer.Option(help="Eligible topics: at least this many documents in the cutoff "
                                               "year (lowered automatically for small corpora).")] = 20,
    catalog: Annotated[bool, typer.Option("--catalog", help="Backtest the catalog instead: editions as of each "
                                          "cutoff chosen by the published rule, their hit rate within the horizon "
                                          "beside alternative rules. / 回测目录的入选规则。")] = False,
    draws: Annotated[int, typer.Option(help="--catalog: random selections drawn per edition.")] = 100,
    profile: ProfileOpt = None,
    store: StoreOpt = None,
) -> None:
    """How good are our calls: the forecaster against the field's baselines on past cutoffs. / 回测预测能力。"""
    from frontierwatch.forecast import write_report

    with errors_to_exit():
        cut, seed_list, horizons = (_int_list(cutoffs, "cutoffs"), _int_list(seeds, "seeds"),
                                    _int_list(horizon, "horizon"))
        if catalog:
            return _catalog_backtest(cut, horizons[0], min_docs, draws, json_path, profile, store, cutoffs)
        with open_observatory(store) as obs, progress_bar() as bar:
            task = bar.add_task("backtest", total=None)

            def advance(step: str, done: int, total: int) -> None:
                bar.update(task, description=step, completed=done, total=total)

            results = obs.backtest(cut, horizons, seed_list, min_docs=min_docs, progress=advance)
        report_timings(obs.last_run, profile)
        result = _combined(results)
        if json_path:
            result["generated"] = _provenance(cutoffs, horizon, seeds)
            result["timings"] = obs.last_run
            json_path.parent.mkdir(parents=True, exist_ok=True)
            json_path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        if report:
            write_report(results[0], report)
    zh = lang() == "zh"
    for res in results:
        _print_summary(res, cutoffs, zh)


def _catalog_backtest(cut, horizon, min_docs, draws, json_path, profile, store, cutoffs) -> None:
    """``backtest --catalog``: run, write ``{"catalog": ...}`` JSON, print the rules' hit rates."""
    with open_observatory(store) as obs, progress_bar() as bar:
        task = bar.add_task("catalog backtest", total=None)
        result = obs.catalog_backtest(cut, horizon, min_docs=min_docs, draws=draws,
                                      progress=lambda step: bar.update(task, description=step))
    report_timings(obs.last_run, profile)
    if json_path:
        gen = _provenance(cutoffs, str(horizon), "0")
        gen["command"] = f"frontierwatch backtest --catalog --cutoffs {cutoffs} --horizon {horizon}"
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps({"catalog": result, "generated": gen, "timings": obs.last_run},
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    zh = lang() == "zh"
    table = Table(title=f"{'目录回测' if zh else 'catalog backtest'} h={horizon}, {'截止年' if zh else 'cutoffs'} "
                        f"{cutoffs}")
    for col in (("规则", "rule"), ("平均条目数", "mean entries"), ("平均命中率", "mean hit rate"),
                ("平均份额比", "mean share ratio")):
        table.add_column(col[0] if zh else col[1], justify="left" if col[1] == "rule" else "right")
    fmt = lambda v, d=3: "–" if v is None else f"{v:.{d}f}"  # noqa: E731
    for name, r in result["rules"].items():
        table.add_row(name, fmt(r["mean_entries"], 1), fmt(r["mean_hit_rate"]), fmt(r["mean_share_ratio"], 2))
    console.print(table)
    goal = result["goal"]
    typer.echo(f"{'六大方向合格主题的正例率' if zh else 'positive rate, eligible six-direction topics'} "
               f"{fmt(result['positive_rate'])}; {'命中率/正例率' if zh else 'hit rate / positive rate'} "
               f"{fmt(goal['hit_rate_over_positive_rate'], 2)}; {'命中率/旧规则' if zh else 'hit rate / old rule'} "
               f"{fmt(goal['hit_rate_over_axes_top3'], 2)}; {'命中率/旧规则（同条目数）' if zh else 'hit rate / old rule at the same N'} "
               f"{fmt(goal.get('hit_rate_over_axes_fields'), 2)}")


def _print_summary(result: dict, cutoffs: str, zh: bool) -> None:
    horizon = result["horizon"]
    table = Table(title=f"{'回测' if zh else 'backtest'} h={horizon}, {'截止年' if zh else 'cutoffs'} {cutoffs}")
    for col in ("method", "mean AP", "lift", "p@20", "p@50", "Spearman", "F1", "Brier"):
        table.add_column(col, justify="left" if col == "method" else "right")
    fmt = lambda v, d=3: "–" if v is None else f"{v:.{d}f}"  # noqa: E731
    for name, s in sorted(result["summary"].items(), key=lambda kv: -(kv[1]["mean_ap"] or 0)):
        table.add_row(name, fmt(s["mean_ap"]), fmt(s.get("lift"), 1), fmt(s["mean_p_at_20"]), fmt(s["mean_p_at_50"]),
                      fmt(s["mean_spearman"]), fmt(s.get("mean_f1")), fmt(s.get("mean_brier"), 4))
    console.print(table)
    rate = sum(r["positive_rate"] for r in result["results"]) / max(len(result["results"]), 1)
    cache = result.get("cache", {})
    typer.echo(f"{'正例率' if zh else 'positive rate'} {rate:.3f}; {result['wall_seconds']:.0f}s; "
               f"{'复用/新算主题图' if zh else 'maps reused/computed'} {cache.get('fits_reused', 0)}/"
               f"{cache.get('fits_computed', 0)}")


def signals_command(
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Topic map date YYYY-MM-DD (default: latest map).")] = None,
    horizon: Annotated[int, typer.Option(help="Forecast horizon in years.")] = 3,
    forecast: Annotated[bool, typer.Option(help="Also train the forecaster and write topic_forecasts.")] = True,
    store: StoreOpt = None,
) -> None:
    """Signals, both axes, stage and forecast for the store's topic map. / 计算主题信号、双轴、阶段与预测。"""
    with errors_to_exit():
        with open_observatory(store) as obs:
            info = obs.compute_signals(as_of)
            typer.echo(f"topic_signals: {info['rows']:,} rows for {info['topics']} topics (map {info['map_id']}, "
                       f"as of {info['as_of']})")
            if forecast:
                with progress_bar() as bar:
                    task = bar.add_task("forecast", total=None)
                    fc = obs.compute_forecasts(as_of, horizon,
                                               progress=lambda step, done, total: bar.update(task, description=step,
                                                                                             completed=done, total=total))
                typer.echo(f"topic_forecasts: {fc['topics']} topics, {fc['called']} called for extreme growth "
                           f"(trained on {fc['train_cutoffs']}, {fc['n_train_rows']} rows)")
