"""The table seam: the one place that knows the store is DuckDB. Stages read and write tables through it.

Contract (engine-neutral — an implementation over Parquet, e.g. for Spark, provides the same methods):

* A store holds named tables whose columns are defined by the migrations in ``store/migrations``.
* ``read(table, columns=None, where=None, order_by=None, limit=None) -> pyarrow.Table`` — the rows of `table`
  matching `where`, with `columns` (default: all, in table order), sorted by `order_by` (columns; a name
  ending in `` DESC`` sorts descending), at most `limit` rows.
* ``where`` is a mapping ``{"column": value}`` (equality; ``None`` means IS NULL), ``{"column in": values}``
  (membership) or ``{"column OP": value}`` with OP one of ``!= < <= > >=``. All terms must hold. This is
  all the filtering `read` offers: anything richer is a query of the owning stage (see `sql`).
* ``scan(table, columns=None, where=None, order_by=None, batch_rows=20_000) -> Iterator[pyarrow.RecordBatch]`` —
  the same rows as `read`, in batches, for tables too large to hold at once. It reads committed rows only
  (it runs beside the caller's own writes, which it does not see).
* ``append(table, data: pyarrow.Table) -> int`` — adds the rows; columns matched by name, missing columns
  take their defaults.
* ``replace(table, data, where) -> int`` — deletes the rows matching `where` and appends `data`, atomically
  (readers see the old rows or the new ones, never a mix). The usual key is a map, an edition or a model.
* ``upsert(table, data, key) -> int`` — appends `data`, replacing rows with the same `key` columns (the
  table's primary key).
* ``delete(table, where) -> int`` — deletes the matching rows.
* ``transaction()`` — a context manager: every write inside commits together, or none does when the block
  raises. Nested use joins the outer transaction.
* ``exists(table) -> bool``.
* ``sql(query, params=None, tables=None) -> QueryResult`` — the narrow escape hatch for SQL over a stage's own
  tables. Only the stages' query modules (``<stage>/queries.py`` and the modules they name) call it; the SQL
  is DuckDB's dialect, so another engine runs these modules' statements on DuckDB over its Parquet files or
  ports them. `tables` maps names to Arrow tables the query may join (``{"wanted": pa.table(...)}``).
  ``QueryResult`` gives ``arrow()``, ``batches()``, ``rows()``, ``dicts()``, ``one()``, ``scalar()``, ``numpy()`` and
  ``columns``; a query runs when its answer is read, any other statement at once.

Rows read are committed rows plus the writes of the caller's own open transaction. One `Tables` is not safe
to share between threads without a lock (the web app serialises store access with one).
"""
from __future__ import annotations

import contextlib
import itertools
import logging
import re
from collections.abc import Iterator, Mapping, Sequence

import duckdb
import pyarrow as pa

from frontierwatch.errors import StoreError
from frontierwatch.store.memo import memo_key

log = logging.getLogger(__name__)

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_OPS = ("=", "!=", "<", "<=", ">", ">=", "in")
_names = itertools.count()


def _ident(name: str) -> str:
    if not _IDENT.match(name or ""):
        raise ValueError(f"{name!r} is not a table or column name (letters, digits and _ only)")
    return name


def _where(where: Mapping | None) -> tuple[str, list]:
    """SQL ``WHERE`` text and parameters for a `where` mapping (see the module docstring)."""
    if not where:
        return "", []
    terms, params = [], []
    for key, value in where.items():
        column, _, op = key.partition(" ")
        column, op = _ident(column), (op.strip().lower() or "=")
        if op not in _OPS:
            raise ValueError(f"filter {key!r}: operator {op!r} should be one of {', '.join(_OPS)}")
        if op == "in":
            values = list(value.to_pylist() if isinstance(value, (pa.Array, pa.ChunkedArray)) else value)
            terms.append(f"{column} IN (SELECT unnest(?))")
            params.append(values)
        elif value is None:
            if op not in ("=", "!="):
                raise ValueError(f"filter {key!r}: None compares only with = or !=")
            terms.append(f"{column} IS {'NOT ' if op == '!=' else ''}NULL")
        else:
            terms.append(f"{column} {op} ?")
            params.append(value)
    return " WHERE " + " AND ".join(terms), params


def _missing(exc: Exception) -> StoreError:
    """A table or column the store lacks: the stage that writes it has not run, or the store is older."""
    return StoreError(f"the store lacks a table or column ({exc}); run the stage that writes it, or open the store "
                      f"writable once to apply new migrations",
                      f"数据库缺少表或列（{exc}）；请先运行写入它的步骤，或以可写方式打开一次以应用新的迁移")


