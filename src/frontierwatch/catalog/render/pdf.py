"""PDF rendering through WeasyPrint from the same HTML as `render_html`.

WeasyPrint needs Debian's Pango (libpango-1.0-0, libpangoft2-1.0-0, libharfbuzz-subset0) and, for Chinese, a CJK
font: the CSS asks for "WenQuanYi Zen Hei" (Debian fonts-wqy-zenhei); `make system-deps` installs them.
"""
from __future__ import annotations

from frontierwatch.catalog.edition import Edition
from frontierwatch.errors import InputError


def render_pdf(model: Edition, lang: str) -> bytes:
    """The edition as PDF bytes (A4, page numbers, CJK font)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise InputError(
            f"PDF output needs WeasyPrint and its Debian libraries ({exc}); run 'make system-deps' and "
            "'pip install weasyprint', or choose --format html",
            f"PDF 输出需要 WeasyPrint 及其系统库（{exc}）；请运行 'make system-deps' 与 'pip install weasyprint'，"
            "或改用 --format html") from None
    from frontierwatch.catalog.render.html import render_html

    return HTML(string=render_html(model, lang)).write_pdf()
