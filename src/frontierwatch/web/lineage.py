"""The topic page's lineage: how the topic came from the topics of the earlier map and what it became in the later
one, in words of the page language, each step with the overlap it rests on and links to the other maps' topics.

Reads the ``lineage`` rows of `Observatory.topic` (``topics.queries.topic_detail``), which run forward in time: each
row joins a topic of a map (``topic_id``, ``as_of``) to a topic of the nearest earlier map (``prev_topic_id``,
``prev_as_of``).
"""
from __future__ import annotations

# (zh, en) sentences: {other} is the other topic (a link), {this} this topic's id
_FROM = {  # rows whose later side is this topic: how it came about
    "continues": ("延续自 {other}", "continues {other}"),
    "split": ("从 {other} 分化而来", "split off {other}"),
    "merge": ("并入了 {other}", "absorbed {other}"),
    "born": ("新出现（上一张主题图中没有对应主题）", "new (no matching topic in the earlier map)"),
}
_INTO = {  # rows whose earlier side is this topic: what it became
    "continues": ("延续为 {other}", "continues as {other}"),
    "split": ("分化出 {other}", "split into {other}"),
    "merge": ("并入 {other}", "merged into {other}"),
    "died": ("此后消失（下一张主题图中没有对应主题）", "ended (no matching topic in the later map)"),
}


def lineage_rows(rows: list[dict] | None, topic_id: str, as_of: str | None, lang: str) -> list[dict]:
    """One line per lineage step of topic `topic_id` seen from the page's map (as of `as_of`), oldest first:
    ``{"from_as_of", "to_as_of", "text"`` (with ``{other}`` where the template puts the link), ``"other": {"id",
    "name", "as_of"} | None, "jaccard", "shared_docs"}``. A step up to the page's map says how the topic came about
    (from the earlier map's topic); a step after it says what the topic became in the later map. The other topic
    is shown by its name in `lang` (names stage), its keyword label only where its map is not named."""
    out = []
    i = 0 if lang == "zh" else 1
    for r in rows or []:
        upto = as_of is None or (r.get("as_of") or "") <= as_of
        if r.get("topic_id") == topic_id and upto and r.get("event") in _FROM:
            other, other_name, other_label, other_as_of = (r.get("prev_topic_id"), r.get("prev_name"),
                                                           r.get("prev_label"), r.get("prev_as_of"))
            text = _FROM[r["event"]][i]
        elif r.get("prev_topic_id") == topic_id and not upto and r.get("event") in _INTO:
            other, other_name, other_label, other_as_of = r.get("topic_id"), r.get("name"), r.get("label"), r.get("as_of")
            text = _INTO[r["event"]][i]
        else:
            continue
        from frontierwatch.web.views import topic_name  # (views imports this module)

        shown = topic_name(other_name, lang, other_label or other)  # (the page shows the id beside it)
        out.append({"from_as_of": r.get("prev_as_of"), "to_as_of": r.get("as_of"), "text": text,
                    "other": {"id": other, "name": shown, "as_of": other_as_of} if other else None,
                    "jaccard": r.get("jaccard"), "shared_docs": r.get("shared_docs")})
    out.sort(key=lambda x: (x["to_as_of"] or "", x["from_as_of"] or ""))
    return out
