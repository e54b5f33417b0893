"""`watch add|list|remove` and `alerts`: the command-line profile's watchlist and what it raised."""
from __future__ import annotations

import json
from typing import Annotated, Optional

import typer

from frontierwatch.cli.common import StoreOpt, errors_to_exit, lang, open_observatory
from frontierwatch.errors import InputError

ProfileOpt = Annotated[Optional[str], typer.Option("--profile", help="Watchlist profile [env FRONTIERWATCH_PROFILE; default 'default'].")]
watch_app = typer.Typer(help="Watchlists: topics, directions and saved searches to be alerted about / 关注列表",
                        no_args_is_help=True)


def _owner(profile: str | None) -> str:
    from frontierwatch.settings import load_settings
    from frontierwatch.watch import profile_owner
    return profile_owner(profile or load_settings().profile)


@watch_app.command("add")
def watch_add_command(
    topic: Annotated[Optional[str], typer.Option("--topic", help="Topic id of the latest map, e.g. T00042.")] = None,
    direction: Annotated[Optional[str], typer.Option("--direction", help="Direction id, e.g. information.")] = None,
    query: Annotated[Optional[str], typer.Option("--query", help="Saved search (zh or en): new documents matching it raise alerts.")] = None,
    email: Annotated[Optional[str], typer.Option("--email", help="E-mail the alerts to this address.")] = None,
    webhook: Annotated[Optional[str], typer.Option("--webhook", help="POST the alerts (HMAC-signed JSON) to this URL.")] = None,
    name: Annotated[Optional[str], typer.Option("--name", help="A name for the watch.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    profile: ProfileOpt = None, store: StoreOpt = None,
) -> None:
    """Watch a topic, a direction or a saved search. / 关注一个主题、方向或检索式。"""
    given = [(k, v) for k, v in (("topic", topic), ("direction", direction), ("query", query)) if v is not None]
    with errors_to_exit():
        if len(given) != 1:
            raise InputError("give exactly one of --topic ID, --direction ID or --query TEXT",
                             "请只给出 --topic ID、--direction ID 或 --query TEXT 之一")
        with open_observatory(store, create=False) as obs:
            watch = obs.watch_add(_owner(profile), given[0][0], given[0][1], email=email, webhook=webhook, name=name)
    if as_json:
        typer.echo(json.dumps(watch.to_json(), ensure_ascii=False))
    else:
        typer.echo(f"已关注 #{watch.watch_id}：{watch.kind} {watch.target}" if lang() == "zh" else
                   f"watching #{watch.watch_id}: {watch.kind} {watch.target}")


@watch_app.command("list")
def watch_list_command(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
                       profile: ProfileOpt = None, store: StoreOpt = None) -> None:
    """List the profile's watches. / 列出关注项。"""
    with errors_to_exit(), open_observatory(store, create=False) as obs:
        watches = obs.watches(_owner(profile))
    if as_json:
        typer.echo(json.dumps({"watches": [w.to_json() for w in watches]}, ensure_ascii=False, indent=2))
        return
    if not watches:
        typer.echo("没有关注项；用 frontierwatch watch add 添加" if lang() == "zh" else
                   "no watches; add one with frontierwatch watch add")
    for w in watches:
        to = ", ".join(x for x in (w.email, w.webhook) if x)
        typer.echo(f"#{w.watch_id}\t{w.kind}\t{w.target}\t{w.name or ''}\t{to}")


@watch_app.command("remove")
def watch_remove_command(watch_id: Annotated[int, typer.Argument(help="Watch id (see watch list).")],
                         profile: ProfileOpt = None, store: StoreOpt = None) -> None:
    """Stop watching (alerts already raised stay). / 取消关注。"""
    with errors_to_exit(), open_observatory(store, create=False) as obs:
        watch = obs.watch_remove(_owner(profile), watch_id)
    typer.echo(f"已取消关注 #{watch.watch_id}" if lang() == "zh" else f"removed watch #{watch.watch_id}")


def alerts_command(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
                   unread: Annotated[bool, typer.Option("--unread", help="Only unread alerts.")] = False,
                   mark_read: Annotated[bool, typer.Option("--mark-read", help="Mark the listed alerts read.")] = False,
                   profile: ProfileOpt = None, store: StoreOpt = None) -> None:
    """Alerts raised for the profile's watches, newest first, with evidence. / 提醒列表（附证据）。"""
    owner = _owner(profile)
    with errors_to_exit(), open_observatory(store, create=False) as obs:
        alerts = obs.alerts(owner, unread=unread)
        if mark_read and alerts:
            obs.mark_alerts(owner, [a["id"] for a in alerts])
    if as_json:
        typer.echo(json.dumps({"alerts": alerts}, ensure_ascii=False, indent=2, default=str))
        return
    zh = lang() == "zh"
    if not alerts:
        typer.echo("没有提醒" if zh else "no alerts")
    for a in alerts:
        flag = " " if a["read"] else "*"
        typer.echo(f"{flag}#{a['id']}\t{a['created']}\t{a['kind']}\t{a['title']['zh' if zh else 'en']}")
