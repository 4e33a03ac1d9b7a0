"""Store faults as a user meets them: a read-only data folder, a full disk, a folder whose path
has spaces and non-ASCII characters, a lock held by a hung process. The reader keeps running,
says what happened, and never loses a note that was typed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from textual.widgets import TextArea

from store import Store, StoreError, StoreReadOnly
from tests.hostile.harness import (
    HANG_SECONDS,
    ROOT,
    bounded,
    full_parse,
    isolated_user_dirs,  # noqa: F401  (a fixture)
    notices,
    run_cli,
    unsafe_chars,
    wait_until,
)

pytestmark = pytest.mark.usefixtures("isolated_user_dirs")

TALK = "主持人：歡迎收看。\n王教授：謝謝主持人。\n主持人：我們開始吧。\n"
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0


def _mount(*args: str) -> bool:
    r = subprocess.run(["mount", *args], capture_output=True, timeout=10)
    return r.returncode == 0


@contextmanager
def _tmpfs(folder: Path, size: str = "1m") -> Iterator[Path]:
    """A small tmpfs at `folder` (root only), so that read-only and full are real, not mocked."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (ROOT_USER and _mount("-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder))):
        pytest.skip("cannot mount a tmpfs here (needs root and mount); the store's own tests "
                    "simulate ENOSPC")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=10)


@contextmanager
def _read_only_folder(folder: Path) -> Iterator[Path]:
    """`folder` made read-only for this process: chmod for a normal user, a ro tmpfs for root
    (root ignores permission bits)."""
    if not ROOT_USER:
        folder.mkdir(parents=True, exist_ok=True)
        yield folder
        return
    with _tmpfs(folder):
        yield folder


def _make_read_only(folder: Path) -> None:
    if ROOT_USER:
        assert _mount("-o", "remount,ro", str(folder)), "remount ro failed"
    else:
        folder.chmod(0o555)


@pytest.fixture
def talk(tmp_path: Path) -> Path:
    path = tmp_path / "talk.txt"
    path.write_text(TALK, encoding="utf-8")
    return path


# -- read-only data folder ---------------------------------------------------------------------


def test_read_only_folder_store_level(tmp_path: Path, talk: Path) -> None:
    with _read_only_folder(tmp_path / "data") as folder:
        db = folder / "yulu.json"
        transcript = full_parse(talk)
        tid = Store(db).transcript_id(TALK)
        Store(db).add_note(tid, transcript, 1, "kept before the folder became read-only")
        _make_read_only(folder)
        before = db.read_bytes()
        store = Store(db)
        assert store.read_only
        assert any("not writable" in n for n in store.notices), store.notices
        assert [n.text for n in store.notes(tid)] == ["kept before the folder became read-only"]
        with pytest.raises(StoreReadOnly) as e:
            store.add_note(tid, transcript, 0, "cannot be saved")
        assert "\n" not in str(e.value) and str(db) in str(e.value)
        assert db.read_bytes() == before


async def test_read_only_folder_the_reader_runs_and_says_notes_cannot_be_saved(
        tmp_path: Path, talk: Path) -> None:
    from tui.app import YuluApp
    from tui.screens.note_editor import NoteEditor

    with _read_only_folder(tmp_path / "data") as folder:
        db = folder / "yulu.json"
        tid = Store(db).transcript_id(TALK)
        Store(db).add_note(tid, full_parse(talk), 1, "an older note")
        _make_read_only(folder)
        before = db.read_bytes()
        app = YuluApp(full_parse(talk), talk, db=db)
        async with bounded(), app.run_test(size=(120, 40), notifications=True) as pilot:
            await wait_until(pilot, lambda: any("not writable" in m or "read-only" in m
                                            for m in notices(app)), "a read-only notice")
            await pilot.press("j")
            assert "an older note" in "\n".join(
                app.reader_screen.reader.render_line(y).text for y in range(30))
            await pilot.press("b")
            await wait_until(pilot, lambda: any("read-only" in m and "nothing was saved" in m
                                            or "Not saved" in m for m in notices(app)),
                         "a 'not saved' message after b")
            await pilot.press("a")
            if isinstance(app.screen, NoteEditor):  # the editor may open; saving must say no
                for ch in "lost?":
                    await pilot.press(ch)
                await pilot.press("ctrl+s")
                await wait_until(pilot, lambda: any("read-only" in m for m in notices(app)[-2:]),
                             "a read-only error on save")
                assert isinstance(app.screen, NoteEditor), "the editor closed: the text is gone"
                assert app.screen.query_one(TextArea).text == "lost?"
                await pilot.press("escape")
            await pilot.press("j", "k")
            assert app.is_running
        assert db.read_bytes() == before


# -- disk full ----------------------------------------------------------------------------------


async def test_disk_full_keeps_the_typed_note_and_the_old_file(tmp_path: Path, talk: Path) -> None:
    from tui.app import YuluApp
    from tui.screens.note_editor import NoteEditor

    with _tmpfs(tmp_path / "small", size="64k") as folder:
        db = folder / "yulu.json"
        tid = Store(db).transcript_id(TALK)
        Store(db).add_note(tid, full_parse(talk), 1, "already safe")
        before = db.read_bytes()
        app = YuluApp(full_parse(talk), talk, db=db)
        async with bounded(), app.run_test(size=(120, 40), notifications=True) as pilot:
            await wait_until(pilot, lambda: app.reader_screen.store is not None, "the store")
            await pilot.pause(0.3)
            filler = folder / "filler"
            fd = os.open(filler, os.O_WRONLY | os.O_CREAT)  # now fill the disk
            try:
                while os.write(fd, b"\0" * 1024):
                    pass
            except OSError:
                pass
            finally:
                os.close(fd)
            before = db.read_bytes()
            await pilot.press("j", "a")
            assert isinstance(app.screen, NoteEditor)
            for ch in "full disk":
                await pilot.press(ch)
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: any("disk full" in m for m in notices(app)),
                         "a disk-full message")
            assert isinstance(app.screen, NoteEditor), "the editor closed: the note is lost"
            assert app.screen.query_one(TextArea).text == "full disk"
            assert db.read_bytes() == before, "the old store changed"
            filler.unlink()  # space freed: saving again works
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: not isinstance(app.screen, NoteEditor), "the save")
            assert sorted(n.text for n in Store(db).notes(tid)) == ["already safe", "full disk"]


