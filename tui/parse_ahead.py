"""The parse of the file named on the command line, run in a forked child while the reader starts.

Starting `yulu FILE` is two independent jobs: loading Textual and the reader (~100 ms of imports)
and parsing what the first screen shows (the parser's imports, its regular expressions and the
parse itself, ~30 ms even for a small file). On a machine with a second core they overlap: the
child parses and sends the pickled Transcript back through a pipe. Where fork is missing, or the
child fails in any way other than a TranscriptError (which is the user's answer, sent back as
its message), the parse simply runs again in this process, so the result never differs.

A large file's first screen is its head only. With `rest=True` the child then waits until the
reader asks for the rest (`ask_for_rest()`, the moment its first frame is drawn: parsing at
once took the CPU from the first screen), and goes on at a low priority: it reads the whole
file, sends its id in the notes store (tui/identity.py), parses it while sending its progress,
and sends the segments in batches that the reader unpickles in a worker. Last, it folds the text for searching
(`search_text()`), the one other long job a whole file brings. Parsed in a thread of the reader
instead, 10 MB held the GIL for ~0.6 s and every key waited for it in turns (`j` 88 ms while
loading, 47 ms after); the batches cost the reader ~4 µs a segment, a few milliseconds at a
time. If the child goes away, `rest()` returns None and the reader parses the file itself, as it
does where there is no child. A file opened later, when the reader has threads and must not be
forked, gets a new interpreter that speaks the same messages (`rest_of()`).
"""

from __future__ import annotations

import _thread  # not threading: it is not imported yet when `yulu` forks, nor needed
import copyreg
import dataclasses
import io
import operator
import os
import pickle
import select
import signal
import struct
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from parser.errors import TranscriptError
from parser.model import Annotation, Garbled, Segment, Speaker, Transcript

if TYPE_CHECKING:
    import subprocess

Parse = Callable[[Path], Transcript]
Send = Callable[[tuple], None]
CHILD_TIMEOUT = 10.0  # seconds; a head of at most 64 KB parses in well under one
BATCH = 500  # segments per message: ~2 ms to unpickle, so a key never waits long for the GIL
POLL = 0.1  # seconds between checks that the reader still wants the rest (it may quit)
SEARCH_PIECE = 1 << 20  # characters of the search text per message (~1.5 ms to unpickle)
PARSE_SHARE = 0.9  # of the progress shown: the parse, then the transfer of its segments
_FRAME = struct.Struct("<Q")  # each message: its length, then the pickle


class Abandoned(Exception):
    """The reader no longer wants the rest of the file (it quits, or opened another)."""


class _ChildGone(Exception):
    """The child died, hung or sent something unreadable: the parse runs here instead."""


