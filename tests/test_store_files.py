"""The store file under bad conditions: corrupt, foreign, newer, full disk, symlinks, modes."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
from pathlib import Path

import pytest

import store.atomic
from store import Store, StoreError, StoreReadOnly
from tests.factories import transcript

DOC = transcript([("s1", "今天我們來談談經濟。"), ("s2", "好的，謝謝主持人。")])


def _good_bytes(tmp_path: Path) -> bytes:
    source = tmp_path / "good" / "yulu.json"
    s = Store(source)
    s.add_note("t", DOC, 0, "第一條筆記")
    s.add_note("t", DOC, 1, "第二條筆記")
    return source.read_bytes()


def _aside_files(db: Path) -> list[Path]:
    return sorted(db.parent.glob(db.name + ".corrupt-*"))


BAD = {
    "empty": lambda good: b"",
    "whitespace": lambda good: b"  \n",
    "truncated": lambda good: good[: len(good) // 2],
    "nul-padded": lambda good: good + b"\x00" * 4096,
    "all-nul": lambda good: b"\x00" * len(good),
    "not-utf8": lambda good: good.replace("第一".encode(), "第一".encode("big5")),
    "json-list": lambda good: b"[1, 2, 3]",
    "foreign-json": lambda good: b'{"users": {"1": {"name": "x"}}, "x": 1}',
    "other-tinydb": lambda good: b'{"_default": {"1": {"a": 1}}}',
    "newer-meta-shape": lambda good: b'{"meta": {"1": {"schema": 1}}}',  # no app mark
    "binary": lambda good: bytes(range(256)) * 4,
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_unreadable_file_is_moved_aside_untouched_and_app_starts(tmp_path: Path, kind: str) -> None:
    db = tmp_path / "yulu.json"
    original = BAD[kind](_good_bytes(tmp_path))
    db.write_bytes(original)
    s = Store(db)
    aside = _aside_files(db)
    assert len(aside) == 1
    assert aside[0].read_bytes() == original
    assert len(s.notices) == 1 and str(aside[0]) in s.notices[0]
    assert "empty store" in s.notices[0]
    assert s.notes() == [] and not s.read_only
    s.add_note("t", DOC, 0, "新的開始")
    assert [n.text for n in Store(db).notes()] == ["新的開始"]
    assert aside[0].read_bytes() == original  # never overwritten afterwards either


def test_corrupt_file_is_replaced_by_the_backup_of_the_last_good_version(tmp_path: Path) -> None:
    db = tmp_path / "yulu.json"
    s = Store(db)
    s.add_note("t", DOC, 0, "one")
    s.add_note("t", DOC, 1, "two")
    damaged = db.read_bytes()[:40]
    db.write_bytes(damaged)
    reopened = Store(db)
    assert [n.text for n in reopened.notes()] == ["one"]  # the .bak is one write behind
    assert "restored the previous version from yulu.json.bak" in reopened.notices[0]
    assert _aside_files(db)[0].read_bytes() == damaged


def test_corruption_found_by_a_running_store_is_handled_too(tmp_path: Path) -> None:
    db = tmp_path / "yulu.json"
    s = Store(db)
    s.add_note("t", DOC, 0, "one")
    s.add_note("t", DOC, 0, "one more")  # the .bak now holds ["one"]
    db.write_bytes(b"\x00" * 100)  # damaged behind the back of an open store
    s.add_note("t", DOC, 1, "two")
    assert len(_aside_files(db)) == 1
    assert len(s.notices) == 1 and "restored" in s.notices[0]
    assert sorted(n.text for n in Store(db).notes()) == ["one", "two"]


def test_backup_holds_the_previous_version(tmp_path: Path) -> None:
    db = tmp_path / "yulu.json"
    s = Store(db)
    s.add_note("t", DOC, 0, "one")
    first = db.read_bytes()
    s.add_note("t", DOC, 1, "two")
    assert (tmp_path / "yulu.json.bak").read_bytes() == first


def test_newer_format_opens_read_only(tmp_path: Path) -> None:
    db = tmp_path / "yulu.json"
    good = _good_bytes(tmp_path).replace(b'"schema": 1', b'"schema": 99')
    db.write_bytes(good)
    s = Store(db)
    assert s.read_only
    assert "newer yulu" in s.notices[0]
    assert [n.text for n in s.notes()] == ["第一條筆記", "第二條筆記"]
    with pytest.raises(StoreReadOnly, match="newer yulu, format 99"):
        s.add_note("t", DOC, 0, "x")
    with pytest.raises(StoreReadOnly):
        s.save_position("t", 1)
    assert db.read_bytes() == good
    assert not _aside_files(db)


def test_file_mode_is_kept_and_new_files_are_private(tmp_path: Path) -> None:
    db = tmp_path / "yulu.json"
    s = Store(db)
    s.set_pref("a", 1)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    db.chmod(0o640)
    s.set_pref("a", 2)
    assert stat.S_IMODE(db.stat().st_mode) == 0o640


def test_symlinked_store_path_is_followed(tmp_path: Path) -> None:
    real_dir = tmp_path / "sync"
    real_dir.mkdir()
    real = real_dir / "notes.json"
    link = tmp_path / "yulu.json"
    link.symlink_to(real)
    s = Store(link)
    s.add_note("t", DOC, 0, "via link")
    s.add_note("t", DOC, 0, "again")
    assert link.is_symlink()
    assert len(Store(real).notes()) == 2
    assert (real_dir / "notes.json.bak").exists()
    assert not (tmp_path / "yulu.json.bak").exists()


def test_simulated_disk_full_keeps_old_file_and_explains(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "yulu.json"
    s = Store(db)
    s.add_note("t", DOC, 0, "safe")
    before = db.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store.atomic.os, "fsync", full)
    with pytest.raises(StoreError, match="disk full.*previous version is intact"):
        s.add_note("t", DOC, 1, "lost?")
    monkeypatch.undo()
    assert db.read_bytes() == before
    assert not list(tmp_path.glob(".yulu.json.*.tmp"))


def test_permission_error_is_explained(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "yulu.json"
    s = Store(db)
    s.add_note("t", DOC, 0, "safe")

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(store.atomic.tempfile, "mkstemp", denied)
    with pytest.raises(StoreError, match="no permission to write"):
        s.add_note("t", DOC, 1, "x")


def test_folder_in_place_of_the_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "yulu.json").mkdir()
    with pytest.raises(StoreError, match="is a folder"):
        Store(tmp_path / "yulu.json")


@pytest.fixture
def tiny_disk(tmp_path: Path):
    mount = tmp_path / "tiny"
    mount.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48k", "tmpfs", str(mount)],
                              capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        done = None
    if done is None or done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root); the simulated ENOSPC test covers it")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True, timeout=10)


def test_real_full_disk_keeps_old_file(tiny_disk: Path) -> None:
    db = tiny_disk / "yulu.json"
    s = Store(db)
    s.add_note("t", DOC, 0, "筆記" * 50)
    before = db.read_bytes()
    with pytest.raises(StoreError, match="disk full"):
        s.add_note("t", DOC, 1, "很長" * 20000)  # ~120 kB of UTF-8: cannot fit in 48 kB
    assert db.read_bytes() == before
    assert [n.text for n in Store(db).notes()] == ["筆記" * 50]
    assert not [p for p in os.listdir(tiny_disk) if p.endswith(".tmp")]
    s.add_note("t", DOC, 1, "short")  # and the store still works once it fits
    assert len(Store(db).notes()) == 2


def test_a_later_store_on_the_same_file_also_carries_the_recovery_notice(tmp_path: Path) -> None:
    db = tmp_path / "yulu.json"
    db.write_bytes(b"\x00garbage")
    first = Store(db)  # e.g. the keywords feature, opening the file a moment earlier
    second = Store(db)  # the notes feature, which tells the user
    assert first.notices and second.notices == first.notices
    assert len(_aside_files(db)) == 1
