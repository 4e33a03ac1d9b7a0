"""A transcript's identity in the notes store, worked out once per file and shared.

The notes and the keyword workers both need it as the reader starts (store.transcript_id of the
whole file, not of a parsed head). For a 100 MB file, reading, decoding and hashing it is half a
second of work, much of it in long C calls that hold the GIL and so freeze the screen: it is done
once, and when the rest of a big file is being read anyway (app.load_rest), from that text, or
by the child process that parses it (tui/parse_ahead.py).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from pathlib import Path

from parser.model import Transcript

_lock = threading.Lock()
_known: dict[tuple[str, int, int], Future[str]] = {}
WAIT = 60.0  # seconds to wait for a promised id (reading 100 MB takes well under one)


def _key(path: Path) -> tuple[str, int, int]:
    st = path.stat()  # OSError: the caller reports the file as unreadable
    return str(path.resolve()), st.st_size, st.st_mtime_ns


def identity(transcript: Transcript, path: Path | None) -> str:
    """The id notes are stored under (blocks until it is known; call it from a worker)."""
    from store import transcript_id

    if path is None:
        return transcript_id("\n".join(segment.text for segment in transcript.segments))
    try:
        key = _key(path)
    except OSError:  # gone or unreadable: read_source says so in one clean line
        return _of_file(path)
    with _lock:
        future = _known.get(key)
        mine = future is None
        if mine:
            future = _known[key] = Future()
    assert future is not None
    if mine:
        _settle(key, future, lambda: _of_file(path))
        return future.result()
    try:
        return future.result(timeout=WAIT)
    except TimeoutError:  # whoever promised it is stuck: work it out here
        return _of_file(path)


class Promise:
    """The caller reads the whole file anyway and will tell the id from its text (`fulfil`)."""

    def __init__(self, key: tuple[str, int, int], future: Future[str]) -> None:
        self._key, self._future = key, future

    def fulfil(self, text: str) -> None:
        from store import transcript_id

        if not self._future.done():
            _settle(self._key, self._future, lambda: transcript_id(text))

    def keep(self, tid: str) -> None:
        """The id itself, worked out elsewhere (the child that parses the file, parse_ahead)."""
        if not self._future.done():
            _settle(self._key, self._future, lambda: tid)

    def fail(self, error: BaseException) -> None:
        """Nothing to tell after all (a promise already kept stays kept)."""
        if not self._future.done():
            _settle(self._key, self._future, lambda: _raise(error))


def promise(path: Path) -> Promise | None:
    """Others asking for this file's id wait for the returned promise to be kept. None when the
    id is already known or promised (then there is nothing to tell)."""
    try:
        key = _key(path)
    except OSError:
        return None
    with _lock:
        if key in _known:
            return None
        future = _known[key] = Future()
    return Promise(key, future)


def _raise(error: BaseException) -> str:
    raise error


def _settle(key: tuple[str, int, int], future: Future[str], compute) -> None:  # noqa: ANN001
    try:
        future.set_result(compute())
    except BaseException as e:
        with _lock:
            _known.pop(key, None)  # not remembered: a later attempt may succeed
        future.set_exception(e)


def _of_file(path: Path) -> str:
    from parser import read_source
    from store import transcript_id

    return transcript_id(read_source(path).text)