def _order(order_by: str | Sequence[str] | None) -> str:
    if not order_by:
        return ""
    items = [order_by] if isinstance(order_by, str) else list(order_by)
    out = []
    for item in items:
        column, _, direction = item.partition(" ")
        direction = direction.strip().upper()
        if direction not in ("", "ASC", "DESC"):
            raise ValueError(f"order_by {item!r}: direction should be ASC or DESC")
        out.append(f"{_ident(column)} {direction}".strip())
    return " ORDER BY " + ", ".join(out)


_QUERY = re.compile(r"^\s*(?:\(|(?:select|with|from|values|table|pivot|unpivot|describe|show|summarize)\b)", re.I)


class QueryResult:
    """The answer of `Tables.sql`: read it once, in the shape the caller needs. A query runs when it is read
    (rows through the DB-API cursor, which is cheapest for the small answers query modules mostly ask for; Arrow
    and numpy through a relation, which makes no extra copy); any other statement has already run. Reading it
    drops the Arrow tables the query joined, so read it before the next call to the same `Tables`."""

    def __init__(self, con, query: str, params, release, done: list[tuple] | None = None, memo=None):
        self._con, self._query, self._params, self._release, self._done = con, query, params, release, done
        self._memo = memo  # (ReadMemo, key) on a store that cannot change (`frontierwatch.store.memo`), else None

    def _kept(self, shape: str, compute, rows=len):
        if self._memo is None:
            return compute()
        memo, key = self._memo
        return memo.get((shape, *key), compute, rows)

    def _run(self, how):
        try:
            return how(self._con)
        except duckdb.CatalogException as exc:
            raise _missing(exc) from None
        finally:
            self._release()

    def _relation(self, con):
        return con.sql(self._query, params=self._params or None)

    @property
    def columns(self) -> list[str]:
        if self._done is not None:
            return []
        try:
            return list(self._relation(self._con).columns)
        except duckdb.CatalogException as exc:
            raise _missing(exc) from None

    def arrow(self) -> pa.Table:
        """All rows as a `pyarrow.Table`."""
        return self._kept("arrow", lambda: self._run(lambda con: self._relation(con).to_arrow_table()),
                          lambda t: t.num_rows)

    def numpy(self) -> dict:
        """All rows as ``{column: numpy array}`` (masked arrays where values are missing)."""
        return self._run(lambda con: self._relation(con).fetchnumpy())

    def batches(self, batch_rows: int = 50_000) -> pa.RecordBatchReader:
        """The rows as Arrow record batches of at most `batch_rows`, read as they are consumed (exports of the
        whole store in constant memory). Read it to the end before the next call to the same `Tables`."""
        def read(con):
            relation = self._relation(con)
            if hasattr(relation, "to_arrow_reader"):  # DuckDB 2
                return relation.to_arrow_reader(batch_rows)
            return relation.fetch_record_batch(batch_rows)
        return self._run(read)

    def rows(self) -> list[tuple]:
        """All rows as tuples of plain Python values (dates, lists, dicts for maps and structs)."""
        if self._done is not None:
            return self._done
        return list(self._kept("rows", lambda: self._run(
            lambda con: con.execute(self._query, self._params or []).fetchall())))

    def dicts(self) -> list[dict]:
        """All rows as ``{column: value}`` dicts."""
        def read(con):
            cursor = con.execute(self._query, self._params or [])
            cols = [d[0] for d in cursor.description]
            return [dict(zip(cols, r)) for r in cursor.fetchall()]
        return self._run(read)

    def one(self) -> tuple | None:
        """The first row, or None when there is none."""
        if self._done is not None:
            return self._done[0] if self._done else None

        def read(con):
            row = con.execute(self._query, self._params or []).fetchone()
            con.complete()  # the rest of the answer, so the connection is free for the next statement
            return row
        return self._kept("one", lambda: self._run(read), lambda _: 1)

    def scalar(self):
        """The first column of the first row, or None when there is no row."""
        row = self.one()
        return None if row is None else row[0]


