"""Watchlists through the command line (real store, real topic map): add, list, remove, per profile."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from frontierwatch.cli.app import app

runner = CliRunner()


def fw(*args: str, env: dict | None = None):
    result = runner.invoke(app, list(args), env=env)
    return result


def test_add_list_remove_per_profile(built_store):
    topics = json.loads(fw("topics", "--json", "--top", "3").output)["topics"]
    topic_id = topics[0]["id"]
    r = fw("watch", "add", "--topic", topic_id, "--email", "analyst@example.org", "--name", "biggest", "--json")
    assert r.exit_code == 0, r.output
    added = json.loads(r.output)
    assert added["kind"] == "topic" and added["target"] == topic_id and added["email"] == "analyst@example.org"
    assert fw("watch", "add", "--direction", "information").exit_code == 0
    assert fw("watch", "add", "--query", "量子计算 quantum computing", "--profile", "scout").exit_code == 0
    # adding the same thing again is idempotent
    again = json.loads(fw("watch", "add", "--topic", topic_id, "--json").output)
    assert again["id"] == added["id"] and again["name"] == "biggest"

    default = json.loads(fw("watch", "list", "--json").output)["watches"]
    scout = json.loads(fw("watch", "list", "--json", "--profile", "scout").output)["watches"]
    assert [(w["kind"], w["target"]) for w in default] == [("topic", topic_id), ("direction", "information")]
    assert [(w["kind"], w["target"]) for w in scout] == [("query", "量子计算 quantum computing")]

    # one profile cannot remove another's watch
    r = fw("watch", "remove", str(scout[0]["id"]))
    assert r.exit_code == 1 and "no watch" in r.output
    assert fw("watch", "remove", str(added["id"])).exit_code == 0
    left = json.loads(fw("watch", "list", "--json").output)["watches"]
    assert [w["target"] for w in left] == ["information"]
    # the env variable picks the profile too
    env_list = json.loads(fw("watch", "list", "--json", env={"FRONTIERWATCH_PROFILE": "scout"}).output)["watches"]
    assert [w["id"] for w in env_list] == [scout[0]["id"]]


def test_bad_watches_are_refused_in_both_languages(built_store):
    r = fw("watch", "add", "--topic", "T99999")
    assert r.exit_code == 1 and "T99999" in r.output and "latest topic map" in r.output
    r = fw("watch", "add", "--direction", "astrology", env={"FRONTIERWATCH_LANG": "zh"})
    assert r.exit_code == 1 and "方向" in r.output and "astrology" in r.output
    r = fw("watch", "add", "--query", "x", "--email", "not-an-address")
    assert r.exit_code == 1 and "not-an-address" in r.output
    r = fw("watch", "add", "--query", "x", "--webhook", "ftp://example.org/hook")
    assert r.exit_code == 1 and "http" in r.output
    r = fw("watch", "add", "--query", "x", "--topic", "T00001")
    assert r.exit_code == 1 and "exactly one" in r.output
    assert json.loads(fw("watch", "list", "--json").output)["watches"] == []


def test_alerts_json_shape_when_nothing_raised(built_store):
    fw("watch", "add", "--query", "reinforcement learning", "--name", "rl")
    r = fw("alerts", "--json")
    assert r.exit_code == 0 and json.loads(r.output) == {"alerts": []}
