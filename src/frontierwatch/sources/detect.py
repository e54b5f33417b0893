"""Format detection and directory walking for `frontierwatch ingest`.

Each format registers a strict `sniff(path, head)` and a streaming `read(path)`. A file named on the command line
whose format nobody recognises is an error (never a guess); inside a walked directory such files are listed as
skipped with the reason, so a README or a licence next to the data does no harm.
"""
from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from frontierwatch.errors import InputError
from frontierwatch.sources.lines import open_binary

log = logging.getLogger(__name__)
HEAD_BYTES = 65536


@dataclass(frozen=True)
class Format:
    """A source format: `name` as given to ``--source``, and the module holding its sniff and read functions.
    `bulk`: a module with ``parse_sql`` and ``parse_line`` for the bulk path of JSON lines (`sources.bulk`)."""

    name: str
    module: str
    reader: str
    sniffer: str
    bulk: str | None = None

    def read(self, path: Path) -> Iterator:
        return getattr(importlib.import_module(self.module), self.reader)(path)

    def sniff(self, path: Path, head: bytes) -> bool:
        try:
            fn: Callable = getattr(importlib.import_module(self.module), self.sniffer)
        except (ImportError, AttributeError):
            return False
        try:
            return bool(fn(path, head))
        except Exception:  # a sniffer must never break detection of other formats
            log.debug("sniffer %s failed on %s", self.name, path, exc_info=True)
            return False


_P = "frontierwatch.sources."
FORMATS: list[Format] = [
    Format("arxiv", _P + "arxiv", "read_arxiv", "sniff_arxiv", bulk=_P + "arxiv_bulk"),
    Format("arxiv-oai", _P + "arxiv_feeds", "read_arxiv_oai", "sniff_arxiv_oai"),
    Format("arxiv-atom", _P + "arxiv_feeds", "read_arxiv_atom", "sniff_arxiv_atom"),
    Format("pubmed", _P + "pubmed", "read_pubmed", "sniff_pubmed"),
    Format("openalex", _P + "openalex", "read_openalex", "sniff_openalex"),
    Format("uspto", _P + "uspto", "read_uspto", "sniff_uspto"),
    Format("patentsview", _P + "patentsview", "read_patentsview", "sniff_patentsview"),
    Format("wos", _P + "wos", "read_wos", "sniff_wos"),
    Format("ris", _P + "ris", "read_ris", "sniff_ris"),
    Format("bibtex", _P + "bibtex", "read_bibtex", "sniff_bibtex"),
    Format("cnki", _P + "cnki", "read_cnki", "sniff_cnki"),
    Format("csl", _P + "csl", "read_csl", "sniff_csl"),
    Format("scopus", _P + "tabular", "read_scopus", "sniff_scopus"),
    Format("table", _P + "tabular", "read_table", "sniff_table"),
]


def format_names() -> list[str]:
    return [f.name for f in FORMATS]


def get_format(name: str) -> Format:
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    raise InputError(
        f"unknown source '{name}'; choose one of: auto, {', '.join(format_names())}",
        f"未知的数据源 '{name}'；可选：auto, {', '.join(format_names())}",
    )


def read_head(path: Path) -> bytes:
    try:
        with open_binary(path) as fh:
            return fh.read(HEAD_BYTES)
    except (OSError, EOFError):
        with open(path, "rb") as fh:  # a broken gzip still has a readable start
            return fh.read(HEAD_BYTES)


def detect(path: Path) -> Format | None:
    """The first registered format whose sniffer accepts `path`, else None."""
    head = read_head(path)
    for fmt in FORMATS:
        if fmt.sniff(path, head):
            return fmt
    return None


def skip_reason(path: Path) -> str:
    """Why a file no format accepts is not read: a known-but-unsupported format, a non-work OpenAlex file, or no data."""
    head = read_head(path)
    from frontierwatch.sources import openalex, uspto

    reason = uspto.unsupported_reason(path, head)
    if reason:
        return reason
    kind = openalex.openalex_entity_kind(path, head)
    if kind and kind != "works":
        return f"OpenAlex {kind} file, not works"
    return "not a recognised data format"


def plan_files(paths: list[Path], source: str = "auto") -> tuple[list[tuple[Path, Format]], list[tuple[Path, str]]]:
    """Resolve command-line paths into ``(file, format)`` pairs and ``(file, reason)`` skips.

    Directories are walked in sorted order; hidden files are ignored.
    """
    chosen = None if source == "auto" else get_format(source)
    plan: list[tuple[Path, Format]] = []
    skipped: list[tuple[Path, str]] = []
    for given in paths:
        if not given.exists():
            raise InputError(f"no such file or directory: {given}", f"文件或目录不存在：{given}")
        if given.is_dir():
            for file in sorted(p for p in given.rglob("*") if p.is_file()):
                if any(part.startswith(".") for part in file.relative_to(given).parts):
                    continue
                fmt = chosen or detect(file)
                if fmt is None:
                    skipped.append((file, skip_reason(file)))
                else:
                    plan.append((file, fmt))
            continue
        fmt = chosen or detect(given)
        if fmt is None:
            why = skip_reason(given)
            raise InputError(
                f"{given}: unrecognised format ({why}); name it with --source ({', '.join(format_names())})",
                f"{given}：无法识别的格式（{why}）；请用 --source 指定（{', '.join(format_names())}）",
            )
        plan.append((given, fmt))
    return plan, skipped
