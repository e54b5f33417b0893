"""The Spark session and the Parquet data directory of the Spark engine.

`spark_session(master)` starts (once per process) a SparkSession whose Python workers run this interpreter, so
the executors import the same frontierwatch and models as the driver. PySpark is an optional extra
(``pip install 'frontierwatch[spark]'``); without it the error says what to install. Spark needs Java 17
(the Makefile's ``system-deps`` installs Debian's ``openjdk-17-jre-headless`` when it is missing).

`DataDir` names the Parquet datasets a Spark run writes under the data directory (a local path or any
Hadoop-compatible URI such as ``s3a://bucket/fw`` or ``hdfs://nn/fw``): ``parsed`` (one dataset per source file,
the resume unit), ``files`` (their manifest), ``own`` (records that are documents by themselves, an intermediate of
the identity job), ``documents``, ``rejects``, ``document_keys``, ``provenance``, ``embeddings/<model>`` and
``doc_topics/map=<id>``.
"""
from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from frontierwatch.errors import InputError

log = logging.getLogger(__name__)

__all__ = ["DataDir", "spark_session", "stop_spark"]

_SESSION = None
_MASTER: str | None = None


def _missing_pyspark(exc: Exception) -> InputError:
    return InputError(f"the Spark engine needs PySpark ({exc}); install it with: pip install 'frontierwatch[spark]' "
                      f"(and Java 17, e.g. apt-get install openjdk-17-jre-headless)",
                      f"Spark 引擎需要 PySpark（{exc}）；请运行 pip install 'frontierwatch[spark]' 安装"
                      f"（并安装 Java 17，例如 apt-get install openjdk-17-jre-headless）")


def spark_session(master: str = "local[*]"):
    """A SparkSession on `master` (``local[N]``, ``spark://host:7077``, ``yarn``, ``k8s://…``), started once per
    process; asking for another master stops the first session. Arrow transfer is on, the UI off, and
    shuffles use few partitions (the aggregations here are small: topics × years)."""
    global _SESSION, _MASTER
    if _SESSION is not None and _MASTER == master:
        return _SESSION
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise _missing_pyspark(exc) from None
    if _SESSION is not None:
        stop_spark()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # executors run this interpreter (and its packages)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (SparkSession.builder.master(master).appName("frontierwatch")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "8").config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.sql.session.timeZone", "UTC").config("spark.python.worker.reuse", "true")
               .config("spark.driver.memory", os.environ.get("FRONTIERWATCH_SPARK_DRIVER_MEMORY", "2g")))
    if master.startswith("local"):  # one machine: talk over loopback, whatever the host name resolves to
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    try:
        _SESSION = builder.getOrCreate()
    except Exception as exc:  # no Java, or Java too old: say what to install
        raise InputError(f"Spark could not start on {master!r} ({str(exc)[:300]}); it needs Java 17 "
                         f"(apt-get install openjdk-17-jre-headless) and a reachable master",
                         f"Spark 无法在 {master!r} 上启动（{str(exc)[:300]}）；需要 Java 17 与可连接的 master") from None
    _SESSION.sparkContext.setLogLevel("ERROR")
    _MASTER = master
    log.info("spark session on %s (Spark %s)", master, _SESSION.version)
    return _SESSION


def stop_spark() -> None:
    """Stop the session this process started (tests and benchmarks switch masters with it)."""
    global _SESSION, _MASTER
    if _SESSION is not None:
        _SESSION.stop()
    _SESSION, _MASTER = None, None


@dataclass(frozen=True)
class DataDir:
    """The Parquet datasets of one store's Spark engine, under `root` (a path or a Hadoop URI)."""

    root: str

    @classmethod
    def of(cls, data: str | Path | None, store_path: Path) -> "DataDir":
        """The data directory named by the settings (``spark_data``), else ``<store>/parquet``."""
        if data:
            text = str(data)
            return cls(text if "://" in text else str(Path(text).resolve()))
        return cls(str((Path(store_path) / "parquet").resolve()))

    def path(self, *parts: str) -> str:
        return "/".join([self.root.rstrip("/"), *parts])

    @property
    def is_local(self) -> bool:
        return "://" not in self.root or self.root.startswith("file://")
