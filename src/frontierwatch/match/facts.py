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
                if "-" not in word and len(word) > 3:
                    probe(word, zh, whole=False)

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


def _columns(store: Store, table: str) -> set[str]:
    return {r[0] for r in store.con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]).fetchall()}


def topic_readiness(store: Store, map_id: int, as_of_year: int, topic_ids: list[str]) -> dict[str, dict]:
    """Readiness per topic id: ``{"computed": True, "industrialisation", "breakthrough", "stage", "year",
    "source"}`` from the signals or catalog tables, or `NOT_COMPUTED`."""
    out = {t: NOT_COMPUTED for t in topic_ids}
    if not topic_ids:
        return out
    try:
        if store.table_exists("topic_axes") and {"topic_id", "year", "industrialisation", "stage"} <= _columns(store, "topic_axes"):
            cols = _columns(store, "topic_axes")
            where = "AND map_id = $m" if "map_id" in cols else ""
            breakthrough = "breakthrough" if "breakthrough" in cols else "NULL"
            rows = store.con.execute(
                f"""SELECT CAST(topic_id AS VARCHAR), year, industrialisation, {breakthrough}, stage FROM topic_axes
                    WHERE year <= $y {where} QUALIFY row_number() OVER (PARTITION BY topic_id ORDER BY year DESC) = 1""",
                {"y": as_of_year} | ({"m": map_id} if where else {})).fetchall()
            found = {r[0]: r for r in rows}
            for t in topic_ids:
                r = found.get(t) or found.get(str(int(t[1:])) if t[1:].isdigit() else "")
                if r and (r[2] is not None or r[4] is not None):
                    out[t] = {"computed": True, "industrialisation": _round(r[2]), "breakthrough": _round(r[3]),
                              "stage": r[4], "year": r[1], "source": "signals"}
        elif store.table_exists("catalog_entries") and store.table_exists("catalog_editions"):
            rows = store.con.execute(
                """SELECT e.topic_id, e.industrialisation, e.breakthrough, e.stage, c.edition FROM catalog_entries e
                   JOIN catalog_editions c USING (edition) WHERE c.map_id = ?
                   QUALIFY row_number() OVER (PARTITION BY e.topic_id ORDER BY c.as_of DESC) = 1""", [map_id]).fetchall()
            for tid, ind, brk, stage, edition in rows:
                if tid in out and (ind is not None or stage is not None):
                    out[tid] = {"computed": True, "industrialisation": _round(ind), "breakthrough": _round(brk),
                                "stage": stage, "edition": edition, "source": "catalog"}
    except Exception as exc:  # a half-written signals table must not break matching; say so instead
        log.warning("match: readiness unavailable: %s", exc)
    return out


def _round(x) -> float | None:
    return None if x is None else round(float(x), 4)


def topic_direction(store: Store, map_id: int, topic_ids: list[str]) -> dict[str, dict]:
    """Direction per topic id from ``topic_directions``: ``{"mapped": True, "directions": [{"id", "zh", "en"}],
    "fields", "confidence"}``, or `NOT_MAPPED`."""
    out = {t: NOT_MAPPED for t in topic_ids}
    if not topic_ids or not store.table_exists("topic_directions"):
        return out
    names = {d.id: d.name for d in load_taxonomy().directions}
    rows = store.con.execute("SELECT topic_id, directions, fields, confidence FROM topic_directions WHERE map_id = ?",
                             [map_id]).fetchall()
    for tid, directions, fields, confidence in rows:
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