class Tables:
    """The DuckDB implementation of the table seam over one open connection (see the module docstring)."""

    def __init__(self, con, *, read_only: bool = False, memo=None):
        self._con = con
        self.read_only = read_only
        # answers kept for a store that cannot change (a published generation; `frontierwatch.store.memo`)
        self._memo = memo if read_only else None
        self._depth = 0  # open `transaction()` blocks; DuckDB has no nested transactions, inner ones join
        self._joined: list[str] = []  # Arrow tables registered for the last `sql` until its result is read

    # -- reads ----------------------------------------------------------------------------------------------
    def exists(self, table: str) -> bool:
        def ask() -> bool:
            self._release()
            return bool(self._con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                                          [table]).fetchall()[0][0])
        return ask() if self._memo is None else self._memo.get(("exists", table), ask, lambda _: 1)

    def read(self, table: str, columns: Sequence[str] | None = None, where: Mapping | None = None,
             order_by: str | Sequence[str] | None = None, limit: int | None = None) -> pa.Table:
        cols = ", ".join(_ident(c) for c in columns) if columns else "*"
        clause, params = _where(where)
        sql = f"SELECT {cols} FROM {_ident(table)}{clause}{_order(order_by)}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        def ask() -> pa.Table:
            self._release()
            try:
                return self._con.sql(sql, params=params or None).to_arrow_table()
            except duckdb.CatalogException as exc:
                raise _missing(exc) from None
        if self._memo is None:
            return ask()
        return self._memo.get(memo_key("read", sql, params), ask, lambda t: t.num_rows)

    def scan(self, table: str, columns: Sequence[str] | None = None, where: Mapping | None = None,
             order_by: str | Sequence[str] | None = None, batch_rows: int = 20_000) -> Iterator[pa.RecordBatch]:
        cols = ", ".join(_ident(c) for c in columns) if columns else "*"
        clause, params = _where(where)
        self._release()
        cursor = self._con.cursor()  # a connection of its own: the caller's writes would end a reader on this one
        try:
            reader = cursor.sql(f"SELECT {cols} FROM {_ident(table)}{clause}{_order(order_by)}",
                                params=params or None).to_arrow_reader(batch_rows)
            yield from reader
        finally:
            cursor.close()

    def sql(self, query: str, params: Sequence | Mapping | None = None,
            tables: Mapping[str, pa.Table] | None = None) -> QueryResult:
        """Run one SQL statement of a stage's query module (DuckDB dialect); see the module docstring."""
        self._release()
        for name, data in (tables or {}).items():
            self._con.register(_ident(name), data)
            self._joined.append(name)
        if _QUERY.match(query):
            key = memo_key(query, params) if self._memo is not None and not tables else None
            return QueryResult(self._con, query, params, self._release, memo=None if key is None else (self._memo, key))
        try:  # any other statement runs now
            done = self._con.execute(query, params or []).fetchall()
        except duckdb.CatalogException as exc:
            raise _missing(exc) from None
        finally:
            self._release()
        return QueryResult(self._con, query, params, self._release, done)

    # -- writes ---------------------------------------------------------------------------------------------
    def append(self, table: str, data: pa.Table) -> int:
        if data.num_rows == 0:
            return 0
        name = f"_fw_append_{next(_names)}"
        cols = ", ".join(_ident(c) for c in data.column_names)
        with self._registered({name: data}):
            self._con.execute(f"INSERT INTO {_ident(table)} ({cols}) SELECT {cols} FROM {name}")
        return data.num_rows

    def upsert(self, table: str, data: pa.Table, key: Sequence[str]) -> int:
        """Append `data`, replacing rows with the same `key` (which must be `table`'s primary key)."""
        for k in key:
            if k not in data.column_names:
                raise ValueError(f"upsert into {table}: key column {k!r} missing from the data")
        if data.num_rows == 0:
            return 0
        name = f"_fw_upsert_{next(_names)}"
        cols = ", ".join(_ident(c) for c in data.column_names)
        with self._registered({name: data}):
            self._con.execute(f"INSERT OR REPLACE INTO {_ident(table)} ({cols}) SELECT {cols} FROM {name}")
        return data.num_rows

    def delete(self, table: str, where: Mapping | None) -> int:
        clause, params = _where(where)
        self._release()
        return int(self._con.execute(f"DELETE FROM {_ident(table)}{clause}", params).fetchall()[0][0])

    def replace(self, table: str, data: pa.Table, where: Mapping) -> int:
        if not where:
            raise ValueError(f"replace into {table}: give the key of the rows to replace (where=...)")
        with self.transaction():
            self.delete(table, where)
            return self.append(table, data)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._release()
        self._con.execute("BEGIN TRANSACTION")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            with contextlib.suppress(Exception):  # a failed statement may have left nothing to finish
                self._release()
            self._con.execute("ROLLBACK")
            raise
        self._depth = 0
        self._release()
        self._con.execute("COMMIT")

    # -- plumbing -------------------------------------------------------------------------------------------
    def _release(self) -> None:
        """Drop the Arrow tables the last `sql` joined, and finish any unread result of the connection's
        ``execute()`` (DuckDB refuses other work while one is pending; the seam itself leaves none)."""
        self._con.complete()
        while self._joined:
            self._con.unregister(self._joined.pop())

    @contextlib.contextmanager
    def _registered(self, tables: Mapping[str, pa.Table]) -> Iterator[None]:
        self._release()
        done = []
        try:
            for name, data in tables.items():
                self._con.register(_ident(name), data)
                done.append(name)
            yield
        finally:
            for name in done:
                self._con.unregister(name)
