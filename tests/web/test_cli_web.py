"""`admin create` (first administrator, password from stdin) and `serve` (registered by the lead in cli/app.py)."""
from __future__ import annotations

import typer
from typer.testing import CliRunner

from frontierwatch.cli.web import admin_create_command
from frontierwatch.core import Observatory
from frontierwatch.hall import Hall


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("create")(admin_create_command)
    app.command("noop")(lambda: None)
    return app


def test_admin_create_reads_the_password_from_stdin(tmp_path):
    store = tmp_path / "store"
    r = CliRunner().invoke(_app(), ["create", "--username", "root", "--password-stdin", "--store", str(store)],
                           input="a-long-admin-password\n")
    assert r.exit_code == 0, r.output
    with Observatory(store) as obs:
        user = Hall(obs.store).authenticate("root", "a-long-admin-password")
    assert user is not None and user.role == "admin"


def test_admin_create_refuses_weak_passwords_with_one_line(tmp_path):
    r = CliRunner().invoke(_app(), ["create", "--username", "root", "--password-stdin", "--store", str(tmp_path / "s")],
                           input="short\n")
    assert r.exit_code == 1 and "password" in r.output
