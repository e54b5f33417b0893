"""The store: migrations apply once, in order, and a newer store is refused with a clear message."""
import pytest

from frontierwatch.errors import StoreError
from frontierwatch.store import Store, migrations


def test_migrations_apply_once_and_record_version(tmp_path):
    s = Store(tmp_path / "s")
    newest = migrations()[-1][0]
    assert s.schema_version() == newest
    assert s.table_exists("documents") and s.table_exists("rejects") and s.table_exists("ingest_runs")
    s.close()
    s = Store(tmp_path / "s")  # reopening applies nothing twice
    assert s.con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(migrations())
    s.close()


def test_newer_store_is_refused(tmp_path):
    s = Store(tmp_path / "s")
    s.con.execute("INSERT INTO schema_version (version, name) VALUES (9999, 'future')")
    s.close()
    with pytest.raises(StoreError, match="upgrade frontierwatch"):
        Store(tmp_path / "s")


def test_missing_store_not_created_when_asked(tmp_path):
    with pytest.raises(StoreError, match="frontierwatch ingest"):
        Store(tmp_path / "nothing", create=False)



def test_missing_lower_migrations_are_applied(tmp_path):
    """A store that met a later stage's migration before an earlier one still receives the earlier one."""
    import re

    version, _, sql = migrations()[1]
    tables = re.findall(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+)", sql)
    s = Store(tmp_path / "s")
    for table in tables:
        s.con.execute(f"DROP TABLE {table}")
    s.con.execute("DELETE FROM schema_version WHERE version = ?", [version])
    s.close()
    s = Store(tmp_path / "s")
    assert all(s.table_exists(t) for t in tables)
    assert s.con.execute("SELECT count(*) FROM schema_version WHERE version = ?", [version]).fetchone()[0] == 1
    s.close()
