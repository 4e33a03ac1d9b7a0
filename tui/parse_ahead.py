"""The first screen's parse, run in a forked child while the reader imports Textual.

Starting `yulu FILE` is two independent jobs: loading Textual and the reader (~100 ms of imports)
and parsing what the first screen shows (the parser's imports, its regular expressions and the
parse itself, ~30 ms even for a small file). On a machine with a second core they overlap: the
child parses and sends the pickled Transcript back through a pipe. Where fork is missing, or the
child fails in any way other than a TranscriptError (which is the user's answer, sent back as
its message), the parse simply runs again in this process, so the result never differs.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from parser.errors import TranscriptError
from parser.model import Transcript

Parse = Callable[[Path], Transcript]
CHILD_TIMEOUT = 10.0  # seconds; a head of at most 64 KB parses in well under one


class ParseAhead:
    """A parse of `path` under way; `result()` returns the Transcript or raises TranscriptError."""

    def __init__(self, path: Path, parse: Parse) -> None:
        self.path = path
        self._parse = parse
        self._pid: int | None = None
        self._pipe: int | None = None
        if hasattr(os, "fork") and not _threads_running():
            self._fork()

    def _fork(self) -> None:
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # out of processes or memory: parse here instead
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:  # the child: parse, send, leave without running the parent's exit code
            os.close(read_end)
            _child(self.path, self._parse, write_end)
        os.close(write_end)
        self._pid, self._pipe = pid, read_end

    def result(self) -> Transcript:
        answer = self._collect()
        if answer is None:
            return self._parse(self.path)
        kind, value = answer
        if kind == "error":
            raise TranscriptError(value)
        return value

    def _collect(self) -> tuple[str, object] | None:
        if self._pipe is None or self._pid is None:
            return None
        pid, pipe, self._pid, self._pipe = self._pid, self._pipe, None, None
        chunks = []
        deadline = time.monotonic() + CHILD_TIMEOUT
        try:
            while (left := deadline - time.monotonic()) > 0:
                if not select.select([pipe], [], [], left)[0]:
                    continue
                chunk = os.read(pipe, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
            else:  # stuck (a lock copied mid-use by the fork?): never let it hold up the start
                os.kill(pid, signal.SIGKILL)
                return None
            answer = pickle.loads(b"".join(chunks))
        except Exception:  # the child died or sent something unreadable: parse here
            return None
        finally:
            os.close(pipe)
            _reap(pid)
        if not (isinstance(answer, tuple) and len(answer) == 2 and answer[0] in ("ok", "error")):
            return None
        return answer


def _child(path: Path, parse: Parse, write_end: int) -> None:
    status = 1
    try:
        try:
            answer: tuple[str, object] = ("ok", parse(path))
        except TranscriptError as e:
            answer = ("error", str(e))
        data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        status = 0
    except BaseException:  # noqa: BLE001 - whatever it was, the parent parses again itself
        pass
    finally:
        # Never return into the parent's code, flush its stdio buffers or run its atexit hooks.
        os._exit(status)


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
