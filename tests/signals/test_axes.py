"""The two axes rest only on components with data behind them; the stage reads counts and share together."""
from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from frontierwatch.signals import compute_axes, compute_topic_signals, lifecycle_stage
from frontierwatch.signals.axes import (BREAKTHROUGH, COMPONENT_EVIDENCE, INDUSTRIALISATION, MIN_AFFILIATED,
                                        MIN_COMPONENTS, MIN_PATENTS)

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SPEC = {**BREAKTHROUGH, **INDUSTRIALISATION}


def _evidence_ok(signals: dict, component: str) -> bool:
    return all(sum(signals[s] or 0 for s in names) >= minimum
               for names, minimum, _ in COMPONENT_EVIDENCE.get(component, ()))


def _check_row(axes_row: dict, signals: dict) -> None:
    """Every present component has its signal and its evidence; contributions add up to the score; an axis
    that rests on fewer than the minimum of components is no number; every missing component says why."""
    parts_of = {"breakthrough": dict(axes_row["breakthrough_parts"] or {}),
                "industrialisation": dict(axes_row["industrialisation_parts"] or {})}
    reasons = dict(axes_row["missing_reasons"] or {})
    for axis, parts in parts_of.items():
        for comp in parts:
            value = signals[SPEC[comp][0]]
            assert value is not None and not math.isnan(value), (comp, axes_row)
            assert _evidence_ok(signals, comp), (comp, signals)
            assert comp not in reasons
        if axes_row[axis] is None:
            assert len(parts) < MIN_COMPONENTS
        else:
            assert len(parts) >= MIN_COMPONENTS
            assert sum(parts.values()) == pytest.approx(axes_row[axis])
            assert 0 <= axes_row[axis] <= 1
    assert set(reasons) == set(axes_row["missing_components"])
    assert set(reasons) | set(parts_of["breakthrough"]) | set(parts_of["industrialisation"]) == set(SPEC)


def test_axes_of_many_topics_rest_on_components_with_data(category_frame):
    signals = compute_topic_signals(category_frame, years=[2015, 2016])
    axes = compute_axes(signals)
    by_key = {(r["topic_id"], r["year"]): r for r in signals.to_pylist()}
    scored = 0
    for row in axes.to_pylist():
        _check_row(row, by_key[(row["topic_id"], row["year"])])
        reasons = dict(row["missing_reasons"])
        # arXiv has no citations, patents or affiliations: those components say so, and never contribute
        assert reasons["impact"] == "no_signal" and reasons["patenting"] == "no_signal"
        assert reasons["company_involvement"] == "no_signal"
        # … so industrialisation rests on application language and scale alone: not a number
        assert row["industrialisation"] is None
        scored += row["breakthrough"] is not None
    assert scored > 100


def test_three_topics_are_too_few_for_ranks_to_mean_anything(field_frame):
    axes = compute_axes(compute_topic_signals(field_frame, years=[2016])).to_pylist()
    assert len(axes) == 3
    for row in axes:
        assert row["breakthrough"] is None and row["industrialisation"] is None
        assert dict(row["missing_reasons"])["burst"] == "few_topics"
        assert row["stage"] in ("emerging", "growing", "mature", "declining")


def test_a_topic_tied_at_zero_gets_nothing_from_that_component(category_frame):
    signals = compute_topic_signals(category_frame, years=[2016])
    axes = {r["topic_id"]: r for r in compute_axes(signals).to_pylist()}
    zero = [r["topic_id"] for r in signals.to_pylist() if r["burst_weight"] == 0]
    assert len(zero) > 100, "most categories do not burst in 2016"
    for tid in zero:
        assert dict(axes[tid]["breakthrough_parts"])["burst"] == 0.0   # not the middle rank of the tie


@pytest.fixture(scope="module")
def mixed_store(tmp_path_factory, embedded_store):
    """Real arXiv papers (2014–17), PubMed articles with affiliations and NVIDIA patents (PatentsView), with the
    real topic map (30 topics), signals and axes as of 2020."""
    from frontierwatch.signals import build_signals
    from frontierwatch.store import Store
    from frontierwatch.topics import build_topics

    src = embedded_store([SAMPLES / "topics" / "arxiv-topics.jsonl.gz", SAMPLES / "pubmed",
                          SAMPLES / "patentsview" / "nvidia"])
    path = tmp_path_factory.mktemp("mixed") / "store"
    import shutil
    shutil.copytree(src, path)
    with Store(path) as store:
        build_topics(store, as_of=date(2020, 12, 31), seed=0, n_topics=30)
        build_signals(store)
    return path


def _table(store, name: str) -> list[dict]:
    cur = store.con.execute(f"SELECT * FROM {name} ORDER BY topic_id, year")
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def test_no_component_without_data_contributes_in_a_built_store(mixed_store):
    from frontierwatch.store import Store

    with Store(mixed_store) as store:
        signals = {(r["topic_id"], r["year"]): r for r in _table(store, "topic_signals")}
        axes = _table(store, "topic_axes")
    assert any(r["patent_count"] >= MIN_PATENTS for r in signals.values()), "the sample has patents"
    assert any(r["affiliated_count"] >= MIN_AFFILIATED for r in signals.values()), "and affiliations"
    last = max(r["year"] for r in axes)
    patented = companies = 0
    for row in axes:
        row = {**row, "breakthrough_parts": dict(row["breakthrough_parts"] or {}),
               "industrialisation_parts": dict(row["industrialisation_parts"] or {}),
               "missing_reasons": dict(row["missing_reasons"] or {})}
        sig = signals[(row["topic_id"], row["year"])]
        _check_row(row, sig)
        parts = row["industrialisation_parts"]
        if sig["patent_count"] < MIN_PATENTS:
            assert not {"patenting", "science_tech_linkage"} & set(parts)
        if sig["affiliated_count"] < MIN_AFFILIATED:
            assert "company_involvement" not in parts
        if row["year"] == last:
            patented += "patenting" in parts
            companies += "company_involvement" in parts
    assert patented or companies, "some topic's industrialisation rests on patents or affiliations"


