"""Fixtures of the catalog tests: one small real store — 1,504 arXiv papers of 2014–2017 (tests/samples/topics),
the OpenAlex and USPTO samples — ingested with the real connectors, with two real editions (2016H2, 2017H2)
built by the real topic (24 topics per map), signal, names and catalog code. Built once per session; tests get read-only use or a copy."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="session")
def embedder():
    from frontierwatch.embed import get_embedder

    return get_embedder("static-minilm")


@pytest.fixture(scope="session")
def edition_store_dir(tmp_path_factory, embedder) -> Path:
    from frontierwatch.catalog import EditionParams, build_edition, edition_as_of, save_edition
    from frontierwatch.sources.ingest import ingest
    from frontierwatch.store import Store
    from frontierwatch.topics import build_topics

    path = tmp_path_factory.mktemp("catalog") / "store"
    with Store(path) as store:
        ingest(store, [SAMPLES / "topics" / "arxiv-topics.jsonl.gz", SAMPLES / "openalex", SAMPLES / "uspto",
                       SAMPLES / "catalog" / "openalex-works-cn.json.gz"])
        params = EditionParams(per_field=2, min_size=5)
        for code in ("2016H2", "2017H2"):
            # 24 topics rather than the default one per ~200 documents (7): placed topics must be specific enough
            # to name a technology, as on a real corpus
            build_topics(store, edition_as_of(code), seed=0, n_topics=24)
            save_edition(store, build_edition(store, code, params=params, embedder=embedder))
    return path


@pytest.fixture
def edition_store(edition_store_dir, tmp_path):
    """A writable copy of the store holding the two editions."""
    from frontierwatch.store import Store

    path = tmp_path / "store"
    shutil.copytree(edition_store_dir, path)
    store = Store(path)
    yield store
    store.close()
