"""The store: a directory with the pipeline database, the user database and caches, each with a versioned schema.

Layout of a store directory, and who writes what (issue 12 item 5: the site stays up while data is rebuilt):

``frontierwatch.duckdb``  the *pipeline* database: documents, embeddings, topics, signals, forecasts, editions,
                          the search index — written by batch commands (ingest, build, update, catalog …), one at
                          a time (``write.lock``; a second command waits for the first).
``users.duckdb``          the *user* database: accounts, sessions, release-hall items, links, audit
                          (`frontierwatch.store.users`) — owned by ``frontierwatch serve`` while it runs.
``generations/gNNNNNN.duckdb`` + ``published.json``
                          read-only copies of the pipeline database that a running server reads
                          (`frontierwatch.store.generations`): the server publishes a new one when a batch command
                          has changed the pipeline database and swaps to it without a restart or a failed request.
``serve.json``            written by a running server: its URL and pid.
``cache/``                derived files (rendered editions).

Without a server the pipeline and user databases are opened directly, as before. With one, batch commands still
write the pipeline database (the server never holds it open), and only what needs the user database (``admin
create``, a local ``match`` with hall achievements) is told to go through the site.

Migrations are the numbered ``migrations/NNNN_<stage>.sql`` files of this package, applied in order, once each, and
recorded in each database's ``schema_version``: ``NNNN_users.sql`` apply to the user database, the others to the
pipeline database. A database written by a newer frontierwatch is refused, not guessed at.

Stages reach the tables through ``Store.tables`` (`frontierwatch.store.tables`, the table seam) — and the
user database through ``Store.users_tables`` — never through a connection.
"""
from __future__ import annotations

import json
import logging
import os
import re
from importlib import resources
from pathlib import Path

import duckdb

from frontierwatch.errors import StoreBusyError, StoreError
from frontierwatch.store import locking
from frontierwatch.store.tables import Tables

log = logging.getLogger(__name__)
DB_NAME = "frontierwatch.duckdb"
SERVER_FILE = "serve.json"  # written by a running `frontierwatch serve`: {"url", "pid"}
SPLIT_VERSION = 10          # pipeline migration that drops the user tables once their rows are in users.duckdb


def running_server(path: str | Path) -> dict | None:
    """The `frontierwatch serve` process serving the store at `path`, if one is alive: {"url", "pid"}."""
    file = Path(path) / SERVER_FILE
    try:
        info = json.loads(file.read_text())
        os.kill(int(info["pid"]), 0)
        return info
    except (OSError, ValueError, KeyError, TypeError):
        return None


_MIGRATION = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


def migrations(database: str = "pipeline") -> list[tuple[int, str, str]]:
    """The shipped migrations of `database` ('pipeline' or 'users') as ``(version, name, sql)``, in order."""
    found = []
    for item in resources.files("frontierwatch.store.migrations").iterdir():
        m = _MIGRATION.match(item.name)
        if m:
            target = "users" if m.group(2) == "users" else "pipeline"
            found.append((int(m.group(1)), item.name, item.read_text(encoding="utf-8"), target))
    found.sort()
    versions = [v for v, _, _, _ in found]
    if len(set(versions)) != len(versions):
        raise StoreError(f"duplicate migration numbers in {versions}", f"迁移编号重复：{versions}")
    return [(v, name, sql) for v, name, sql, target in found if target == database]


def schema_version(con) -> int:
    exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
                         ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def check_version(con, where, database: str = "pipeline") -> None:
    """Refuse a database written by a newer frontierwatch."""
    newest = migrations(database)[-1][0]
    have = schema_version(con)
    if have > newest:
        raise StoreError(
            f"store {where} has schema version {have}, this frontierwatch knows up to {newest}; upgrade frontierwatch",
            f"数据库 {where} 的结构版本为 {have}，本程序只支持到 {newest}；请升级 frontierwatch",
        )


