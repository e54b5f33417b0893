"""Fixtures of the topic tests: a small real store (1,504 arXiv papers of 2014–2017 in eight primary
categories, committed under tests/samples/topics) ingested with the real connector and embedded with the
real static model. Built once per session and copied per test, because embedding costs a few seconds."""
from __future__ import annotations

from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "topics" / "arxiv-topics.jsonl.gz"
N_TOPICS = 12


@pytest.fixture(scope="session")
def _embedded_store_dir(embedded_store) -> Path:
    return embedded_store([SAMPLE])


@pytest.fixture
def topic_store(_embedded_store_dir, store_copy):
    """A writable copy of the embedded sample store."""
    return store_copy(_embedded_store_dir, open=True)
