"""`embed`, `build`, `update`, `topics`, `topic` and `candidates` commands: the topic map, as of any date.

Thin faces of `Observatory`; dates are given as typed (YYYY-MM-DD) and parsed by the core."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from frontierwatch.cli.common import (EngineOpt, JsonOpt, SparkDataOpt, SparkMasterOpt, ProfileOpt, StoreOpt, console, errors_to_exit, lang, open_observatory,
                                      progress_bar, report_timings)

AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", help="Date YYYY-MM-DD; default: the latest map / latest document date.")]


def _embed_bar(bar):
    task = bar.add_task("embed", total=None)

    def advance(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)
    return advance


def embed_command(model: Annotated[Optional[str], typer.Option("--model", help="Embedding model (default: settings' embed_model, static-bilingual).")] = None,
                  store: StoreOpt = None) -> None:
    """Compute missing document vectors (computed once, reused). / 计算文献向量。"""
    with errors_to_exit(), open_observatory(store, create=False) as obs, progress_bar() as bar:
        n = obs.embed(progress=_embed_bar(bar), model=model)
    typer.echo(f"已计算 {n:,} 个向量" if lang() == "zh" else f"computed {n:,} vectors")


def build_command(as_of: AsOfOpt = None,
                  n_topics: Annotated[Optional[int], typer.Option("--topics", help="Number of topics (default: from corpus size).")] = None,
                  labeller: Annotated[Optional[str], typer.Option(
                      "--labeller", help="offline (default) or openai: name topics through an OpenAI-compatible endpoint "
                                         "(settings labeller_base_url, labeller_model; key in FRONTIERWATCH_LABELLER_API_KEY); "
                                         "answers are cached in the store.")] = None,
                  as_json: JsonOpt = False, profile: ProfileOpt = None, store: StoreOpt = None,
                  engine: EngineOpt = None, spark_master: SparkMasterOpt = None, spark_data: SparkDataOpt = None) -> None:
    """Embed documents and fit the topic map as of a date, with its names, signals, forecasts and directions;
    prints where the time went. / 构建某一日期的技术主题图，并列出各步骤用时。"""
    if labeller is not None:
        import os

        from frontierwatch.errors import InputError
        with errors_to_exit():
            if labeller not in ("offline", "openai"):
                raise InputError(f"--labeller {labeller!r} is not offline or openai", f"--labeller {labeller!r} 应为 offline 或 openai")
        os.environ["FRONTIERWATCH_LABELLER"] = labeller
    with errors_to_exit(), open_observatory(store, create=False, engine=engine, spark_master=spark_master,
                                            spark_data=spark_data) as obs, progress_bar() as bar:
        step = bar.add_task("topics", total=None)
        info = obs.build(as_of, n_topics=n_topics, embed_progress=_embed_bar(bar),
                         progress=lambda name: bar.update(step, description=f"topics: {name}"))
        bar.update(step, total=1, completed=1)
    report_timings(obs.last_run, profile)
    if as_json:
        typer.echo(json.dumps({"map": dataclasses.asdict(info), "timings": obs.last_run}, ensure_ascii=False, indent=1,
                              default=str))
        return
    zh = lang() == "zh"
    typer.echo(f"主题图 {info.as_of}：{info.n_topics} 个主题，{info.n_fields} 个领域；拟合 {info.n_docs_fit:,} 篇，"
               f"分配 {info.n_docs_assigned:,} 篇，候选新主题 {info.n_candidate_topics}（{info.seconds:.1f} 秒）" if zh else
               f"topic map as of {info.as_of}: {info.n_topics} topics in {info.n_fields} fields; fitted {info.n_docs_fit:,} "
               f"documents, assigned {info.n_docs_assigned:,}, {info.n_candidate_topics} candidate new topics ({info.seconds:.1f}s)")


def update_command(paths: Annotated[Optional[list[Path]], typer.Argument(help="New files to ingest first (optional).")] = None,
                   source: Annotated[str, typer.Option(help="Format of the new files (auto-detected by default).")] = "auto",
                   as_json: Annotated[bool, typer.Option("--json", help="Print what each step did as JSON.")] = False,
                   profile: ProfileOpt = None, store: StoreOpt = None, engine: EngineOpt = None,
                   spark_master: SparkMasterOpt = None, spark_data: SparkDataOpt = None) -> None:
    """Ingest new documents, bring the latest topic map up to the newest date without refitting (counts,
    signals, axes, forecasts, directions), then raise alerts; prints where the time went.
    / 月度更新：导入新文献、更新主题图并检查提醒，并列出各步骤用时。"""
    with errors_to_exit(), open_observatory(store, create=False, engine=engine, spark_master=spark_master,
                                            spark_data=spark_data) as obs, progress_bar() as bar:
        task = bar.add_task("ingest", total=None)
        report = obs.update(paths or [], source, embed_progress=_embed_bar(bar),
                            progress=lambda f, n: bar.update(task, description=f"{Path(f).name}: {n:,}"),
                            step=lambda name: bar.update(task, description=f"update: {name}"))
    report_timings(obs.last_run, profile)
    if as_json:
        typer.echo(json.dumps(report | {"timings": obs.last_run}, ensure_ascii=False, indent=2,
                              default=lambda o: getattr(o, "__dict__", str(o))))
        return
    summary, info, zh = report["ingest"], report["topics"], lang() == "zh"
    if summary:
        typer.echo(f"accepted {summary.accepted:,} / merged {summary.merged:,} / rejected {summary.rejected:,}")
    if hasattr(info, "n_assigned"):
        typer.echo(f"已分配 {info.n_assigned:,} 篇新文献到 {info.as_of} 的主题图；{info.n_candidates:,} 篇远离所有主题，"
                   f"形成 {info.n_candidate_topics} 个候选新主题" if zh else
                   f"assigned {info.n_assigned:,} new documents to the map of {info.as_of}; {info.n_candidates:,} are far "
                   f"from every topic, forming {info.n_candidate_topics} candidate new topics (see: frontierwatch candidates)")
    else:
        typer.echo(f"主题图已更新至 {info.as_of}（沿用主题图 {info.prev_map_id} 的 {info.n_topics} 个主题，未重新拟合）："
                   f"计入 {info.n_docs_fit:,} 篇，候选新主题 {info.n_candidate_topics} 个" if zh else
                   f"topic map updated to {info.as_of} (the {info.n_topics} topics of map {info.prev_map_id}, not refitted): "
                   f"{info.n_docs_fit:,} documents counted, {info.n_candidate_topics} candidate new topics")
    alerts = report.get("alerts") or {}
    if "raised" in alerts:
        typer.echo(f"新提醒 {alerts['raised']} 条（frontierwatch alerts）" if zh else
                   f"{alerts['raised']} new alerts (see: frontierwatch alerts)")
    typer.echo(("用时 " if zh else "seconds: ") + ", ".join(f"{k} {v}" for k, v in report["seconds"].items()))


def topics_command(as_of: AsOfOpt = None, top: Annotated[Optional[int], typer.Option(help="Show the first N.")] = 20,
                   sort: Annotated[str, typer.Option(help="size | forecast | breakthrough | industrialisation "
                                                          "(highest first). / 排序：规模、预测、突破性、产业化潜力。")] = "size",
                   evidence: Annotated[bool, typer.Option("--evidence", help="Add each topic's evidence (axis components, "
                                                          "driving signals, central documents). / 附证据。")] = False,
                   as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False, store: StoreOpt = None) -> None:
    """List topics of the map as of a date, largest first (or by forecast or axis). / 列出技术主题。"""
    with errors_to_exit(), open_observatory(store, create=False) as obs:
        data = obs.topics(as_of, top, sort=sort, evidence=evidence)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    table = Table(title=f"topics as of {data['as_of']}, by {data['sort']} / 主题（截至 {data['as_of']}）")
    for col in ("#", "id", "size 规模", "stage 阶段", "B 突破", "I 产业化", "P 增长概率 [90%]", "call 判断"):
        table.add_column(col, no_wrap=True)
    table.add_column("name 名称", min_width=30)
    table.caption = ("B, I: breakthrough and industrialisation-potential scores (0–1); P: calibrated probability of "
                     "extreme growth within the horizon with its 90% interval; #: published forecast order / "
                     "B、I：突破性与产业化潜力得分；P：预测期内极端增长的校准概率及其 90% 区间；#：预测排序")

    def num(value) -> str:
        return "–" if value is None else f"{value:.2f}"

    def prob(fc: dict) -> str:
        p, lo, hi = fc.get("probability"), fc.get("probability_low"), fc.get("probability_high")
        return num(p) + (f" [{lo:.2f}–{hi:.2f}]" if p is not None and lo is not None and hi is not None else "")

    for t in data["topics"]:
        axes, fc = t.get("axes") or {}, t.get("forecast") or {}
        call = {True: "yes 是", False: "no 否"}.get(fc.get("call"), "–")
        named = t.get("name") or {}
        shown = (named.get("zh") or named.get("en")) if lang() == "zh" else named.get("en")
        rank = fc.get("rank")
        table.add_row("–" if rank is None else str(int(rank)), t["id"], f"{t['size']:,}", t.get("stage") or "–",
                      num(axes.get("breakthrough")), num(axes.get("industrialisation")), prob(fc), call,
                      shown or t["label"])
    # a pipe or a log gets 80 columns, too narrow for eight columns: render at least 150 wide
    Console(width=max(console.width, 150), highlight=False).print(table)
    for part, marker in (data.get("not_computed") or {}).items():
        console.print(f"[yellow]{part}: {marker['note']['en']} / {marker['note']['zh']}[/yellow]")


def topic_command(topic_id: Annotated[str, typer.Argument(help="Topic id, e.g. T00042.")], as_of: AsOfOpt = None,
                  as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False, store: StoreOpt = None) -> None:
    """One topic: label, size per year, top documents, neighbours. / 单个主题的详情。"""
    with errors_to_exit(), open_observatory(store, create=False) as obs:
        data = obs.topic(topic_id, as_of)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    named = data.get("name") or {}
    typer.echo(f"{data.get('id', topic_id)}  {named.get('zh' if lang() == 'zh' else 'en') or ''}  ({data.get('label', '')})")
    for key, value in data.items():
        if key not in ("id", "label", "name"):
            typer.echo(f"  {key}: {json.dumps(value, ensure_ascii=False, default=str)[:300]}")


def candidates_command(as_of: AsOfOpt = None, as_json: Annotated[bool, typer.Option("--json")] = False,
                       store: StoreOpt = None) -> None:
    """Candidate new topics: clusters of recent documents far from every topic. / 候选新主题。"""
    with errors_to_exit(), open_observatory(store, create=False) as obs:
        data = obs.candidate_topics(as_of)
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
