"""A transcript's id in the notes store, worked out once per file (tui/identity.py)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from parser import read_source
from store import transcript_id
from tui import identity as ident
from tui.launch import first_parse


@pytest.fixture
def talk(tmp_path: Path) -> Path:
    path = tmp_path / "talk.txt"
    path.write_text("主持人：大家好。\r\n來賓：你好。\r\n" * 50, encoding="utf-8")
    return path


def test_it_is_the_store_id_of_the_whole_file_even_for_a_parsed_head(talk: Path) -> None:
    head = first_parse(talk)
    assert ident.identity(head, talk) == transcript_id(read_source(talk).text)


def test_two_workers_asking_at_once_read_the_file_once(talk: Path, monkeypatch) -> None:
    reads = []
    gate = threading.Event()
    real = ident._of_file

    def slow(path: Path) -> str:
        reads.append(path)
        gate.wait(5)
        return real(path)

    monkeypatch.setattr(ident, "_of_file", slow)
    results: list[str] = []
    workers = [threading.Thread(target=lambda: results.append(ident.identity(None, talk)))
               for _ in range(2)]
    for w in workers:
        w.start()
    gate.set()
    for w in workers:
        w.join(10)
    assert len(reads) == 1
    assert results == [transcript_id(read_source(talk).text)] * 2


def test_askers_wait_for_a_promise_kept_from_the_text_read_for_the_parse(talk: Path,
                                                                          monkeypatch) -> None:
    monkeypatch.setattr(ident, "_of_file", lambda path: pytest.fail("read the file again"))
    promised = ident.promise(talk)
    assert promised is not None
    assert ident.promise(talk) is None  # one promise per file
    got: list[str] = []
    asker = threading.Thread(target=lambda: got.append(ident.identity(None, talk)))
    asker.start()
    promised.fulfil(read_source(talk).text)
    asker.join(10)
    assert got == [transcript_id(read_source(talk).text)]


def test_a_broken_promise_reaches_the_askers_and_the_next_one_reads_again(talk: Path) -> None:
    promised = ident.promise(talk)
    assert promised is not None
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            ident.identity(None, talk)
        except OSError as e:
            errors.append(e)

    waiting = threading.Thread(target=ask)
    waiting.start()
    waiting.join(1.0)  # time enough to be waiting for the promise
    promised.fail(OSError("disk gone"))
    promised.fulfil("too late")  # a broken promise stays broken
    waiting.join(10)
    assert [str(e) for e in errors] == ["disk gone"]
    assert ident.identity(None, talk) == transcript_id(read_source(talk).text)


def test_an_edited_file_gets_a_new_id(talk: Path) -> None:
    before = ident.identity(None, talk)
    talk.write_text("主持人：改過了。\n", encoding="utf-8")
    os.utime(talk, ns=(talk.stat().st_atime_ns, talk.stat().st_mtime_ns + 10**9))
    assert ident.identity(None, talk) != before
