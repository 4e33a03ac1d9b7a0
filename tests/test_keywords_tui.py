"""Keywords in the reader, as a user meets them: the first screen does not wait for jieba,
highlights arrive after, the panel jumps through a term's occurrences, hide and pin stick."""

from __future__ import annotations

import threading
import time

import pytest
from rich.style import Style

from tests.factories import transcript
from tests.keyword_fixtures import cache_home, keyword_cache, own_keyword_process  # noqa: F401
from tui.app import YuluApp
from tui.widgets.keyword_panel import KeywordPanel
from tui.widgets.reader_view import ReaderView

ROWS = [
    ("narration", "颱風「海鷗」今天清晨在屏東登陸，颱風帶來的豪雨讓屏東多處淹水。"),
    ("s1", "氣象署表示，颱風強度持續減弱，但豪雨特報仍未解除，山區要防範土石流。"),
    ("s2", "縣政府宣布停班停課，並要求各鄉鎮做好防災準備。"),
    ("s1", "颱風過後，屏東的農民損失慘重，豪雨讓堤防受損。"),
]


@pytest.fixture(autouse=True)
def _no_store(monkeypatch):
    monkeypatch.delenv("YULU_DB", raising=False)  # no store: choices last the session


def _transcript(tag: str):
    # A tag in the text gives each test its own content hash: no result cached by another test.
    rows = [*ROWS, ("s2", f"測試{tag}結束。")]
    return transcript(rows, names={"s1": "林曉明", "s2": "陳縣長"})


