"""`yulu parse` and `yulu speakers`: JSON output, and one stderr line + exit 2 for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "parser" / "zh_interview.txt"


def test_parse_json_schema(capsys):
    assert main(["parse", str(FIXTURE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "yulu.transcript/1"
    assert data["source"] == str(FIXTURE)
    assert data["encoding"] == "utf-8"
    assert set(data) == {"schema", "source", "encoding", "speakers", "segments"}
    for sp in data["speakers"]:
        assert set(sp) == {"id", "name", "title", "labels"}
        assert isinstance(sp["labels"], list)
    for i, seg in enumerate(data["segments"]):
        assert set(seg) == {"index", "kind", "speaker", "label", "text", "start", "end", "time"}
        assert seg["index"] == i
        assert seg["kind"] in {"narration", "turn", "credits", "stage", "heading", "meta"}
        assert (seg["speaker"] is None) == (seg["kind"] != "turn")
        assert seg["time"] is None or isinstance(seg["time"], float)
    ids = {sp["id"] for sp in data["speakers"]}
    assert {s["speaker"] for s in data["segments"] if s["speaker"]} == ids


def test_parse_json_times_from_subtitles(tmp_path, capsys):
    path = tmp_path / "talk.srt"
    path.write_text("1\n00:01:02,500 --> 00:01:04,000\nAlice: hello there\n\n"
                    "2\n00:01:04,000 --> 00:01:05,000\nstill Alice\n\n"
                    "3\n00:01:05,000 --> 00:01:06,000\nBob: hi\n", encoding="utf-8")
    assert main(["parse", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    segs = data["segments"]
    assert [(s["speaker"], s["text"], s["time"]) for s in segs] == [
        ("s1", "hello there still Alice", 62.5), ("s2", "hi", 65.0)]


def test_parse_human_readable(capsys):
    assert main(["parse", str(FIXTURE)]) == 0
    out = capsys.readouterr().out
    assert "林雅婷" in out and "credits" in out


def test_parse_lists_garbled_runs_with_their_suggested_re_decoding(tmp_path, capsys):
    path = tmp_path / "mojibake.txt"
    garbled = "我们的服务器".encode().decode("gbk")  # UTF-8 read as GBK
    path.write_text(f"主持人：今天談{garbled}。\n", encoding="utf-8")
    assert main(["parse", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"garbled at 3: {garbled} -> maybe 我们的服务器" in out


def test_speakers_table_and_json(capsys):
    assert main(["speakers", str(FIXTURE)]) == 0
    out = capsys.readouterr().out
    assert "林雅婷" in out and "老師" in out
    assert main(["speakers", str(FIXTURE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    lin = next(s for s in data["speakers"] if s["name"] == "林雅婷")
    assert lin["turns"] == 4 and lin["chars"] > 50 and lin["first_time"] is None


def _one_error_line(capsys, argv: list[str], name: str) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert name in lines[0]
    assert "Traceback" not in captured.err and captured.out == ""
    return lines[0]


@pytest.mark.parametrize("command", ["parse", "speakers"])
def test_missing_file(tmp_path, capsys, command):
    path = tmp_path / "missing.txt"
    line = _one_error_line(capsys, [command, str(path)], str(path))
    assert "no such file" in line


def test_directory(tmp_path, capsys):
    line = _one_error_line(capsys, ["parse", str(tmp_path)], str(tmp_path))
    assert "directory" in line


def test_binary_file(tmp_path, capsys):
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8)
    line = _one_error_line(capsys, ["parse", str(path), "--json"], str(path))
    assert "not a text file" in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files regardless of permissions")
def test_unreadable_file(tmp_path, capsys):
    path = tmp_path / "secret.txt"
    path.write_text("主持人：你好", encoding="utf-8")
    path.chmod(0)
    try:
        line = _one_error_line(capsys, ["parse", str(path)], str(path))
    finally:
        path.chmod(0o600)
    assert "permission denied" in line


def test_unreadable_file_as_root_simulated(tmp_path, capsys, monkeypatch):
    """Root ignores file modes, so the permission error is simulated at open()."""
    import builtins

    path = tmp_path / "secret.txt"
    path.write_text("主持人：你好", encoding="utf-8")
    real_open = builtins.open

    def deny(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", deny)
    line = _one_error_line(capsys, ["parse", str(path)], str(path))
    assert "permission denied" in line


def test_fifo_is_refused_without_blocking(tmp_path, capsys):
    path = tmp_path / "pipe"
    os.mkfifo(path)
    line = _one_error_line(capsys, ["parse", str(path)], str(path))
    assert "FIFO" in line


def test_symlink_loop(tmp_path, capsys):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.symlink_to(b)
    b.symlink_to(a)
    line = _one_error_line(capsys, ["parse", str(a)], str(a))
    assert "loop" in line


def test_device_is_refused(capsys):
    line = _one_error_line(capsys, ["parse", "/dev/null"], "/dev/null")
    assert "device" in line


def test_empty_file_parses_to_nothing(tmp_path, capsys):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert main(["parse", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["segments"] == [] and data["speakers"] == []


def test_subprocess_error_has_no_traceback(tmp_path):
    path = tmp_path / "nope.txt"
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "parse", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and str(path) in proc.stderr
    assert "Traceback" not in proc.stderr


def test_subprocess_json_is_valid_and_clean(tmp_path):
    path = tmp_path / "hostile.txt"
    path.write_text("主持人：你好\x1b]0;pwned\x07\x1b[2J世界\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "parse", str(path), "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout
    data = json.loads(proc.stdout)
    assert data["segments"][0]["text"] == "你好世界"


@pytest.mark.parametrize("command", ["parse", "speakers"])
def test_a_hostile_file_name_reaches_stdout_inert(tmp_path, capsys, command):
    path = tmp_path / "talk\x1b]0;pwned\x07.txt"
    path.write_text("---\ntitle: x\n---\n" if command == "speakers" else "Alice: hi\n",
                    encoding="utf-8")
    assert main([command, str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "talk.txt" in out and "pwned" not in out  # the sequence goes with its payload
