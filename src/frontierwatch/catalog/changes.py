"""What changed between two editions of the catalog (issue 16 item 4): entries continued, split, merged, new or
dropped, followed along the topic lineage between the editions' maps (`topics.lineage`), not by topic id alone — a
subject re-numbered or split on a new map is not "dropped" and "new"."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from frontierwatch.catalog.messages import bilingual
from frontierwatch.store import Store

if TYPE_CHECKING:
    from frontierwatch.catalog.edition import Edition

__all__ = ["CHANGE_KINDS", "diff_editions", "edition_lineage"]

CHANGE_KINDS = ("continued", "split", "merged", "new", "dropped")


def diff_editions(previous: Edition | None, current: Edition, links: dict[str, set[str]] | None = None) -> dict:
    """Changes from `previous` to `current`, following the topic lineage between their maps.

    `links` is ``{topic of the current map: {topics of the previous edition's map it descends from}}``
    (`topics.lineage.lineage_links`; None: ids alone, as when the maps do not chain). An entry is ``continued`` when
    its topic (or its only ancestor, re-labelled or re-numbered) was listed before; ``split`` when it descends from a
    listed topic that became several; ``merged`` when it descends from several topics, one of them listed;
    ``new`` otherwise. A listed topic none of whose descendants is listed is ``dropped``.

    Returns ``{"previous": {"edition", "as_of"} | None, "continued", "split", "merged", "new", "dropped", "risen",
    "fallen", "note", "followed_lineage"}``; each item ``{"topic_id", "label", "name", "field", "rank",
    "previous_rank", "from": [{"topic_id", "label", "name", "previous_rank"}]}`` with overall ranks (``risen`` and
    ``fallen``: the continued entries that moved)."""
    empty = {k: [] for k in CHANGE_KINDS + ("risen", "fallen")}
    if previous is None:
        return {"previous": None, **empty, "note": bilingual("no_previous_edition"), "followed_lineage": False}
    before = {e["topic_id"]: e for e in previous.entries}
    after = {e["topic_id"]: e for e in current.entries}
    parents_of = links or {}
    children_of: dict[str, set[str]] = {}
    for child, parents in parents_of.items():
        for p in parents:
            children_of.setdefault(p, set()).add(child)

    def item(e, prev=None, cur=None, origins=()):
        return {"topic_id": e["topic_id"], "label": e["label"], "name": e.get("name"), "field": e["field"],
                "rank": cur["overall_rank"] if cur else None, "previous_rank": prev["overall_rank"] if prev else None,
                "from": [{"topic_id": o["topic_id"], "label": o["label"], "name": o.get("name"),
                          "previous_rank": o["overall_rank"]} for o in origins]}

    out = {"previous": {"edition": previous.edition, "as_of": previous.as_of}, **empty, "note": None,
           "followed_lineage": links is not None}
    followed: set[str] = set()
    for tid, e in after.items():
        if tid in before:
            out["continued"].append(item(e, before[tid], e))
            followed.add(tid)
            continue
        parents = parents_of.get(tid, set())
        listed = [before[p] for p in sorted(parents) if p in before]
        if not listed:
            out["new"].append(item(e, cur=e))
            continue
        followed |= {o["topic_id"] for o in listed}
        if len(parents) > 1:
            kind = "merged"
        elif len(children_of.get(listed[0]["topic_id"], ())) > 1:
            kind = "split"
        else:
            kind = "continued"  # one ancestor, one descendant: the same technology under another id
        out[kind].append(item(e, listed[0] if kind == "continued" else None, e, listed))
    out["dropped"] = [item(e, prev=e) for tid, e in before.items() if tid not in after and tid not in followed]
    for k in CHANGE_KINDS:
        out[k].sort(key=lambda x: (x["rank"] or x["previous_rank"] or 0, x["topic_id"]))
    out["risen"] = [c for c in out["continued"] if c["rank"] < c["previous_rank"]]
    out["fallen"] = [c for c in out["continued"] if c["rank"] > c["previous_rank"]]
    return out


def edition_lineage(store: Store, before: Edition | None, map_id: int) -> dict[str, set[str]] | None:
    """How the topics of the previous edition's map became those of map `map_id` (`topics.lineage`): the map the
    previous edition recorded, or — when it has been rebuilt since — the map of the same date."""
    from frontierwatch.topics.lineage import lineage_links
    from frontierwatch.topics.tables import map_id_as_of

    if before is None:
        return None
    recorded = before.parameters.get("topic_map") or {}
    candidates = [recorded.get("map_id")]
    if recorded.get("as_of"):
        candidates.append(map_id_as_of(store, date.fromisoformat(recorded["as_of"])))
    for prev_map in candidates:
        if prev_map is not None:
            links = lineage_links(store, prev_map, map_id)
            if links is not None:
                return links
    return None
