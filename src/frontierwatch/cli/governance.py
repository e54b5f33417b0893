"""`governance` commands: export the register and audit log, check the audit chain, list risk-flagged topics.

Like `admin create`, these open the store directly, so stop `serve` first (or use the web API, which offers the
same export to governance reviewers).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from frontierwatch.cli.common import StoreOpt, errors_to_exit, lang, open_observatory
from frontierwatch.errors import InputError


def export_command(
    out: Annotated[Path, typer.Option("--out", help="File to write (.json or .xlsx).")],
    format: Annotated[str, typer.Option("--format", help="json or xlsx.")] = "xlsx",
    store: StoreOpt = None,
) -> None:
    """Export the governance register and the audit log (for a regulator). / 导出治理登记簿与审计日志。"""
    from frontierwatch.risk import Governance

    with errors_to_exit():
        if format not in ("json", "xlsx"):
            raise InputError(f"--format {format!r} must be json or xlsx", f"--format {format!r} 须为 json 或 xlsx")
        with open_observatory(store) as obs:
            body = Governance(obs.store).export_for_operator(format)
        out.write_bytes(body)
    typer.echo(f"已写出 {out}" if lang() == "zh" else f"wrote {out}")


def verify_command(store: StoreOpt = None) -> None:
    """Check the audit log's hash chain (exit 1 when a row was altered or removed). / 校验审计日志哈希链。"""
    from frontierwatch.risk import Governance

    with errors_to_exit():
        with open_observatory(store) as obs:
            chain = Governance(obs.store).verify_audit()
    zh = lang() == "zh"
    if chain["ok"]:
        typer.echo(f"审计链完整：{chain['rows']} 行" if zh else f"audit chain intact: {chain['rows']} rows")
        return
    typer.echo(f"审计链在第 {chain['first_broken']} 行断裂" if zh else f"audit chain broken at row {chain['first_broken']}")
    raise typer.Exit(1)


def flags_command(
    as_of: Annotated[str | None, typer.Option("--as-of", help="Topic map date YYYY-MM-DD (default: latest).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    store: StoreOpt = None,
) -> None:
    """Risk flags of every topic of a map (taxonomy terms with context and exclusions). / 列出各主题的风险提示。"""
    with errors_to_exit():
        with open_observatory(store) as obs:
            got = obs.risk_flags(as_of=as_of)
    if as_json:
        typer.echo(json.dumps(got, ensure_ascii=False, indent=1))
        return
    zh = lang() == "zh"
    for t in got["topics"]:
        names = ", ".join(f"{f['name']['zh' if zh else 'en']} ({f['n_documents']}, {f['share']:.0%})" for f in t["flags"])
        typer.echo(f"{t['id']}  {t['label'][:60]:60s}  {names}")
    typer.echo((f"{len(got['topics'])} 个主题有风险提示，共 {got['n_topics']} 个（{got['taxonomy']['file']} 第 {got['taxonomy']['version']} 版）"
                if zh else f"{len(got['topics'])} of {got['n_topics']} topics flagged "
                f"({got['taxonomy']['file']} v{got['taxonomy']['version']})"))


__all__ = ["export_command", "flags_command", "verify_command"]
