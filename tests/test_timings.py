"""Stage timings: each stage's time, rows and peak memory, printed, stored in the store and shown by `status`."""
from __future__ import annotations

import json

import numpy as np
from typer.testing import CliRunner

from frontierwatch.cli.app import app
from frontierwatch.timings import RunTimings, current_run, format_timings, stage, timed_run
from frontierwatch.store import Store
from frontierwatch.store.runs import KEEP, last_run, record_run


def _profile() -> RunTimings:
    run = RunTimings("build", {"as_of": "2019-12-31"})
    with run.stage("embed", note="vectors") as stage:
        stage.step("read")
        block = np.ones(40_000_000)  # 305 MiB: this stage's peak must show it
        stage.step("encode")
        stage.rows = 1234
        del block
    with run.stage("topics", note="topics") as stage:
        stage.rows = 17
    return run.finish()


def test_each_stage_has_its_own_time_rows_and_peak_memory():
    profile = _profile().as_dict()
    embed, topics = profile["stages"]
    assert (embed["stage"], embed["rows"], topics["rows"]) == ("embed", 1234, 17)
    assert [s["step"] for s in embed["steps"]] == ["read", "encode"]
    assert embed["seconds"] + 0.002 >= sum(s["seconds"] for s in embed["steps"]) > 0  # each rounded to 1 ms
    assert profile["seconds"] >= embed["seconds"] + topics["seconds"]
    assert abs(sum(s["share"] for s in profile["stages"]) - 1) < 0.05
    if profile["peak_scope"] == "stage":  # Linux: the peak is reset at each stage
        assert embed["peak_rss_mib"] > topics["peak_rss_mib"] + 250
    assert profile["peak_rss_mib"] == max(embed["peak_rss_mib"], topics["peak_rss_mib"])
    assert json.loads(json.dumps(profile)) == profile


def test_printed_in_english_and_chinese():
    profile = _profile().as_dict()
    en, zh = format_timings(profile), format_timings(profile, zh=True)
    assert en[0].startswith("build") and "1,234 vectors" in en[2] and en[-1].startswith("total")
    assert "计算向量" in zh[2] and "1,234个向量" in zh[2] and zh[-1].startswith("合计") and "embed" not in "".join(zh)
    assert all("MiB" in line for line in en[2:3] + en[-1:])


def test_stored_and_shown_by_status(tmp_path):
    with Store(tmp_path / "store") as store:
        first = record_run(store, _profile().as_dict())
        second = record_run(store, RunTimings("ingest").finish().as_dict())
        assert second == first + 1
        assert last_run(store)["command"] == "ingest" and last_run(store, "build")["run_id"] == first
        for _ in range(KEEP):
            record_run(store, RunTimings("ingest").finish().as_dict())
        assert last_run(store, "build") is None  # older runs are dropped
        record_run(store, _profile().as_dict())
    out = CliRunner().invoke(app, ["status", "--store", str(tmp_path / "store")]).output
    assert "last run: build" in out and "1,234 vectors" in out
    shown = json.loads(CliRunner().invoke(app, ["status", "--json", "--store", str(tmp_path / "store")]).output)
    assert shown["last_run"]["stages"][0]["rows"] == 1234


def test_stages_join_the_run_in_progress_and_nest_as_steps():
    with stage("embed") as alone:  # no run open: timed, recorded nowhere
        alone.rows = 3
    assert current_run() is None
    with timed_run("catalog", {"edition": "2019H2", "as_of": None}) as run:
        with timed_run("build") as inner:  # a command inside another adds to the outer run
            assert inner is run
        with stage("catalog", note="entries") as outer:
            with stage("topics"):  # a stage inside a stage is a step of it
                pass
            outer.rows = 5
    profile = run.as_dict()
    assert profile["status"] == "done" and profile["args"] == {"edition": "2019H2"}
    assert [s["stage"] for s in profile["stages"]] == ["catalog"]
    assert [s["step"] for s in profile["stages"][0]["steps"]] == ["topics"]
    assert current_run() is None


def test_a_failed_or_interrupted_run_says_so():
    for exc, status in ((ValueError("bad"), "failed"), (KeyboardInterrupt(), "interrupted")):
        try:
            with timed_run("build") as run, stage("embed"):
                raise exc
        except BaseException as caught:
            assert caught is exc
        assert run.status == status and [s.stage for s in run.stages] == ["embed"]
