"""The notes store: bookmarks, notes, reading positions, preferences and quotes in one TinyDB file.

Safety model (each step has a test):
- every write is one read-modify-write under an inter-process file lock, on a *fresh* read of the
  file (no caches, no long-lived TinyDB: two windows never overwrite each other or reuse ids);
- the new version replaces the old atomically (temp + fsync + os.replace), the old one is kept
  as `<name>.bak`; a failed write (disk full, permission) changes nothing and raises StoreError;
- reads take no lock (an atomic replace is never seen half-done), so a hung writer cannot block
  them; writes wait at most `lock_timeout` seconds, then raise StoreError;
- a file that is not a yulu store is renamed aside with a timestamp, never overwritten, and the
  previous good version (`.bak`) is restored when there is one; a file from a newer yulu is
  opened read-only.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from filelock import FileLock, Timeout
from tinydb import Query, TinyDB
from tinydb.storages import Storage

from parser.model import Transcript

from . import fileformat
from .anchors import Anchor, make_anchor, resolve
from .atomic import atomic_write, move_aside, real_target, remove_stale_temps
from .errors import NoteMissing, StoreError, StoreReadOnly
from .fileformat import Tables, Unreadable
from .location import default_path
from .records import Bookmark, Note, Quote, Remembered, TranscriptRecord, clean, now

T = TypeVar("T")

DEFAULT_LOCK_TIMEOUT = 10.0  # seconds; a normal write holds the lock for milliseconds
LOCK_POLL = 0.002  # seconds between tries; filelock's 50 ms default starves a waiting writer
QUOTES_KEPT = 50
TRASH_KEPT = 50  # deleted notes and bookmarks kept for undo

# Table names in the file.
TRANSCRIPTS, NOTES, BOOKMARKS, POSITIONS, PREFS, QUOTES, TRASH = (
    "transcripts", "notes", "bookmarks", "positions", "prefs", "quotes", "trash")
_TID_TABLES = (NOTES, BOOKMARKS, POSITIONS, PREFS)  # rows that follow a transcript when it moves

# Recoveries done by this process, per real path: every Store opened on that file afterwards
# carries the notice, so the user hears of it even when another part of the app (another
# Store instance in another worker) happened to open the damaged file first.
_RECOVERED: dict[str, list[str]] = {}
_RECOVERED_LOCK = threading.Lock()


def transcript_id(text: str, *, chunk: int = 1 << 20) -> str:
    """A transcript's identity: a hash of its content, so moving or renaming the file keeps notes.

    Line endings and a BOM are normalised first so converting CRLF to LF is not an "edit".
    The text is normalised and hashed a piece at a time: on a 100 MB file, one replace() or
    encode() of the whole would hold the GIL (and freeze the reader's screen) for ~0.1 s each.
    """
    digest = hashlib.sha256()
    carry = ""
    for i in range(1 if text.startswith("\ufeff") else 0, len(text), chunk):
        piece = carry + text[i:i + chunk]
        carry = ""
        if piece.endswith("\r"):  # its "\n" may open the next piece
            piece, carry = piece[:-1], "\r"
        normal = piece.replace("\r\n", "\n").replace("\r", "\n")
        digest.update(normal.encode("utf-8", "surrogatepass"))
    if carry:
        digest.update(b"\n")
    return digest.hexdigest()[:20]


class _Session(Storage):
    """TinyDB storage over one in-memory snapshot; the Store decides whether and how to save it."""

    def __init__(self, data: Tables) -> None:
        self.data = data
        self.dirty = False

    def read(self) -> Tables:
        return self.data

    def write(self, data: Tables) -> None:
        self.data = data
        self.dirty = True


class Store:
    """One store file. Cheap to create; holds no data between calls (every call reads the file).

    Thread-safe and process-safe. Methods that write may block up to `lock_timeout` seconds and
    do disk I/O: call them from a worker, not the UI thread.
    """

    def __init__(self, path: Path | str | None = None, *,
                 lock_timeout: float = DEFAULT_LOCK_TIMEOUT, read_only: bool = False) -> None:
        self.path = Path(path).expanduser() if path is not None else default_path()
        self.read_only = read_only
        self.read_only_why = "opened read-only" if read_only else ""  # said in errors
        self.notices: list[str] = []  # things the user should be told (file moved aside, ...)
        self.lock_timeout = lock_timeout
        self._mutex = threading.RLock()
        self._snapshot()  # validates the file now, so notices and read_only are known at once
        self._collect_recoveries()
        self._check_writable()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, read_only={self.read_only})"

    @property
    def backup_path(self) -> Path:
        target = real_target(self.path)
        return target.with_name(target.name + ".bak")

    # ----------------------------------------------------------------- transcripts

    transcript_id = staticmethod(transcript_id)

    def remember_transcript(self, tid: str, path: str | Path, title: str,
                            transcript: Transcript | None = None) -> Remembered:
        """Record that `tid` was opened from `path`.

        With a fully parsed `transcript`, anchors are found again in it and saved where they
        moved; if `tid` is new but an older version of the file was opened from the same path
        (the file was edited), its notes follow when at least one of them is found again.
        """
        where = _path_key(path)

        def op(db: TinyDB) -> Remembered:
            q = Query()
            records = db.table(TRANSCRIPTS)
            migrated_from = None
            if not records.contains(q.tid == tid) and where != "<text>" and _usable(transcript):
                migrated_from = self._adopt_edited(db, tid, where, transcript)
            opened = now()
            records.upsert({"tid": tid, "path": where, "title": clean(title), "opened": opened},
                           q.tid == tid)
            moved = orphaned = 0
            if _usable(transcript):
                moved, orphaned = _reanchor(db, tid, transcript)
            record = TranscriptRecord(tid, where, clean(title), opened)
            return Remembered(record, migrated_from, moved, orphaned)

        return self._write(op)

    def _adopt_edited(self, db: TinyDB, tid: str, where: str,
                      transcript: Transcript) -> str | None:
        q = Query()
        older = sorted(db.table(TRANSCRIPTS).search((q.path == where) & (q.tid != tid)),
                       key=lambda d: str(d.get("opened", "")), reverse=True)
        if not older:
            return None
        old_tid = older[0].get("tid")
        anchors = [Anchor.from_doc(d.get("anchor") or {})
                   for name in (NOTES, BOOKMARKS) for d in db.table(name).search(q.tid == old_tid)]
        if anchors and all(resolve(a, transcript).orphaned for a in anchors):
            return None  # nothing of it is in the new file: a different transcript, same name
        for name in _TID_TABLES:
            db.table(name).update({"tid": tid}, q.tid == old_tid)
        db.table(TRANSCRIPTS).remove(q.tid == old_tid)
        return old_tid

    def transcript(self, tid: str) -> TranscriptRecord | None:
        found = self._view().table(TRANSCRIPTS).get(Query().tid == tid)
        return TranscriptRecord.from_doc(found) if found else None

    def transcript_at(self, path: str | Path) -> TranscriptRecord | None:
        """The transcript last opened from `path` (its content may have changed since)."""
        where = _path_key(path)
        found = self._view().table(TRANSCRIPTS).search(Query().path == where)
        found.sort(key=lambda d: str(d.get("opened", "")), reverse=True)
        return TranscriptRecord.from_doc(found[0]) if found else None

    def recent_transcripts(self, limit: int | None = 20) -> list[TranscriptRecord]:
        """Newest first; all of them when `limit` is None."""
        docs = sorted(self._view().table(TRANSCRIPTS).all(),
                      key=lambda d: str(d.get("opened", "")), reverse=True)
        return [TranscriptRecord.from_doc(d) for d in docs[:limit]]

    # ----------------------------------------------------------------- bookmarks

    def toggle_bookmark(self, tid: str, transcript: Transcript, index: int) -> bool:
        """Bookmark segment `index`, or remove its bookmark. True when it is now bookmarked."""
        anchor = make_anchor(transcript, index)

        def op(db: TinyDB) -> bool:
            table = db.table(BOOKMARKS)
            here = [d.doc_id for d in table.search(Query().tid == tid)
                    if resolve(Anchor.from_doc(d.get("anchor") or {}), transcript).index == index]
            if here:
                table.remove(doc_ids=here)
                return False
            table.insert({"id": _new_id(), "tid": tid, "anchor": _anchor_doc(anchor),
                          "created": now(), "orphaned": False})
            return True

        return self._write(op)

    def bookmarks(self, tid: str | None = None) -> list[Bookmark]:
        """Bookmarks of one transcript, or of all when `tid` is None, in reading order."""
        found = [Bookmark.from_doc(d) for d in self._rows(BOOKMARKS, tid)]
        return sorted(found, key=lambda b: (b.tid, b.anchor.index, b.created))

    # ----------------------------------------------------------------- notes

    def add_note(self, tid: str, transcript: Transcript, index: int, text: str, *,
                 start: int | None = None, end: int | None = None) -> Note:
        """A note on segment `index`, or on its text[start:end] (a selected sentence)."""
        text = clean(text)
        if not text.strip():
            raise ValueError("a note needs some text")
        anchor = make_anchor(transcript, index, start, end)
        stamp = now()
        doc = {"id": _new_id(), "tid": tid, "anchor": _anchor_doc(anchor), "text": text,
               "created": stamp, "updated": stamp, "orphaned": False}
        self._write(lambda db: db.table(NOTES).insert(doc))
        return Note.from_doc(doc)

    def update_note(self, note_id: str, text: str) -> Note:
        text = clean(text)
        if not text.strip():
            raise ValueError("a note needs some text")

        def op(db: TinyDB) -> Note:
            table = db.table(NOTES)
            found = table.get(Query().id == note_id)
            if found is None:
                raise NoteMissing("this note was deleted in another window; "
                                  "save again to bring it back with your text")
            table.update({"text": text, "updated": now()}, doc_ids=[found.doc_id])
            return Note.from_doc(table.get(doc_id=found.doc_id))

        return self._write(op)

    def revive_note(self, note_id: str, text: str) -> Note:
        """Bring back a note deleted (in another window) from the trash, with `text`.

        Where it was anchored is kept. NoteMissing when it is no longer in the trash.
        """
        text = clean(text)
        if not text.strip():
            raise ValueError("a note needs some text")

        def op(db: TinyDB) -> Note:
            notes, trash = db.table(NOTES), db.table(TRASH)
            found = notes.get(Query().id == note_id)
            if found is not None:  # brought back meanwhile (undo): just update it
                notes.update({"text": text, "updated": now()}, doc_ids=[found.doc_id])
                return Note.from_doc(notes.get(doc_id=found.doc_id))
            deleted = [d for d in trash.all() if d.get("table") == NOTES
                       and isinstance(d.get("doc"), dict) and d["doc"].get("id") == note_id]
            if not deleted:
                raise NoteMissing("this note is no longer in the trash; copy your text into "
                                  "a new note")
            doc = dict(deleted[-1]["doc"]) | {"text": text, "updated": now()}
            trash.remove(doc_ids=[d.doc_id for d in deleted])
            notes.insert(doc)
            return Note.from_doc(doc)

        return self._write(op)

    def delete_note(self, note_id: str) -> Note:
        """Delete a note; it goes to the trash, from where `undo_delete` brings it back."""
        found = self._discard(NOTES, note_id, "this note was already deleted")
        assert isinstance(found, Note)
        return found

    def delete_bookmark(self, bookmark_id: str) -> Bookmark:
        """Delete a bookmark (undoable like a note)."""
        found = self._discard(BOOKMARKS, bookmark_id, "this bookmark was already removed")
        assert isinstance(found, Bookmark)
        return found

    def _discard(self, table_name: str, item_id: str, missing: str) -> Note | Bookmark:
        def op(db: TinyDB) -> Note | Bookmark:
            table = db.table(table_name)
            found = table.get(Query().id == item_id)
            if found is None:
                raise NoteMissing(missing)
            table.remove(doc_ids=[found.doc_id])
            trash = db.table(TRASH)
            trash.insert({"table": table_name, "doc": dict(found), "deleted": now()})
            _keep_newest(trash, TRASH_KEPT)
            return _record(table_name, found)

        return self._write(op)

    def undo_delete(self) -> Note | Bookmark | None:
        """Bring back the most recently deleted note or bookmark (of any transcript)."""

        def op(db: TinyDB) -> Note | Bookmark | None:
            trash = db.table(TRASH)
            if not len(trash):
                return None
            last = max(trash.all(), key=lambda d: d.doc_id)
            trash.remove(doc_ids=[last.doc_id])
            table_name, doc = last.get("table"), last.get("doc")
            if table_name not in (NOTES, BOOKMARKS) or not isinstance(doc, dict):
                return None
            table = db.table(table_name)
            if not table.contains(Query().id == doc.get("id")):
                table.insert(doc)
            return _record(table_name, doc)

        return self._write(op)

    def notes(self, tid: str | None = None) -> list[Note]:
        """Notes of one transcript, or of all when `tid` is None, in reading order."""
        found = [Note.from_doc(d) for d in self._rows(NOTES, tid)]
        return sorted(found, key=lambda n: (n.tid, n.anchor.index, n.created))

    def note(self, note_id: str) -> Note | None:
        found = self._view().table(NOTES).get(Query().id == note_id)
        return Note.from_doc(found) if found else None

    # ----------------------------------------------------------------- reading position

    def save_position(self, tid: str, index: int) -> None:
        q = Query()
        self._write(lambda db: db.table(POSITIONS).upsert(
            {"tid": tid, "index": int(index), "saved": now()}, q.tid == tid))

    def position(self, tid: str) -> int | None:
        found = self._view().table(POSITIONS).get(Query().tid == tid)
        index = found.get("index") if found else None
        return index if isinstance(index, int) and not isinstance(index, bool) else None

    # ----------------------------------------------------------------- preferences

    def get_pref(self, key: str, tid: str | None = None, default: Any = None) -> Any:
        """A setting, global (`tid` None) or for one transcript."""
        q = Query()
        found = self._view().table(PREFS).get((q.key == key) & (q.tid == tid))
        return found.get("value", default) if found else default

    def set_pref(self, key: str, value: Any, tid: str | None = None) -> None:
        """Store a JSON-serialisable value; `None` removes the setting."""
        json.dumps(value, allow_nan=False)  # refuse an unstorable value before touching the file
        q = Query()
        cond = (q.key == key) & (q.tid == tid)

        def op(db: TinyDB) -> None:
            table = db.table(PREFS)
            if value is None:
                table.remove(cond)
            else:
                table.upsert({"key": key, "tid": tid, "value": _cleaned(value)}, cond)

        self._write(op)

    # ----------------------------------------------------------------- quotes history

    def add_quote(self, tid: str, text: str, attribution: str, *, index: int | None = None,
                  **extra: Any) -> Quote:
        """Remember a copied quote; only the newest QUOTES_KEPT are kept."""
        json.dumps(extra, allow_nan=False)
        doc = {"id": _new_id(), "tid": tid, "text": clean(text),
               "attribution": clean(attribution), "created": now(), "index": index,
               "extra": _cleaned(extra) if extra else None}

        def op(db: TinyDB) -> None:
            table = db.table(QUOTES)
            table.insert(doc)
            _keep_newest(table, QUOTES_KEPT)

        self._write(op)
        return Quote.from_doc(doc)

    def quotes(self, limit: int = QUOTES_KEPT) -> list[Quote]:
        """Newest first."""
        docs = sorted(self._view().table(QUOTES).all(), key=lambda d: d.doc_id, reverse=True)
        return [Quote.from_doc(d) for d in docs[:limit]]

    # ----------------------------------------------------------------- file handling

    def _rows(self, table: str, tid: str | None) -> list[dict[str, Any]]:
        t = self._view().table(table)
        return t.all() if tid is None else t.search(Query().tid == tid)

    def _view(self) -> TinyDB:
        """A throwaway TinyDB over a fresh read of the file (never cached between calls)."""
        return TinyDB(storage=_Session, data=self._snapshot())

    def _snapshot(self) -> Tables:
        target = real_target(self.path)
        raw = self._read(target)
        if raw is None:
            return fileformat.empty_store()
        try:
            data = fileformat.decode(raw)
        except Unreadable:
            # Recheck under the lock: another process may be moving it aside right now.
            with self._mutex, self._locked() as target:
                data = self._load_locked(target)
        self._check_version(data, writing=False)
        return data

    def _write(self, op: Callable[[TinyDB], T]) -> T:
        if self.read_only:
            raise StoreReadOnly(self._read_only_reason())
        with self._mutex, self._locked() as target:
            data = self._load_locked(target)
            self._check_version(data, writing=True)
            db = TinyDB(storage=_Session, data=data)
            result = op(db)
            session = db.storage
            assert isinstance(session, _Session)
            if session.dirty:
                self._commit(target, session.data)
            return result

    def _commit(self, target: Path, data: Tables) -> None:
        encoded = fileformat.encode(data)
        remove_stale_temps(target)  # left by a writer that was killed mid-write
        try:
            atomic_write(target, encoded, backup=self.backup_path)
        except OSError as e:
            raise StoreError(_explain_write_error(e, target)) from e

    @contextmanager
    def _locked(self) -> Iterator[Path]:
        target = real_target(self.path)
        lock_path = self._lock_path(target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            lock = FileLock(lock_path, timeout=self.lock_timeout, poll_interval=LOCK_POLL)
            lock.acquire()
        except Timeout:
            raise StoreError(
                f"the notes store {target} is busy: another program has held its lock "
                f"({lock_path.name}) for more than {self.lock_timeout:g} s; if no other yulu is "
                "running, that program may be hung: close it and try again") from None
        except OSError as e:
            raise StoreError(f"cannot lock the notes store {target}: "
                             f"{e.strerror or e}") from e
        try:
            yield target
        finally:
            lock.release()

    def _read(self, target: Path) -> bytes | None:
        try:
            return target.read_bytes()
        except FileNotFoundError:
            return None
        except IsADirectoryError:
            raise StoreError(f"the notes store {target} is a folder, not a file") from None
        except OSError as e:
            raise StoreError(f"cannot read the notes store {target}: {e.strerror or e}") from e

    def _load_locked(self, target: Path) -> Tables:
        raw = self._read(target)
        if raw is None:
            return fileformat.empty_store()
        try:
            return fileformat.decode(raw)
        except Unreadable as e:
            return self._recover(target, str(e))

    def _recover(self, target: Path, reason: str) -> Tables:
        """Move an unreadable file aside (bytes untouched); restore the .bak when it is good."""
        try:
            aside = move_aside(target, "corrupt")
        except OSError as e:
            raise StoreError(f"the notes store {target} is unreadable ({reason}) and could not "
                             f"be moved aside: {e.strerror or e}") from e
        notice = f"the notes store was unreadable ({reason}); it was moved aside to {aside}"
        backup = self.backup_path
        try:
            data = fileformat.decode(backup.read_bytes())
            atomic_write(target, backup.read_bytes())
        except (OSError, Unreadable):
            self._notice(target, notice + "; starting with an empty store")
            return fileformat.empty_store()
        self._notice(target, notice + f"; restored the previous version from {backup.name} "
                                      "(the last change may be missing)")
        return data

    def _collect_recoveries(self) -> None:
        """Take the notices of recoveries another Store of this process made on this file."""
        target = real_target(self.path)
        if not target.parent.is_dir():
            return
        # It may be recovering right now (the file already moved aside, the notice not yet
        # filed): its lock is held for that long, so wait for it, briefly.
        try:
            with FileLock(self._lock_path(target), timeout=min(0.5, self.lock_timeout),
                          poll_interval=LOCK_POLL):
                pass
        except (Timeout, OSError):
            pass
        with _RECOVERED_LOCK:
            earlier = list(_RECOVERED.get(str(target), ()))
        self.notices.extend(n for n in earlier if n not in self.notices)

    @staticmethod
    def _lock_path(target: Path) -> Path:
        return target.with_name(target.name + ".lock")

    def _notice(self, target: Path, notice: str) -> None:
        self.notices.append(notice)
        with _RECOVERED_LOCK:
            _RECOVERED.setdefault(str(target), []).append(notice)

    def _check_version(self, data: Tables, *, writing: bool) -> None:
        version = fileformat.schema_version(data) or fileformat.SCHEMA_VERSION
        if version <= fileformat.SCHEMA_VERSION:
            return
        if not self.read_only:
            self.read_only = True
            self.read_only_why = f"written by a newer yulu, format {version}"
            self.notices.append(
                f"the notes store {self.path} was written by a newer yulu (format {version}); "
                "it is open read-only: notes cannot be added or changed")
        if writing:
            raise StoreReadOnly(self._read_only_reason())

    def _check_writable(self) -> None:
        target = real_target(self.path)
        if self.read_only:
            return
        folder = target.parent
        blocked = (target.exists() and not os.access(target, os.W_OK)) or (
            folder.exists() and not os.access(folder, os.W_OK))
        if blocked:
            self.read_only = True
            self.read_only_why = "not writable"
            self.notices.append(f"the notes store {target} is not writable; "
                                "it is open read-only: notes cannot be added or changed")

    def _read_only_reason(self) -> str:
        return f"the notes store {self.path} is read-only ({self.read_only_why}); nothing was saved"


def _record(table_name: str, doc: dict[str, Any]) -> Note | Bookmark:
    return Note.from_doc(doc) if table_name == NOTES else Bookmark.from_doc(doc)


def _usable(transcript: Transcript | None) -> bool:
    # A partly parsed transcript would make every anchor past its head look orphaned.
    return transcript is not None and transcript.complete


def _reanchor(db: TinyDB, tid: str, transcript: Transcript) -> tuple[int, int]:
    """Find every anchor of `tid` in `transcript`; save moved ones, flag lost ones."""
    moved = orphaned = 0
    for name in (NOTES, BOOKMARKS):
        table = db.table(name)
        for doc in table.search(Query().tid == tid):
            anchor = Anchor.from_doc(doc.get("anchor") or {})
            place = resolve(anchor, transcript)
            if place.orphaned:
                orphaned += 1
                if doc.get("orphaned") is not True:
                    table.update({"orphaned": True}, doc_ids=[doc.doc_id])
                continue
            fresh = _anchor_doc(make_anchor(transcript, place.index, place.start, place.end))
            moved += place.how != "same"
            if fresh != doc.get("anchor") or doc.get("orphaned") is True:
                # Saved even when only the context changed, so the next edit is compared
                # with the text as it is now.
                table.update({"anchor": fresh, "orphaned": False}, doc_ids=[doc.doc_id])
    return moved, orphaned


def _anchor_doc(anchor: Anchor) -> dict[str, Any]:
    return _cleaned(anchor.to_doc())


def _cleaned(value: Any) -> Any:
    """`value` with every string made storable (see records.clean)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(str(k)): _cleaned(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_cleaned(v) for v in value]
    return value


def _keep_newest(table: Any, keep: int) -> None:
    ids = sorted(doc.doc_id for doc in table.all())
    if len(ids) > keep:
        table.remove(doc_ids=ids[:-keep])


def _new_id() -> str:
    # Not TinyDB's doc_id: that is reused after a delete, and a list on screen must never edit
    # a different note than the one it shows.
    return uuid.uuid4().hex


def _path_key(path: str | Path) -> str:
    text = str(path)
    if text.startswith("<"):
        return text
    return str(Path(text).expanduser().resolve())


def _explain_write_error(e: OSError, target: Path) -> str:
    intact = "nothing was changed and the previous version is intact"
    if e.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return f"disk full: could not save to {target}; {intact}. Free some space and try again"
    if e.errno in (errno.EACCES, errno.EPERM):
        return f"no permission to write {target}; {intact}"
    if e.errno == errno.EROFS:
        return f"cannot save to {target}: the file system is read-only; {intact}"
    return f"could not save to {target}: {e.strerror or e}; {intact}"
