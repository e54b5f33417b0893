"""Inline SVG growth chart of a topic: documents per year as bars (no JavaScript, so it prints in PDF too)."""
from __future__ import annotations

from html import escape


def growth_chart(counts_by_year: dict[str, int], *, width: int = 220, height: int = 70, title: str = "") -> str:
    """An SVG bar chart of ``{"2014": n, ...}``; years without documents are drawn as empty slots.

    >>> growth_chart({"2016": 3, "2017": 5}).startswith("<svg")
    True
    """
    if not counts_by_year:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">'
                f'<text x="4" y="{height // 2}" font-size="9" fill="#888">{escape(title)} —</text></svg>')
    years = list(range(min(map(int, counts_by_year)), max(map(int, counts_by_year)) + 1))
    values = [int(counts_by_year.get(str(y), 0)) for y in years]
    top = max(values) or 1
    pad_l, pad_b, pad_t = 22, 12, 8
    plot_w, plot_h = width - pad_l - 4, height - pad_b - pad_t
    bar = plot_w / len(years)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{escape(title)}">',
             f'<line x1="{pad_l}" y1="{pad_t + plot_h}" x2="{width - 4}" y2="{pad_t + plot_h}" stroke="#999" stroke-width="0.5"/>',
             f'<text x="{pad_l - 2}" y="{pad_t + 4}" font-size="7" text-anchor="end" fill="#555">{top}</text>',
             f'<text x="{pad_l - 2}" y="{pad_t + plot_h}" font-size="7" text-anchor="end" fill="#555">0</text>']
    for i, (y, v) in enumerate(zip(years, values)):
        h = plot_h * v / top
        x = pad_l + i * bar + bar * 0.15
        parts.append(f'<rect x="{x:.1f}" y="{pad_t + plot_h - h:.1f}" width="{bar * 0.7:.1f}" height="{h:.1f}" '
                     f'fill="#2b6cb0"><title>{y}: {v}</title></rect>')
        if i == 0 or i == len(years) - 1 or len(years) <= 6:
            parts.append(f'<text x="{x + bar * 0.35:.1f}" y="{height - 2}" font-size="7" text-anchor="middle" '
                         f'fill="#555">{y}</text>')
    parts.append("</svg>")
    return "".join(parts)
