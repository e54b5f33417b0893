"""Fixtures of the names tests: the real topic sample (1,504 arXiv papers of 2014–2017, tests/samples/topics)
ingested with the real connector, embedded with the real static model, with a topic map as of 2016-12-31 and one as
of 2017-12-31 built by the real topics stage. Built once per session; tests
get a writable copy."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="session")
def named_store_dir(embedded_store, tmp_path_factory) -> Path:
    from frontierwatch.store import Store
    from frontierwatch.topics import build_topics

    source = embedded_store([SAMPLES / "topics" / "arxiv-topics.jsonl.gz"])
    path = tmp_path_factory.mktemp("names") / "store"
    shutil.copytree(source, path)
    with Store(path) as store:
        for day in (date(2016, 12, 31), date(2017, 12, 31)):
            build_topics(store, day, seed=0, n_topics=24)
    return path


@pytest.fixture
def names_store(named_store_dir, tmp_path):
    from frontierwatch.store import Store

    path = tmp_path / "store"
    shutil.copytree(named_store_dir, path)
    store = Store(path)
    yield store
    store.close()
