"""Several transcripts in one session: folders expand to their files; `O` switches between them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.app import YuluApp
from tui.launch import first_parse
from tui.switcher import expand_paths

ZH = "記者 林曉雯：今天我們討論圖書館。\n\n館長 周明遠：開放時間延長了。\n"
EN = "HOST: Welcome to the show.\n\nGUEST: Thanks for having me.\n"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("YULU_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("YULU_DB", str(tmp_path / "store.json"))


def _files(folder: Path) -> tuple[Path, Path]:
    folder.mkdir()
    zh, en = folder / "b_zh.txt", folder / "a_en.md"
    zh.write_text(ZH, encoding="utf-8")
    en.write_text(EN, encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF")
    (folder / ".hidden.txt").write_text("x", encoding="utf-8")
    return zh, en


def test_folder_expands_to_its_transcripts_in_name_order(tmp_path: Path) -> None:
    zh, en = _files(tmp_path / "d")
    assert expand_paths([tmp_path / "d"]) == [en, zh]
    assert expand_paths([zh, tmp_path / "d"]) == [zh, en]  # no duplicates, order kept
    assert expand_paths([tmp_path / "missing.txt"]) == [tmp_path / "missing.txt"]


async def test_switching_opens_the_other_file(tmp_path: Path) -> None:
    zh, en = _files(tmp_path / "d")
    app = YuluApp(first_parse(zh), zh)
    app.files = expand_paths([tmp_path / "d"])
    async with app.run_test(size=(100, 30)) as pilot:
        first = app.reader_screen
        await pilot.press("O")
        await pilot.pause()
        assert type(app.screen).__name__ == "SwitcherScreen"
        await pilot.press("enter")  # first file: a_en.md
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is app.reader_screen
        # the first file's reader (and its transcript) is gone, not kept underneath
        assert app.screen_stack == [app.reader_screen]
        assert not first.is_attached
        await pilot.press("O", "down", "enter")  # and back: a file can be opened again
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.path == zh and app.screen_stack == [app.reader_screen]
        await pilot.press("O", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.path == en
        assert app.reader_screen.transcript.segments[0].text.startswith("Welcome")
        assert app.sub_title == "a_en.md"


async def test_a_file_that_went_away_is_a_notification(tmp_path: Path) -> None:
    zh, en = _files(tmp_path / "d")
    app = YuluApp(first_parse(zh), zh)
    app.files = [zh, en]
    en.unlink()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("O", "down", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.path == zh  # still reading the first one
        assert any("a_en.md" in n.message for n in app._notifications)


def test_a_folder_without_transcripts_is_a_usage_error(tmp_path: Path, capsys) -> None:
    from tui.cli import main

    (tmp_path / "empty").mkdir()
    assert main([str(tmp_path / "empty")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no transcript files" in err


async def test_a_big_file_opened_with_o_is_parsed_whole_in_a_child_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import parser as parser_pkg
    from parser import read_source
    from tests.hostile.harness import wait_until
    from tui.launch import HEAD_BYTES

    zh, _ = _files(tmp_path / "d")
    big = tmp_path / "d" / "c_big.txt"
    big.write_text("".join(f"記者{i % 9}：第{i}段。" + "新聞內容" * 30 + "\n" for i in range(2000)),
                   encoding="utf-8")
    assert big.stat().st_size > HEAD_BYTES
    parsed_here: list[int] = []
    real = parser_pkg.parse_text

    def counting(text, **kwargs):  # noqa: ANN001, ANN003, ANN202
        parsed_here.append(len(text))
        return real(text, **kwargs)

    monkeypatch.setattr(parser_pkg, "parse_text", counting)
    app = YuluApp(first_parse(zh), zh)
    app.files = [zh, big]
    app.rest_in_child = True  # as `yulu` runs it
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("O", "down", "enter")
        await wait_until(pilot, lambda: app.path == big and app.transcript.complete,
                         "the whole of the big file")
        source = read_source(big)
        assert app.transcript == real(source.text, source=str(big), encoding=source.encoding)
        # here only the head was parsed, for the first screen; the whole in the child
        assert parsed_here and max(parsed_here) <= HEAD_BYTES
        await pilot.press("G")
        assert app.reader_screen.current == len(app.transcript.segments) - 1
