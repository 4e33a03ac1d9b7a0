"""`yulu FILE` refuses what it cannot open with one stderr line and exit status 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run_reader(capsys, *args: str) -> tuple[int, list[str]]:
    code = main(list(args))
    err = capsys.readouterr().err
    return code, err.splitlines()


def test_missing_file(capsys, tmp_path):
    code, lines = run_reader(capsys, str(tmp_path / "nope.txt"))
    assert code == 2
    assert len(lines) == 1 and "nope.txt" in lines[0]


def test_directory(capsys, tmp_path):
    code, lines = run_reader(capsys, str(tmp_path))
    assert code == 2
    assert len(lines) == 1 and "director" in lines[0].lower()


def test_binary_file(capsys, tmp_path):
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    code, lines = run_reader(capsys, str(binary))
    assert code == 2
    assert len(lines) == 1 and "image.png" in lines[0]


def test_unreadable_file(capsys, tmp_path, monkeypatch):
    # Root ignores permission bits, so the refusal is simulated at the open() the parser makes.
    secret = tmp_path / "secret.txt"
    secret.write_text("記者 王:你好\n", encoding="utf-8")
    real_open = Path.open

    def deny(self, *a, **k):
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *a, **k)

    monkeypatch.setattr(Path, "open", deny)
    import builtins

    real_builtin_open = builtins.open

    def deny_builtin(file, *a, **k):
        if str(file).endswith("secret.txt"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_builtin_open(file, *a, **k)

    monkeypatch.setattr(builtins, "open", deny_builtin)
    code, lines = run_reader(capsys, str(secret))
    assert code == 2
    assert len(lines) == 1 and "secret.txt" in lines[0]


def test_reader_without_a_terminal_says_so(tmp_path):
    good = tmp_path / "ok.txt"
    good.write_text("記者 王:你好\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "tui.cli", str(good)],
        capture_output=True, text=True, cwd=ROOT, stdin=subprocess.DEVNULL, timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "terminal" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("argv", [["--demo", "en"], []])
def test_bundled_demos_parse(argv, monkeypatch):
    from tui import launch

    args = launch.build_parser().parse_args(argv)
    transcript = launch.first_parse(launch.demo_path(args.demo or "zh"))
    assert len(transcript.segments) >= 8
    assert {s.kind for s in transcript.segments} >= {"narration", "turn", "credits"}


@given(st.lists(st.text(min_size=1).filter(lambda a: not a.startswith("-") and "\x00" not in a),
                max_size=4))
def test_plain_file_arguments_parse_as_argparse_would(argv):
    # `yulu FILE...` skips argparse to start sooner; it must mean exactly what argparse says.
    from tui import launch

    assert vars(launch.parse_args(argv)) == vars(launch.build_parser().parse_args(argv))


def test_options_still_go_through_argparse(capsys):
    from tui import launch

    assert launch.parse_args(["a.txt", "--demo", "en"]).demo == "en"
    with pytest.raises(SystemExit):
        launch.parse_args(["--no-such-option"])
    assert "unrecognized arguments" in capsys.readouterr().err