async def _wait_for_keywords(pilot, screen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while screen.keyword_result is None or not screen.keyword_result.complete:
        assert time.monotonic() < deadline, "keywords never arrived"
        await pilot.pause(0.05)
    await pilot.pause()


def _styled_runs(app: YuluApp, component: str) -> list[str]:
    reader = app.reader_screen.query_one(ReaderView)
    style = reader.get_component_rich_style(component)
    runs = []
    for strip in reader._lines:
        for seg in strip:
            if seg.style is not None and seg.text.strip() and _has(seg.style, style):
                runs.append(seg.text)
    return runs


def _has(actual: Style, wanted: Style) -> bool:
    return actual.color == wanted.color and bool(actual.bold) == bool(wanted.bold)


def _screen_text(app: YuluApp) -> str:
    reader = app.reader_screen.query_one(ReaderView)
    return "\n".join(reader.render_line(y).text for y in range(reader.size.height))


async def test_first_screen_shows_before_keywords_and_highlights_arrive_after(monkeypatch):
    # Keywords are held back until the first screen has been looked at: whatever jieba's speed,
    # the screen must not be waiting for them.
    from parser import keywords_process

    gate = threading.Event()

    class HeldBack(keywords_process.KeywordJob):
        def events(self, data, priority=()):
            assert gate.wait(30)
            yield from super().events(data, priority)

    monkeypatch.setattr(keywords_process, "KeywordJob", HeldBack)
    app = YuluApp(_transcript("first"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.reader_screen
        await pilot.pause(0.2)
        assert "颱風「海鷗」" in _screen_text(app)
        assert screen.keyword_result is None
        assert not _styled_runs(app, "reader--keyword")
        assert "finding keywords" in _screen_text(app)
        await pilot.press("j", "k")  # the reader answers keys meanwhile
        assert screen.current == 0
        gate.set()
        await _wait_for_keywords(pilot, screen)
        lit = "".join(_styled_runs(app, "reader--keyword"))
        assert "颱風" in lit and "豪雨" in lit
        header = _screen_text(app).splitlines()[0]
        assert "◇" in header and "颱風" in header  # the current segment's top terms


async def test_second_open_comes_from_the_cache():
    t = _transcript("again")
    app = YuluApp(t)
    async with app.run_test(size=(120, 40)) as pilot:
        await _wait_for_keywords(pilot, app.reader_screen)
        assert not app.reader_screen.keywords_from_cache
    app = YuluApp(t)
    async with app.run_test(size=(120, 40)) as pilot:
        await _wait_for_keywords(pilot, app.reader_screen, timeout=10)
        assert app.reader_screen.keywords_from_cache


async def test_panel_enter_steps_through_a_terms_occurrences():
    app = YuluApp(_transcript("panel"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.reader_screen
        await _wait_for_keywords(pilot, screen)
        await pilot.press("o")
        panel = screen.query_one(KeywordPanel)
        assert panel.has_focus
        key = panel.current_key
        occurrences = screen.keyword_result.occurrences(key)
        segments = [o[0] for o in occurrences]
        assert len(occurrences) >= 3
        seen = []
        for _ in range(len(occurrences)):
            await pilot.press("enter")
            seen.append((screen.current, screen._current_occurrence()))
        assert [o for _, o in seen] == occurrences  # every occurrence, in reading order
        assert [c for c, _ in seen] == segments
        assert _styled_runs(app, "reader--keyword-current")
        await pilot.press("shift+enter")
        assert screen._current_occurrence() == occurrences[-2]
        await pilot.press("escape")
        assert not screen.query(KeywordPanel)


async def test_hide_and_pin_change_list_and_highlights():
    app = YuluApp(_transcript("prefs"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.reader_screen
        await _wait_for_keywords(pilot, screen)
        await pilot.press("o")
        panel = screen.query_one(KeywordPanel)
        hidden = panel.current_key
        await pilot.press("x")
        for _ in range(100):
            if screen.keyword_result.keyword(hidden) is None:
                break
            await pilot.pause(0.05)
        assert screen.keyword_result.keyword(hidden) is None
        assert not screen.keyword_result.occurrences(hidden)
        await pilot.press("down", "p")
        await pilot.pause(0.3)
        pinned = screen._kw_prefs.pinned_keys
        assert pinned and screen.keyword_result.keywords[0].key == pinned[0]


async def test_pins_and_hides_are_saved_per_transcript_in_the_store(tmp_path):
    path = tmp_path / "typhoon.txt"
    path.write_text("\n".join(f"{who}：{text}" for who, text in [
        ("主持人", ROWS[0][1]), ("林曉明", ROWS[1][1]), ("陳縣長", ROWS[2][1]),
        ("林曉明", ROWS[3][1])]) + "\n", encoding="utf-8")
    db = tmp_path / "store.json"
    from parser import parse

    app = YuluApp(parse(path), path, db=db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.reader_screen
        await _wait_for_keywords(pilot, screen)
        await pilot.press("o")
        panel = screen.query_one(KeywordPanel)
        hidden = panel.current_key
        await pilot.press("x", "down", "down", "p")
        deadline = time.monotonic() + 10
        while len(screen._kw_prefs.pinned) + len(screen._kw_prefs.hidden) < 2:
            assert time.monotonic() < deadline, "the choices were never saved"
            await pilot.pause(0.05)
        pinned = screen._kw_prefs.pinned_keys[0]
    app = YuluApp(parse(path), path, db=db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.reader_screen
        await _wait_for_keywords(pilot, screen)
        assert screen.keyword_result.keywords[0].key == pinned
        assert screen.keyword_result.keyword(hidden) is None


async def test_adding_a_term_keeps_it_whole_and_highlights_it():
    rows = [("narration", "項目秘書每天跑工地，項目秘書幫企業辦手續。"),
            ("s1", "企業遇到問題，第一時間就找項目秘書。")]
    app = YuluApp(transcript(rows, names={"s1": "吳天偉"}))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.reader_screen
        await _wait_for_keywords(pilot, screen)
        assert screen.keyword_result.keyword("项目秘书") is None  # jieba splits it
        await pilot.press("plus")
        await pilot.press(*"項目秘書", "enter")
        deadline = time.monotonic() + 30
        while (screen.keyword_result is None
               or screen.keyword_result.keyword("项目秘书") is None):
            assert time.monotonic() < deadline, "the new term never became a keyword"
            await pilot.pause(0.05)
        await pilot.pause()
        assert "項目秘書" in _styled_runs(app, "reader--keyword")


async def test_english_transcript_gets_highlights_and_h_turns_them_off():
    rows = [("s1", "The Merkle set keeps proofs small; Merkle proofs are fast to check."),
            ("s2", "So Merkle sets replace the UTXO database? Are the proofs logarithmic?"),
            ("s1", "Yes, the UTXO set becomes a Merkle set and every proof stays small.")]
    app = YuluApp(transcript(rows, names={"s1": "Bram Cohen", "s2": "Audience"}))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.reader_screen
        await _wait_for_keywords(pilot, screen)
        lit = _styled_runs(app, "reader--keyword")
        assert "Merkle" in lit and "proofs" in lit
        assert "The" not in lit and "Bram" not in lit
        await pilot.press("h")
        assert not _styled_runs(app, "reader--keyword")
        await pilot.press("h")
        assert "Merkle" in _styled_runs(app, "reader--keyword")


async def test_config_keyword_settings_apply(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[keywords]\ntop = 3\nstopwords = ["豪雨"]\n', encoding="utf-8")
    monkeypatch.setenv("YULU_CONFIG", str(config))
    app = YuluApp(_transcript("config"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.reader_screen
        await _wait_for_keywords(pilot, screen)
        words = [k.word for k in screen.keyword_result.keywords]
        assert 0 < len(words) <= 3
        assert "豪雨" not in words
        assert "豪雨" not in "".join(_styled_runs(app, "reader--keyword"))


async def test_keywords_disabled_in_config_start_when_asked(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text("[keywords]\nenabled = false\n", encoding="utf-8")
    monkeypatch.setenv("YULU_CONFIG", str(config))
    app = YuluApp(_transcript("disabled"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.reader_screen
        await pilot.pause(0.5)
        assert screen.keyword_result is None and not _styled_runs(app, "reader--keyword")
        await pilot.press("h")
        await _wait_for_keywords(pilot, screen)
        assert _styled_runs(app, "reader--keyword")


def test_the_header_shows_keywords_for_exactly_the_kinds_they_are_found_in() -> None:
    # The reader checks kinds with the model's CONTENT_KINDS, so that the first screen need not
    # load the keyword machinery; extraction must read the same kinds.
    from parser.keywords import ANALYSED_KINDS
    from parser.model import CONTENT_KINDS

    assert ANALYSED_KINDS == CONTENT_KINDS