def apply_migrations(con, where, database: str = "pipeline", before=None) -> int:
    """Apply the pending migrations of `database` on `con`, one transaction each; `before(version)` runs first
    for each pending one (the store's data moves). Returns the resulting version."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR, applied TIMESTAMP DEFAULT now())"
    )
    check_version(con, where, database)
    applied = {v for (v,) in con.execute("SELECT version FROM schema_version").fetchall()}
    for version, name, sql in migrations(database):
        if version in applied:
            continue  # by set, not by maximum: a store may have met later stages' migrations first
        if before is not None:
            before(version)
        log.info("applying migration %s", name)
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return schema_version(con)


class Store:
    """An open store: ``tables`` is the table seam every stage reads and writes the pipeline database through
    (`Tables`), ``users_tables`` the same over the user database (opened on first use); ``cache_dir`` holds derived
    files. ``con`` and ``users`` (the DuckDB connections) are for `frontierwatch.store` only.

    Parameters
    ----------
    path : directory of the store; created when missing unless ``create=False``.
    read_only : open the databases read-only (no write lock, no migrations).
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
        self._users = None
        self._users_tables = None
        self._users_known: set[str] = set()  # user tables seen to exist (`users_table_exists`)
        self._lock = None if read_only else locking.acquire(self.path, what="frontierwatch")
        try:
            self.con = self._connect(db, read_only)
            self.tables = Tables(self.con, read_only=read_only)
            if not read_only:
                self.migrate()
            else:
                check_version(self.con, self.path)
        except BaseException:
            self.close()
            raise

    def _connect(self, db: Path, read_only: bool):
        try:
            return duckdb.connect(str(db), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            server = running_server(self.path)
            where = f" (frontierwatch serve, pid {server['pid']}, at {server['url']})" if server else ""
            raise StoreBusyError(
                f"store {self.path} is in use by another process{where}; wait for it to finish or stop it",
                f"数据库 {self.path} 正被另一个进程占用{where}；请等它结束或停止它",
                server_url=server["url"] if server else None) from None

    # -- schema -----------------------------------------------------------------------------------
    def schema_version(self) -> int:
        return schema_version(self.con)

    def migrate(self) -> int:
        """Apply the pipeline database's pending migrations (moving a pre-split store's user rows first)."""
        return apply_migrations(self.con, self.path, "pipeline", before=self._before_migration)

    def _before_migration(self, version: int) -> None:
        if version != SPLIT_VERSION:
            return
        from frontierwatch.store.users import legacy_user_rows, move_legacy_user_tables

        if legacy_user_rows(self.con):  # an old single-file store with accounts or hall items
            move_legacy_user_tables(self.con, self.users)

    # -- the user database ------------------------------------------------------------------------
    @property
    def users(self):
        """The user database's connection (accounts, sessions, hall), opened and migrated on first use.
        Raises StoreBusyError naming the running server, which owns it while it runs."""
        if self._users is None:
            from frontierwatch.store.users import open_users

            self._users = open_users(self.path, read_only=self.read_only)
            if self._users is None:
                raise StoreError(f"store {self.path} has no user database yet (accounts, release hall)",
                                 f"数据库 {self.path} 尚无用户数据（账号、成果大厅）")
        return self._users

    @property
    def users_tables(self) -> Tables:
        """The table seam over the user database (`users`): what the release hall reads and writes through."""
        if self._users_tables is None or self._users_tables._con is not self.users:
            self._users_tables = Tables(self.users, read_only=self.read_only)
        return self._users_tables

    def users_table_exists(self, name: str) -> bool:
        """Whether the user database has table `name` (False when it cannot be opened or does not exist)."""
        if name in self._users_known:  # tables are only ever added (by migrations), never dropped while open
            return True
        try:
            found = self.users_tables.exists(name)
        except StoreError:
            return False
        if found:
            self._users_known.add(name)
        return found

    # -- helpers every stage uses ----------------------------------------------------------------
    def table_exists(self, name: str) -> bool:
        return self.tables.exists(name)

    def close(self) -> None:
        for con in (getattr(self, "con", None), self._users):
            if con is not None:
                con.close()
        self._users = self._users_tables = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
