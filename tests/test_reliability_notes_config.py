"""Notes and config files get the same treatment as transcripts: markup shows literally and
never acts, escape sequences never reach the terminal, a bad file never stops the reader.

Notifications are where user text meets Textual's markup (`notify(..., markup=True)` is
Textual's default): these tests run with notifications on, since `run_test` turns them off.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from store import Store
from tests.hostile.generate import CLIP_PAYLOAD, PWNED
from tests.hostile.harness import (
    acting_styles,
    bounded,
    full_parse,
    isolated_user_dirs,  # noqa: F401  (a fixture)
    notices,
    run_cli,
    run_in_pty,
    screen_strips,
    unsafe_chars,
    wait_until,
    widget_lines,
)

pytestmark = pytest.mark.usefixtures("isolated_user_dirs")

TALK = "Alice: the first turn.\nBob: the second turn.\nAlice: the third turn.\n"
HOSTILE_NOTE = ("[@click=app.quit]quit[/] [/] [link=https://x.invalid]l[/link] [$accent]v "
                f"\x1b]52;c;{CLIP_PAYLOAD}\x07 \x1b]0;{PWNED}\x07 \x1b[2J \u202eevil\u202c end")
NOTE_SHOWS = ("[@click=app.quit]quit[/]", "[/]", "[link=https://x.invalid]l[/link]", "[$accent]v")


@pytest.fixture
def talk(tmp_path: Path) -> Path:
    path = tmp_path / "talk.txt"
    path.write_text(TALK, encoding="utf-8")
    return path


def _check_screen(app, *, payloads: bool = True) -> str:
    """No control character on screen; with `payloads`, no escape payload either (a config
    warning may show a bad value as a visible repr such as '\\x1b]0;…': that is inert)."""
    strips = screen_strips(app)
    text = "\n".join(s.text for s in strips)
    assert not unsafe_chars(text), unsafe_chars(text)
    if payloads:
        assert PWNED not in text and CLIP_PAYLOAD not in text
    assert not acting_styles(widget_lines(app.reader_screen.reader))
    return text


def _seed_note(db: Path, talk: Path, text: str = HOSTILE_NOTE) -> None:
    store = Store(db)
    tid = store.transcript_id(TALK)
    store.add_note(tid, full_parse(talk), 1, text)
    store.toggle_bookmark(tid, full_parse(talk), 2)


# -- notes ----------------------------------------------------------------------------------------


async def test_a_hostile_note_shows_literally_and_does_nothing(tmp_path: Path, talk: Path) -> None:
    from tui.app import YuluApp

    db = tmp_path / "notes.json"
    _seed_note(db, talk)
    app = YuluApp(full_parse(talk), talk, db=db)
    async with bounded(), app.run_test(size=(140, 40), notifications=True) as pilot:
        await wait_until(pilot, lambda: app.reader_screen.store is not None, "the store")
        await pilot.press("j")
        await pilot.pause(0.2)
        text = _check_screen(app)
        for shown in NOTE_SHOWS:
            assert shown in text, shown
        reader = app.reader_screen.reader
        for y, line in enumerate(widget_lines(reader)):  # click all over the note
            if "quit" in line.text:
                for x in range(0, min(60, reader.size.width), 3):
                    await pilot.click("#reader", offset=(x, y))
        await pilot.press("B")  # the notes list shows it too
        await pilot.pause(0.3)
        _check_screen_any(app)
        await pilot.press("escape")
        assert app.is_running and app.return_code is None


def _check_screen_any(app) -> None:
    text = "\n".join(s.text for s in screen_strips(app))
    assert not unsafe_chars(text), unsafe_chars(text)
    assert PWNED not in text


async def test_typing_markup_into_the_note_editor_saves_it_verbatim(tmp_path: Path, talk: Path) -> None:
    from tui.app import YuluApp
    from tui.screens.note_editor import NoteEditor

    db = tmp_path / "notes.json"
    typed = "[@click=app.quit]x[/] [/ [b]"
    app = YuluApp(full_parse(talk), talk, db=db)
    async with bounded(), app.run_test(size=(140, 40), notifications=True) as pilot:
        await wait_until(pilot, lambda: app.reader_screen.store is not None, "the store")
        await pilot.press("a")
        assert isinstance(app.screen, NoteEditor)
        for ch in typed:
            await pilot.press(ch)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, NoteEditor), "the save")
        await pilot.pause(0.2)
        assert typed in _check_screen(app)
        assert app.is_running
    assert [n.text for n in Store(db).notes()] == [typed]


@pytest.mark.parametrize("args", [
    pytest.param(["notes"]),
    pytest.param(["notes", "--json"]),
    pytest.param(["export", "--format", "md"]),
    pytest.param(["export", "--format", "json"]),
], ids=" ".join)
def test_notes_cli_prints_no_escape(tmp_path: Path, talk: Path, args) -> None:
    db = tmp_path / "notes.json"
    _seed_note(db, talk)
    r = run_cli([*args, "--db", str(db)] if args[0] == "notes" else
                [*args, str(talk), "--db", str(db)])
    assert r.returncode == 0, r.stderr[-1000:]
    out = r.stdout.decode("utf-8")
    assert not unsafe_chars(out), unsafe_chars(out)
    assert "[@click=app.quit]quit[/]" in out
    if any("json" in a for a in args):  # JSON keeps the note exactly, its escapes written as inert \u text
        notes = [i["note"] for t in json.loads(out)["transcripts"] for i in t["items"]]
        assert HOSTILE_NOTE in notes
    else:
        assert PWNED not in out and CLIP_PAYLOAD not in out


# -- notifications carrying user text ----------------------------------------------------------

# Textual's notify() parses its message as markup by default: user text in a message crashed
# the app ('[/]') or was eaten ('[b]'); YuluApp.notify now makes every notification plain.


async def test_searching_for_markup_then_n_does_not_crash(tmp_path: Path, talk: Path) -> None:
    from tui.app import YuluApp

    app = YuluApp(full_parse(talk), talk, db=tmp_path / "notes.json")
    async with bounded(), app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("slash", *"[/]zz", "enter")
        await pilot.pause(0.2)
        await pilot.press("n")
        await pilot.pause(0.3)
        _check_screen(app)
        assert app.is_running


async def test_a_vanished_file_named_with_markup_gives_a_notification(tmp_path: Path) -> None:
    from tui.app import YuluApp
    from tui.launch import first_parse

    path = tmp_path / "a [/]" / "talk [b].txt"  # the full path reads "…/a [/]/talk [b].txt"
    path.parent.mkdir(parents=True)
    path.write_text("".join(f"Alice: turn {i} of a long file.\n" for i in range(4000)),
                    encoding="utf-8")
    transcript = first_parse(path)
    assert not transcript.complete
    path.unlink()
    app = YuluApp(transcript, path, db=tmp_path / "notes.json")
    async with bounded(), app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_until(pilot, lambda: any("no such file" in m for m in notices(app)), "notice")
        await pilot.pause(0.3)
        assert "talk [b].txt" in _check_screen(app)
        assert app.is_running


# -- config files ------------------------------------------------------------------------------

HOSTILE_CONFIGS = {
    "markup_theme": ('theme = "[/]"\n', None),
    "markup_keys": ('theme = "textual-dark"\n[keymap]\n"[@click=app.quit]" = "[/"\n', None),
    "escape_values": ('theme = "\\u001b]0;PWNED\\u0007x"\nscript = "\\u001b[2J"\n'
                      '"\\u001b]52;c;UFdORUQ=\\u0007" = 1\n', None),
    "invalid_toml": ("theme = [unclosed\n\x1b]0;PWNED\x07\n", None),
    "binary": ("\x00\x01\x02\xff", None),
    "not_utf8": (None, None),
    "empty": ("", None),
    "directory": (None, None),
    "huge": ("# " + "x" * 2_000_000 + "\n", None),
}


def _write_config(tmp_path: Path, name: str) -> Path:
    path = tmp_path / "config.toml"
    content = HOSTILE_CONFIGS[name][0]
    if name == "directory":
        path.mkdir()
    elif name == "not_utf8":
        path.write_bytes('theme = "國語"\n'.encode("big5"))
    elif name == "binary":
        path.write_bytes(content.encode("latin-1"))
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _config_params():
    for name, (_, bug) in HOSTILE_CONFIGS.items():
        marks = [pytest.mark.xfail(strict=True, raises=Exception, reason=bug)] if bug else []
        yield pytest.param(name, id=name, marks=marks)


@pytest.mark.parametrize("name", _config_params())
async def test_a_hostile_config_never_stops_the_reader(tmp_path: Path, talk: Path, name: str,
                                                        monkeypatch) -> None:
    from tui.app import YuluApp

    monkeypatch.setenv("YULU_CONFIG", str(_write_config(tmp_path, name)))
    app = YuluApp(full_parse(talk), talk, db=tmp_path / "notes.json")
    async with bounded(), app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause(0.3)
        await pilot.press("j", "j")
        assert app.reader_screen.current == 2
        _check_screen(app, payloads=False)
        for message in notices(app):
            assert not unsafe_chars(message), message
        assert app.is_running


def test_config_path_is_printed_safely(tmp_path: Path) -> None:
    hostile = tmp_path / f"conf{chr(27)}]0;{PWNED}{chr(7)}.toml"
    r = run_cli(["--config-path"], env={"YULU_CONFIG": str(hostile)})
    assert r.returncode == 0, r.stderr[-500:]
    assert not unsafe_chars(r.stdout.decode("utf-8")), r.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_config_that_is_a_fifo_does_not_hang_the_reader(tmp_path: Path, talk: Path) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    # the reader keeps running (nothing quits it) and is killed once it drew the transcript
    # (or after the hang bound): what matters is that it did not block on the FIFO
    _status, out = run_in_pty([sys.executable, "-m", "tui.cli", str(talk)],
                              {"YULU_CONFIG": str(fifo), "TERM": "xterm-256color"},
                              until="second")  # one word: keyword highlights split runs
    assert "second" in out, f"the reader hung on a FIFO config: {out[-300:]!r}"


# -- what a copy puts on the clipboard --------------------------------------------------------

ESCAPING_TURN = (f"Alice: copy{chr(27)}]52;c;{CLIP_PAYLOAD}{chr(7)} me{chr(27)}[2J now\n"
                 "Bob: a second turn.\n")


async def _copied_text(tmp_path: Path, monkeypatch, keys: tuple[str, ...]) -> list[str]:
    from tui.app import YuluApp
    from tui.clipboard import ClipboardDelivery

    copied: list[str] = []
    monkeypatch.setattr(ClipboardDelivery, "copy",
                        lambda self, app, text, on_done=None: copied.append(text))
    path = tmp_path / "turns.txt"
    path.write_text(ESCAPING_TURN, encoding="utf-8")
    app = YuluApp(full_parse(path), path, db=tmp_path / "notes.json")
    async with bounded(), app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause(0.2)
        await pilot.press(*keys)
        await pilot.pause(0.2)
        assert app.is_running
    return copied


@pytest.mark.parametrize("keys", [("y",), ("Y",), ("s", "y")], ids=" ".join)
async def test_a_copied_quote_carries_no_escape(tmp_path: Path, monkeypatch, keys) -> None:
    copied = await _copied_text(tmp_path, monkeypatch, keys)
    assert copied, "nothing was copied"
    for text in copied:
        assert not unsafe_chars(text), text
        assert CLIP_PAYLOAD not in text and "copy me now" in text


async def test_a_hostile_quote_template_copies_no_escape(tmp_path: Path, monkeypatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[quotes]\nenglish = "\\u001b]0;PWNED\\u0007{quote} \\u202e({name})"\n'
                      'chinese = "{quote}"\n', encoding="utf-8")
    monkeypatch.setenv("YULU_CONFIG", str(config))
    copied = await _copied_text(tmp_path, monkeypatch, ("y",))
    assert copied
    for text in copied:
        assert not unsafe_chars(text), text
