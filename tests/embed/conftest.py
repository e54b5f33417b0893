"""Fixtures of the embed tests: a store holding 300 real arXiv records from 2015 (tests/samples/embed)."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "embed" / "arxiv-2015-300.jsonl.gz"


def sample_records() -> list[dict]:
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def insert_documents(store, records: list[dict]) -> None:
    """Put records straight into ``documents`` (the ingest stage is not under test here)."""
    rows = [
        ("arxiv:" + r["id"], "paper", " ".join(r["title"].split()), r["abstract"].strip(), 2015,
         r["categories"].split()[0])
        for r in records
    ]
    store.con.executemany(
        "INSERT INTO documents (doc_id, kind, title, abstract, year, primary_category) VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )


@pytest.fixture(scope="session")
def records() -> list[dict]:
    return sample_records()


@pytest.fixture
def arxiv_store(store, records):
    insert_documents(store, records)
    return store
