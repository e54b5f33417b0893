"""The facts a match's *why* reports about a topic: shared key terms (both languages), readiness and direction.

Readiness comes from the signals stage when the store has it — ``topic_axes`` (topic_id, year,
industrialisation, breakthrough, stage), else the latest catalog edition's ``catalog_entries`` (industrialisation,
stage) — and is reported as not computed otherwise, never guessed. Directions come from the catalog's
``topic_directions`` (map_id, topic_id, directions, fields, confidence) with names from the taxonomy.
"""
from __future__ import annotations

import logging

from frontierwatch.catalog import OUTSIDE, load_taxonomy
from frontierwatch.match.need import Need
from frontierwatch.store import Store
from frontierwatch.text import content_tokens

log = logging.getLogger(__name__)

NOT_COMPUTED = {"computed": False, "note": {"en": "readiness not computed (run the signals stage)",
                                            "zh": "成熟度尚未计算（请先运行信号阶段）"}}
NOT_MAPPED = {"mapped": False, "note": {"en": "direction not mapped (run the catalog stage)",
                                        "zh": "尚未映射到方向（请先运行目录阶段）"}}


def _contains(hay: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return bool(n) and any(hay[i:i + n] == needle for i in range(len(hay) - n + 1))


def _word_zh(word: str) -> str | None:
    """Chinese of one English word through the names stage's glossary (None when it has none): a topic sharing only
    "distribution" with 量子密钥分发 is said to share 分布, not the whole term."""
    from frontierwatch.names.chinese import load_terms
    from frontierwatch.names.english import fold

    return load_terms().get((fold(word),))


def shared_terms(need: Need, phrases: list[str], limit: int = 8) -> list[dict]:
    """Terms of the need found (as whole words) in `phrases`: ``[{"en", "zh", "in"}]``, bridged terms first.

    ``zh`` is None for an English word of the need that the glossary does not know; ``in`` is the phrase holding it.
    """
    phrase_tokens = [(p, content_tokens(p)) for p in phrases]
    out: list[dict] = []
    seen: set[str] = set()

    def probe(en: str, zh: str | None, whole: bool = True) -> None:
        want = content_tokens(en)
        key = " ".join(want)
        if not want or key in seen:
            return
        for phrase, toks in phrase_tokens:
            if _contains(toks, want):
                seen.add(key)
                out.append({"en": en, "zh": zh, "in": phrase})
                return
        if whole and len(want) > 1:  # "unmanned aerial vehicle" shares "unmanned" and "aerial" with the topic
            for word in want:
                if "-" not in word and len(word) > 3:  # the word's own Chinese, not the whole term's
                    part_zh = _word_zh(word)
                    if zh is None or part_zh:  # a bridged term's part is named only where it has Chinese itself
                        probe(word, part_zh, whole=False)

    for pair in need.terms:
        for en in pair.en:
            probe(en, pair.zh if pair.source != "verbatim" else None)
    if need.language == "en":
        for word in content_tokens(need.english):
            probe(word, None)
    covered = {" ".join(content_tokens(t["en"])) for t in out}
    out = [t for t in out if not any(len(c) > len(" ".join(content_tokens(t["en"]))) and
                                     _contains(c.split(), content_tokens(t["en"])) for c in covered)]
    return out[:limit]


def topic_readiness(store: Store, map_id: int, as_of_year: int, topic_ids: list[str]) -> dict[str, dict]:
    """Readiness per topic id: ``{"computed": True, "industrialisation", "breakthrough", "stage", "year",
    "source": "signals"}`` from the map's axes of `as_of_year` or before (`frontierwatch.signals.read_axes`),
    or `NOT_COMPUTED`."""
    from frontierwatch.signals import read_axes

    out = {t: NOT_COMPUTED for t in topic_ids}
    if not topic_ids:
        return out
    wanted = set(topic_ids)
    for t, a in read_axes(store, map_id, year=as_of_year).items():  # the map's whole read: the same for every need
        if t not in wanted:
            continue
        if a["industrialisation"] is not None or a["stage"] is not None:
            out[t] = {"computed": True, "industrialisation": _round(a["industrialisation"]),
                      "breakthrough": _round(a["breakthrough"]), "stage": a["stage"], "year": a["year"],
                      "source": "signals"}
    return out


def _round(x) -> float | None:
    return None if x is None else round(float(x), 4)


def topic_direction(store: Store, map_id: int, topic_ids: list[str]) -> dict[str, dict]:
    """Direction per topic id from ``topic_directions``: ``{"mapped": True, "directions": [{"id", "zh", "en"}],
    "fields", "confidence"}``, or `NOT_MAPPED`."""
    from frontierwatch.catalog import read_directions

    out = {t: NOT_MAPPED for t in topic_ids}
    if not topic_ids:
        return out
    names = {d.id: d.name for d in load_taxonomy().directions}
    for tid, m in read_directions(store, map_id).items():
        directions, fields, confidence = m["directions"], [f["field"] for f in m["fields"]], m["confidence"]
        if tid in out:
            out[tid] = {"mapped": True, "directions": [
                {"id": d, **(names.get(d) or ({"zh": "六大方向之外", "en": "outside the six"} if d == OUTSIDE else
                                              {"zh": d, "en": d}))} for d in directions],
                "fields": list(fields or []), "confidence": _round(confidence)}
    return out


def need_directions(need: Need) -> list[dict]:
    """Directions the need's own words point to (taxonomy seed terms), with zh/en names."""
    names = {d.id: d.name for d in load_taxonomy().directions}
    return [{"id": d, **names[d]} for d in need.directions if d in names]
