"""A small real store: the demo corpus's arXiv papers of 2010–2015 (≈ 9k), ingested and embedded once."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo" / "arxiv"
YEARS = range(2010, 2016)


@pytest.fixture(scope="session")
def demo_store_dir(tmp_path_factory) -> Path:
    from frontierwatch.embed import embed_documents
    from frontierwatch.sources.ingest import ingest
    from frontierwatch.store import Store

    src = tmp_path_factory.mktemp("demo-arxiv")
    for year in YEARS:
        shutil.copy(DEMO / f"arxiv-{year}.jsonl.gz", src)
    path = tmp_path_factory.mktemp("store") / "s"
    with Store(path) as store:
        ingest(store, [src])
        embed_documents(store)
    return path


@pytest.fixture
def demo_store_copy(demo_store_dir, tmp_path) -> Path:
    """A private copy of the demo store that a test may alter."""
    dest = tmp_path / "copy"
    shutil.copytree(demo_store_dir, dest)
    return dest
