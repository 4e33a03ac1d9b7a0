"""Anchors are found again after the transcript file is edited; lost ones are kept as orphaned."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from parser.model import Transcript
from store import Store, make_anchor, resolve, transcript_id
from tests.factories import transcript

ROWS = [
    ("s1", "各位觀眾晚安，歡迎收看今天的節目。"),
    ("s2", "謝謝。"),
    ("s1", "我們先來談談最近的房價問題，很多年輕人買不起房子。"),
    ("s2", "我認為政府應該增加社會住宅的供給，同時抑制投機炒作。"),
    ("s1", "謝謝。"),
    ("s2", "另外利率政策也很關鍵，央行上半年已經升息兩次。"),
]
NAMES = {"s1": "主持人", "s2": "王教授"}


def doc(rows=ROWS) -> Transcript:
    return transcript(rows, names=NAMES)


def test_every_anchor_resolves_to_itself_in_the_same_text() -> None:
    d = doc()
    for i in range(len(ROWS)):
        place = resolve(make_anchor(d, i), d)
        assert (place.index, place.how) == (i, "same")


def test_paragraph_inserted_above_moves_the_anchor() -> None:
    anchor = make_anchor(doc(), 3)
    edited = doc([ROWS[0], ("s1", "插入的新段落，內容完全不同。"), *ROWS[1:]])
    place = resolve(anchor, edited)
    assert (place.index, place.how) == (4, "moved")


def test_repeated_short_text_is_told_apart_by_its_context() -> None:
    second_thanks = make_anchor(doc(), 4)  # "謝謝。" after the 房價 answer, not the one at 1
    edited = doc([("s1", "開場白。"), *ROWS])
    assert resolve(second_thanks, edited).index == 5
    first_thanks = make_anchor(doc(), 1)
    assert resolve(first_thanks, edited).index == 2


def test_word_changed_in_the_segment_is_found_fuzzily() -> None:
    anchor = make_anchor(doc(), 3)
    rows = list(ROWS)
    rows[3] = ("s2", "我認為政府應該增加公共住宅的供給，同時抑制投機炒作。")  # 社會 -> 公共
    place = resolve(anchor, doc(rows))
    assert (place.index, place.how) == (3, "fuzzy")


def test_selected_sentence_is_found_after_edits_around_and_inside_it() -> None:
    text = ROWS[5][1]
    start = text.index("央行")
    anchor = make_anchor(doc(), 5, start, len(text))
    rows = [("s1", "新增一段。"), *ROWS]
    rows[6] = ("s2", "另外，利率政策非常關鍵：央行上半年已經升息兩次。")
    place = resolve(anchor, doc(rows))
    assert place.index == 6 and place.how == "moved"
    assert rows[6][1][place.start:place.end] == "央行上半年已經升息兩次。"
    rows[6] = ("s2", "另外，利率政策非常關鍵：央行上半年已經升息三次。")
    fuzzy = resolve(anchor, doc(rows))
    assert fuzzy.index == 6 and fuzzy.how == "fuzzy"
    assert rows[6][1][fuzzy.start:fuzzy.end].startswith("央行上半年")


def test_deleted_passage_is_orphaned() -> None:
    anchor = make_anchor(doc(), 2)
    place = resolve(anchor, doc([r for i, r in enumerate(ROWS) if i != 2]))
    assert place.orphaned and place.how == "orphaned"


def _store_with_notes(tmp_path: Path) -> tuple[Store, Path, str]:
    s = Store(tmp_path / "yulu.json")
    path = tmp_path / "show.txt"
    tid = transcript_id("v1")
    s.remember_transcript(tid, path, "show", doc())
    s.add_note(tid, doc(), 3, "社會住宅的論點")
    s.add_note(tid, doc(), 2, "房價")
    s.toggle_bookmark(tid, doc(), 5)
    return s, path, tid


def test_edited_file_keeps_its_notes_reanchored_and_orphans_kept(tmp_path: Path) -> None:
    s, path, old_tid = _store_with_notes(tmp_path)
    rows = [("s1", "節目開始前的插播。"), ("s2", "廣告。"), *[r for i, r in enumerate(ROWS) if i != 2]]
    new_tid = transcript_id("v2")
    done = s.remember_transcript(new_tid, path, "show", doc(rows))
    assert done.migrated_from == old_tid
    assert (done.moved, done.orphaned) == (2, 1)  # 社會住宅 note + bookmark moved; 房價 lost
    notes = {n.text: n for n in s.notes(new_tid)}
    assert notes["社會住宅的論點"].anchor.index == 4 and not notes["社會住宅的論點"].orphaned
    assert notes["房價"].orphaned  # kept, flagged, never dropped
    assert notes["房價"].anchor.exact == ROWS[2][1]
    assert [b.anchor.index for b in s.bookmarks(new_tid)] == [6]
    assert s.notes(old_tid) == []
    assert s.transcript(old_tid) is None and s.transcript(new_tid).path == str(path)


def test_orphan_flag_clears_when_the_passage_comes_back(tmp_path: Path) -> None:
    s, path, _ = _store_with_notes(tmp_path)
    s.remember_transcript(transcript_id("v2"), path, "show", doc(ROWS[:2] + ROWS[3:]))
    s.remember_transcript(transcript_id("v3"), path, "show", doc())
    assert not any(n.orphaned for n in s.notes(transcript_id("v3")))


def test_different_transcript_at_the_same_path_does_not_take_the_notes(tmp_path: Path) -> None:
    s, path, old_tid = _store_with_notes(tmp_path)
    other = doc([("s1", "完全不同的節目。"), ("s2", "沒有任何相同的句子出現在這裡。")])
    done = s.remember_transcript(transcript_id("other"), path, "other", other)
    assert done.migrated_from is None
    assert len(s.notes(old_tid)) == 2


def test_partly_parsed_transcript_does_not_orphan_anything(tmp_path: Path) -> None:
    s, path, tid = _store_with_notes(tmp_path)
    d = doc()
    head = Transcript(d.source, d.encoding, d.speakers, d.segments[:2], complete=False)
    done = s.remember_transcript(tid, path, "show", head)
    assert done.orphaned == 0
    assert not any(n.orphaned for n in s.notes(tid))


def test_bookmark_toggle_finds_a_moved_bookmark(tmp_path: Path) -> None:
    s = Store(tmp_path / "yulu.json")
    s.toggle_bookmark("t", doc(), 3)
    edited = doc([("s1", "插入。"), *ROWS])
    assert s.toggle_bookmark("t", edited, 4) is False  # removes the old one, not a second mark
    assert s.bookmarks("t") == []


WORDS = st.text(alphabet="經濟房價利率政府央行謝謝的了是我們abc ，。", min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(WORDS, min_size=1, max_size=12, unique=True), data=st.data())
def test_property_unique_segments_survive_an_insertion(texts: list[str], data) -> None:
    before = doc([("s1", t) for t in texts])
    index = data.draw(st.integers(0, len(texts) - 1))
    at = data.draw(st.integers(0, len(texts)))
    extra = data.draw(WORDS.filter(lambda t: t not in texts))
    after = doc([("s1", t) for t in [*texts[:at], extra, *texts[at:]]])
    place = resolve(make_anchor(before, index), after)
    assert place.index == (index + 1 if at <= index else index)


@settings(max_examples=60, deadline=None)
@given(a=st.lists(WORDS, min_size=1, max_size=8), b=st.lists(WORDS, max_size=8), data=st.data())
def test_property_resolve_is_total(a: list[str], b: list[str], data) -> None:
    before = doc([("s1", t) for t in a])
    after = doc([("s1", t) for t in b])
    index = data.draw(st.integers(0, len(a) - 1))
    text = a[index]
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    for anchor in (make_anchor(before, index), make_anchor(before, index, start, end)):
        place = resolve(anchor, after)
        if place.orphaned:
            continue
        assert 0 <= place.index < len(b)
        if not anchor.whole_segment:
            assert 0 <= place.start <= place.end <= len(b[place.index])
