"""Every test runs with its own config, store and data folders: never the user's real ones."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def _shared_cache(tmp_path_factory: pytest.TempPathFactory):
    # one cache folder per test process: jieba's dictionary cache is built once, not per test
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory, monkeypatch, _shared_cache):
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(_shared_cache))
    monkeypatch.setenv("YULU_CONFIG", str(home / "config" / "yulu" / "config.toml"))
    monkeypatch.setenv("YULU_DB", str(home / "data" / "yulu" / "yulu.json"))
