"""The store: a directory holding one DuckDB database plus caches, with a versioned schema.

Migrations are the numbered ``migrations/NNNN_<stage>.sql`` files of this package, applied in order, once
each, and recorded in ``schema_version``. A store written by a newer frontierwatch is refused, not guessed at.
Stages reach the tables through ``Store.tables`` (`frontierwatch.store.tables`, the table seam), never through
the connection.
"""
from __future__ import annotations

import logging
import re
from importlib import resources
from pathlib import Path

import duckdb

import json
import os

from frontierwatch.errors import StoreBusyError, StoreError
from frontierwatch.store.tables import Tables

log = logging.getLogger(__name__)
DB_NAME = "frontierwatch.duckdb"
SERVER_FILE = "serve.json"  # written by a running `frontierwatch serve`: {"url", "pid"}


def running_server(path: str | Path) -> dict | None:
    """The `frontierwatch serve` process serving the store at `path`, if one is alive: {"url", "pid"}."""
    file = Path(path) / SERVER_FILE
    try:
        info = json.loads(file.read_text())
        os.kill(int(info["pid"]), 0)
        return info
    except (OSError, ValueError, KeyError, TypeError):
        return None
_MIGRATION = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """All shipped migrations as ``(version, name, sql)``, in version order."""
    found = []
    for item in resources.files("frontierwatch.store.migrations").iterdir():
        m = _MIGRATION.match(item.name)
        if m:
            found.append((int(m.group(1)), item.name, item.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions):
        raise StoreError(f"duplicate migration numbers in {versions}", f"迁移编号重复：{versions}")
    return found


class Store:
    """An open store. ``tables`` is the table seam every stage reads and writes through (`Tables`);
    ``cache_dir`` holds derived files. ``con`` (the DuckDB connection) is for `frontierwatch.store` only.

    Parameters
    ----------
    path : directory of the store; created when missing unless ``create=False``.
    read_only : open the database read-only (the web app uses this).
    """

    def __init__(self, path: str | Path, *, create: bool = True, read_only: bool = False):
        self.path = Path(path)
        db = self.path / DB_NAME
        if not db.exists() and not create:
            raise StoreError(
                f"no store at {self.path} (missing {DB_NAME}); run 'frontierwatch ingest PATH --store {self.path}' first",
                f"{self.path} 没有数据库（缺少 {DB_NAME}）；请先运行 'frontierwatch ingest PATH --store {self.path}'",
            )
        self.path.mkdir(parents=True, exist_ok=True)
        self.cache_dir = self.path / "cache"
        self.cache_dir.mkdir(exist_ok=True)
        self.read_only = read_only
        try:
            self.con = duckdb.connect(str(db), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            server = running_server(self.path)
            where = f" (frontierwatch serve, pid {server['pid']}, at {server['url']})" if server else ""
            raise StoreBusyError(
                f"store {self.path} is in use by another process{where}; stop it first, or use the web API",
                f"数据库 {self.path} 正被另一个进程占用{where}；请先停止它，或使用网站接口",
                server_url=server["url"] if server else None) from None
        self.tables = Tables(self.con, read_only=read_only)
        if not read_only:
            self.migrate()
        else:
            self._check_version()

    # -- schema -----------------------------------------------------------------------------------
    def schema_version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        ).fetchone()[0]
        if not exists:
            return 0
        return self.con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]

    def _check_version(self) -> None:
        newest = migrations()[-1][0]
        have = self.schema_version()
        if have > newest:
            raise StoreError(
                f"store {self.path} has schema version {have}, this frontierwatch knows up to {newest}; upgrade frontierwatch",
                f"数据库 {self.path} 的结构版本为 {have}，本程序只支持到 {newest}；请升级 frontierwatch",
            )

    def migrate(self) -> int:
        """Apply pending migrations in one transaction each; return the resulting version."""
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR, applied TIMESTAMP DEFAULT now())"
        )
        self._check_version()
        applied = {v for (v,) in self.con.execute("SELECT version FROM schema_version").fetchall()}
        for version, name, sql in migrations():
            if version in applied:
                continue  # by set, not by maximum: a store may have met later stages' migrations first
            log.info("applying migration %s", name)
            self.con.execute("BEGIN TRANSACTION")
            try:
                self.con.execute(sql)
                self.con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])
                self.con.execute("COMMIT")
            except Exception:
                self.con.execute("ROLLBACK")
                raise
        return self.schema_version()

    # -- helpers every stage uses ----------------------------------------------------------------
    def table_exists(self, name: str) -> bool:
        return self.tables.exists(name)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