class ParseAhead:
    """A parse of `path` under way; `result()` returns the Transcript or raises TranscriptError.

    With `rest=True` and a head that is not the whole file, `rest()` then returns the whole.
    """

    def __init__(self, path: Path, parse: Parse | None, *, rest: bool = False,
                 fork: bool = True) -> None:
        self.path = path
        self._parse = parse
        self._rest = rest
        self._pid: int | None = None
        self._pipe: int | None = None
        self._process: subprocess.Popen | None = None
        self._go: int | None = None  # written to when the rest is wanted (see _when_asked)
        self._go_lock = _thread.allocate_lock()  # asked by the UI thread, or by rest() in a worker
        self._buffer = bytearray()
        self._head: Transcript | None = None
        if fork and hasattr(os, "fork") and not _threads_running():
            self._fork()

    @classmethod
    def rest_of(cls, path: Path) -> ParseAhead:
        """Only the whole of `path` (its head is on screen), parsed in a new interpreter: a
        running reader has threads, and a fork of it could copy a lock one of them holds.
        Call `rest()` and `search_text()`; if no interpreter starts, `rest()` returns None."""
        import subprocess

        ahead = cls(path, None, rest=True, fork=False)  # (no head: the reader shows it)
        try:
            process = subprocess.Popen(
                # -P: a folder named like one of our packages where the reader was started from
                # must not be imported instead
                [sys.executable, "-P", "-m", "tui.parse_ahead", os.fspath(path)],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError:
            return ahead
        assert process.stdout is not None
        ahead._process, ahead._pid = process, process.pid
        ahead._pipe = os.dup(process.stdout.fileno())
        process.stdout.close()
        return ahead

    def _fork(self) -> None:
        read_end, write_end = os.pipe()
        go_read, go_write = os.pipe() if self._rest else (None, None)
        try:
            pid = os.fork()
        except OSError:  # out of processes or memory: parse here instead
            for fd in (read_end, write_end, go_read, go_write):
                if fd is not None:
                    os.close(fd)
            return
        if pid == 0:  # the child: parse, send, leave without running the parent's exit code
            os.close(read_end)
            rest = None
            if go_read is not None and go_write is not None:
                os.close(go_write)
                rest = _when_asked(go_read, _send_rest)
            _child(self.path, self._parse, rest, write_end)
        os.close(write_end)
        if go_read is not None:
            os.close(go_read)
        self._pid, self._pipe, self._go = pid, read_end, go_write

    def result(self) -> Transcript:
        if self._head is None:
            self._head = self._receive_head()
        return self._head

    def _receive_head(self) -> Transcript:
        try:
            kind, value = self._message(time.monotonic() + CHILD_TIMEOUT)
            if kind not in ("ok", "error"):
                raise _ChildGone
        except _ChildGone:
            self.close()
            assert self._parse is not None, "rest_of() has no head to parse"
            return self._parse(self.path)
        if kind == "error":
            self.close()
            raise TranscriptError(value)
        if value.complete:
            self.close()
        return value

    def rest(self, *, progress: Callable[[float], None] = lambda _: None,
             on_id: Callable[[str], None] = lambda _: None,
             cancelled: Callable[[], bool] = lambda: False) -> Transcript | None:
        """The whole file, parsed by the child after the head (blocks: call it from a worker).

        `on_id` gets the file's id in the notes store as soon as the child knows it, `progress`
        the fraction done. None when there is no child to ask (the caller parses the file);
        TranscriptError when the whole file cannot be read; Abandoned once `cancelled()`.
        """
        self.ask_for_rest()
        try:
            return self._receive_rest(progress, on_id, cancelled)
        except _ChildGone:
            self.close()
            return None
        except BaseException:
            self.close()
            raise

    def search_text(self, cancelled: Callable[[], bool] = lambda: False) -> str | None:
        """After `rest()`: the whole file's text as a search index folds it (see
        parser.search.search_text), which the child works out next; None if it cannot."""
        pieces: list[str] = []
        try:
            while True:
                kind, *value = self._message(None, cancelled)
                if kind != "search":
                    return None
                piece, last = value
                pieces.append(piece)
                if last:
                    return "".join(pieces)
        except _ChildGone:
            return None
        finally:
            self.close()

    def _receive_rest(self, progress: Callable[[float], None], on_id: Callable[[str], None],
                      cancelled: Callable[[], bool]) -> Transcript:
        segments: list = []
        count: int | None = None  # segments to come, once the parse is done
        while True:
            message = self._message(None, cancelled)
            kind = message[0]
            if kind == "id":
                on_id(message[1])
            elif kind == "progress":
                progress(PARSE_SHARE * message[1])
            elif kind == "error":
                raise TranscriptError(message[1])
            elif kind == "start":
                _, source, encoding, speakers, count = message
                if count == 0:
                    break
            elif kind == "segments" and count is not None:
                segments.extend(message[1])
                progress(PARSE_SHARE + (1 - PARSE_SHARE) * len(segments) / count)
                if len(segments) >= count:
                    break
            else:
                raise _ChildGone
        return Transcript(source=source, encoding=encoding, speakers=speakers,
                          segments=tuple(segments))

    def ask_for_rest(self) -> None:
        """Have the child start on the rest now (rest() does it too; calling again is a no-op).
        From the UI thread, right after the first frame: the worker that calls rest() starts
        only once the start-up's messages are handled, ~50 ms later."""
        with self._go_lock:
            go, self._go = self._go, None
            if go is not None:
                try:
                    os.write(go, b"!")
                except OSError:
                    pass  # the child is gone: rest() finds out
                os.close(go)

    def close(self) -> None:
        """Stop the child if it still runs (the rest is not wanted) and release the pipe."""
        with self._go_lock:
            if self._go is not None:
                os.close(self._go)  # a child waiting to be asked for the rest ends
                self._go = None
        pid, pipe, self._pid, self._pipe = self._pid, self._pipe, None, None
        process, self._process = self._process, None
        if pipe is not None:
            os.close(pipe)
        if pid is not None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            if process is not None:
                process.wait()
            else:
                _reap(pid)

    # -- the pipe ------------------------------------------------------------------------------

    def _message(self, deadline: float | None,
                 cancelled: Callable[[], bool] = lambda: False) -> tuple:
        if self._pipe is None:
            raise _ChildGone
        (size,) = _FRAME.unpack(self._read(_FRAME.size, deadline, cancelled))
        try:
            message = pickle.loads(self._read(size, deadline, cancelled))
        except Exception as e:
            raise _ChildGone from e
        if not (isinstance(message, tuple) and message):
            raise _ChildGone
        return message

    def _read(self, size: int, deadline: float | None, cancelled: Callable[[], bool]) -> bytes:
        assert self._pipe is not None
        buffer = self._buffer
        while len(buffer) < size:
            wait = POLL if deadline is None else min(POLL, deadline - time.monotonic())
            if wait <= 0:  # stuck (a lock copied mid-use by the fork?): never hold up the start
                raise _ChildGone
            if cancelled():
                raise Abandoned
            if not select.select([self._pipe], [], [], wait)[0]:
                continue
            try:
                chunk = os.read(self._pipe, max(1 << 16, size - len(buffer)))
            except OSError as e:
                raise _ChildGone from e
            if not chunk:
                raise _ChildGone  # the child ended before sending it all
            buffer += chunk
        data = bytes(buffer[:size])
        del buffer[:size]
        return data


def _child(path: Path, parse: Parse | None, rest: Callable[[Path, Send], None] | None,
           write_end: int) -> None:
    status = 1
    try:
        with os.fdopen(write_end, "wb") as pipe:
            def send(message: tuple) -> None:
                data = _dumps(message)
                pipe.write(_FRAME.pack(len(data)))
                pipe.write(data)
                pipe.flush()

            if parse is None:  # spawned by rest_of(): the reader has the head already
                _yield_the_cpu()
                assert rest is not None
                rest(path, send)
                return
            try:
                head = parse(path)
            except TranscriptError as e:
                send(("error", str(e)))
            else:
                send(("ok", head))
                if rest is not None and not head.complete:
                    del head
                    _yield_the_cpu()
                    rest(path, send)
        status = 0
    except BaseException:  # noqa: BLE001 - whatever it was, the parent parses again itself
        pass
    finally:
        # Never return into the parent's code, flush its stdio buffers or run its atexit hooks.
        os._exit(status)


def _send_rest(path: Path, send: Send) -> None:
    """Read, identify and parse the whole file; send the id, the progress and the segments."""
    from parser import parse_text, read_source
    from store import transcript_id

    try:
        source = read_source(path)
        send(("id", transcript_id(source.text)))
        transcript = parse_text(source.text, source=str(path), encoding=source.encoding,
                                progress=lambda fraction: send(("progress", fraction)))
    except TranscriptError as e:
        send(("error", str(e)))
        return
    del source
    segments = list(transcript.segments)
    send(("start", transcript.source, transcript.encoding, transcript.speakers, len(segments)))
    del transcript
    texts = [segment.text for segment in segments]
    for i in range(0, len(segments), BATCH):
        batch = tuple(segments[i:i + BATCH])
        send(("segments", batch))
        segments[i:i + BATCH] = [None] * len(batch)  # the reader has them: free the child's copy
        del batch
    _send_search_text(texts, send)


def _send_search_text(texts: list[str], send: Send) -> None:
    """The text a search goes through (parser.search.search_text), in pieces: converting 10 MB
    to Simplified is ~0.17 s of OpenCC holding the GIL, done here instead of in the reader."""
    from parser.search import search_text

    text = search_text(texts)
    for i in range(0, len(text), SEARCH_PIECE) or range(1):
        send(("search", text[i:i + SEARCH_PIECE], i + SEARCH_PIECE >= len(text)))


def _when_asked(go: int, rest: Callable[[Path, Send], None]) -> Callable[[Path, Send], None]:
    """`rest`, once the reader asks for it (rest()): it does after its first frame is drawn.
    Parsed straight after the head, even at a low priority, the rest took the CPU from the
    first screen (and from the terminal drawing it): 1 MB, 187 -> 194 ms, medians of 21. A
    reader that never asks (it could not start, or quit) closes the pipe: nothing is parsed."""

    def asked(path: Path, send: Send) -> None:
        if os.read(go, 1):
            rest(path, send)

    return asked


def _yield_the_cpu() -> None:
    """Run the rest of the parse at a low priority: it shares the machine with the reader's own
    start, its keyword process and the terminal. At normal priority it delayed a 10 MB file's
    first screen by ~12 ms and `j` pressed meanwhile by ~13 ms; the whole file then came ~25 ms
    later (medians of 15 and 7 runs on 2 cores)."""
    try:
        os.nice(10)
    except (AttributeError, OSError):
        pass


def _dumps(message: tuple) -> bytes:
    """Pickle as Segment(*fields) rather than through dataclasses' generic __getstate__, which
    looks up the fields of every object: sending and receiving 10 MB took 60 + 55 ms instead of
    130 + 103."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _REDUCERS
    pickler.dump(message)
    return buffer.getvalue()


def _fields_reducer(cls: type) -> Callable[[object], tuple]:
    names = tuple(f.name for f in dataclasses.fields(cls))
    get = operator.attrgetter(*names)
    return lambda obj: (cls, get(obj))


_REDUCERS = copyreg.dispatch_table | {
    cls: _fields_reducer(cls) for cls in (Segment, Annotation, Garbled, Speaker)
}


def _spawned(argv: list[str]) -> None:
    """`python -m tui.parse_ahead FILE`: the rest of FILE, for rest_of(), sent on stdout."""
    import gc

    gc.disable()  # as in `yulu`: the parse makes objects that all live until they are sent
    out = os.dup(1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # a stray print must not corrupt the stream
    _child(Path(argv[0]), None, _send_rest, out)


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _threads_running() -> bool:
    # Forking a process with threads can copy a lock held by one of them; yulu has none at this
    # point, but a program embedding the reader might.
    threading = sys.modules.get("threading")
    return threading is not None and threading.active_count() > 1


if __name__ == "__main__":
    _spawned(sys.argv[1:])
