"""Bookmarks and notes in the reader, driven by keys as a user would (Textual Pilot)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import OptionList, TextArea

from parser import parse_text, read_source
from store import Store, StoreError
from tests.hostile.harness import wait_until as until  # (pilot, condition, what, timeout)
from tui.app import YuluApp
from tui.screens.note_editor import NoteEditor
from tui.screens.notes import ConfirmDelete, NotesListScreen
from tui.widgets.reader_view import ReaderView
from tui.widgets.segment_list import SegmentList

TALK = """主持人：各位觀眾晚安，歡迎收看今天的節目。今天的主題是房價。
王教授：謝謝主持人。我先說結論。
主持人：我們先來談談最近的房價問題，很多年輕人買不起房子。
王教授：我認為政府應該增加社會住宅的供給。同時也要抑制投機炒作。
主持人：謝謝王教授的分析。
"""
OTHER = """記者：這裡是另一個節目的逐字稿。
市長：我們會加開夜間公車路線。
"""


def open_file(path: Path):
    source = read_source(path)
    return parse_text(source.text, source=str(path), encoding=source.encoding)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    talk, other = tmp_path / "talk.txt", tmp_path / "other.txt"
    talk.write_text(TALK, encoding="utf-8")
    other.write_text(OTHER, encoding="utf-8")
    return talk, other, tmp_path / "notes.json"


def make_app(path: Path, db: Path) -> YuluApp:
    return YuluApp(open_file(path), path, db=db)


async def ready(pilot, app: YuluApp) -> None:
    await until(pilot, lambda: app.reader_screen.store is not None, "the store to open")


def sidebar_rows(app: YuluApp) -> list[str]:
    sidebar = app.reader_screen.query_one(SegmentList)
    return [sidebar.render_line(y).text for y in range(len(app.transcript.segments))]


def reader_text(app: YuluApp) -> str:
    reader = app.reader_screen.query_one(ReaderView)
    return "\n".join(reader.render_line(y).text for y in range(reader.size.height))


def messages(app: YuluApp) -> list[str]:
    return [n.message for n in app._notifications]


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("enter" if ch == "\n" else ch)


async def test_b_toggles_a_bookmark_with_a_sidebar_marker(files) -> None:
    talk, _, db = files
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("j", "b")
        assert sidebar_rows(app)[1].startswith("⚑")  # shown at once, before the disk confirms
        await until(pilot, lambda: Store(db).bookmarks(), "the bookmark to be saved")
        assert [b.anchor.index for b in Store(db).bookmarks()] == [1]
        assert "⚑" in reader_text(app).split("\n")[0]  # in the current segment's header
        await pilot.press("b")
        await until(pilot, lambda: not Store(db).bookmarks(), "the bookmark to be removed")
        await pilot.pause()
        assert not sidebar_rows(app)[1].startswith("⚑")


async def test_a_writes_a_multiline_chinese_note_shown_under_its_segment(files) -> None:
    talk, _, db = files
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("j", "j", "a")
        assert isinstance(app.screen, NoteEditor)
        await type_text(pilot, "年輕人\n買房難")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, NoteEditor), "the editor to close")
        notes = Store(db).notes()
        assert [(n.anchor.index, n.text) for n in notes] == [(2, "年輕人\n買房難")]
        assert notes[0].anchor.speaker == "主持人"
        lines = reader_text(app).splitlines()
        at = next(i for i, line in enumerate(lines) if "✎ 年輕人" in line)
        assert lines[at + 1].index("買房難") == lines[at].index("年輕人")  # a hanging indent
        assert "✎" in sidebar_rows(app)[2][:2]


async def test_a_on_a_selected_sentence_anchors_the_sentence(files) -> None:
    talk, _, db = files
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("j", "j", "j", "s", "s", "a")  # second sentence of segment 3
        await type_text(pilot, "投機")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: Store(db).notes(), "the note to be saved")
        anchor = Store(db).notes()[0].anchor
        assert anchor.index == 3 and anchor.exact == "同時也要抑制投機炒作。"
        await pilot.pause()
        assert "「同時也要抑制投機炒作。」" in reader_text(app)


async def test_failed_write_keeps_the_note_in_the_editor(files, monkeypatch) -> None:
    talk, _, db = files
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)

        def disk_full(*args, **kwargs):
            raise StoreError("disk full: could not save; the previous version is intact")

        monkeypatch.setattr(Store, "add_note", disk_full)
        await pilot.press("a")
        await type_text(pilot, "重要的想法")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("disk full" in m for m in messages(app)), "the error")
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "重要的想法"
        monkeypatch.undo()
        await pilot.press("ctrl+s")  # space freed: saving again works
        await until(pilot, lambda: not isinstance(app.screen, NoteEditor), "the editor to close")
        assert [n.text for n in Store(db).notes()] == ["重要的想法"]


async def test_escape_asks_before_discarding_typed_text(files) -> None:
    talk, _, db = files
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("a")
        await type_text(pilot, "草稿")
        await pilot.press("escape")
        assert isinstance(app.screen, NoteEditor)  # not yet: the text would be lost
        await pilot.press("escape")
        assert not isinstance(app.screen, NoteEditor)
        assert Store(db).notes() == []
        await pilot.press("a", "escape")  # nothing typed: one Esc closes
        assert not isinstance(app.screen, NoteEditor)


async def _with_notes(db: Path, talk: Path, other: Path) -> None:
    store = Store(db)
    doc = open_file(talk)
    tid = store.transcript_id(read_source(talk).text)
    store.remember_transcript(tid, talk, talk.name, doc)
    store.add_note(tid, doc, 3, "社會住宅是重點")
    store.add_note(tid, doc, 1, "開場")
    store.toggle_bookmark(tid, doc, 4)
    other_doc = open_file(other)
    other_tid = store.transcript_id(read_source(other).text)
    store.remember_transcript(other_tid, other, other.name, other_doc)
    store.add_note(other_tid, other_doc, 1, "公車路線")


async def test_list_filters_as_you_type_and_enter_jumps(files) -> None:
    talk, other, db = files
    await _with_notes(db, talk, other)
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.pause()
        await pilot.press("B")
        assert isinstance(app.screen, NotesListScreen)
        screen = app.screen
        await until(pilot, lambda: len(screen.shown) == 3, "the list to load")
        assert [e.item.note or e.item.kind for e in screen.shown] == ["開場", "社會住宅是重點",
                                                                     "bookmark"]
        await type_text(pilot, "社会")  # Simplified finds the Traditional 社會
        assert [e.item.note for e in screen.shown] == ["社會住宅是重點"]
        assert "(1 of 3)" in str(screen.query_one("#notes-list-title").render())
        await pilot.press("enter")
        assert not isinstance(app.screen, NotesListScreen)
        assert app.reader_screen.current == 3


async def test_list_delete_with_confirmation_and_undo(files) -> None:
    talk, other, db = files
    await _with_notes(db, talk, other)
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("B")
        screen = app.screen
        await until(pilot, lambda: len(screen.shown) == 3, "the list to load")
        await pilot.press("ctrl+d")
        assert isinstance(app.screen, ConfirmDelete)
        await pilot.press("n")  # kept
        assert app.screen is screen and len(Store(db).notes()) == 3
        await pilot.press("ctrl+d", "y")
        await until(pilot, lambda: len(screen.shown) == 2, "the list to reload")
        assert "開場" not in [n.text for n in Store(db).notes()]
        await pilot.press("ctrl+z")
        await until(pilot, lambda: len(screen.shown) == 3, "the undo")
        assert "開場" in [n.text for n in Store(db).notes()]


async def test_list_edit_updates_the_note(files) -> None:
    talk, other, db = files
    await _with_notes(db, talk, other)
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("B")
        screen = app.screen
        await until(pilot, lambda: len(screen.shown) == 3, "the list to load")
        await pilot.press("down", "ctrl+e")
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "社會住宅是重點"
        await type_text(pilot, "待查")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen, "back to the list")
        await until(pilot, lambda: "社會住宅是重點待查" in [e.item.note for e in screen.shown],
                    "the list to show the edit")
        assert "社會住宅是重點待查" in [n.text for n in Store(db).notes()]


async def test_list_of_all_transcripts_opens_the_other_file(files) -> None:
    talk, other, db = files
    await _with_notes(db, talk, other)
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("B", "ctrl+a")
        screen = app.screen
        await until(pilot, lambda: len(screen.shown) == 4, "every transcript's notes")
        await type_text(pilot, "公車")
        assert len(screen.shown) == 1
        await pilot.press("enter")
        await until(pilot, lambda: app.path == other, "the other file to open")
        await until(pilot, lambda: app.reader_screen.current == 1, "the jump to the note")
        assert "✎ 公車路線" in reader_text(app)


async def test_u_undoes_a_delete_in_the_reader(files) -> None:
    talk, other, db = files
    await _with_notes(db, talk, other)
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("B")
        screen = app.screen
        await until(pilot, lambda: len(screen.shown) == 3, "the list to load")
        await pilot.press("ctrl+d", "y")
        await until(pilot, lambda: len(Store(db).notes()) == 2, "the delete")
        await pilot.press("escape", "u")
        await until(pilot, lambda: len(Store(db).notes()) == 3, "the undo")


async def test_reading_position_is_saved_and_restored(files) -> None:
    talk, _, db = files
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("j", "j", "j")
        tid = app.reader_screen.tid
        await until(pilot, lambda: Store(db).position(tid) == 3, "the debounced save")
        await pilot.press("k")  # quit right away: the last move is saved on the way out
    assert Store(db).position(tid) == 2
    again = make_app(talk, db)
    async with again.run_test(size=(120, 40)) as pilot:
        await ready(pilot, again)
        await until(pilot, lambda: again.reader_screen.current == 2, "the restored position")


async def test_orphaned_note_is_listed_after_the_file_changed(files) -> None:
    talk, other, db = files
    await _with_notes(db, talk, other)
    talk.write_text(TALK.replace("王教授：謝謝主持人。我先說結論。\n", ""), encoding="utf-8")
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await until(pilot, lambda: any("no longer found" in m or "found at a new place" in m
                                       for m in messages(app)), "the re-anchoring notice")
        await pilot.press("B")
        screen = app.screen
        await until(pilot, lambda: len(screen.shown) == 3, "the list")
        orphan = [e for e in screen.shown if e.item.orphaned]
        assert [e.item.note for e in orphan] == ["開場"]
        rows = screen.query_one(OptionList)
        assert "no longer found" in str(rows.get_option_at_index(2).prompt)
        assert app.reader_screen.current == 0
        await pilot.press("escape")
        assert "✎ 社會住宅是重點" in reader_text(app)
        rows = sidebar_rows(app)  # the marks moved with their segments
        assert [r[:1] for r in rows if "我認為政府" in r] == ["✎"]
        assert [r[:1] for r in rows if "謝謝王教授" in r] == ["⚑"]


async def test_corrupt_store_is_announced_and_the_reader_starts(files) -> None:
    talk, _, db = files
    db.write_bytes(b"\x00\x00garbage")
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        # the notice is posted as the store opens; it reaches the screen a message later
        await until(pilot, lambda: any("moved aside" in m for m in messages(app)), "the notice")
        await pilot.press("b")
        await until(pilot, lambda: Store(db).bookmarks(), "a bookmark in the fresh store")


async def test_without_a_file_or_store_keys_explain(monkeypatch) -> None:
    from tests.factories import transcript

    monkeypatch.delenv("YULU_DB", raising=False)
    app = YuluApp(transcript([("s1", "一段話。")]))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b")
        assert any("Not saved" in m for m in messages(app))
        await pilot.press("a")
        assert not isinstance(app.screen, NoteEditor)


def test_reader_accepts_db_option() -> None:
    from tui.launch import build_parser

    assert build_parser().parse_args(["x.txt", "--db", "/tmp/n.json"]).db == "/tmp/n.json"


async def test_large_file_notes_and_position_past_the_head_appear_after_the_full_parse(
        tmp_path: Path) -> None:
    from tui.launch import HEAD_BYTES, first_parse

    big = tmp_path / "big.txt"
    big.write_text("".join(f"Name{i % 5}: turn number {i} " + "words " * 40 + "\n"
                           for i in range(2500)), encoding="utf-8")
    db = tmp_path / "notes.json"
    whole = open_file(big)
    store = Store(db)
    tid = store.transcript_id(read_source(big).text)
    far = len(whole.segments) - 3
    store.add_note(tid, whole, far, "deep in the file")
    store.save_position(tid, far - 1)
    head = first_parse(big)
    assert not head.complete and len(head.segments) < far and big.stat().st_size > HEAD_BYTES
    app = YuluApp(head, big, db=db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await until(pilot, lambda: app.reader_screen.transcript.complete, "the full parse",
                    timeout=20)
        await until(pilot, lambda: app.reader_screen.current == far - 1, "the restored position",
                    timeout=10)
        await pilot.press("j")
        assert "✎ deep in the file" in reader_text(app)
    assert not Store(db).notes()[0].orphaned  # the head alone never orphans anything


async def test_delete_confirmation_buttons_work_with_the_mouse(files) -> None:
    talk, other, db = files
    await _with_notes(db, talk, other)
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("B")
        screen = app.screen
        await until(pilot, lambda: len(screen.shown) == 3, "the list to load")
        await pilot.press("ctrl+d")
        assert "開場" in str(app.screen.query_one("#confirm-delete-preview").render())
        await pilot.click("#confirm-delete-no")
        assert app.screen is screen and len(Store(db).notes()) == 3
        await pilot.press("ctrl+d")
        await pilot.click("#confirm-delete-yes")
        await until(pilot, lambda: len(Store(db).notes()) == 2, "the delete")


async def test_jump_to_a_note_past_the_head_of_another_large_file(files, tmp_path: Path) -> None:
    talk, _, db = files
    big = tmp_path / "big.txt"
    big.write_text("".join(f"Name{i % 5}: turn number {i} " + "words " * 40 + "\n"
                           for i in range(2500)), encoding="utf-8")
    whole = open_file(big)
    store = Store(db)
    tid = store.transcript_id(read_source(big).text)
    store.remember_transcript(tid, big, big.name, whole)
    far = len(whole.segments) - 2
    store.add_note(tid, whole, far, "near the end")
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("B", "ctrl+a")
        screen = app.screen
        await until(pilot, lambda: len(screen.shown) == 1, "the list")
        await pilot.press("enter")
        await until(pilot, lambda: app.path == big, "the big file to open")
        await until(pilot, lambda: app.reader_screen.current == far, "the jump past the head",
                    timeout=20)
        assert "✎ near the end" in reader_text(app)


async def test_jump_to_a_note_hidden_by_the_speaker_filter_clears_the_filter(files) -> None:
    talk, other, db = files
    await _with_notes(db, talk, other)
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        screen = app.reader_screen
        host = screen.transcript.segments[0].speaker
        screen.filter_to_speakers(frozenset({host}))  # only 主持人; the notes are on 王教授
        await pilot.pause()
        assert 3 not in screen.navigator.visible
        await pilot.press("B")
        listing = app.screen
        await until(pilot, lambda: len(listing.shown) == 3, "the list")
        await type_text(pilot, "社會")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.current == 3 and screen.speaker_filter is None
        assert not screen.sidebar.border_title  # the filter indicator went with the filter


async def burst(pilot, *keys: str) -> None:
    """Keys that arrive in one read (a paste, fast typing over a slow SSH link), not one by one
    as pilot.press sends them: the app must still handle them in the order they were typed."""
    from textual import events

    for key in keys:
        pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))
    await pilot.pause()


async def test_ctrl_s_right_after_typing_saves_every_character(files) -> None:
    talk, _, db = files
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("a")
        await burst(pilot, "房", "價", "x", "ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, NoteEditor), "the editor to close")
        assert [n.text for n in Store(db).notes()] == ["房價x"]


async def test_escape_right_after_typing_still_asks_before_discarding(files) -> None:
    talk, _, db = files
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("a")
        await burst(pilot, "草", "j", "escape")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "草j"
        assert app.reader_screen.current == 0  # the typed "j" did not move the reader


async def test_list_keys_typed_ahead_act_on_the_entry_they_point_at(files, monkeypatch) -> None:
    import tui.screens.notes as notes_screen

    talk, other, db = files
    await _with_notes(db, talk, other)
    gather, release = notes_screen.gather, threading.Event()

    def slow_gather(*args, **kwargs):
        release.wait(5)  # a big store on a slow disk
        return gather(*args, **kwargs)

    monkeypatch.setattr(notes_screen, "gather", slow_gather)
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("B")
        screen = app.screen
        assert isinstance(screen, NotesListScreen)
        await burst(pilot, "down", "down")
        assert not screen.shown  # typed before the list was there
        release.set()
        await until(pilot, lambda: len(screen.shown) == 3, "the list to load")
        await pilot.pause()
        assert screen.selected is not None and screen.selected.item.kind == "bookmark"
        await burst(pilot, "up", "up", "down", "ctrl+d")
        assert isinstance(app.screen, ConfirmDelete)
        assert "社會住宅是重點" in app.screen.preview  # the second entry, not the first


async def test_list_keeps_the_cursor_on_the_edited_note(files) -> None:
    talk, other, db = files
    await _with_notes(db, talk, other)
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("B")
        screen = app.screen
        await until(pilot, lambda: len(screen.shown) == 3, "the list to load")
        await pilot.press("down", "ctrl+e")
        await type_text(pilot, "!")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "社會住宅是重點!" in [e.item.note for e in screen.shown],
                    "the list to show the edit")
        await pilot.pause()
        assert screen.selected is not None and screen.selected.item.note == "社會住宅是重點!"


async def test_store_messages_naming_a_bracketed_folder_show_it_literally(files) -> None:
    talk, _, _ = files
    folder = talk.parent / "[reverse]notes"
    folder.mkdir()
    db = folder / "notes.json"
    db.write_bytes(b"\x00garbage")  # so the notice names the folder
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.pause()
        shown = [n for n in app._notifications if "[reverse]notes" in n.message]
        assert shown and "moved aside" in shown[0].message
        assert not any(n.markup for n in shown)  # as markup, "[reverse]" would vanish


async def test_read_only_store_refuses_b_and_a_before_anything_is_typed(files) -> None:
    talk, _, db = files
    Store(db).set_pref("x", 1)
    db.write_bytes(db.read_bytes().replace(b'"schema": 1', b'"schema": 99'))  # a newer yulu's
    before = db.read_bytes()
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("b")
        assert "⚑" not in sidebar_rows(app)[0][:2]
        await pilot.press("a")
        assert not isinstance(app.screen, NoteEditor)
        assert any("read-only (written by a newer yulu" in m for m in messages(app))
    assert db.read_bytes() == before


async def test_editing_a_note_deleted_in_another_window_saves_it_back(files) -> None:
    talk, other, db = files
    await _with_notes(db, talk, other)
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("B", "ctrl+a")
        screen = app.screen
        await until(pilot, lambda: len(screen.shown) == 4, "every transcript's notes")
        await type_text(pilot, "公車")  # a note of the other file: no segment of it is open
        await pilot.press("ctrl+e")
        assert isinstance(app.screen, NoteEditor)
        note_id = screen.shown[0].item.id
        Store(db).delete_note(note_id)  # another window deletes it meanwhile
        await type_text(pilot, "很重要")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("deleted in another window" in m for m in messages(app)),
                    "the news that it was deleted")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, NoteEditor), "the second save")
        revived = Store(db).note(note_id)
        assert revived is not None and revived.text == "公車路線很重要"


async def test_full_width_punctuation_typed_into_the_editor_is_kept(files) -> None:
    talk, _, db = files
    app = make_app(talk, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("a")
        typed = "重點：「房價」，要查！（待補）。"
        await burst(pilot, *typed)  # one key event per character, as a terminal sends them
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, NoteEditor), "the editor to close")
        assert [n.text for n in Store(db).notes()] == [typed]