# -- a path with spaces and non-ASCII -----------------------------------------------------------

ODD_FOLDER = "my notes 笔记 ü é [x] $HOME 'q'"


async def test_store_in_a_folder_with_spaces_and_non_ascii(tmp_path: Path, talk: Path) -> None:
    from tui.app import YuluApp

    db = tmp_path / ODD_FOLDER / "yulu data.json"
    app = YuluApp(full_parse(talk), talk, db=db)
    async with bounded(), app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_until(pilot, lambda: app.reader_screen.store is not None, "the store")
        await pilot.press("j", "b")
        await wait_until(pilot, lambda: db.exists() and Store(db).bookmarks(), "the bookmark")
    assert [b.anchor.index for b in Store(db).bookmarks()] == [1]
    # the same folder through the environment variable, and the CLI reading it back
    r = run_cli(["notes", "--json"], env={"YULU_DB": str(db)})
    assert r.returncode == 0, r.stderr[-1000:]
    assert "\\u" not in r.stdout.decode()[:0]  # decodes
    assert b"bookmark" in r.stdout.lower() or b'"index": 1' in r.stdout


def test_env_var_store_path_with_odd_characters(tmp_path: Path, talk: Path, monkeypatch) -> None:
    db = tmp_path / ODD_FOLDER / "env.json"
    monkeypatch.setenv("YULU_DB", str(db))
    store = Store()
    assert store.path == db
    tid = store.transcript_id(TALK)
    store.add_note(tid, full_parse(talk), 0, "ü 笔记 note")
    assert [n.text for n in Store(db).notes(tid)] == ["ü 笔记 note"]


# -- a lock held by a hung process --------------------------------------------------------------

HOLDER = """
import sys, time
from filelock import FileLock
lock = FileLock(sys.argv[1])
lock.acquire()
print("held", flush=True)
time.sleep(120)
"""


@contextmanager
def _hung_lock_holder(db: Path) -> Iterator[subprocess.Popen]:
    lock = db.with_name(db.name + ".lock")
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock)], stdout=subprocess.PIPE,
                            cwd=ROOT, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        yield proc
    finally:
        proc.kill()
        proc.wait(timeout=10)


def test_hung_lock_gives_a_clear_timeout_store_level(tmp_path: Path, talk: Path) -> None:
    db = tmp_path / "data" / "yulu.json"
    transcript = full_parse(talk)
    tid = Store(db).transcript_id(TALK)
    Store(db).add_note(tid, transcript, 0, "before the hang")
    with _hung_lock_holder(db):
        store = Store(db, lock_timeout=1.0)
        assert [n.text for n in store.notes(tid)] == ["before the hang"]  # reads need no lock
        start = time.monotonic()
        with pytest.raises(StoreError) as e:
            store.add_note(tid, transcript, 1, "waits for the lock")
        waited = time.monotonic() - start
        message = str(e.value)
        assert 0.9 <= waited < 5, waited
        assert "busy" in message and "lock" in message and "\n" not in message, message
        assert not unsafe_chars(message)
    Store(db, lock_timeout=1.0).add_note(tid, transcript, 1, "after the hang")
    assert len(Store(db).notes(tid)) == 2


async def _open_with_hung_lock(tmp_path: Path, talk: Path, check) -> None:
    from tui.app import YuluApp

    db = tmp_path / "data" / "yulu.json"
    Store(db).add_note(Store(db).transcript_id(TALK), full_parse(talk), 0, "before the hang")
    with _hung_lock_holder(db):
        app = YuluApp(full_parse(talk), talk, db=db)
        async with bounded(hang=HANG_SECONDS + 15), app.run_test(
                size=(120, 40), notifications=True) as pilot:
            await check(app, pilot)


async def test_hung_lock_the_reader_stays_responsive_and_says_why(tmp_path: Path, talk: Path) -> None:
    async def check(app, pilot) -> None:
        await pilot.pause(0.2)
        await pilot.press("b")  # a write: it waits for the lock in a worker
        for expected in (1, 2, 1):  # ...while the UI keeps answering keys
            start = time.monotonic()
            await pilot.press("j" if expected > app.reader_screen.current else "k")
            assert app.reader_screen.current == expected
            assert time.monotonic() - start < 2.0, "the UI froze while the store was locked"
        await wait_until(pilot, lambda: any("busy" in m for m in notices(app)),
                     "the lock timeout message", timeout=HANG_SECONDS + 10)
        message = next(m for m in notices(app) if "busy" in m)
        assert "lock" in message and not unsafe_chars(message)
        assert app.is_running

    await _open_with_hung_lock(tmp_path, talk, check)


async def test_hung_lock_still_shows_existing_notes(tmp_path: Path, talk: Path) -> None:
    async def check(app, pilot) -> None:
        await wait_until(pilot, lambda: any("busy" in m for m in notices(app)),
                     "the lock timeout message", timeout=HANG_SECONDS + 10)
        await pilot.pause(0.3)
        text = "\n".join(app.reader_screen.reader.render_line(y).text for y in range(30))
        assert "before the hang" in text

    await _open_with_hung_lock(tmp_path, talk, check)
