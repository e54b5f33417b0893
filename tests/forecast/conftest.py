"""A small real store: the demo corpus's arXiv papers of 2010–2015 (≈ 9k), ingested and embedded once."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo" / "arxiv"
YEARS = range(2010, 2016)


@pytest.fixture(scope="session")
def demo_store_dir(embedded_store, tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("demo-arxiv")
    for year in YEARS:
        shutil.copy(DEMO / f"arxiv-{year}.jsonl.gz", src)
    return embedded_store([src])


@pytest.fixture
def demo_store_copy(demo_store_dir, store_copy) -> Path:
    """A private copy of the demo store that a test may alter."""
    return store_copy(demo_store_dir)
