"""Fixtures of the catalog tests: one small real store — 1,504 arXiv papers of 2014–2017 (tests/samples/topics),
the OpenAlex and USPTO samples — ingested with the real connectors, with two real editions (2016H2, 2017H2)
published through the core (`Observatory.catalog`: topic maps of 24 topics, names, signals, forecasts and directions
built by the real stages, then the catalog). Built once per session; tests get read-only use or a copy."""
from __future__ import annotations

from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="session")
def embedder():
    from frontierwatch.embed import get_embedder

    return get_embedder("static-minilm")


@pytest.fixture(scope="session")
def edition_store_dir(tmp_path_factory) -> Path:
    from frontierwatch.catalog import edition_as_of
    from frontierwatch.core import Observatory
    from frontierwatch.settings import load_settings

    path = tmp_path_factory.mktemp("catalog") / "store"
    with Observatory(path, load_settings(store=path)) as obs:
        obs.ingest([SAMPLES / "topics" / "arxiv-topics.jsonl.gz", SAMPLES / "openalex", SAMPLES / "uspto",
                    SAMPLES / "catalog" / "openalex-works-cn.json.gz"])
        for code in ("2016H2", "2017H2"):
            # 24 topics rather than the default one per ~200 documents (7): placed topics must be specific enough
            # to name a technology, as on a real corpus
            obs.build(as_of=edition_as_of(code), n_topics=24)
            obs.catalog(code, per_field=2, min_size=5, fmt="json")
    return path


@pytest.fixture
def edition_store(edition_store_dir, store_copy):
    """A writable copy of the store holding the two editions."""
    return store_copy(edition_store_dir, open=True)
