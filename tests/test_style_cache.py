"""Textual's parsed CSS is kept between starts (tui/style_cache.py): a second start parses none
of it and looks exactly the same; a bad or unwritable cache only means parsing again."""

from __future__ import annotations

import asyncio
import pickle
import threading
from pathlib import Path

import pytest
from textual.css.stylesheet import StylesheetParseError

from tests.factories import transcript
from tui.app import YuluApp
from tui.style_cache import (
    FORMAT,
    MAX_ENTRIES,
    CachedStylesheet,
    ParsedStyles,
    cache_file,
    default_cache_file,
)
from tui.widgets.reader_view import ReaderView
from tui.widgets.segment_list import SegmentList

T = transcript([("s1", "大家好，我是主持人。"), ("s2", "Thank you for having me.")],
               names={"s1": "主持人", "s2": "Guest"})


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    """An empty folder for the parsed styles (the other tests share one per process; jieba's
    cache beside it stays shared: building it takes a second)."""
    home = tmp_path / "cache"
    monkeypatch.setattr("tui.app.default_cache_file", lambda: cache_file(home))
    return home


def test_the_cache_file_is_in_the_user_cache_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = default_cache_file()
    assert path.parent == tmp_path / "yulu"
    assert path.name.startswith("styles-") and path.name.endswith(f"-v{FORMAT}.pickle")


async def _wait_for(predicate, timeout: float = 5.0) -> None:
    for _ in range(int(timeout / 0.02)):
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("timed out")


def _saved(app: YuluApp) -> bool:
    return (app.parsed_styles.path.exists() and not app.parsed_styles.dirty
            and not app._styles_save_pending
            and all(w.is_finished for w in app.workers if w.group == "styles-cache"))


async def _start(theme: str | None = None) -> tuple[YuluApp, dict]:
    """Run the app to its first screen; what it parsed and how it looks."""
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        if theme:
            app.theme = theme
        screen = app.reader_screen
        # the keywords change the header: wait for them, to compare like with like
        await _wait_for(lambda: screen.keyword_result is not None
                        and screen.keyword_result.complete, timeout=60)
        await pilot.pause()
        await _wait_for(lambda: _saved(app))
        reader = app.reader_screen.query_one(ReaderView)
        sidebar = app.reader_screen.query_one(SegmentList)
        looks = {
            "rules": [(rule.selectors, repr(sorted(rule.styles.get_rules().items())))
                      for rule in app.stylesheet.rules],
            "reader": [reader.render_line(y).text for y in range(4)],
            "reader styles": [[s.style for s in reader.render_line(y)] for y in range(4)],
            "sidebar styles": [[s.style for s in sidebar.render_line(y)] for y in range(3)],
            "status": str(app.reader_screen.query_one("#status").render()),
        }
    return app, looks


@pytest.fixture
def css_parses(monkeypatch) -> list[str]:
    """Where each CSS that Textual really parses (not read from the cache) came from."""
    import textual.css.stylesheet as stylesheet_module

    seen: list[str] = []
    parse = stylesheet_module.parse

    def counting_parse(scope, css, read_from, *args, **kwargs):
        seen.append(str(read_from))
        return parse(scope, css, read_from, *args, **kwargs)

    monkeypatch.setattr(stylesheet_module, "parse", counting_parse)
    return seen


async def test_a_second_start_parses_no_css_and_looks_the_same(
        cache_home: Path, css_parses: list[str]) -> None:
    first, first_looks = await _start()
    assert first.parsed_styles.misses > 0  # nothing kept yet: parsed, then written
    assert any("app.tcss" in where for where in css_parses)
    assert first.parsed_styles.path.parent == cache_home
    css_parses.clear()
    second, second_looks = await _start()
    assert css_parses == []
    assert second.parsed_styles.misses == 0
    assert second_looks == first_looks
    assert "大家好" in "".join(second_looks["reader"])


