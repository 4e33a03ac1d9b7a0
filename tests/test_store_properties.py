"""Hypothesis: any sequence of store operations leaves a file that a new Store reads back exactly."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from store import Store
from store.fileformat import decode
from tests.factories import transcript

DOC = transcript([("s1", "今天我們來談談經濟。"), ("s2", "好的，謝謝主持人。"),
                  ("s1", "第一個問題。"), ("s2", "第一個問題。")])
TIDS = st.sampled_from(["t1", "t2"])
# Any text a user might type, including control characters, emoji and lone surrogates.
NOTE_TEXT = st.text(min_size=1, max_size=40).filter(lambda t: t.strip())
JSON_VALUE = st.recursive(
    st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=10)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=6,
)


def storable(text: str) -> str:
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)


class StoreMachine(RuleBasedStateMachine):
    @initialize()
    def open_store(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="yulu-prop-"))
        self.store = Store(self.dir / "yulu.json")
        self.notes: dict[str, tuple[str, str, int]] = {}  # id -> (tid, text, index)
        self.deleted: list[tuple[str, tuple[str, str, int]]] = []
        self.bookmarks: set[tuple[str, int]] = set()
        self.prefs: dict[tuple[str, str | None], object] = {}
        self.positions: dict[str, int] = {}

    def teardown(self) -> None:
        if hasattr(self, "dir"):
            shutil.rmtree(self.dir, ignore_errors=True)

    @rule(tid=TIDS, index=st.integers(0, 3), text=NOTE_TEXT)
    def add(self, tid: str, index: int, text: str) -> None:
        note = self.store.add_note(tid, DOC, index, text)
        self.notes[note.id] = (tid, storable(text), index)

    @precondition(lambda self: self.notes)
    @rule(data=st.data(), text=NOTE_TEXT)
    def update(self, data, text: str) -> None:
        note_id = data.draw(st.sampled_from(sorted(self.notes)))
        self.store.update_note(note_id, text)
        tid, _, index = self.notes[note_id]
        self.notes[note_id] = (tid, storable(text), index)

    @precondition(lambda self: self.notes)
    @rule(data=st.data())
    def delete(self, data) -> None:
        note_id = data.draw(st.sampled_from(sorted(self.notes)))
        self.store.delete_note(note_id)
        self.deleted.append((note_id, self.notes.pop(note_id)))

    @rule()
    def undo(self) -> None:
        restored = self.store.undo_delete()
        if not self.deleted:
            assert restored is None
            return
        note_id, value = self.deleted.pop()
        assert restored is not None and restored.id == note_id
        self.notes[note_id] = value

    @rule(tid=TIDS, index=st.integers(0, 3))
    def toggle(self, tid: str, index: int) -> None:
        now_on = self.store.toggle_bookmark(tid, DOC, index)
        assert now_on == ((tid, index) not in self.bookmarks)
        self.bookmarks ^= {(tid, index)}

    @rule(key=st.sampled_from(["pins", "hidden", "theme"]), tid=st.none() | TIDS,
          value=st.none() | JSON_VALUE)
    def pref(self, key: str, tid: str | None, value: object) -> None:
        self.store.set_pref(key, value, tid=tid)
        if value is None:
            self.prefs.pop((key, tid), None)
        else:
            self.prefs[(key, tid)] = value

    @rule(tid=TIDS, index=st.integers(0, 3))
    def position(self, tid: str, index: int) -> None:
        self.store.save_position(tid, index)
        self.positions[tid] = index

    @invariant()
    def file_reads_back_exactly(self) -> None:
        if not hasattr(self, "dir"):
            return
        path = self.dir / "yulu.json"
        if path.exists():
            decode(path.read_bytes())  # strictly valid at every step
        fresh = Store(path)
        assert {n.id: (n.tid, n.text, n.anchor.index) for n in fresh.notes()} == self.notes
        assert {(b.tid, b.anchor.index) for b in fresh.bookmarks()} == self.bookmarks
        for (key, tid), value in self.prefs.items():
            assert fresh.get_pref(key, tid=tid) == value
        for tid in ("t1", "t2"):
            assert fresh.position(tid) == self.positions.get(tid)
        assert fresh.notices == []


StoreMachine.TestCase.settings = settings(max_examples=25, stateful_step_count=15, deadline=None)
test_store_operations = StoreMachine.TestCase


DOC_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=6) | st.from_regex(r"\A\d{1,3}\Z"), inner, max_size=3),
    max_leaves=8,
)
TABLES = st.dictionaries(
    # any table name but "meta", the store's own table (set below, with its schema version)
    st.text(min_size=1, max_size=8).filter(lambda name: name != "meta"),
    st.dictionaries(st.integers(1, 10**6).map(str),
                    st.dictionaries(st.text(max_size=6), DOC_VALUE, max_size=4), max_size=5),
    max_size=4,
).map(lambda t: {"meta": {"1": {"app": "yulu", "schema": 1}}, **t})


@settings(max_examples=150, deadline=None)
@given(data=TABLES)
def test_encoding_round_trips_with_one_document_per_line(data) -> None:
    from store.fileformat import encode

    raw = encode(data)
    assert decode(raw) == data
    lines = raw.decode("utf-8").splitlines()
    for table in data.values():
        for doc_id in table:  # every document starts its own line, for people reading the file
            assert any(line.startswith(f'  "{doc_id}": {{') for line in lines)


@given(st.text(alphabet=st.sampled_from(["a", "語", "\r", "\n", "\ufeff", "\ud800", "😀"]),
               max_size=60),
       st.integers(min_value=1, max_value=7))
def test_the_identity_hashed_in_pieces_equals_the_identity_of_the_whole(text, chunk) -> None:
    import hashlib

    from store.store import transcript_id

    normal = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    whole = hashlib.sha256(normal.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    assert transcript_id(text, chunk=chunk) == whole
    assert transcript_id(text) == whole
