"""The config file applied at startup, the help screen, the command palette and the CLI flags."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static

from tests.factories import transcript
from tui.app import YuluApp
from tui.cli import main

T = transcript(
    [("s1", "Alice speaks."), ("s2", "Bob answers."), ("s1", "Alice again."), ("s2", "Bob ends.")],
    names={"s1": "Alice", "s2": "Bob"},
)


@pytest.fixture
def config_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "config.toml"
    monkeypatch.setenv("YULU_CONFIG", str(path))
    return path


async def test_keymap_override_by_binding_id(config_file: Path) -> None:
    config_file.write_text('[keymap]\n"segment.next" = "z"\n', encoding="utf-8")
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("z")
        assert app.reader_screen.current == 1
        await pilot.press("j")  # replaced, no longer bound
        assert app.reader_screen.current == 1


async def test_bad_config_is_a_notification_naming_the_key(config_file: Path) -> None:
    config_file.write_text('script = "klingon"\ntheme = "no-such-theme"\n', encoding="utf-8")
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("script" in m and "klingon" in m for m in messages)
        assert any("theme" in m and "no-such-theme" in m for m in messages)
        assert app.theme == "textual-dark"  # defaults used, app running
        assert app.reader_screen.script == "original"


async def test_default_script_and_theme_from_config(config_file: Path) -> None:
    config_file.write_text('script = "simplified"\ntheme = "textual-light"\n', encoding="utf-8")
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-light"
        assert app.reader_screen.script == "simplified"


async def test_theme_change_is_remembered(config_file: Path) -> None:
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
        await app.workers.wait_for_complete()
    state = json.loads((config_file.parent / "state.json").read_text(encoding="utf-8"))
    assert state["theme"] == "nord"
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"


async def test_help_lists_groups_with_keys_in_effect(config_file: Path) -> None:
    config_file.write_text('[keymap]\n"search.next" = "ctrl+j"\n', encoding="utf-8")
    app = YuluApp(T)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        console = Console(width=120, record=True, file=io.StringIO())
        console.print(app.screen.query_one(Static).content)
        text = console.export_text()
        for group in ("Navigation", "Search and filter", "Display", "Application"):
            assert group in text
        line = next(line for line in text.splitlines() if "search.next" in line)
        assert "^j" in line and " n " not in line
        await pilot.press("escape")
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"


async def test_every_action_is_in_the_command_palette(config_file: Path) -> None:
    app = YuluApp(T)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"pinyin after")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.reader_screen.pinyin_mode == "above"


def test_version_and_config_path(config_file: Path, capsys) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("yulu ")
    assert main(["--config-path"]) == 0
    assert capsys.readouterr().out.strip() == str(config_file)


def test_help_has_examples_and_exit_codes(capsys) -> None:
    with pytest.raises(SystemExit) as e:
        main(["--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "exit status:" in out and "--config-path" in out


async def test_every_config_problem_is_in_one_notification(config_file: Path) -> None:
    # Seven problems: as seven toasts the first ones were pushed off the top of the screen.
    config_file.write_text(
        'script = "simp"\npinyin = 3\ncolour = "x"\ntheme = "[/]"\n'
        '[keymap]\n"segment.nxt" = "z"\n[keywords]\ntop = 0\n[quotes]\nchinese = "{quot}"\n',
        encoding="utf-8",
    )
    app = YuluApp(T)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        (note,) = [n for n in app._notifications if n.title.startswith("Config file")]
        for key in ("script", "pinyin", "colour", "keymap.segment.nxt", "keywords.top",
                    "quotes.chinese", "'[/]'"):
            assert key in note.message, key
        assert app.is_running and app.reader_screen.script == "original"


async def test_the_palette_names_every_reader_binding_once(config_file: Path) -> None:
    from tui.bindings import reader_bindings
    from tui.features.display import ReaderCommands

    app = YuluApp(T)
    async with app.run_test(size=(120, 40)):
        hits = [hit async for hit in ReaderCommands(app.reader_screen).discover()]
        names = [str(hit.display) for hit in hits]
        assert len(names) == len(reader_bindings())
        assert len(set(names)) == len(names)  # no two commands share a name
        assert "Search and filter: Go back to where you were before the last jump" in names
