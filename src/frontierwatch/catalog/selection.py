"""The catalog's published selection rule: which topics an edition promotes, which it only watches, and which
risers outside the six directions it points out (issue 10, item 1).

The rule rests on the scores the backtest validates — the stored forecast (``topic_forecasts``, read through
`catalog.inputs.topic_forecasts`) — and on the lifecycle stage and the two axes (``topic_axes``):

* **candidate**: a topic of the six directions (under its best-mapped field) with at least ``min_size`` documents;
* **promoted** when its forecast is published for it (``eligible``, a probability), its probability is at least
  ``min_probability`` *and* among the top ``top_share`` of the map's published probabilities, its stage is not
  ``declining``, and breakthrough and industrialisation are not both missing. Promoted topics rank by the
  published probability (ties: breakthrough, then industrialisation, then topic id); a field lists at most
  ``max_per_field`` of them and may list none — no slot is padded;
* **watch / cooling** (never promoted): entries of the previous edition that are now declining or below the bar,
  and large candidates (the top ``watch_size_share`` by size) that are declining or below the bar; at most
  ``watch_limit``;
* **outside risers**: topics placed outside the six directions (candidates for the next taxonomy version) that are
  not declining, by published probability; at most ``outside_limit``.

When the map has no published forecast (too little history, e.g. a tiny store) the edition falls back to the axes
rule — non-declining candidates with an axis, by the mean of the axes, at most ``max_per_field`` per field — and
says so in its text (``rule == "axes_fallback"``), never silently.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from frontierwatch.catalog.taxonomy import OUTSIDE

DECLINING = "declining"


@dataclass(frozen=True)
class SelectionParams:
    """The rule's published parameters (recorded in the edition's ``parameters["selection"]``)."""

    max_per_field: int = 3
    min_size: int = 10
    min_probability: float = 0.10
    top_share: float = 0.50
    watch_size_share: float = 0.10
    watch_limit: int = 12
    outside_limit: int = 8

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Selection:
    """What the rule chose: ``chosen`` (field key, topic) in publication order, the watch and outside lists (topic
    dicts with ``reason``), the fields with no entry, and the rule's record (``rule``, ``bar``, ``text``)."""

    chosen: list[tuple[str, dict]]
    watch: list[dict] = field(default_factory=list)
    outside: list[dict] = field(default_factory=list)
    empty_fields: list[str] = field(default_factory=list)
    record: dict = field(default_factory=dict)


