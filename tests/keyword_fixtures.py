"""Fixtures for the test modules that run the keyword process (import them into the module).

Each such module gets its own keyword process (it lives as long as the test process) and one
cache folder, so that the child builds jieba's dictionary cache only once per module.
"""

from __future__ import annotations

import pytest

from parser.keywords_process import stop_service


@pytest.fixture(scope="module", autouse=True)
def own_keyword_process():
    stop_service()
    yield
    stop_service()


@pytest.fixture(scope="module")
def cache_home(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def keyword_cache(cache_home, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
