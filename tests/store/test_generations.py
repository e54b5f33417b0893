"""Published generations, the write lock and the user database (the store split of issue 12 item 5), on real stores
made from the committed arXiv sample."""
from __future__ import annotations

import subprocess
import sys
import time

import duckdb
import pytest

from frontierwatch.core import Observatory
from frontierwatch.hall import Hall
from frontierwatch.settings import load_settings
from frontierwatch.store import Store, migrations
from frontierwatch.store.database import DB_NAME, apply_migrations
from frontierwatch.store.generations import GenerationStore, current_generation, is_current, publish
from frontierwatch.store.users import USERS_DB, open_users
from tests.conftest import SAMPLES


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "store"
    with Observatory(path, load_settings(store=path)) as obs:
        obs.ingest([SAMPLES / "arxiv" / "arxiv-sample.jsonl.gz"])
    return path


def test_publish_copies_once_and_marks_what_it_copied(store_path):
    assert current_generation(store_path) is None and not is_current(store_path)
    first = publish(store_path)
    assert first.number == 1 and first.file.is_file() and is_current(store_path)
    assert publish(store_path).number == 1  # nothing changed: no new copy
    with Store(store_path) as s:
        s.con.execute("DELETE FROM documents WHERE doc_id IN (SELECT doc_id FROM documents LIMIT 6)")
    assert not is_current(store_path)
    second = publish(store_path)
    assert second.number == 2
    got = duckdb.connect(str(second.file), read_only=True)
    assert got.execute("SELECT count(*) FROM documents").fetchone()[0] == 1500
    got.close()
    for _ in range(2):
        with Store(store_path) as s:
            s.con.execute("DELETE FROM documents WHERE doc_id IN (SELECT doc_id FROM documents LIMIT 1)")
        publish(store_path)
    assert sorted(p.name for p in (store_path / "generations").iterdir()) == ["g000003.duckdb", "g000004.duckdb"]


def test_a_generation_is_read_only_and_leaves_the_pipeline_database_writable(store_path):
    gen = publish(store_path)
    users = open_users(store_path)
    served = GenerationStore(store_path, gen, users)
    try:
        assert served.read_only and served.con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1506
        with pytest.raises(duckdb.Error):
            served.con.execute("DELETE FROM documents")
        # another process writes the pipeline database while the generation is open (the server's situation)
        code = ("import sys; from frontierwatch.store import Store\n"
                "with Store(sys.argv[1]) as s: s.con.execute('DELETE FROM documents WHERE year = 2010')")
        assert subprocess.run([sys.executable, "-c", code, str(store_path)], timeout=300).returncode == 0
        assert served.con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1506
        Hall(served).create_user("writer", "long-enough-password", "admin")  # hall writes go to users.duckdb
        assert users.execute("SELECT count(*) FROM web_users").fetchone()[0] == 1
    finally:
        served.close()
        users.close()


def test_publish_does_not_wait_for_a_running_command(store_path):
    code = ("import sys, time; from frontierwatch.store import Store\n"
            "s = Store(sys.argv[1]); print('open', flush=True); time.sleep(30)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(store_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        start = time.monotonic()
        assert publish(store_path) is None and time.monotonic() - start < 5
    finally:
        holder.kill()
        holder.wait()
    assert publish(store_path).number == 1


def test_an_old_single_file_store_moves_its_accounts_and_hall_to_the_user_database(tmp_path):
    """A store made before the split (migrations up to 0007, hall rows in the pipeline file) upgrades on open."""
    path = tmp_path / "old"
    path.mkdir()
    con = duckdb.connect(str(path / DB_NAME))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR, applied TIMESTAMP DEFAULT now())")
    for version, name, sql in migrations():
        if version <= 7:
            con.execute(sql)
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])
    con.execute("INSERT INTO web_users VALUES (1, 'chief', 'argon2-hash', 'admin', NULL, now(), false)")
    con.execute("INSERT INTO hall_items (item_id, kind, status, title, body, submitter_id, created, updated) "
                "VALUES (7, 'achievement', 'approved', '量子密钥分发终端', '城域网络', 1, now(), now())")
    con.execute("INSERT INTO hall_audit VALUES (now(), 1, 'approve', 7, '')")
    con.close()
    assert not (path / USERS_DB).exists()
    with Store(path) as s:
        assert not s.table_exists("hall_items") and not s.table_exists("web_users")
        assert s.users.execute("SELECT username, role FROM web_users").fetchall() == [("chief", "admin")]
        assert s.users.execute("SELECT item_id, title FROM hall_items").fetchall() == [(7, "量子密钥分发终端")]
        assert s.users.execute("SELECT count(*) FROM hall_audit").fetchone()[0] == 1
        assert Hall(s).public_items("achievement")[0]["item_id"] == 7
    with Store(path) as s:  # reopening moves nothing twice
        assert s.users.execute("SELECT count(*) FROM hall_items").fetchone()[0] == 1


def test_each_database_gets_its_own_migrations(tmp_path):
    with Store(tmp_path / "s") as s:
        s.users  # opened on first use
    pipeline = duckdb.connect(str(tmp_path / "s" / DB_NAME), read_only=True)
    users = duckdb.connect(str(tmp_path / "s" / USERS_DB), read_only=True)
    assert [v for (v,) in pipeline.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()] == \
        [v for v, _, _ in migrations("pipeline")]
    assert [v for (v,) in users.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()] == \
        [v for v, _, _ in migrations("users")]
    pipeline.close()
    users.close()
    assert apply_migrations  # the one migration runner both databases use
