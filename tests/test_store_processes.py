"""Several processes on one store: nothing lost, nothing corrupt, no hang."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store import Store, StoreError
from store.fileformat import decode
from tests.factories import transcript

ROOT = Path(__file__).resolve().parents[1]

# A writer process: adds notes "<tag>-<i>" for i in [first, last) and prints i after each one
# is saved, so the parent knows exactly which notes were acknowledged.
WRITER = """
import sys
from store import Store
from tests.factories import transcript
path, tag, first, last = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
doc = transcript([("s1", "今天我們來談談經濟。"), ("s2", "好的，謝謝主持人。")] * 3)
store = Store(path)
print("ready", flush=True)
for i in range(first, last):
    store.add_note("t", doc, i % 6, f"{tag}-{i}")
    print(i, flush=True)
"""

HOLDER = """
import sys, time
from filelock import FileLock
with FileLock(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(60)
"""


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _note_texts(path: Path) -> list[str]:
    data = decode(path.read_bytes())  # strict: raises on anything but a valid store
    return [doc["text"] for doc in data.get("notes", {}).values()]


def test_two_processes_adding_500_notes_each_keep_all_1000(tmp_path: Path) -> None:
    db = tmp_path / "yulu.json"
    started = time.monotonic()
    procs = [_spawn(WRITER, str(db), tag, "0", "500") for tag in ("A", "B")]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    texts = _note_texts(db)
    assert len(texts) == 1000
    assert set(texts) == {f"{tag}-{i}" for tag in "AB" for i in range(500)}
    ids = [n.id for n in Store(db).notes()]
    assert len(set(ids)) == 1000
    print(f"2 x 500 notes in {time.monotonic() - started:.1f} s")


def test_killed_writer_never_corrupts_and_loses_at_most_the_note_in_flight(tmp_path: Path) -> None:
    db = tmp_path / "yulu.json"
    rng = random.Random(5)
    done = 0  # notes 0..done-1 must be in the file
    kills = 0
    while done < 200:
        proc = _spawn(WRITER, str(db), "n", str(done), "200")
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0, 0.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # Read through proc.stdout, not communicate(): that reads the pipe itself and would miss
        # acknowledgements readline() already buffered (a loaded machine: "ready\n0\n" at once).
        out = proc.stdout.read()
        proc.stderr.read()
        kills += proc.returncode == -signal.SIGKILL
        acked = [int(line) for line in out.split()]
        present = {int(t.split("-")[1]) for t in _note_texts(db)} if db.exists() else set()
        expected = set(range(done + len(acked)))
        assert expected <= present, "an acknowledged note was lost"
        assert present - expected <= {done + len(acked)}, "more than the note in flight appeared"
        done = max(present, default=-1) + 1
    assert kills >= 8
    assert len(_note_texts(db)) == 200
    # Whatever temp file a kill left behind is cleaned by the next write.
    Store(db).set_pref("after", True)
    assert not list(tmp_path.glob(".yulu.json.*.tmp"))
    print(f"{kills} kills during 200 writes")


def test_kill_between_fsync_and_replace_leaves_old_file(tmp_path: Path) -> None:
    db = tmp_path / "yulu.json"
    doc = transcript([("s1", "一段話。")])
    Store(db).add_note("t", doc, 0, "before")
    before = db.read_bytes()
    killer = f"""
import os, signal
import store.atomic
from store import Store
from tests.factories import transcript
store.atomic.os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
Store({str(db)!r}).add_note("t", transcript([("s1", "一段話。")]), 0, "in flight")
"""
    proc = _spawn(killer)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert db.read_bytes() == before
    assert list(tmp_path.glob(".yulu.json.*.tmp")), "the kill should have left a temp file"
    Store(db).add_note("t", doc, 0, "after")
    assert sorted(_note_texts(db)) == ["after", "before"]
    assert not list(tmp_path.glob(".yulu.json.*.tmp"))


def test_hung_lock_holder_gives_a_clear_error_not_a_hang(tmp_path: Path) -> None:
    db = tmp_path / "yulu.json"
    doc = transcript([("s1", "一段話。")])
    store = Store(db, lock_timeout=0.5)
    store.add_note("t", doc, 0, "saved earlier")
    holder = _spawn(HOLDER, str(db) + ".lock")
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(StoreError, match="busy.*lock.*0.5 s"):
            store.add_note("t", doc, 0, "blocked")
        assert time.monotonic() - started < 3
        # Reading takes no lock: the hung process does not hide the notes.
        assert [n.text for n in store.notes("t")] == ["saved earlier"]
    finally:
        holder.kill()
        holder.communicate()
    store.add_note("t", doc, 0, "after the holder died")
    assert len(store.notes("t")) == 2


def test_two_store_objects_in_one_process_do_not_reuse_ids(tmp_path: Path) -> None:
    db = tmp_path / "yulu.json"
    doc = transcript([("s1", "一段話。"), ("s2", "另一段。")])
    first, second = Store(db), Store(db)
    a = first.add_note("t", doc, 0, "from first")
    b = second.add_note("t", doc, 1, "from second")
    first.delete_note(a.id)
    c = first.add_note("t", doc, 0, "again")
    notes = {n.id: n.text for n in second.notes("t")}
    assert notes == {b.id: "from second", c.id: "again"}
    raw = json.loads(db.read_text("utf-8"))
    assert len(raw["notes"]) == 2


def test_threads_of_one_process_share_the_store_safely(tmp_path: Path) -> None:
    import threading

    db = tmp_path / "yulu.json"
    doc = transcript([("s1", "一段話。")])
    stores = [Store(db), Store(db)]  # a worker thread may hold either

    def add(k: int) -> None:
        for i in range(40):
            stores[k % 2].add_note("t", doc, 0, f"{k}-{i}")

    threads = [threading.Thread(target=add, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(_note_texts(db)) == 160
