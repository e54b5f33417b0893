"""The catalog's own backtest (issue 10 item 2) on the real sample store (arXiv 2014–2017, 24 topics): it scores
exactly the selection an edition publishes, with the forecast backtest's label, beside the alternative rules; it
never looks past the cutoff (later documents altered and half deleted: the same selection, other outcomes); and
the CLI writes the contract's JSON."""
from __future__ import annotations

import json
from datetime import date

from typer.testing import CliRunner

from frontierwatch.catalog import EditionParams, build_edition
from frontierwatch.catalog.backtest import RULES
from frontierwatch.settings import load_settings
from frontierwatch.store import Store

CUTOFF, HORIZON = 2016, 1      # the sample ends in 2017: one year of outcome after the 2016 edition
# a lower bar than the default (top 90% of the map's probabilities) so the 24-topic sample promotes something
PARAMS = EditionParams(per_field=2, min_size=5, top_share=0.9)


def _run(store: Store) -> dict:
    from frontierwatch.pipeline import catalog_backtest

    settings = load_settings(store=store.path)
    return catalog_backtest(store, settings, [CUTOFF], HORIZON, params=PARAMS, draws=20)


def test_it_scores_the_published_selection(edition_store):
    result = _run(edition_store)
    assert set(RULES) <= set(result["rules"]) and result["outcomes_through"] == CUTOFF + HORIZON
    for rule in result["rules"].values():
        assert {"mean_hit_rate", "mean_entries", "mean_share_ratio"} <= set(rule)
    (ed,) = result["editions"]
    published = build_edition(edition_store, "2016H2", date(CUTOFF, 12, 31), PARAMS)
    order = [e["topic_id"] for e in sorted(published.entries, key=lambda e: e["overall_rank"])]
    assert [e["topic_id"] for e in ed["entries"]] == order        # the edition's entries, in its order
    fw = ed["rules"]["frontierwatch"]
    assert fw["n_entries"] == len(published.entries) > 0
    assert fw["hits"] == sum(e["hit"] for e in ed["entries"])
    assert fw["hit_rate"] == fw["hits"] / fw["n_entries"]
    # alternatives at the same number of entries, from the eligible candidates
    for name in ("axes", "size", "recency", "random"):
        assert ed["rules"][name]["n_entries"] == min(fw["n_entries"], ed["n_eligible"])
    assert ed["rules"]["random"]["draws"] == 20
    # the old rule trimmed to the same number: each field's best topic comes before any field's second
    assert ed["rules"]["axes_fields"]["n_entries"] <= fw["n_entries"]
    assert ed["rules"]["axes_fields"]["n_entries"] <= ed["rules"]["axes_top3"]["n_entries"]
    assert 0 <= ed["n_positive"] <= ed["n_eligible"] <= ed["n_candidates"]
    assert result["positive_rate"] == ed["positive_rate"]


def test_later_documents_change_the_outcome_never_the_selection(edition_store_dir, store_copy):
    with Store(store_copy(edition_store_dir)) as store:
        before = _run(store)
    with Store(store_copy(edition_store_dir)) as store:
        con = store.con
        later = con.execute("SELECT count(*) FROM documents WHERE year > ?", [CUTOFF]).fetchone()[0]
        assert later > 100
        con.execute("""UPDATE documents SET title = 'Quantum deep learning ' || upper(title),
                           categories = ['q-bio.GN'], primary_category = 'q-bio.GN' WHERE year > ?""", [CUTOFF])
        gone = "SELECT doc_id FROM documents WHERE year > ? AND hash(doc_id) % 2 = 0"
        con.execute(f"DELETE FROM embeddings WHERE doc_id IN ({gone})", [CUTOFF])
        con.execute(f"DELETE FROM doc_topics WHERE doc_id IN ({gone})", [CUTOFF])
        con.execute(f"DELETE FROM documents WHERE doc_id IN ({gone})", [CUTOFF])
        map_id = con.execute("SELECT map_id FROM topic_maps WHERE as_of = ?", [date(CUTOFF, 12, 31)]).fetchone()[0]
        for table in ("topic_signals", "topic_axes", "topic_forecasts", "topic_directions", "topic_names"):
            con.execute(f"DELETE FROM {table} WHERE map_id = ?", [map_id])   # rebuilt from the altered store
        after = _run(store)
    (a,), (b,) = before["editions"], after["editions"]
    assert [(e["topic_id"], e["probability"]) for e in a["entries"]] == \
        [(e["topic_id"], e["probability"]) for e in b["entries"]]
    assert (a["n_candidates"], a["n_eligible"]) == (b["n_candidates"], b["n_eligible"])
    assert [e["share_ratio"] for e in a["entries"]] != [e["share_ratio"] for e in b["entries"]]


