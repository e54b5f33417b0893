"""Fixtures of the Spark engine tests: one SparkSession on local[2] for the whole test session, and a slice of the
demo corpus (data/demo: arXiv JSON lines of 2010–2012, the OpenAlex snapshot partition and API pages, the PubMed
XML slice, the CSL records, the USPTO grants — every format but PatentsView, ≈ 8k records) ingested once by each
engine. Tests copy a store before writing to it."""
from __future__ import annotations

from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
SLICE = [*(DEMO / "arxiv" / f"arxiv-{y}.jsonl.gz" for y in (2010, 2011, 2012)),
         DEMO / "openalex", DEMO / "pubmed", DEMO / "csl", DEMO / "uspto"]
MASTER = "local[2]"


@pytest.fixture(scope="session")
def spark():
    pytest.importorskip("pyspark", reason="the spark extra is not installed (pip install -e '.[spark]'; make venv does)")
    from frontierwatch.spark import spark_session, stop_spark

    yield spark_session(MASTER)
    stop_spark()


def _spark_settings(store: Path, data: Path | None = None):
    from frontierwatch.settings import load_settings

    return load_settings(store=store, engine="spark", spark_master=MASTER, spark_data=str(data or store / "parquet"))


@pytest.fixture(scope="session")
def spark_settings():
    """``spark_settings(store_dir)``: settings of the Spark engine on local[2], Parquet inside the store directory."""
    return _spark_settings


@pytest.fixture(scope="session")
def demo_slice() -> list[Path]:
    return list(SLICE)


@pytest.fixture(scope="session")
def embedded_slice(tmp_path_factory) -> Path:
    """The slice ingested by the embedded engine (no vectors yet)."""
    from frontierwatch.sources.ingest import ingest
    from frontierwatch.store import Store

    path = tmp_path_factory.mktemp("embedded-slice") / "store"
    with Store(path) as store:
        ingest(store, SLICE)
    return path


@pytest.fixture(scope="session")
def spark_slice(spark, tmp_path_factory) -> Path:
    """The slice ingested by the Spark engine (its Parquet data directory inside the store directory)."""
    from frontierwatch.core import Observatory

    path = tmp_path_factory.mktemp("spark-slice") / "store"
    with Observatory(path, _spark_settings(path)) as obs:
        obs.ingest(SLICE)
    return path
