"""The backtest as a self-contained bilingual HTML page: tables and inline SVG, no script, no external file.

It is the seed of the "how good are our calls" page: what was predicted, against which baselines, on which
label, with the uncertainty (bootstrap interval, seeds) in plain view.
"""
from __future__ import annotations

import html
import math
from pathlib import Path

__all__ = ["write_report", "render_report"]

_NAMES = {
    "frontierwatch": ("frontierwatch forecaster", "本系统预测模型"),
    "momentum": ("momentum: share(T)/share(T−2)", "动量：两年份额比"),
    "growth1": ("one-year growth", "一年增长"),
    "volume": ("volume: documents in T", "规模：当年文献数"),
    "recency": ("recency: mean document year", "新近度：平均文献年份"),
    "burst": ("Kleinberg burst weight", "Kleinberg 突发权重"),
    "escore": ("Porter/Carley EScore", "Porter/Carley 涌现得分"),
    "random": ("random", "随机"),
}
_CSS = """body{font-family:system-ui,"Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;margin:2em auto;max-width:980px;
color:#1d2430}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccd;padding:.3em .6em;text-align:right}
th{background:#eef1f6}td:first-child,th:first-child{text-align:left}.best{font-weight:bold;background:#e6f4ea}
.muted{color:#667}h2{margin-top:1.6em}"""


def _f(x, digits: int = 3) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def _summary_table(data: dict) -> str:
    summary = data["summary"]
    best = max((m for m in summary if m != "frontierwatch"), key=lambda m: summary[m]["mean_ap"], default=None)
    rows = []
    for m, s in sorted(summary.items(), key=lambda kv: -kv[1]["mean_ap"]):
        en, zh = _NAMES.get(m, (m, m))
        cls = ' class="best"' if m in ("frontierwatch", best) else ""
        rows.append(f"<tr{cls}><td>{html.escape(en)}<br><span class=muted>{zh}</span></td><td>{_f(s['mean_ap'])}</td>"
                    f"<td>{_f(s.get('lift'), 1)}×</td><td>{_f(s['mean_p_at_20'])}</td><td>{_f(s['mean_p_at_50'])}</td>"
                    f"<td>{_f(s['mean_spearman'])}</td><td>{_f(s.get('mean_f1'))}</td></tr>")
    return ("<table><tr><th>method 方法</th><th>Average precision 平均精度</th><th>lift 提升</th><th>p@20</th>"
            "<th>p@50</th><th>Spearman</th><th>F1</th></tr>" + "".join(rows) + "</table>")


def _cutoff_table(data: dict) -> str:
    rows = []
    for r in data["results"]:
        fw = r["methods"].get("frontierwatch")
        best = max((m for m in r["methods"] if m != "frontierwatch"), key=lambda m: r["methods"][m]["ap"]
                   if not math.isnan(r["methods"][m]["ap"] or math.nan) else -1)
        ap = (f"{_f(fw['ap'])} [{_f(fw['ap_ci'][0], 2)}, {_f(fw['ap_ci'][1], 2)}]" if fw else
              "not trained: too little history 历史不足，未训练")
        rows.append(f"<tr><td>{r['cutoff']}</td><td>{r['seed']}</td><td>{r['n_eligible']}</td><td>{r['n_positive']}</td>"
                    f"<td>{_f(r['positive_rate'])}</td><td>{ap}</td>"
                    f"<td>{html.escape(best)} {_f(r['methods'][best]['ap'])}</td><td>{_f((fw or {}).get('p_at_50'))}</td>"
                    f"<td>{_f((fw or {}).get('f1'))}</td><td>{_f((fw or {}).get('brier'))}</td>"
                    f"<td>{len(r.get('train_cutoffs', []))}</td></tr>")
    return ("<table><tr><th>cutoff 截止年</th><th>seed 种子</th><th>eligible 合格主题</th><th>positive 正例</th>"
            "<th>rate 正例率</th><th>AP [90% CI]</th><th>best baseline 最佳基线</th><th>p@50</th><th>F1</th>"
            "<th>Brier</th><th>training maps 训练图数</th></tr>" + "".join(rows) + "</table>")


def _calibration(data: dict) -> str:
    """Reliability table of the published probabilities (pooled over cutoffs and seeds) and the Brier score."""
    cal = data.get("calibration") or {}
    if not cal.get("reliability"):
        return "<p class=muted>no trained cutoff: no calibration to show 无已训练的截止年，无校准结果</p>"
    rows = "".join(f"<tr><td>{_f(b['predicted'])}</td><td>{_f(b['observed'])}</td><td>{b['n']}</td></tr>"
                   for b in cal["reliability"])
    return (f"<p>Brier score 布里尔分数 {_f(cal['brier'], 4)} (base rate alone 仅用正例率 {_f(cal['brier_base_rate'], 4)}), "
            f"{cal['n']} topics 个主题, {cal['positives']} extreme growers 个极速增长.</p>"
            "<table><tr><th>mean predicted 平均预测概率</th><th>observed rate 实际比例</th><th>topics 主题数</th></tr>"
            + rows + "</table>")


