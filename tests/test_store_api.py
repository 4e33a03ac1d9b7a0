"""The Store API as other parts of yulu use it: notes, bookmarks, positions, prefs, quotes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store import QUOTES_KEPT, NoteMissing, Store, transcript_id
from tests.factories import transcript

ROWS = [
    ("s1", "今天我們來談談經濟。"),
    ("s2", "好的，謝謝主持人。"),
    ("s1", "第一個問題是關於通貨膨脹的看法。"),
    ("s2", "我認為通貨膨脹會在明年逐步回落，但是速度不會太快。"),
]
NAMES = {"s1": "主持人", "s2": "王教授"}


@pytest.fixture
def doc():
    return transcript(ROWS, names=NAMES)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "yulu.json")


def test_notes_survive_a_new_store_instance(tmp_path: Path, store: Store, doc) -> None:
    tid = transcript_id("some text")
    note = store.add_note(tid, doc, 3, "這裡是重點\n第二行")
    again = Store(tmp_path / "yulu.json").notes(tid)
    assert [n.text for n in again] == ["這裡是重點\n第二行"]
    assert again[0].id == note.id
    assert again[0].anchor.index == 3
    assert again[0].anchor.speaker == "王教授"
    assert again[0].anchor.exact == ROWS[3][1]


def test_file_is_readable_utf8_json(tmp_path: Path, store: Store, doc) -> None:
    store.add_note("t1", doc, 0, "中文筆記")
    text = (tmp_path / "yulu.json").read_text("utf-8")
    assert "中文筆記" in text  # not \\u escapes: a human can read the file
    assert json.loads(text)["meta"]["1"]["schema"] == 1


def test_sentence_note_keeps_offsets_and_quote(store: Store, doc) -> None:
    text = ROWS[3][1]
    start = text.index("但是")
    note = store.add_note("t1", doc, 3, "保留意見", start=start, end=len(text))
    assert note.anchor.exact == "但是速度不會太快。"
    assert (note.anchor.start, note.anchor.end) == (start, len(text))


def test_notes_all_transcripts_and_order(store: Store, doc) -> None:
    store.add_note("b", doc, 2, "second")
    store.add_note("a", doc, 3, "late")
    store.add_note("a", doc, 1, "early")
    assert [n.text for n in store.notes("a")] == ["early", "late"]
    assert [n.text for n in store.notes()] == ["early", "late", "second"]


def test_update_delete_and_undo(store: Store, doc) -> None:
    note = store.add_note("t", doc, 1, "first")
    store.update_note(note.id, "edited")
    assert store.note(note.id).text == "edited"
    store.delete_note(note.id)
    assert store.notes("t") == []
    restored = store.undo_delete()
    assert restored is not None and restored.text == "edited"
    assert [n.id for n in store.notes("t")] == [note.id]
    assert store.undo_delete() is None


def test_update_of_a_note_deleted_elsewhere_says_so(tmp_path: Path, store: Store, doc) -> None:
    note = store.add_note("t", doc, 1, "first")
    Store(tmp_path / "yulu.json").delete_note(note.id)
    with pytest.raises(NoteMissing):
        store.update_note(note.id, "my edit")
    revived = store.revive_note(note.id, "my edit")  # saving again brings it back
    assert (revived.id, revived.anchor, revived.text) == (note.id, note.anchor, "my edit")
    assert [n.text for n in Store(tmp_path / "yulu.json").notes()] == ["my edit"]
    assert store.undo_delete() is None  # it left the trash


def test_empty_note_is_refused(store: Store, doc) -> None:
    with pytest.raises(ValueError):
        store.add_note("t", doc, 1, "  \n ")


def test_toggle_bookmark(store: Store, doc) -> None:
    assert store.toggle_bookmark("t", doc, 2) is True
    assert [b.anchor.index for b in store.bookmarks("t")] == [2]
    assert store.toggle_bookmark("t", doc, 1) is True
    assert store.toggle_bookmark("t", doc, 2) is False
    assert [b.anchor.index for b in store.bookmarks("t")] == [1]
    assert store.bookmarks("other") == []


def test_position(store: Store) -> None:
    assert store.position("t") is None
    store.save_position("t", 5)
    store.save_position("t", 7)
    assert store.position("t") == 7


def test_prefs_global_and_per_transcript(store: Store) -> None:
    store.set_pref("pins", ["通膨", "利率"], tid="t")
    store.set_pref("theme", "dark")
    assert store.get_pref("pins", tid="t") == ["通膨", "利率"]
    assert store.get_pref("pins") is None
    assert store.get_pref("pins", tid="other", default=[]) == []
    assert store.get_pref("theme") == "dark"
    store.set_pref("theme", None)
    assert store.get_pref("theme", default="light") == "light"


def test_unstorable_pref_is_refused_before_writing(tmp_path: Path, store: Store) -> None:
    store.set_pref("a", 1)
    before = (tmp_path / "yulu.json").read_bytes()
    with pytest.raises((TypeError, ValueError)):
        store.set_pref("b", float("nan"))
    with pytest.raises(TypeError):
        store.set_pref("b", object())
    assert (tmp_path / "yulu.json").read_bytes() == before


def test_quotes_keep_the_newest(store: Store) -> None:
    for i in range(QUOTES_KEPT + 5):
        store.add_quote("t", f"quote {i}", "王教授", index=i)
    quotes = store.quotes()
    assert len(quotes) == QUOTES_KEPT
    assert quotes[0].text == f"quote {QUOTES_KEPT + 4}"
    assert quotes[-1].text == "quote 5"
    assert store.quotes(limit=3)[2].attribution == "王教授"


def test_recent_transcripts_and_move(tmp_path: Path, store: Store, doc) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    store.remember_transcript("ta", a, "A", doc)
    store.remember_transcript("tb", b, "B", doc)
    assert [r.tid for r in store.recent_transcripts()] == ["tb", "ta"]
    store.add_note("ta", doc, 0, "kept")
    moved = tmp_path / "moved.txt"
    store.remember_transcript("ta", moved, "A", doc)  # same content, new place
    assert store.transcript("ta").path == str(moved)
    assert [n.text for n in store.notes("ta")] == ["kept"]
    assert store.recent_transcripts(limit=1)[0].tid == "ta"


def test_transcript_id_ignores_line_endings_and_bom() -> None:
    assert transcript_id("a\r\nb") == transcript_id("a\nb") == transcript_id("\ufeffa\nb")
    assert transcript_id("a\nb") != transcript_id("a\nc")


def test_lone_surrogates_do_not_corrupt_the_file(tmp_path: Path, store: Store, doc) -> None:
    store.add_note("t", doc, 0, "bad \ud800 char")
    assert Store(tmp_path / "yulu.json").notes("t")[0].text == "bad \ufffd char"


def test_env_var_sets_the_default_path(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("YULU_DB", str(tmp_path / "env.json"))
    s = Store()
    s.set_pref("x", 1)
    assert s.path == tmp_path / "env.json"
    assert (tmp_path / "env.json").exists()


def test_opening_does_not_create_files(tmp_path: Path) -> None:
    Store(tmp_path / "sub" / "yulu.json").notes()
    assert not (tmp_path / "sub" / "yulu.json").exists()


def test_bookmark_delete_and_undo_share_the_trash_with_notes(store: Store, doc) -> None:
    store.toggle_bookmark("t", doc, 2)
    note = store.add_note("t", doc, 1, "note")
    mark = store.bookmarks("t")[0]
    store.delete_note(note.id)
    store.delete_bookmark(mark.id)
    assert store.bookmarks("t") == [] and store.notes("t") == []
    assert store.undo_delete() == mark  # last deleted comes back first
    assert [b.id for b in store.bookmarks("t")] == [mark.id]
    assert store.undo_delete().id == note.id
    with pytest.raises(NoteMissing):
        store.delete_bookmark("no-such-id")