def test_changing_a_component_without_data_changes_no_score(mixed_store):
    """Scramble the signal of every component where it lacks evidence: not one score or part moves."""
    from frontierwatch.store import Store

    with Store(mixed_store) as store:
        table = store.con.cursor().sql("SELECT * EXCLUDE (map_id) FROM topic_signals ORDER BY topic_id, year").to_arrow_table()
    base = compute_axes(table)
    rng = np.random.default_rng(0)
    data = table.to_pydict()
    changed = 0
    for comp, (signal, _, _) in SPEC.items():
        for i in range(table.num_rows):
            row = {k: data[k][i] for k in data}
            if COMPONENT_EVIDENCE.get(comp) and not _evidence_ok(row, comp):
                data[signal][i] = float(rng.uniform(0, 10))
                changed += 1
    assert changed > 0
    again = compute_axes(pa.table(data, schema=table.schema))
    for col in ("breakthrough", "industrialisation", "breakthrough_parts", "industrialisation_parts"):
        assert again.column(col).equals(base.column(col)), col


def _stage(count, count_prev2, share, share_prev2, peak_share, birth_year=2010, year=2019, others=()):
    """One topic's stage among others (the median share is over all of them) from its plain numbers."""
    rows = [(count, count_prev2, share, share_prev2, peak_share, birth_year), *others]
    c = np.array([r[0] for r in rows], float)
    c2 = np.array([r[1] for r in rows], float)
    s = np.array([r[2] for r in rows], float)
    s2 = np.array([r[3] for r in rows], float)
    n, n2 = c / s, c2 / s2
    columns = {"count": c, "cum_count": c + c2, "share": s, "share_to_peak": s / np.array([r[4] for r in rows]),
               "growth2": np.log((c + 0.5) / n) - np.log((c2 + 0.5) / n2),
               "count_growth2": np.log(c + 0.5) - np.log(c2 + 0.5), "count_prev2": c2, "share_prev2": s2,
               "peak_share": np.array([r[4] for r in rows]), "peak_year": np.full(len(rows), 2015.0),
               "birth_year": np.array([r[5] for r in rows], float)}
    stages, basis = lifecycle_stage(columns, year)
    return stages[0], basis[0]


def test_more_documents_with_a_falling_share_is_not_declining():
    # T00058 of the demo as the issue found it: 13 → 37 documents a year while the corpus grew faster
    stage, basis = _stage(37, 13, 37 / 6000, 13 / 1500, 0.0125)
    assert stage == "mature"
    assert basis["count"] == 37 and basis["count_prev2"] == 13 and basis["count_ratio"] == pytest.approx(37.5 / 13.5)
    assert basis["share_ratio"] < 0.9 and basis["share_to_peak"] < 0.7


def test_declining_needs_fewer_documents_and_a_falling_share():
    assert _stage(20, 40, 20 / 4000, 40 / 4000, 0.012)[0] == "declining"
    assert _stage(20, 40, 20 / 2000, 40 / 4000, 0.012)[0] == "mature"      # share holds: not declining


def test_growing_needs_more_documents_and_a_share_that_holds():
    assert _stage(60, 40, 60 / 4000, 40 / 4000, 0.015)[0] == "growing"
    assert _stage(60, 40, 60 / 8000, 40 / 4000, 0.015)[0] == "mature"


def test_young_topics_emerge_unless_their_documents_fall():
    assert _stage(12, 5, 12 / 4000, 5 / 4000, 0.003, birth_year=2017)[0] == "emerging"
    assert _stage(5, 12, 5 / 4000, 12 / 4000, 0.003, birth_year=2017)[0] != "emerging"


def test_every_signal_component_and_reason_has_a_name_and_meaning_in_both_languages():
    from frontierwatch.signals import SIGNAL_COLUMNS, glossary
    from frontierwatch.signals.axes import REASONS

    assert set(SIGNAL_COLUMNS) <= set(glossary.SIGNALS)
    assert set(SPEC) == set(glossary.COMPONENTS)
    assert set(REASONS) == set(glossary.REASONS)
    for table in (glossary.SIGNALS, glossary.COMPONENTS):
        for key, texts in table.items():
            assert all(texts) and key not in (texts[0], texts[2]), key
            assert any("\u4e00" <= ch <= "\u9fff" for ch in texts[0] + texts[2]), key


def test_the_stage_is_stated_with_its_numbers():
    from frontierwatch.signals.glossary import stage_explanation

    stage, basis = _stage(37, 13, 37 / 6000, 13 / 1500, 0.0125)
    zh = stage_explanation(stage, basis, 2019, "zh")
    en = stage_explanation(stage, basis, 2019, "en")
    assert "13 → 37" in zh and "2017→2019" in zh and "×2.78" in zh
    assert "documents 13 → 37 a year (2017 → 2019, ×2.78)" in en
