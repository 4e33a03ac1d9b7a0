"""Broken and odd terminals: tiny and huge sizes, resizing while reading, NO_COLOR, TERM=dumb,
no terminal at all. The reader either works or refuses with one line; the CLI works anywhere."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.hostile.generate import write_corpus
from tests.hostile.harness import (
    HANG_SECONDS,
    ROOT,
    acting_styles,
    assert_one_line_error,
    bounded,
    isolated_user_dirs,  # noqa: F401  (a fixture)
    run_cli,
    run_in_pty,
    screen_strips,
    tmux_app,
    tmux_available,
    unsafe_chars,
    widget_lines,
    yulu_argv,
)
from tui.launch import demo_path, first_parse

pytestmark = pytest.mark.usefixtures("isolated_user_dirs")
needs_tmux = pytest.mark.skipif(not tmux_available(), reason="tmux is not installed")

ZH_DEMO = demo_path("zh")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    return write_corpus(tmp_path_factory.mktemp("hostile"), ["markup", "emoji", "osc", "csi"])


def _check_screen(app, size: tuple[int, int]) -> None:
    strips = screen_strips(app)
    assert len(strips) == size[1]
    for strip in strips:
        assert strip.cell_length == size[0], (strip.cell_length, strip.text)
        assert not unsafe_chars(strip.text)
    assert not acting_styles(widget_lines(app.reader_screen.reader))


# -- sizes under Pilot --------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(20, 6), (300, 100), (10, 3), (1, 1)], ids=str)
@pytest.mark.parametrize("which", ["zh_demo", "emoji", "markup"])
async def test_reader_at_extreme_sizes(size, which, corpus) -> None:
    from tui.app import YuluApp

    path = ZH_DEMO if which == "zh_demo" else corpus[which]
    app = YuluApp(first_parse(path), path)
    async with bounded(), app.run_test(size=size) as pilot:
        _check_screen(app, size)
        for key in ("j", "j", "J", "right_square_bracket", "G", "g", "tab", "pagedown", "tab"):
            await pilot.press(key)
        await pilot.pause()
        _check_screen(app, size)
        assert app.is_running


async def test_resize_while_reading_keeps_the_place(corpus) -> None:
    from tui.app import YuluApp

    app = YuluApp(first_parse(ZH_DEMO), ZH_DEMO)
    sizes = [(120, 40), (20, 6), (300, 100), (41, 9), (80, 24), (1, 1), (133, 37)]
    async with bounded(), app.run_test(size=sizes[0]) as pilot:
        await pilot.press("j", "j", "j")
        where = app.reader_screen.current
        for i, size in enumerate(sizes * 2):
            await pilot.resize_terminal(*size)
            await pilot.press("j" if i % 2 else "k")
            where = app.reader_screen.current
            await pilot.pause()
            _check_screen(app, size)
            assert app.reader_screen.current == where
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        reader = app.reader_screen.reader
        line = reader.segment_line(where)
        assert line is not None and reader.scroll_offset.y <= line + 1, "the current segment scrolled away"


# -- the real terminal ---------------------------------------------------------------------------


def _sgr_colours(screen: str) -> list[tuple[int, ...]]:
    """RGB / 256-colour / basic colours set by SGR sequences in `capture-pane -e` output."""
    found = []
    for params in re.findall(r"\x1b\[([0-9;:]*)m", screen):
        parts = [int(p) for p in re.split("[;:]", params) if p.isdigit()]
        i = 0
        while i < len(parts):
            p = parts[i]
            if p in (38, 48, 58) and i + 1 < len(parts):
                if parts[i + 1] == 2 and i + 4 < len(parts):
                    found.append(tuple(parts[i + 2:i + 5]))
                    i += 5
                    continue
                if parts[i + 1] == 5 and i + 2 < len(parts):
                    found.append((parts[i + 2],))
                    i += 3
                    continue
            if 30 <= p <= 37 or 40 <= p <= 47 or 90 <= p <= 97 or 100 <= p <= 107:
                found.append((p,))
            i += 1
    return found


def _is_grey(colour: tuple[int, ...]) -> bool:
    if len(colour) == 3:
        return colour[0] == colour[1] == colour[2]
    (n,) = colour
    # basic black/white and the 256-colour greyscale ramp (232-255), 0, 7, 8, 15, 16, 231
    return n in (30, 37, 40, 47, 90, 97, 100, 107, 0, 7, 8, 15, 16, 231) or 232 <= n <= 255


def _lines(screen: str) -> list[str]:
    return screen.removesuffix("\n").split("\n")


@needs_tmux
@pytest.mark.parametrize("size", [(20, 6), (300, 100)], ids=str)
def test_real_terminal_extreme_sizes(size, corpus) -> None:
    width, height = size
    with tmux_app(yulu_argv(str(corpus["emoji"])), width=width, height=height) as t:
        screen = t.wait_drawn()
        t.keys("j", "j", "G", "g", "Tab", "Down")
        screen = t.wait_drawn()
        lines = _lines(screen)
        assert len(lines) == height
        assert all(cell_len(line) <= width for line in lines)
        assert t.show("#{pane_dead}") == "0"


@needs_tmux
def test_real_terminal_resize_while_reading(corpus) -> None:
    with tmux_app(yulu_argv(str(ZH_DEMO)), width=120, height=40) as t:
        t.wait_drawn()
        t.keys("j", "j", "j")
        for width, height in [(20, 6), (200, 60), (41, 9), (300, 100), (120, 40)]:
            t.cmd("resize-window", "-t", "yulu", "-x", str(width), "-y", str(height))
            t.keys("j")
            screen = t.wait_drawn()
            lines = _lines(screen)
            assert len(lines) == height, (width, height, len(lines))
            assert all(cell_len(line) <= width for line in lines)
            assert t.show("#{pane_dead}") == "0", "the app died on a resize"
        assert "4/" in screen or "5/" in screen or "6/" in screen or "7/" in screen, screen[-300:]


@needs_tmux
def test_real_terminal_no_color(corpus) -> None:
    """NO_COLOR: the reader still runs and draws in greys only (Textual's monochrome filter)."""
    with tmux_app(yulu_argv(str(ZH_DEMO)), env={"NO_COLOR": "1"}) as t:
        t.wait_drawn()
        t.keys("j", "J")
        t.wait_drawn()
        colours = _sgr_colours(t.capture(escapes=True))
        assert colours, "no colour codes at all: is capture-pane -e working?"
        assert all(_is_grey(c) for c in colours), sorted(set(c for c in colours if not _is_grey(c)))[:10]


@needs_tmux
def test_real_terminal_colour_check_can_fail(corpus) -> None:
    """The grey check above sees colour when NO_COLOR is not set (so it can fail)."""
    with tmux_app(yulu_argv(str(ZH_DEMO))) as t:
        t.wait_drawn()
        colours = _sgr_colours(t.capture(escapes=True))
        assert any(not _is_grey(c) for c in colours)


# -- no terminal / a dumb one ----------------------------------------------------------------------


YULU = [sys.executable, "-m", "tui.cli"]


def test_term_dumb_refuses_with_one_line() -> None:
    status, out = run_in_pty([*YULU, str(ZH_DEMO)], {"TERM": "dumb"})
    assert status == 2, out
    lines = [line for line in out.replace("\r", "").split("\n") if line]
    assert len(lines) == 1 and "TERM=dumb" in lines[0] and lines[0].startswith("yulu: "), out
    assert "\x1b" not in out, "escape sequences sent to a dumb terminal"


def test_term_dumb_still_runs_cli_subcommands() -> None:
    status, out = run_in_pty([*YULU, "parse", str(ZH_DEMO)], {"TERM": "dumb"})
    assert status == 0, out
    assert "segments" in out and "\x1b" not in out


def test_no_tty_refuses_the_reader_with_one_line() -> None:
    r = run_cli([str(ZH_DEMO)])
    line = assert_one_line_error(r)
    assert "terminal" in line


def test_piped_stdin_refuses_the_reader() -> None:
    """`cat x | yulu FILE`: stdout is a terminal but stdin is not: refuse, do not hang."""
    status, out = run_in_pty([*YULU, str(ZH_DEMO)], {"TERM": "xterm-256color"}, stdin_tty=False)
    assert status == 2, out
    lines = [line for line in out.replace("\r", "").split("\n") if line]
    assert len(lines) == 1 and "terminal" in lines[0], out


def test_no_tty_bad_file_names_the_file_first(tmp_path) -> None:
    r = run_cli([str(tmp_path / "nope.txt")])
    assert "nope.txt" in assert_one_line_error(r)


def _subcommands() -> list[str]:
    from tui.cli import COMMANDS

    return sorted(COMMANDS)


@pytest.mark.parametrize("name", _subcommands())
def test_every_subcommand_answers_help_without_a_terminal(name: str) -> None:
    r = run_cli([name, "--help"])
    assert r.returncode == 0, r.stderr[-1000:]
    assert r.stdout.strip() and b"Traceback" not in r.stderr


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["parse", str(ZH_DEMO)],
                                  ["parse", str(ZH_DEMO), "--json"]], ids=" ".join)
