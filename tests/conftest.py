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
