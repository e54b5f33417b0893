"""`admin create --role governance`, `governance export|verify|flags` on a real store (the committed arXiv sample)."""
from __future__ import annotations

import io
import json

from openpyxl import load_workbook
from typer.testing import CliRunner

from frontierwatch.cli.app import app
from frontierwatch.core import Observatory
from frontierwatch.hall import Hall


def test_a_governance_reviewer_is_created_and_the_register_exported(tmp_path):
    store = tmp_path / "store"
    runner = CliRunner()
    r = runner.invoke(app, ["admin", "create", "--username", "reviewer", "--password-stdin", "--role", "governance",
                            "--email", "reviewer@example.org", "--store", str(store)], input="a-long-review-password\n")
    assert r.exit_code == 0, r.output
    with Observatory(store) as obs:
        user = Hall(obs.store).authenticate("reviewer", "a-long-review-password")
        assert user.role == "governance" and user.can("governance") and not user.can("moderator")
    out = tmp_path / "register.xlsx"
    r = runner.invoke(app, ["governance", "export", "--format", "xlsx", "--out", str(out), "--store", str(store)])
    assert r.exit_code == 0, r.output
    wb = load_workbook(io.BytesIO(out.read_bytes()))
    actions = [row[3] for row in wb["audit_log"].iter_rows(min_row=2, values_only=True)]
    assert actions == ["admin_create", "export"]
    r = runner.invoke(app, ["governance", "verify", "--store", str(store)])
    assert r.exit_code == 0 and "intact: 2 rows" in r.output
    with Observatory(store) as obs:
        obs.store.users.execute("UPDATE audit_log SET detail = 'role admin' WHERE seq = 1")
    r = runner.invoke(app, ["governance", "verify", "--store", str(store)])
    assert r.exit_code == 1 and "broken at row 1" in r.output
    r = runner.invoke(app, ["governance", "export", "--format", "csv", "--out", str(out), "--store", str(store)])
    assert r.exit_code == 1 and "json or xlsx" in r.output


def test_flags_of_every_topic_of_a_map(tmp_path, arxiv_sample):
    store = tmp_path / "store"
    with Observatory(store) as obs:
        obs.ingest([arxiv_sample])
        obs.build(as_of="2019-12-31")
    r = CliRunner().invoke(app, ["governance", "flags", "--json", "--store", str(store)])
    assert r.exit_code == 0, r.output
    got = json.loads(r.output)
    assert got["n_topics"] > 0 and got["taxonomy"]["version"] >= 2
    for topic in got["topics"]:
        assert topic["flags"] and all(f["n_documents"] >= 3 or f["keyphrase_terms"] for f in topic["flags"])
