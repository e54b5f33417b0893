"""Fixtures of the match tests: a small real topic map (1,504 arXiv papers of 2014–2017 in eight primary categories,
the committed tests/samples/topics sample) ingested, embedded with the real static model and fitted into 12 topics —
built once per session (a few seconds), copied per test that writes."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "topics" / "arxiv-topics.jsonl.gz"
N_TOPICS = 12


@pytest.fixture(scope="session")
def _match_store_dir(embedded_store, tmp_path_factory) -> Path:
    from frontierwatch.store import Store
    from frontierwatch.topics import build_topics

    path = tmp_path_factory.mktemp("match") / "store"
    shutil.copytree(embedded_store([SAMPLE]), path)
    with Store(path) as store:
        build_topics(store, n_topics=N_TOPICS)
    return path


@pytest.fixture
def match_store(_match_store_dir, store_copy):
    """A writable copy of the sample topic-map store."""
    return store_copy(_match_store_dir, open=True)
