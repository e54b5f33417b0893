"""Renderers of an `Edition`: html (inline SVG charts), pdf (WeasyPrint, from the same HTML), xlsx (openpyxl),
json and md — all from the one model, so the formats cannot disagree."""
from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path

from frontierwatch.catalog.edition import Edition
from frontierwatch.errors import InputError

log = logging.getLogger(__name__)

FORMATS = ("html", "pdf", "xlsx", "json", "md")


def render_edition(model: Edition, fmt: str, lang: str) -> bytes:
    """The edition in format `fmt` and language `lang`, as bytes."""
    if lang not in ("zh", "en"):
        raise InputError(f"--lang {lang!r} is not zh or en", f"--lang {lang!r} 应为 zh 或 en")
    if fmt == "json":
        return json.dumps(model.to_json(lang), ensure_ascii=False, indent=1).encode("utf-8")
    if fmt == "html":
        from frontierwatch.catalog.render.html import render_html
        return render_html(model, lang).encode("utf-8")
    if fmt == "md":
        from frontierwatch.catalog.render.html import render_markdown
        return render_markdown(model, lang).encode("utf-8")
    if fmt == "pdf":
        from frontierwatch.catalog.render.pdf import render_pdf
        return render_pdf(model, lang)
    if fmt == "xlsx":
        from frontierwatch.catalog.render.xlsx import render_xlsx
        return render_xlsx(model, lang)
    raise InputError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}", f"--format {fmt!r} 应为 {', '.join(FORMATS)} 之一")


def write_edition(model: Edition, fmt: str, lang: str, out: str | Path) -> Path:
    """Render and write the edition to `out`; returns the path."""
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_edition(model, fmt, lang))
    log.info("wrote %s edition %s (%s) to %s", fmt, model.edition, lang, path)
    return path


@cache
def renderable_formats() -> tuple[str, ...]:
    """Edition formats this installation can render (pdf needs WeasyPrint and its system libraries)."""
    out = []
    for fmt in FORMATS:
        try:
            if fmt == "pdf":
                import weasyprint  # noqa: F401
            elif fmt == "xlsx":
                import openpyxl  # noqa: F401
        except (ImportError, OSError) as exc:
            log.info("edition format %s not available: %s", fmt, exc)
            continue
        out.append(fmt)
    return tuple(out)


__all__ = ["FORMATS", "render_edition", "renderable_formats", "write_edition"]