def mean_axes(axes: dict | None) -> float | None:
    """Mean of the breakthrough and industrialisation scores that exist (None when both are missing)."""
    vals = [axes[k] for k in ("breakthrough", "industrialisation") if axes and axes.get(k) is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def published_probability(fc: dict | None) -> float | None:
    """The probability the forecast stage published for a topic, or None (no row, not eligible, no number)."""
    if not fc or fc.get("eligible") is False or fc.get("probability") is None:
        return None
    return float(fc["probability"])


def probability_bar(forecasts: dict[str, dict], params: SelectionParams) -> float | None:
    """The probability a topic must reach: ``min_probability`` or the top-``top_share`` cut of the map's published
    probabilities, whichever is higher; None when the map has no published forecast."""
    probs = sorted((p for p in map(published_probability, forecasts.values()) if p is not None), reverse=True)
    if not probs:
        return None
    k = max(1, int(round(params.top_share * len(probs))))
    return max(params.min_probability, probs[k - 1])


def _order(t: dict, axes: dict, forecasts: dict) -> tuple:
    a = axes.get(t["id"]) or {}
    neg = lambda v: -v if v is not None else 1.0  # noqa: E731  missing sorts last
    return (neg(published_probability(forecasts.get(t["id"]))), neg(a.get("breakthrough")),
            neg(a.get("industrialisation")), t["id"])


def select(topics: list[dict], mapped: dict[str, dict], axes: dict[str, dict], forecasts: dict[str, dict],
           field_keys: list[str], params: SelectionParams, previous_ids: set[str] | None = None) -> Selection:
    """Apply the rule to the map's `topics` (``{"id", "size", ...}``) with their `mapped` directions, `axes`
    (``stage``, ``breakthrough``, ``industrialisation``) and published `forecasts`; `previous_ids` are the entries
    of the previous edition. Pure: the same inputs give the same selection."""
    previous_ids = previous_ids or set()
    bar = probability_bar(forecasts, params)
    by_field: dict[str, list[dict]] = {}
    outside: list[dict] = []
    for t in topics:
        m = mapped[t["id"]]
        if t["size"] < params.min_size:
            continue
        if m["directions"] == [OUTSIDE]:
            outside.append(t)
        else:
            by_field.setdefault(m["fields"][0]["field"], []).append(t)

    def stage(t):
        return (axes.get(t["id"]) or {}).get("stage")

    def has_axis(t):
        return mean_axes(axes.get(t["id"])) is not None

    def clears(t):
        p = published_probability(forecasts.get(t["id"]))
        return p is not None and p >= bar and stage(t) != DECLINING and has_axis(t)

    chosen: list[tuple[str, dict]] = []
    if bar is not None:
        rule = "forecast"
        for key in field_keys:
            ranked = sorted((t for t in by_field.get(key, []) if clears(t)), key=lambda t: _order(t, axes, forecasts))
            chosen += [(key, t) for t in ranked[: params.max_per_field]]
        chosen.sort(key=lambda kt: _order(kt[1], axes, forecasts))
    else:
        rule = "axes_fallback"
        for key in field_keys:
            ranked = sorted((t for t in by_field.get(key, []) if stage(t) != DECLINING and has_axis(t)),
                            key=lambda t: (-mean_axes(axes.get(t["id"])), -t["size"], t["id"]))
            chosen += [(key, t) for t in ranked[: params.max_per_field]]
        chosen.sort(key=lambda kt: (-mean_axes(axes.get(kt[1]["id"])), -kt[1]["size"], kt[1]["id"]))
    promoted = {t["id"] for _, t in chosen}
    empty = [k for k in field_keys if not any(key == k for key, _ in chosen)]

    candidates = [t for ts in by_field.values() for t in ts]
    sizes = sorted((t["size"] for t in candidates), reverse=True)
    big = sizes[max(0, int(round(params.watch_size_share * len(sizes))) - 1)] if sizes else None
    watch = []
    for t in candidates:
        if t["id"] in promoted:
            continue
        declining = stage(t) == DECLINING
        below = bar is not None and not clears(t)
        if not (declining or below):
            continue
        if t["id"] in previous_ids:
            reason = "previous_declining" if declining else "previous_below_bar"
        elif big is not None and t["size"] >= big:
            reason = "large_declining" if declining else "large_below_bar"
        else:
            continue
        watch.append(t | {"reason": reason})
    watch.sort(key=lambda t: (not t["reason"].startswith("previous"), -t["size"], t["id"]))

    risers = [t for t in outside if stage(t) != DECLINING and t["id"] not in promoted]
    if bar is not None:
        risers = [t for t in risers if published_probability(forecasts.get(t["id"])) is not None]
        risers.sort(key=lambda t: _order(t, axes, forecasts))
    else:
        risers = [t for t in risers if has_axis(t)]
        risers.sort(key=lambda t: (-mean_axes(axes.get(t["id"])), -t["size"], t["id"]))
    record = {"rule": rule, "bar": bar, "n_published_forecasts":
              sum(1 for f in forecasts.values() if published_probability(f) is not None),
              "text": rule_text(rule, bar, params)}
    return Selection(chosen=chosen, watch=watch[: params.watch_limit], outside=risers[: params.outside_limit],
                     empty_fields=empty, record=record)


def rule_text(rule: str, bar: float | None, p: SelectionParams) -> dict[str, str]:
    """The rule in words, zh and en, with its numbers (every format prints it)."""
    share = f"{100 * p.top_share:.0f}%"
    if rule == "forecast":
        return {
            "en": (f"A technology is promoted when the forecast published for its topic gives a probability of extreme "
                   f"growth within 3 years of at least {bar:.2f} — the higher of {p.min_probability:.2f} and the cut of "
                   f"the top {share} of the map's published probabilities — its lifecycle stage is not declining, at "
                   f"least one of breakthrough and industrialisation is measured, and it has at least {p.min_size} "
                   f"documents. Promoted technologies are ranked by that probability (ties: breakthrough, then "
                   f"industrialisation); a field lists at most {p.max_per_field} and may list none. Declining or "
                   f"below-bar topics that were entries of the previous edition, or are among the largest "
                   f"{100 * p.watch_size_share:.0f}% of candidates, go to the watch list, never among the entries. "
                   f"Risers outside the six directions are listed by the same probability."),
            "zh": (f"入选条件：该主题已发布的增长预测给出的3年内极端增长概率不低于{bar:.2f}（取{p.min_probability:.2f}"
                   f"与本图谱已发布概率前{share}分位两者中的较高者），生命周期不处于衰退期，突破性与产业化潜力至少有一项"
                   f"有测度，且文献不少于{p.min_size}篇。入选技术按该概率排序（概率相同时依次比较突破性、产业化潜力）；"
                   f"每个领域最多{p.max_per_field}项，也可以没有。上一版入选但已衰退或低于门槛的主题，以及候选中规模最大的"
                   f"{100 * p.watch_size_share:.0f}%里衰退或低于门槛的主题，列入观察名单，不列为入选技术。六大方向以外的"
                   f"上升主题按同一概率列出。"),
        }
    return {
        "en": (f"No growth forecast is published for this topic map (too little history in the store), so this "
               f"edition falls back to the axes rule: non-declining topics with at least {p.min_size} documents and "
               f"at least one measured axis, ranked by the mean of breakthrough and industrialisation, at most "
               f"{p.max_per_field} per field. This selection is not validated by a backtest."),
        "zh": (f"本主题图谱没有已发布的增长预测（库中历史数据不足），本版改用两轴规则：文献不少于{p.min_size}篇、"
               f"不处于衰退期且至少有一项轴得分的主题，按突破性与产业化潜力的平均值排序，每个领域最多{p.max_per_field}项。"
               f"此选择未经回测验证。"),
    }
