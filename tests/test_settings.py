"""Settings are remembered by what they are built from: a change of the environment or the config file is seen at
once, and a caller's copy is its own."""
from __future__ import annotations

import os
import time
from pathlib import Path

from frontierwatch.settings import load_settings


def test_remembered_settings_follow_the_environment_and_the_config_file(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FRONTIERWATCH_CONFIG", raising=False)
    monkeypatch.delenv("FRONTIERWATCH_TAXONOMY", raising=False)
    first = load_settings()
    assert first.taxonomy is None
    first.lang = "zh"  # a caller's copy is its own
    assert load_settings().lang == "en"
    monkeypatch.setenv("FRONTIERWATCH_TAXONOMY", "mine.yaml")
    assert load_settings().taxonomy == Path("mine.yaml")
    monkeypatch.setenv("frontierwatch_lang", "zh")  # read case-insensitively, as pydantic-settings does
    assert load_settings().lang == "zh"
    monkeypatch.delenv("frontierwatch_lang")
    monkeypatch.delenv("FRONTIERWATCH_TAXONOMY")
    config = tmp_path / "frontierwatch.toml"
    config.write_text('[frontierwatch]\nlang = "zh"\n')
    assert load_settings().lang == "zh"
    config.write_text('[frontierwatch]\nlang = "en"\n')
    os.utime(config, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))  # a later modification time
    assert load_settings().lang == "en"
    assert load_settings(lang="zh").lang == "zh" and load_settings().lang == "en"