def test_cli_writes_the_contract_json_and_stores_it(edition_store_dir, store_copy, tmp_path, monkeypatch):
    from frontierwatch.cli.app import app
    from frontierwatch.catalog.queries import catalog_backtest_known_at

    path = store_copy(edition_store_dir)
    out = tmp_path / "cbt.json"
    res = CliRunner().invoke(app, ["backtest", "--catalog", "--cutoffs", str(CUTOFF), "--horizon", str(HORIZON),
                                   "--draws", "10", "--json", str(out), "--store", str(path)])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    rules = data["catalog"]["rules"]
    assert all(k in rules[n] for n in ("frontierwatch", "axes_top3", "size", "recency", "random")
               for k in ("mean_hit_rate", "mean_entries", "mean_share_ratio"))
    assert data["generated"]["command"].startswith("frontierwatch backtest --catalog")
    with Store(path) as store:
        assert catalog_backtest_known_at(store, CUTOFF + HORIZON)["cutoffs"] == [CUTOFF]
        assert catalog_backtest_known_at(store, CUTOFF + HORIZON - 1) is None   # not knowable a year earlier


def test_an_edition_cites_only_backtests_knowable_at_its_date(edition_store_dir, store_copy, tmp_path):
    """Item 6: a backtest whose outcomes end after the edition's date is never cited, and every format says
    which backtest is cited or that none is."""
    import pytest

    from frontierwatch.catalog import render_edition
    from frontierwatch.core import Observatory
    from frontierwatch.errors import InputError

    path = store_copy(edition_store_dir)
    with Observatory(path, load_settings(store=path)) as obs:
        (bt,) = obs.backtest([CUTOFF], [HORIZON])                     # outcomes end in 2017
        obs.catalog_backtest([CUTOFF], HORIZON, draws=5)
        early = build_edition(obs.store, "2016H2", date(2016, 12, 31), PARAMS)
        late = build_edition(obs.store, "2017H2", date(2017, 12, 31), PARAMS)
    assert early.methodology["backtest"] is None and early.parameters["backtest"]["known_at"] == 2016
    assert not early.methodology["catalog_backtest"]["cited"]
    assert late.methodology["backtest"]["outcomes_through"] == 2017 == late.parameters["backtest"]["outcomes_through"]
    assert late.methodology["catalog_backtest"]["cited"] and late.methodology["catalog_backtest"]["cutoffs"] == [2016]
    for lang, none, cited in (("zh", "库中没有结果截至 2016 年及以前的回测", "结果截至 2017 年的回测"),
                              ("en", "no backtest whose outcomes end in 2016 or before", "outcomes end in 2017")):
        for fmt in ("md", "html"):
            assert none in render_edition(early, fmt, lang).decode()
            out = render_edition(late, fmt, lang).decode()
            assert cited in out and late.methodology["catalog_backtest"]["intro"][lang][:20] in out
    later = tmp_path / "bt.json"
    later.write_text(json.dumps(bt), encoding="utf-8")
    with Store(path) as store, pytest.raises(InputError, match="after this edition's date"):
        build_edition(store, "2016H2", date(2016, 12, 31), EditionParams(backtest_json=str(later)))