def test_cli_works_without_a_terminal(args) -> None:
    r = run_cli(args)
    assert r.returncode == 0, r.stderr[-1000:]
    assert r.stdout.strip()
    assert not unsafe_chars(r.stdout.decode("utf-8"))


def test_cli_output_to_a_closed_pipe_is_quiet() -> None:
    """`yulu parse big --json | head -1`: no BrokenPipe traceback."""
    proc = subprocess.Popen([*YULU, "parse", str(ZH_DEMO), "--json"], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.readline()
    proc.stdout.close()
    _, err = proc.communicate(timeout=HANG_SECONDS)
    assert b"Traceback" not in err, err[-1000:]
    assert proc.returncode in (0, 1, 2, 141, -13), proc.returncode  # never a traceback


def test_interrupt_exits_quietly(tmp_path) -> None:
    """Ctrl+C during a long `yulu parse`: exit 130, no traceback."""
    big = tmp_path / "big.txt"
    big.write_text("".join(f"Alice: line {i}\n" for i in range(300_000)), encoding="utf-8")
    proc = subprocess.Popen([*YULU, "parse", str(big), "--json"], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(1.5)
    proc.send_signal(2)
    _, err = proc.communicate(timeout=HANG_SECONDS)
    assert b"Traceback" not in err, err[-1500:]
    assert proc.returncode in (130, 0), proc.returncode


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this platform")
@pytest.mark.parametrize("args", [["parse", str(ZH_DEMO), "--json"], ["parse", str(ZH_DEMO)]],
                         ids=" ".join)
def test_output_to_a_full_disk_is_one_line(args) -> None:
    """`yulu parse F --json > /dev/full`: one line naming the problem, exit 2, no traceback."""
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([*YULU, *args], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              stdout=full, stderr=subprocess.PIPE, timeout=HANG_SECONDS)
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, err
    assert err.count("\n") == 1 and "No space left" in err and "Traceback" not in err, err
