"""`catalog` and `directions` commands (the lead registers them in cli/app.py)."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from frontierwatch.cli.common import StoreOpt, console, errors_to_exit, lang, open_observatory
from frontierwatch.errors import InputError


def _date(value: str | None) -> date | None:
    from frontierwatch.topics.queries import parse_as_of
    return parse_as_of(value)


def catalog_command(
    edition: Annotated[str, typer.Option(help="Edition code, e.g. 2019H2 (default as-of: end of that half-year).")],
    out: Annotated[Path, typer.Option(help="Output file.")],
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="As-of date YYYY-MM-DD [default: from --edition].")] = None,
    catalog_lang: Annotated[str, typer.Option("--lang", help="zh or en.")] = "zh",
    fmt: Annotated[str, typer.Option("--format", help="html, pdf, xlsx, json or md.")] = "html",
    per_field: Annotated[int, typer.Option(help="Technologies listed per field.")] = 3,
    min_size: Annotated[int, typer.Option(help="Smallest topic (documents) that can be listed.")] = 10,
    backtest: Annotated[Optional[Path], typer.Option(help="Backtest JSON of 'frontierwatch backtest' to cite.")] = None,
    rebuild: Annotated[bool, typer.Option(help="Rebuild even when the store holds this edition with the same parameters.")] = False,
    store: StoreOpt = None,
) -> None:
    """Publish a catalog edition of frontier technologies in six directions. / 发布前沿技术推广目录。"""
    from frontierwatch.catalog import EditionParams, build_edition, load_edition, save_edition, write_edition

    with errors_to_exit():
        if per_field < 1 or min_size < 1:
            raise InputError(f"--per-field={per_field} and --min-size={min_size} should be >= 1",
                             f"--per-field={per_field} 与 --min-size={min_size} 必须 >= 1")
        with open_observatory(store) as obs:
            settings = obs.settings
            params = EditionParams(per_field=per_field, min_size=min_size, topic_seed=settings.topic_seed,
                                   embed_model=settings.embed_model, backtest_json=str(backtest) if backtest else None)
            wanted = _date(as_of)
            stored = load_edition(obs.store, edition)
            if stored and not rebuild and stored.parameters == _expected(stored, params, wanted):
                model = stored   # same edition, same parameters: reuse (renders agree byte for byte)
            else:
                model = build_edition(obs.store, edition, wanted, params,
                                      progress=lambda step: console.print(f"[dim]{step}…[/dim]", highlight=False))
                save_edition(obs.store, model)
        path = write_edition(model, fmt, catalog_lang, out)
    zh = lang() == "zh"
    typer.echo(f"{'已写入' if zh else 'wrote'} {path} ({len(model.entries)} {'条' if zh else 'entries'}, "
               f"{model.edition}, {model.as_of})")


def _expected(stored, params, as_of: date | None) -> dict:
    """The parameters an edition built now would record, for reuse of a stored edition with identical ones."""
    from frontierwatch.catalog.edition import edition_as_of

    want = dict(stored.parameters)
    want.update(params.as_dict())
    want["as_of"] = (as_of or edition_as_of(stored.edition)).isoformat()
    return want


def directions_command(
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Topic map date [default: latest].")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    store: StoreOpt = None,
) -> None:
    """Map the topics of a topic map to the six directions, with confidence and reason. / 主题的六大方向归属。"""
    from frontierwatch.catalog import map_topics
    from frontierwatch.catalog.mapping import default_embedder
    from frontierwatch.topics import list_topics

    with errors_to_exit(), open_observatory(store, create=False) as obs:
        topics = list_topics(obs.store, _date(as_of))
        mapped = map_topics(topics["topics"], embedder=default_embedder(obs.settings.embed_model))
    rows = [{"topic_id": t["id"], "label": t["label"], "size": t["size"], "directions": m["directions"],
             "fields": [f["field"] for f in m["fields"]], "confidence": m["confidence"], "reason": m["reason"],
             "products": [p["product"] for p in m["products"]]} for t, m in zip(topics["topics"], mapped)]
    if as_json:
        typer.echo(json.dumps({"as_of": topics["as_of"], "topics": rows}, ensure_ascii=False, indent=1))
        return
    code = "zh" if lang() == "zh" else "en"
    for r in rows:
        typer.echo(f"{r['topic_id']}  {','.join(r['directions']):<24} {r['confidence']:.2f}  {r['label']}  — {r['reason'][code]}")
