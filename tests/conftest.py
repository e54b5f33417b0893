"""Shared fixtures: paths to the committed real samples and scratch stores."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "samples"
SHARED = Path(os.environ.get("FRONTIERWATCH_SHARED", ROOT.parent / "shared"))


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.fixture
def arxiv_sample() -> Path:
    return SAMPLES / "arxiv" / "arxiv-sample.jsonl.gz"


@pytest.fixture
def store(tmp_path):
    from frontierwatch.store import Store

    s = Store(tmp_path / "store")
    yield s
    s.close()


@pytest.fixture
def store_copy(tmp_path):
    """Factory ``store_copy(session_store_dir, open=False)``: a private, writable copy of a store built once per
    session (tests that write must not change what other tests read). Returns the copy's directory, or with
    `open` the opened `Store` (closed after the test)."""
    import shutil

    from frontierwatch.store import Store

    opened = []

    def copy(source: Path, open: bool = False):
        dest = tmp_path / f"store-copy-{len(list(tmp_path.glob('store-copy-*')))}"
        shutil.copytree(source, dest)
        if not open:
            return dest
        opened.append(Store(dest))
        return opened[-1]

    yield copy
    for s in opened:
        s.close()


@pytest.fixture(scope="session")
def embedded_store(tmp_path_factory):
    """Factory ``embedded_store(paths) -> store directory``: the files ingested with the real connectors and
    embedded with the real static model, once per session for the same paths (tests copy it before writing)."""
    from frontierwatch.embed import embed_documents
    from frontierwatch.sources.ingest import ingest
    from frontierwatch.store import Store

    made: dict[tuple[Path, ...], Path] = {}

    def make(paths) -> Path:
        key = tuple(Path(p) for p in paths)
        if key not in made:
            path = tmp_path_factory.mktemp("embedded") / "store"
            with Store(path) as store:
                ingest(store, list(key))
                embed_documents(store)
            made[key] = path
        return made[key]

    return make
