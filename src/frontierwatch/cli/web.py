"""`serve` and `admin create` commands: run the web app, make the first administrator.

The server opens the store read-write (the release hall writes accounts and submissions, and DuckDB allows
one writing process), so stop the server before running `build` or `ingest` on the same store. While it runs it
leaves `serve.json` in the store, so read commands such as `match` answer through its API instead.
"""
from __future__ import annotations

import json
import os
import sys
from typing import Annotated

import typer

from frontierwatch.cli.common import StoreOpt, errors_to_exit, lang, open_observatory
from frontierwatch.errors import InputError
from frontierwatch.store.database import SERVER_FILE


def serve_command(
    host: Annotated[str, typer.Option(help="Interface to listen on (127.0.0.1 = this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    store: StoreOpt = None,
) -> None:
    """Serve the web app and the release hall (FastAPI + uvicorn). / 启动网站与成果发布大厅。"""
    import uvicorn

    from frontierwatch.web import create_app

    with errors_to_exit():
        obs = open_observatory(store, create=False)
        app = create_app(obs, obs.settings)
    url = f"http://{host}:{port}/"
    typer.echo(f"serving {obs.store_path} at {url}  (Ctrl+C stops) / 网站地址 {url}")
    # Lets other commands on this store (which DuckDB locks to this process) use the server instead.
    marker = obs.store_path / SERVER_FILE
    marker.write_text(json.dumps({"url": url, "pid": os.getpid()}))
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        marker.unlink(missing_ok=True)
        obs.close()


def admin_create_command(
    username: Annotated[str, typer.Option("--username", help="Account name (3–40 of A-Z a-z 0-9 _ . -).")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input.")] = False,
    role: Annotated[str, typer.Option(help="viewer, submitter, moderator, governance or admin.")] = "admin",
    email: Annotated[str | None, typer.Option(help="E-mail for password resets and notifications (optional).")] = None,
    store: StoreOpt = None,
) -> None:
    """Create an account (by default the administrator) for the release hall. / 创建管理员账号。"""
    from frontierwatch.hall import Hall

    with errors_to_exit():
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        elif sys.stdin.isatty():
            password = typer.prompt("password / 密码", hide_input=True, confirmation_prompt=True)
        else:
            raise InputError("give the password with --password-stdin (never on the command line)",
                             "请用 --password-stdin 从标准输入提供密码（不要写在命令行上）")
        with open_observatory(store) as obs:
            hall = Hall(obs.store)
            user = hall.create_user(username, password, role, email)
            from frontierwatch.risk import audit
            audit.append(obs.store.con, None, "admin_create", "user", user.user_id, f"role {role} via command line")
    zh = lang() == "zh"
    typer.echo(f"已创建用户 {user.username}（角色 {user.role}）" if zh else f"created user {user.username} (role {user.role})")


__all__ = ["serve_command", "admin_create_command"]
