"""The user database: accounts, sessions, release-hall items, topic links and the audit log, in its own file.

Why a file of its own (``<store>/users.duckdb``): these rows are written by the web server while it runs, the
pipeline tables by batch commands (ingest, build, update, catalog). DuckDB lets one process write a file, so with
one file the site had to stop for every rebuild. Split, the server owns the user database for as long as it runs
and reads a published copy of the pipeline database (`frontierwatch.store.generations`), while batch commands
write the pipeline database — and no rebuild can touch, copy over or lose a hall write.

The user database has its own migrations (``migrations/NNNN_users.sql``) and ``schema_version``. A store from
before the split kept these tables in the pipeline database: `move_legacy_user_tables` copies their rows here
once (before pipeline migration 0010 drops them there).
"""
from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from frontierwatch.errors import StoreBusyError

log = logging.getLogger(__name__)

USERS_DB = "users.duckdb"
# Tables of the user database, parents first (the order rows are moved in).
USER_TABLES = ("web_users", "web_sessions", "hall_items", "hall_topic_links", "hall_audit")


def open_users(path: str | Path, *, read_only: bool = False):
    """A connection to the user database of the store at `path`, migrated (created when missing unless
    `read_only`). Raises StoreBusyError naming the running server when another process holds it."""
    from frontierwatch.store.database import apply_migrations, check_version, running_server

    path = Path(path)
    db = path / USERS_DB
    if read_only and not db.exists():
        return None
    try:
        con = duckdb.connect(str(db), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise
        server = running_server(path)
        url = server["url"] if server else None
        where = f"the running server (frontierwatch serve, pid {server['pid']}, at {url})" if server else \
            "another process"
        where_zh = f"正在运行的网站（frontierwatch serve，进程 {server['pid']}，{url}）" if server else "另一个进程"
        raise StoreBusyError(
            f"the accounts and release hall of {path} are held by {where}: use the site (the first administrator "
            "is created with the one-time setup link that 'frontierwatch serve' printed), or stop it first",
            f"{path} 的账号与成果大厅数据由{where_zh}占用：请通过网站操作（首个管理员用 'frontierwatch serve' "
            "打印的一次性设置链接创建），或先停止它", server_url=url) from None
    if read_only:
        check_version(con, db, "users")
    else:
        apply_migrations(con, db, "users")
    return con


def move_legacy_user_tables(pipeline, users) -> int:
    """Copy the user tables' rows from a pre-split pipeline database into the (empty) user database, in one
    transaction there; returns the rows moved. Tables already holding rows in the user database are left alone,
    so a run interrupted after the copy moves nothing twice."""
    moved = 0
    have = {r[0] for r in pipeline.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    users.execute("BEGIN TRANSACTION")
    try:
        for table in USER_TABLES:
            if table not in have or users.execute(f"SELECT count(*) FROM {table}").fetchone()[0]:
                continue
            cur = pipeline.execute(f"SELECT * FROM {table}")
            columns = [d[0] for d in cur.description]
            rows = cur.fetchall()  # accounts and hall items: small tables
            if rows:
                users.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                  f"({', '.join('?' * len(columns))})", rows)
                moved += len(rows)
        users.execute("COMMIT")
    except Exception:
        users.execute("ROLLBACK")
        raise
    if moved:
        log.info("moved %d rows of accounts and hall data into %s", moved, USERS_DB)
    return moved


def legacy_user_rows(pipeline) -> int:
    """Rows a pre-split pipeline database still holds in user tables (0 for a new store)."""
    have = {r[0] for r in pipeline.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    return sum(pipeline.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in USER_TABLES if t in have)
