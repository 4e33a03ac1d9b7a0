"""Bookmarks and notes in the reader: `b` bookmark, `a` note editor, `B` list, `u` undo delete.

Mixin for ReaderScreen (see tui/features/__init__.py for the contract). The store is opened in a
worker when the screen mounts; until then (or when it cannot be opened) the keys explain why
nothing happens. Every write goes through one serial queue drained by a thread worker, so writes
happen in the order the keys were pressed and the UI never waits on the disk. After each write
the marks are read back from the file, so the screen shows what is saved, not what was hoped.

Exposed to the core: `self.store`, `self.tid` (the quotes feature reads them for its history).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from rich.text import Text
from textual import work
from textual.timer import Timer

from parser.model import Segment, Transcript
from tui.render import plain, shorten

if TYPE_CHECKING:
    # The store's modules load with the store, in a worker after the first paint.
    from store import Anchor, Bookmark, Note, Placement, Store

BOOKMARK_MARK = "⚑"  # narrow in every terminal (East Asian width N), unlike ★
NOTE_MARK = "✎"
NOTE_CLASS = "reader--note"
POSITION_DEBOUNCE = 0.8  # seconds of stillness before the reading position is saved

_SHOWN_NOTICES: set[str] = set()  # store notices already shown in this process (one app)


# Named tuples rather than dataclasses: immutable all the same, and made in ~0.05 ms each at
# import instead of ~0.45 ms, on the way to the first screen.
class PlacedNote(NamedTuple):
    note: Note
    start: int | None  # the noted sentence within the segment text, None for the whole segment
    end: int | None


class Marks(NamedTuple):
    """Notes and bookmarks of one transcript, placed on its segments as it is now (never
    changed in place: the empty dicts of Marks() are shared)."""

    notes_at: dict[int, tuple[PlacedNote, ...]] = {}  # noqa: RUF012 - read-only, see above
    bookmarks_at: dict[int, tuple[str, ...]] = {}  # noqa: RUF012 - index -> ids
    index_of: dict[str, int] = {}  # noqa: RUF012 - note/bookmark id -> segment index

    def with_bookmark(self, index: int, on: bool) -> Marks:
        """An optimistic copy (before the store confirms a toggle)."""
        marks = dict(self.bookmarks_at)
        if on:
            marks[index] = marks.get(index, ()) + ("pending",)
        else:
            marks.pop(index, None)
        return Marks(self.notes_at, marks, self.index_of)


def place_marks(notes: list[Note], bookmarks: list[Bookmark], transcript: Transcript) -> Marks:
    """Find every anchor in `transcript` (pure; call it from a worker for big transcripts).

    An anchor that is not found (orphaned) gets no mark: the notes list (B) shows it.
    """
    from store import Note

    notes_at: dict[int, list[PlacedNote]] = {}
    bookmarks_at: dict[int, list[str]] = {}
    index_of: dict[str, int] = {}
    for entry in (*notes, *bookmarks):
        place = _place(entry.anchor, transcript)
        if place is None or place.index is None:
            continue
        index_of[entry.id] = place.index
        if isinstance(entry, Note):
            notes_at.setdefault(place.index, []).append(PlacedNote(entry, place.start, place.end))
        else:
            bookmarks_at.setdefault(place.index, []).append(entry.id)
    return Marks({i: tuple(v) for i, v in notes_at.items()},
                 {i: tuple(v) for i, v in bookmarks_at.items()}, index_of)


def read_marks(store: Store, tid: str, transcript: Transcript) -> Marks:
    """The marks of `tid` as saved now (disk I/O: in a worker)."""
    return place_marks(store.notes(tid), store.bookmarks(tid), transcript)


def _place(anchor: Anchor, transcript: Transcript) -> Placement | None:
    """Where the anchor is; None when that cannot be told yet.

    In the parsed head of a big file only an anchor found at its own index counts: one that
    belongs further down would be "found" fuzzily in some similar passage of the head.
    """
    from store import resolve

    if transcript.complete:
        return resolve(anchor, transcript)
    if anchor.index >= len(transcript.segments):
        return None
    place = resolve(anchor, transcript)
    return place if place.how == "same" else None


StoreOp = Callable[["Store"], Any]


class NotesFeature:
    """Bookmarks, notes, the notes list and the saved reading position."""

    store: Store | None = None
    tid: str | None = None
    notes_jump_to: str | None = None  # a note/bookmark id to show once the store is open

    def on_mount(self) -> None:
        self.notes_marks = Marks()
        self._notes_problem = "the notes store is still opening"
        self._placed_for: Transcript | None = None
        self._remembered_complete = False
        self._ops: deque[tuple[StoreOp, Callable[[Any], None], Callable[[Exception], None]]] = (
            deque())
        self._ops_lock = threading.Lock()
        self._draining = False
        self._position_timer: Timer | None = None
        self._position_dirty = False
        self._restoring = False
        self._user_moved = False
        self._pending_position: int | None = None  # beyond the parsed head: restore when whole
        self.reader.block_providers.append(self._note_blocks)
        self.reader.header_providers.append(self._bookmark_header)
        self.reader.span_providers.append(self._note_spans)
        self.sidebar.marker_providers.append(self._marker)
        self._take_pending_jump()
        if self._wants_store():
            # after the first paint: loading TinyDB and the file would compete with it
            self.call_after_refresh(self._open_store)
        else:
            self._notes_problem = "no notes store for text that did not come from a file"

    def _take_pending_jump(self) -> None:
        pending = getattr(self.app, "notes_pending_jump", None)
        if pending is None or self.path is None:
            return
        path, item_id = pending
        try:
            same = Path(path).resolve() == Path(self.path).resolve()
        except OSError:
            same = False
        if same:
            self.notes_jump_to = item_id
            self.app.notes_pending_jump = None  # type: ignore[attr-defined]

    def _wants_store(self) -> bool:
        # A transcript built in memory (no file) gets a store only when one was named, so that
        # embedding the reader (or testing it) never writes to the user's real notes.
        import os

        from store import ENV_VAR

        return (self.path is not None or self._db_path() is not None
                or bool(os.environ.get(ENV_VAR)))

    def _db_path(self) -> Path | None:
        db = getattr(self.app, "db_path", None)
        return Path(db) if db else None

    # -- opening the store --------------------------------------------------------------------

    @work(thread=True, group="notes-open", exit_on_error=False, description="notes-open")
    def _open_store(self) -> None:
        from parser.errors import TranscriptError
        from store import Store, StoreError, StoreReadOnly
        from tui.identity import identity

        transcript = self.transcript
        try:
            store = Store(self._db_path())
            tid = identity(transcript, self.path)
            done = None
            try:
                done = store.remember_transcript(
                    tid, self.path or "<text>", self._title(), transcript)
            except StoreReadOnly:
                pass  # said in store.notices; still show what is there
            except StoreError as e:  # e.g. the lock is busy: reads need no lock, so go on
                self.app.call_from_thread(
                    self._write_failed, "Notes are shown, but this visit was not recorded", e)
            marks = read_marks(store, tid, transcript)
            position = store.position(tid)
        except (StoreError, TranscriptError, OSError) as e:
            self.app.call_from_thread(self._store_failed, str(e))
            return
        self.app.call_from_thread(self._store_opened, store, tid, marks, transcript, position, done)

    def _title(self) -> str:
        return self.path.name if self.path is not None else "<text>"

    def _store_failed(self, message: str) -> None:
        self._notes_problem = f"notes are unavailable: {message}"
        self.notify(f"Bookmarks and notes are unavailable: {message}", title="Notes store",
                    severity="error", timeout=10)

    def _store_opened(self, store: Store, tid: str, marks: Marks, placed_for: Transcript,
                      position: int | None, done: Any) -> None:
        self.store, self.tid = store, tid
        self._notes_problem = ""
        self._remembered_complete = placed_for.complete
        for notice in store.notices:
            if notice not in _SHOWN_NOTICES:
                _SHOWN_NOTICES.add(notice)
                self.notify(notice, title="Notes store", severity="warning", timeout=15)
        if done is not None and done.migrated_from and (done.moved or done.orphaned):
            lost = f"; {done.orphaned} could not be found (kept in the list, B)" \
                if done.orphaned else ""
            self.notify(f"This file changed since it was last opened: {done.moved} "
                        f"note(s) or bookmark(s) found at a new place{lost}.",
                        title="Notes re-anchored", timeout=10)
        elif done is not None and done.orphaned:
            self.notify(f"{done.orphaned} note(s) or bookmark(s) are no longer found in this "
                        "file; they are kept in the list (B).", title="Notes", timeout=10)
        self.apply_marks(marks, placed_for)
        if placed_for is not self.transcript:
            self._check_transcript()  # the full parse arrived while the store was opening
        if self._jump_to_pending(marks, placed_for.complete):
            return
        if position is not None and not self._user_moved:
            self._restore_position(position)

    def _jump_to_pending(self, marks: Marks, complete: bool) -> bool:
        """Show the note/bookmark the notes list asked for; keep asking until the file is read."""
        if self.notes_jump_to is None:
            return False
        target = marks.index_of.get(self.notes_jump_to)
        if target is None and not complete:
            return True  # past the parsed head: placed again once the whole file is read
        self.notes_jump_to = None
        if target is not None:
            self.show_segment(target)
        return True

    def _restore_position(self, position: int) -> None:
        if not 0 <= position < len(self.transcript.segments):
            if not self.transcript.complete:
                self._pending_position = position
            return
        self._restoring = True
        try:
            self.select(self.navigator.nearest(position), jump=True)
        finally:
            self._restoring = False

    def apply_marks(self, marks: Marks, placed_for: Transcript) -> None:
        unchanged = marks == self.notes_marks
        self.notes_marks = marks
        self._placed_for = placed_for
        if not unchanged:  # the same marks again (no notes, or none moved): nothing to redraw
            # (after a big file's full parse a redraw of both panes costs ~50 ms of the UI)
            self.refresh_segments()

    def _check_transcript(self) -> None:
        """The core swapped in a new parse (the whole file after its head): place marks again."""
        if self.store is None or self._placed_for is None or self.transcript is self._placed_for:
            return
        self._placed_for = self.transcript
        self.reload_marks(remember=self.transcript.complete and not self._remembered_complete)

    def reload_marks(self, *, remember: bool = False) -> None:
        """Read the marks back from the store (after a write, or another window's changes)."""
        transcript = self.transcript
        tid, path, title = self.tid, self.path, self._title()

        def op(store: Store) -> Marks:
            if remember:
                store.remember_transcript(tid, path or "<text>", title, transcript)
            return read_marks(store, tid, transcript)

        def done(marks: Marks) -> None:
            if remember:
                self._remembered_complete = True
            self.apply_marks(marks, transcript)
            if self._jump_to_pending(marks, transcript.complete):
                self._pending_position = None
                return
            pending, self._pending_position = self._pending_position, None
            if pending is not None and not self._user_moved and transcript.complete:
                self._restore_position(pending)

        self.store_write(op, done, lambda e: self._write_failed("Could not read the notes", e))

    # -- the write queue ------------------------------------------------------------------------

    def store_write(self, op: StoreOp, on_done: Callable[[Any], None],
                    on_error: Callable[[Exception], None]) -> bool:
        """Run `op(store)` after every earlier one, off the UI thread; report back on it."""
        if self.store is None:
            self.notify(f"Not saved: {self._notes_problem}.", severity="warning", timeout=5)
            return False
        with self._ops_lock:
            self._ops.append((op, on_done, on_error))
            if self._draining:
                return True
            self._draining = True
        self._drain()
        return True

    @work(thread=True, group="notes-write", exit_on_error=False, description="notes-write")
    def _drain(self) -> None:
        while True:
            with self._ops_lock:
                if not self._ops:
                    self._draining = False
                    return
                op, on_done, on_error = self._ops.popleft()
            store = self.store
            assert store is not None
            try:
                result = op(store)
            except Exception as e:  # StoreError, read-only, disk full, a bug: never silent
                report, arg = on_error, e
            else:
                report, arg = on_done, result
            try:
                self.app.call_from_thread(report, arg)
            except Exception as e:  # the screen closed meanwhile: the write itself is done
                self.log.warning(f"notes: could not report a store result: {e!r}")

    def _cannot_write(self, title: str) -> bool:
        """True (after saying why) when nothing can be saved: no store, or a read-only one.

        Asked before opening the editor, so nobody types a note that can never be saved.
        """
        store = self.store
        if store is not None and not store.read_only:
            return False
        why = self._notes_problem if store is None else \
            f"the notes store is read-only ({store.read_only_why})"
        self.notify(f"Not saved — {why}.", title=title, severity="warning")
        return True

    def _write_failed(self, what: str, error: Exception) -> None:
        self.notify(f"{what}: {error}", title="Not saved", severity="error", timeout=10)

    # -- bookmarks ------------------------------------------------------------------------------

    def action_toggle_bookmark(self) -> None:
        if not self.navigator.visible or self._cannot_write("Bookmark"):
            return
        index, transcript, tid = self.current, self.transcript, self.tid
        on = index not in self.notes_marks.bookmarks_at
        before = self.notes_marks

        def op(store: Store) -> tuple[bool, Marks]:
            now_on = store.toggle_bookmark(tid, transcript, index)
            return now_on, read_marks(store, tid, transcript)

        def done(result: tuple[bool, Marks]) -> None:
            now_on, marks = result
            self.apply_marks(marks, transcript)
            self.notify("Bookmarked" if now_on else "Bookmark removed", timeout=2)

        def failed(error: Exception) -> None:
            self.apply_marks(before, transcript)
            self._write_failed("The bookmark was not saved", error)

        if self.store_write(op, done, failed):
            self.apply_marks(before.with_bookmark(index, on), transcript)

    # -- notes ----------------------------------------------------------------------------------

    def action_add_note(self) -> None:
        """a: a note on the selected sentence (quotes feature), else on the current segment."""
        if not self.navigator.visible:
            return
        index = self.current
        segment = self.transcript.segments[index]
        start = end = None
        selection = getattr(self, "sentence_selection", None)
        if selection is not None and selection.index == index:
            start, end = selection.start, selection.end
        quote = segment.text if start is None else segment.text[start:end]
        self.open_note_editor(index, start, end, quote)

    def open_note_editor(self, index: int, start: int | None, end: int | None, quote: str,
                         note_id: str | None = None, initial: str = "", speaker: str | None = None,
                         after: Callable[[], None] | None = None) -> None:
        """The editor for a new note (note_id None) or an existing one (index -1: a note of
        another transcript). Saving happens in a worker; the editor stays open until it is done."""
        from tui.screens.note_editor import NoteEditor

        if self._cannot_write("Note"):
            return
        transcript, tid = self.transcript, self.tid
        segment = transcript.segments[index] if 0 <= index < len(transcript.segments) else None
        heading = self._note_heading(segment, note_id is not None, speaker)

        revive = False  # the edited note was deleted in another window: bring it back

        def save(editor: NoteEditor, text: str) -> None:
            editing, reviving = editor.note_id, revive

            def op(store: Store) -> Marks:
                if editing is None:
                    store.add_note(tid, transcript, index, text, start=start, end=end)
                elif reviving:
                    store.revive_note(editing, text)
                else:
                    store.update_note(editing, text)
                return read_marks(store, tid, transcript)

            def done(marks: Marks) -> None:
                self.apply_marks(marks, transcript)
                editor.saved()
                if after is not None:
                    after()

            def failed(error: Exception) -> None:
                from store import NoteMissing

                nonlocal revive
                if isinstance(error, NoteMissing):
                    if not reviving:
                        revive = True  # the next save takes it back from the trash
                    elif segment is not None:
                        editor.note_id = None  # not in the trash either: add it anew
                editor.failed(str(error))

            if not self.store_write(op, done, failed):
                editor.failed(self._notes_problem)

        self.app.push_screen(NoteEditor(heading, quote, note_id=note_id, initial=initial,
                                        save=save))

    def _note_heading(self, segment: Segment | None, editing: bool,
                      speaker: str | None) -> str:
        verb = "Edit note" if editing else "New note"
        if segment is None:
            return f"{verb} · {plain(speaker or '')}".rstrip(" ·")
        from tui.render import who

        return f"{verb} · {who(self.transcript, segment, self.script)} · ¶{segment.index + 1}"

    def action_undo_delete(self) -> None:
        self.undo_delete()

    def undo_delete(self, after: Callable[[], None] | None = None) -> None:
        """Bring back the last deleted note or bookmark (of any transcript)."""
        transcript, tid = self.transcript, self.tid

        def op(store: Store) -> tuple[Note | Bookmark | None, Marks]:
            restored = store.undo_delete()
            return restored, read_marks(store, tid, transcript)

        def done(result: tuple[Note | Bookmark | None, Marks]) -> None:
            restored, marks = result
            self.apply_marks(marks, transcript)
            if restored is None:
                self.notify("Nothing to undo", timeout=2)
            else:
                from store import Note

                kind = "note" if isinstance(restored, Note) else "bookmark"
                self.notify(f"Restored the deleted {kind}", timeout=3)
            if after is not None:
                after()

        self.store_write(op, done, lambda e: self._write_failed("Undo failed", e))

    def delete_mark(self, kind: str, item_id: str,
                    after: Callable[[], None] | None = None) -> None:
        """Delete a note or bookmark (undoable with `u` here, Ctrl+Z in the list)."""
        transcript, tid = self.transcript, self.tid

        def op(store: Store) -> Marks:
            if kind == "note":
                store.delete_note(item_id)
            else:
                store.delete_bookmark(item_id)
            return read_marks(store, tid, transcript)

        def done(marks: Marks) -> None:
            self.apply_marks(marks, transcript)
            self.notify(f"Deleted the {kind} — u (or Ctrl+Z in the list) brings it back",
                        timeout=4)
            if after is not None:
                after()

        self.store_write(op, done, lambda e: self._write_failed(f"The {kind} was not deleted", e))

    def action_notes_list(self) -> None:
        from tui.screens.notes import NotesListScreen

        self.app.push_screen(NotesListScreen(self))

    def open_other_transcript(self, path: str, item_id: str) -> None:
        """Open the transcript at `path` in place of this one and show note/bookmark `item_id`."""
        if path.startswith("<"):
            self.notify("That transcript did not come from a file; it cannot be reopened.",
                        severity="warning")
            return
        if not self.transcript.complete:
            # The core would hand the rest of this file to the new screen.
            self.notify("This file is still being read; try again in a moment.", timeout=3)
            return
        from tui.switcher import open_transcript

        # The new reader screen's NotesFeature takes this on mount and jumps once placed.
        self.app.notes_pending_jump = (Path(path), item_id)  # type: ignore[attr-defined]
        open_transcript(self.app, Path(path))

    def show_segment(self, index: int) -> None:
        """Make segment `index` current even if the speaker filter hides it."""
        if index not in self.navigator.visible and getattr(self, "speaker_filter", None):
            clear = getattr(self, "clear_speaker_filter", None)  # also resets its indicator
            if clear is not None:
                clear()
            else:
                self.set_speaker_filter(None)
        self.select(index, jump=True)

    # -- decorations (providers) ------------------------------------------------------------------

    def on_reader_screen_transcript_replaced(self, message: Any) -> None:
        self._check_transcript()

    def _note_blocks(self, segment: Segment) -> list[Text]:
        out = []
        style = self.reader.get_component_rich_style(NOTE_CLASS)
        for placed in self.notes_marks.notes_at.get(segment.index, ()):
            block = Text(no_wrap=False)
            block.append(f"{NOTE_MARK} ", style)
            if placed.start is not None:
                block.append(f"「{shorten(plain(segment.text[placed.start:placed.end]), 30)}」 ",
                             style + self.reader.get_component_rich_style("reader--meta"))
            # Lines after the first start under the text, not under the mark.
            block.append(plain(placed.note.text).strip().replace("\n", "\n  "), style)
            out.append(block)
        return out

    def _note_spans(self, segment: Segment):
        for placed in self.notes_marks.notes_at.get(segment.index, ()):
            if placed.start is not None and placed.end is not None:
                yield placed.start, placed.end, NOTE_CLASS

    def _bookmark_header(self, segment: Segment) -> Text | None:
        if segment.index not in self.notes_marks.bookmarks_at:
            return None
        return Text(BOOKMARK_MARK, self.reader.get_component_rich_style(NOTE_CLASS))

    def _marker(self, segment: Segment) -> str:
        marks = self.notes_marks
        return ((BOOKMARK_MARK if segment.index in marks.bookmarks_at else "")
                + (NOTE_MARK if segment.index in marks.notes_at else ""))

    # -- reading position -----------------------------------------------------------------------

    def on_reader_screen_navigated(self, message: Any) -> None:
        if self._restoring:
            return
        self._user_moved = True
        if self.store is None or self.store.read_only:
            return
        self._position_dirty = True
        if self._position_timer is not None:
            self._position_timer.stop()
        self._position_timer = self.set_timer(POSITION_DEBOUNCE, self._save_position)

    def _save_position(self) -> None:
        if not self._position_dirty:
            return
        self._position_dirty = False
        tid, index = self.tid, self.current
        self.store_write(lambda store: store.save_position(tid, index), lambda _: None,
                         lambda e: self._write_failed("The reading position was not saved", e))

    def on_unmount(self) -> None:
        # Quitting within the debounce delay must not lose the last move: one short, bounded
        # write (the lock wait is capped) rather than a worker that would not outlive the app.
        store = self.store
        if store is None or not self._position_dirty or store.read_only:
            return
        self._position_dirty = False
        try:
            store.lock_timeout = min(store.lock_timeout, 1.0)
            store.save_position(self.tid, self.current)
        except Exception:  # leaving anyway: a position is not worth a traceback on exit
            pass

