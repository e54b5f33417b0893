"""`match` command: a need (Chinese or English) → technologies, documents, teams and achievements, with reasons."""
from __future__ import annotations

import json
from typing import Annotated

import typer

from frontierwatch.cli.common import StoreOpt, errors_to_exit, lang, open_observatory
from frontierwatch.errors import StoreBusyError, StoreError
from frontierwatch.settings import load_settings
from frontierwatch.store.database import running_server


def _match_via_server(url: str, text: str, top: int) -> dict:
    """Ask the running `frontierwatch serve` of this store (which owns its hall data) — the same core answers."""
    import urllib.error
    import urllib.parse
    import urllib.request

    query = urllib.parse.urlencode({"q": text, "top": top})
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/api/v1/match?{query}", timeout=120) as resp:
            result = json.loads(resp.read())
    except (urllib.error.URLError, ValueError) as exc:
        raise StoreError(f"the store is held by the server at {url}, which did not answer: {exc}",
                         f"数据库由 {url} 的网站进程占用，且其未响应：{exc}") from None
    result.pop("built", None)
    return result


def _terms(matched: list[dict]) -> str:
    return ", ".join(f"{m['en']}{'/' + m['zh'] if m.get('zh') else ''}" for m in matched) or "—"


def _readiness(readiness: dict, zh: bool) -> str:
    if not readiness.get("computed"):
        return readiness["note"]["zh" if zh else "en"]
    level = readiness.get("industrialisation")
    return f"{'阶段' if zh else 'stage'} {readiness.get('stage') or '—'}, " \
           f"{'产业化' if zh else 'industrialisation'} {level if level is not None else '—'}"


def match_command(
    text: Annotated[str, typer.Argument(help="The need, e.g. '无人机巡检' or 'predictive maintenance of wind turbines'.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    top: Annotated[int, typer.Option(help="Results per list (1-100).")] = 10,
    store: StoreOpt = None,
) -> None:
    """Match a need to technologies, documents, teams and achievements, with reasons. / 供需对接：为需求匹配技术、文献、团队与成果。"""
    with errors_to_exit():
        server = running_server(load_settings(store=store).store)
        if server:  # the server owns the hall's achievements and its answers are the same core's
            result = _match_via_server(server["url"], text, top)
        else:
            try:
                with open_observatory(store, create=False) as obs:
                    result = obs.match(text, top=top)
            except StoreBusyError as busy:
                if not busy.server_url:
                    raise
                result = _match_via_server(busy.server_url, text, top)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    zh = lang() == "zh"
    query = result["query"]
    typer.echo(f"{'需求' if zh else 'need'} ({result['language']}): {query['text']}")
    if result["language"] == "zh":
        typer.echo(f"  {'英文桥接' if zh else 'bridged to English'}: {query['english'] or '—'}")
    typer.echo(f"\n{'技术主题' if zh else 'technologies (topics)'}:")
    for t in result["topics"]:
        why = t["why"]
        sims = ", ".join(f"{k} {v:.2f}" for k, v in why["similarity"].items())
        typer.echo(f"  {t['rank']:>2}. {t['id']}  {t['label']}  ({'规模' if zh else 'size'} {t['size']})")
        typer.echo(f"      {'共同术语' if zh else 'shared terms'}: {_terms(why['matched_terms'])}; "
                   f"{'相似度' if zh else 'similarity'}: {sims}; {_readiness(why['readiness'], zh)}")
    typer.echo(f"\n{'文献' if zh else 'documents'}:")
    for d in result["documents"]:
        typer.echo(f"  {d['score']:.3f}  {d['doc_id']}  {d['title'][:90]} ({d['year'] or '—'}) "
                   f"[{_terms(d['why']['matched_terms'])}]")
    kind = result["method"]["institutions_are"]
    typer.echo(f"\n{('机构' if kind == 'institution' else '团队（作者）') if zh else ('institutions' if kind == 'institution' else 'teams (authors)')}:")
    for i in result["institutions"]:
        typer.echo(f"  {i['score']:.3f}  {i['name']}{' (' + i['country'] + ')' if i.get('country') else ''}: "
                   f"{i['documents']} {'篇' if zh else 'documents'}")
    if result["achievements"]:
        typer.echo(f"\n{'成果' if zh else 'achievements'}:")
        for a in result["achievements"]:
            typer.echo(f"  {a['score']:.3f}  #{a['item_id']} {a['title']} (TRL {a['trl'] or '—'}, "
                       f"{a['organisation'] or '—'}) [{_terms(a['why']['matched_terms'])}]")
    for note in result["method"]["notes"]:
        typer.echo(f"\nnote: {note}")