def _ap_chart(data: dict, width: int = 900, height: int = 260) -> str:
    """Mean AP per method per cutoff as grouped bars (inline SVG)."""
    cutoffs = data["cutoffs"]
    methods = [m for m in _NAMES if m in data["summary"]]
    colours = ["#c0392b", "#2e86c1", "#27ae60", "#8e44ad", "#d68910", "#16a085", "#7f8c8d", "#bdc3c7"]
    group_w = (width - 60) / max(len(cutoffs), 1)
    bar_w = group_w / (len(methods) + 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 60}" role="img" '
             f'aria-label="average precision by cutoff">']
    for i in range(0, 11, 2):
        y = height - i / 10 * height + 10
        parts.append(f'<line x1="40" x2="{width}" y1="{y}" y2="{y}" stroke="#eee"/>'
                     f'<text x="5" y="{y + 4}" font-size="11">{i / 10:.1f}</text>')
    for ci, c in enumerate(cutoffs):
        rows = [r for r in data["results"] if r["cutoff"] == c]
        for mi, m in enumerate(methods):
            vals = [r["methods"][m]["ap"] for r in rows if not math.isnan(r["methods"][m]["ap"])]
            v = sum(vals) / len(vals) if vals else 0.0
            x = 45 + ci * group_w + mi * bar_w
            h = v * height
            parts.append(f'<rect x="{x:.1f}" y="{height + 10 - h:.1f}" width="{bar_w * 0.9:.1f}" height="{h:.1f}" '
                         f'fill="{colours[mi % len(colours)]}"><title>{m} {c}: {v:.3f}</title></rect>')
        parts.append(f'<text x="{45 + ci * group_w + group_w / 2 - 15:.1f}" y="{height + 28}" font-size="12">{c}</text>')
    for mi, m in enumerate(methods):
        x = 45 + mi * 110
        parts.append(f'<rect x="{x}" y="{height + 40}" width="10" height="10" fill="{colours[mi % len(colours)]}"/>'
                     f'<text x="{x + 14}" y="{height + 49}" font-size="11">{m}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_report(data: dict) -> str:
    """The HTML page for a `run_backtest` result."""
    h = data["horizon"]
    fw = data["summary"].get("frontierwatch", {})
    rate = sum(r["positive_rate"] for r in data["results"]) / max(len(data["results"]), 1)
    intro_en = (f"For each cutoff year T the topic map is rebuilt from documents up to T; a topic is a success when its "
                f"share of all documents grows at least 8% a year beyond its best share so far, by T+{h} "
                f"(label {html.escape(data['label'])}). Topics with at least {data['min_docs']} documents in T are "
                f"scored. The forecaster learns only from earlier cutoffs whose outcome was already known at T.")
    intro_zh = (f"对每个截止年 T，仅用 T 年及以前的文献重建主题图；若某主题在 T+{h} 年的文献份额相对其以往最高份额"
                f"每年增长至少 8%，即记为“极速增长”。T 年文献数不少于 {data['min_docs']} 篇的主题参与评估。"
                f"预测模型只使用在 T 年时结果已知的更早截止年进行训练。")
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>frontierwatch backtest · 回测报告</title><style>{_CSS}</style></head><body>
<h1>How good are our calls? <span class=muted>· 我们的预测有多准？</span></h1>
<p>{intro_en}</p><p lang="zh">{intro_zh}</p>
<p><b>Average precision 平均精度</b> (frontierwatch): {_f(fw.get('mean_ap'))} — positive rate 正例率 {_f(rate)},
lift over random 相对随机提升 {_f(fw.get('lift'), 1)}×; precision@50: {_f(fw.get('mean_p_at_50'))};
F1 of the published yes/no threshold 发布阈值的 F1: {_f(fw.get('mean_f1'))}.
<span class=muted>{data['n_documents']:,} documents 篇文献, {data['years'][0]}–{data['years'][1]};
cutoffs 截止年 {', '.join(map(str, data['cutoffs']))}; seeds 种子 {', '.join(map(str, data['seeds']))};
horizon 预测期 {h} years 年; {_f(data.get('wall_seconds'), 0)} s.</span></p>
<h2>Methods, averaged over cutoffs and seeds · 各方法平均表现</h2>{_summary_table(data)}
<h2>Average precision by cutoff · 各截止年的平均精度</h2>{_ap_chart(data)}
<h2>Every cutoff and seed · 每个截止年与种子</h2>{_cutoff_table(data)}
<h2>Are the probabilities right? · 概率是否可靠</h2>{_calibration(data)}
<p class=muted>AP: area under the precision–recall curve of the ranking; 90% CI from 1,000 bootstrap resamples of the
topics. p@k: share of true extreme growers among the k top-ranked topics. Spearman: rank correlation with
ln(share(T+h)/share(T)). 平均精度为排序的精度-召回曲线下面积，置信区间由主题自助重抽样得到；p@k 为排名前 k 个主题中
真正极速增长者的比例；Spearman 为与份额对数比的秩相关。</p></body></html>"""


def write_report(data: dict, path: str | Path) -> Path:
    """Write `render_report(data)` to `path` (UTF-8) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(data), encoding="utf-8")
    return path
