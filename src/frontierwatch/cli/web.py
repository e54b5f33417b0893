"""`serve` and `admin create` commands: run the web app, make an administrator.

The server keeps the site up while the data is rebuilt: it owns the store's user database (accounts, sessions,
the release hall) and reads published read-only generations of the pipeline database, so ``ingest``, ``build``,
``update`` and ``catalog`` run beside it and the site moves to their result without a restart
(`frontierwatch.store.generations`, `frontierwatch.web.generation_watch`). While it runs it leaves ``serve.json``
in the store; commands that need the user database (``admin create``; ``match``, which answers through the site)
use the site instead. When the store has no administrator, it prints a one-time link that creates the first one.
"""
from __future__ import annotations

import json
import os
import secrets
import sys
from typing import Annotated

import typer

from frontierwatch.cli.common import StoreOpt, errors_to_exit, lang, open_observatory
from frontierwatch.errors import InputError, StoreBusyError
from frontierwatch.settings import load_settings
from frontierwatch.store.database import SERVER_FILE, running_server


def serve_command(
    host: Annotated[str, typer.Option(help="Interface to listen on (127.0.0.1 = this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    poll: Annotated[float, typer.Option(min=0.1, max=3600, help="Seconds between checks for rebuilt data.")] = 1.0,
    store: StoreOpt = None,
) -> None:
    """Serve the web app and the release hall (FastAPI + uvicorn); stays up while data is rebuilt. / 启动网站与成果发布大厅（重建数据时不停机）。"""
    import uvicorn

    from frontierwatch.core import Observatory
    from frontierwatch.store.generations import GenerationStore, current_generation, publish
    from frontierwatch.store.users import open_users
    from frontierwatch.web import create_app
    from frontierwatch.web.generation_watch import GenerationWatcher, prepare_for_serving
    from frontierwatch.web.warmup import Warmup

    settings = load_settings(store=store)
    path = settings.store
    url = f"http://{host}:{port}/"
    marker = path / SERVER_FILE
    users = obs = watcher = None
    try:
        with errors_to_exit():
            other = running_server(path)
            if other and other["pid"] != os.getpid():
                raise StoreBusyError(f"store {path} is already served by pid {other['pid']} at {other['url']}",
                                     f"数据库 {path} 已由进程 {other['pid']} 在 {other['url']} 提供服务",
                                     server_url=other["url"])
            gen = publish(path, prepare_for_serving) or current_generation(path)
            if gen is None:  # a command is writing a store never published: serve its result when it is done
                typer.echo("waiting for the running command to finish before the first publication / 等待正在运行的命令结束")
                gen = publish(path, prepare_for_serving, wait=True)
            path.joinpath(SERVER_FILE).write_text(json.dumps({"url": url, "pid": os.getpid()}))
            users = open_users(path)
            obs = Observatory(GenerationStore(path, gen, users), settings)
            app = create_app(obs, settings, build_search_index=False)
            watcher = GenerationWatcher(path, app.state.web.gateway, users, interval=poll).start()
            app.state.web.warmup = Warmup(app.state.web.gateway, lambda g: GenerationStore(path, g, users),
                                          settings).start(gen)  # topic pages, match and search indexes
            if not app.state.web.hall.count_users("admin"):
                app.state.web.setup_token = secrets.token_urlsafe(24)
        typer.echo(f"serving {path} (generation {gen.number}) at {url}  (Ctrl+C stops) / 网站地址 {url}")
        if app.state.web.setup_token:
            typer.echo(f"no administrator yet: create the first one at {url}setup?token={app.state.web.setup_token}"
                       f"  (works once) / 尚无管理员：用此一次性链接创建")
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        if watcher is not None:
            watcher.stop()
        if obs is not None:
            obs.close()
        if users is not None:
            users.close()
        if (running_server(path) or {}).get("pid") == os.getpid():
            marker.unlink(missing_ok=True)


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
        with open_observatory(store) as obs:  # the user database: held by a running server (then: use the site)
            user = Hall(obs.store).create_user(username, password, role, email)
            from frontierwatch.risk import audit
            audit.append(obs.store.users_tables, None, "admin_create", "user", user.user_id,
                         f"role {role} via command line")
    zh = lang() == "zh"
    typer.echo(f"已创建用户 {user.username}（角色 {user.role}）" if zh else f"created user {user.username} (role {user.role})")


__all__ = ["serve_command", "admin_create_command"]