async def test_a_theme_set_as_the_app_starts_is_read_from_the_cache_too(
        cache_home: Path, tmp_path: Path, monkeypatch, css_parses: list[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text('theme = "nord"\n', encoding="utf-8")
    monkeypatch.setenv("YULU_CONFIG", str(config))
    _, first = await _start()
    css_parses.clear()
    second_app, second = await _start()
    assert second_app.theme == "nord"
    assert css_parses == []
    assert second == first


async def test_each_theme_keeps_its_own_colours(cache_home: Path) -> None:
    await _start()  # the default theme's parse is kept
    _, light = await _start(theme="textual-light")
    _, light_again = await _start(theme="textual-light")
    _, dark = await _start()
    assert light == light_again
    assert light["sidebar styles"] != dark["sidebar styles"]
    assert light["rules"] != dark["rules"]  # variables are substituted as the CSS is parsed


async def test_a_damaged_cache_file_is_parsed_past_and_rewritten(cache_home: Path) -> None:
    path = cache_file(cache_home)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x80\x05 not a pickle at all")
    app, looks = await _start()
    assert app.parsed_styles.misses > 0
    assert "大家好" in "".join(looks["reader"])
    data = pickle.loads(path.read_bytes())
    assert data["format"] == FORMAT and data["entries"]


async def test_the_cache_is_written_off_the_ui_thread(cache_home: Path, monkeypatch) -> None:
    threads = []
    save = ParsedStyles.save

    def recording_save(self) -> None:
        threads.append(threading.current_thread())
        save(self)

    monkeypatch.setattr(ParsedStyles, "save", recording_save)
    await _start()
    assert threads and all(t is not threading.main_thread() for t in threads)


async def test_an_unwritable_cache_folder_costs_nothing_but_the_parse(
        tmp_path: Path, monkeypatch) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setattr("tui.app.default_cache_file", lambda: blocked / "yulu" / "styles.pickle")
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("j")
        assert app.reader_screen.current == 1
        assert not app.parsed_styles.path.exists()


def test_css_with_errors_is_reported_and_never_kept(tmp_path: Path) -> None:
    cache = ParsedStyles(tmp_path / "styles.pickle")
    sheet = CachedStylesheet(variables={}, cache=cache)
    sheet.add_source("Static { colour: red; }", read_from=("test", "bad"))
    with pytest.raises(StylesheetParseError):
        sheet.parse()
    assert not cache.dirty
    sheet = CachedStylesheet(variables={}, cache=cache)
    sheet.add_source("Static { color: red; }", read_from=("test", "good"))
    sheet.parse()
    assert cache.dirty and cache.misses == 2


def test_the_cache_keeps_this_sessions_entries_first_and_drops_other_versions(
        tmp_path: Path) -> None:
    path = cache_file(tmp_path)
    other = tmp_path / "styles-00000000-py39-v1.pickle"  # another Textual's
    other.write_bytes(b"old")
    cache = ParsedStyles(path)
    for i in range(MAX_ENTRIES + 5):
        cache.put(("v", f"css {i}", ("x", str(i)), False, 0, ""), [])
    cache.save()
    assert not other.exists()
    kept = ParsedStyles(path)
    assert kept.get(("v", "css 0", ("x", "0"), False, 0, "")) == []
    assert len(kept._load()) == MAX_ENTRIES
    # what this session used goes first: an old entry used now survives the cut
    last = ("v", f"css {MAX_ENTRIES + 4}", ("x", str(MAX_ENTRIES + 4)), False, 0, "")
    assert kept.get(last) is None  # cut the first time
    kept.put(last, [])
    kept.save()
    again = ParsedStyles(path)
    assert again.get(last) == []


def test_another_install_of_textual_gets_another_file(tmp_path: Path, monkeypatch) -> None:
    import os

    import textual

    package = tmp_path / "textual"
    (package / "css").mkdir(parents=True)
    for name in ("__init__.py", "css/parse.py", "css/styles.py", "color.py"):
        (package / name).write_text("# v1\n", encoding="utf-8")
    monkeypatch.setattr(textual, "__file__", str(package / "__init__.py"))
    first = cache_file(tmp_path)
    assert cache_file(tmp_path) == first  # the same install: the same file
    parse = package / "css" / "parse.py"
    parse.write_text("# v2\n", encoding="utf-8")  # an upgrade: same size, another file
    os.utime(parse, ns=(1, 1))
    assert cache_file(tmp_path) != first
