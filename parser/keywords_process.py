"""Keyword extraction in a separate process, for an interactive program that must never stall.

jieba's dictionary load and tokenising hold the GIL and make the garbage collector run long: in a
worker thread they stall a UI for hundreds of milliseconds, in a process for about one. One
keyword service process per program (started with "spawn", never a fork of a threaded parent)
serves one request at a time; opening another transcript reuses it.

    job = KeywordJob()
    job.prewarm()                       # optional: the process starts while the file is parsed
    for event in job.events(KeywordInput.from_transcript(t), priority=visible_indexes):
        ...                             # Progress, then Partial (large files), then Done or Failed
    job.cancel()                        # from any thread: the service drops the request

A cached result is returned without asking the service. A large transcript first yields a
provisional result over the `priority` segments (the ones on screen), then the whole one. Where
no process can be started the work is done in the calling thread.

The text goes to the service in pieces that it tokenizes as they arrive, into compact arrays
(`keywords.Tally`), and jieba's data is memory-mapped (`keywords_jieba`): the service is about
25 MB idle and peaks at 40-55 MB on a 10 MB transcript (jieba's own dictionary is ~100 MB).
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import queue as queue_module
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from parser import keywords_cache
from parser.keywords import (
    DEFAULT_SEGMENT_TOP,
    DEFAULT_TOP,
    KeywordInput,
    KeywordResult,
    compute_keywords,
    extract_keywords,
)

# Below this many characters the whole transcript is as quick as its visible part.
PROVISIONAL_ABOVE = 150_000
_PROGRESS_STEP = 0.02  # report progress every 2 % of the text
_CHUNK = 64_000  # characters of text sent to the keyword process in one message


def _chunks(segments: tuple[tuple[int, str], ...]) -> Iterator[list[tuple[int, str]]]:
    chunk: list[tuple[int, str]] = []
    size = 0
    for segment in segments:
        chunk.append(segment)
        size += len(segment[1])
        if size >= _CHUNK:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


@dataclass(frozen=True, slots=True)
class Progress:
    done: int  # characters analysed
    total: int


@dataclass(frozen=True, slots=True)
class Partial:
    result: KeywordResult  # provisional: complete is False


@dataclass(frozen=True, slots=True)
class Done:
    result: KeywordResult
    cached: bool = False  # True when it came from the cache without running jieba


@dataclass(frozen=True, slots=True)
class Failed:
    message: str  # one line for a notification


Event = Progress | Partial | Done | Failed


class ServiceUnavailable(Exception):
    """No child process can be started here."""


class _Service:
    """The keyword process of this program, started on demand and restarted if it dies."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # process state
        self._busy = threading.Lock()  # one request in flight
        self._ids = itertools.count(1)
        self._process: multiprocessing.process.BaseProcess | None = None
        self._requests = self._events = self._cancelled = None
        self._unavailable = False

    @property
    def process(self) -> multiprocessing.process.BaseProcess | None:
        return self._process

    def start(self) -> None:
        """Start the process if it is not running. Raises ServiceUnavailable."""
        with self._lock:
            if self._unavailable:
                raise ServiceUnavailable("no child process can be started here")
            if self._process is not None and self._process.is_alive():
                return
            self._discard()
            try:
                _ensure_resource_tracker()
                ctx = multiprocessing.get_context("spawn")
                requests, events, cancelled = ctx.Queue(), ctx.Queue(), ctx.Value("q", 0)
                process = ctx.Process(target=_serve, args=(requests, events, cancelled),
                                      name="yulu-keywords", daemon=True)
                process.start()
            except Exception as e:
                self._unavailable = True
                raise ServiceUnavailable(str(e)) from e
            self._process, self._requests, self._events = process, requests, events
            self._cancelled = cancelled

    def stop(self) -> None:
        """End the process (the next request starts a new one)."""
        with self._lock:
            self._discard()

    def _discard(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            if process.is_alive():
                process.terminate()
            process.join(timeout=2)
        for q in (self._requests, self._events):
            if q is not None:
                q.close()
                q.cancel_join_thread()  # never block on data a dead process will not read
        self._requests = self._events = self._cancelled = None

    def cancel(self, request_id: int) -> None:
        cancelled = self._cancelled
        if cancelled is not None:
            with cancelled.get_lock():
                cancelled.value = max(cancelled.value, request_id)

    def run(self, header: tuple, data: KeywordInput, job: KeywordJob) -> Iterator[Event]:
        with self._busy:
            if job.cancelled:
                return
            self.start()
            request_id = next(self._ids)
            job._request_id = request_id
            requests, events, process = self._requests, self._events, self._process
            assert requests is not None and events is not None and process is not None
            # The text goes in pieces, which the service tokenizes as they come: neither side
            # ever holds the whole transcript pickled (megabytes for a big file).
            requests.put((request_id, "start", header))
            for chunk in _chunks(data.segments):
                job.pause()  # each piece is pickled by the queue's thread, in this process
                requests.put((request_id, "segments", chunk))
            requests.put((request_id, "end", None))
            while True:
                if job.cancelled:
                    self.cancel(request_id)
                    return  # the service notices between segments; later replies are skipped
                try:
                    rid, kind, data = events.get(timeout=0.25)
                except queue_module.Empty:
                    if not process.is_alive():
                        code = process.exitcode
                        self.stop()
                        yield Failed(f"keyword extraction stopped unexpectedly (exit {code})")
                        return
                    continue
                if rid != request_id:
                    continue  # a reply to an earlier, cancelled request
                if kind == "progress":
                    yield Progress(*data)
                elif kind == "partial":
                    yield Partial(KeywordResult.from_dict(data))
                elif kind == "done":
                    yield Done(KeywordResult.from_dict(data))
                    return
                elif kind == "cancelled":
                    return
                else:
                    yield Failed(str(data))
                    return


_service = _Service()


def stop_service() -> None:
    """End this program's keyword process (tests; a new one starts on the next request)."""
    _service.stop()


def service_process() -> multiprocessing.process.BaseProcess | None:
    return _service.process


class KeywordJob:
    """One extraction, served by the keyword process (or in this thread where there is none)."""

    def __init__(
        self,
        top: int = DEFAULT_TOP,
        *,
        segment_top: int = DEFAULT_SEGMENT_TOP,
        use_cache: bool = True,
        provisional_above: int = PROVISIONAL_ABOVE,
        pause: Callable[[], object] = lambda: None,
    ) -> None:
        """`pause` is called between pieces of this process's own work (hashing the text,
        sending it): an interactive program's thread can step aside there for its UI."""
        self.top = top
        self.segment_top = segment_top
        self.use_cache = use_cache
        self.provisional_above = provisional_above
        self.pause = pause
        self.cancelled = False
        self._request_id: int | None = None

    @staticmethod
    def prewarm() -> None:
        """Start the keyword process now (it loads jieba while the caller does other things).

        Raises ServiceUnavailable when no process can be started; `events()` then works in the
        calling thread.
        """
        _service.start()

    def events(self, data: KeywordInput, priority: Iterable[int] = ()) -> Iterator[Event]:
        """Progress, a Partial for large transcripts, then Done or Failed. Blocking."""
        digest = data.digest(self.top, self.segment_top, pause=self.pause)
        if self.use_cache:
            cached = keywords_cache.load(digest)
            if cached is not None:
                yield Done(cached, cached=True)
                return
        priority = tuple(priority)
        first = (data.subset(priority) if priority and data.size > self.provisional_above
                 else None)
        header = (data.names, data.user_words, data.size, digest, self.top, self.segment_top,
                  first)
        try:
            for event in _service.run(header, data, self):
                if isinstance(event, Done) and self.use_cache:
                    # Saved here, not in the keyword process: it may have been started by an
                    # earlier caller with another environment (cache folder).
                    keywords_cache.save(event.result)
                yield event
        except ServiceUnavailable:
            # No child process here (a sandbox, a frozen build): do the work in this thread.
            yield from self._in_this_thread(data)

    def _in_this_thread(self, data: KeywordInput) -> Iterator[Event]:
        try:
            result = extract_keywords(data, self.top, segment_top=self.segment_top,
                                      use_cache=self.use_cache)
        except Exception as e:
            yield Failed(f"keyword extraction failed: {type(e).__name__}: {e}")
            return
        yield Done(result)

    def cancel(self) -> None:
        """Drop this request; `events()` ends within a quarter second. Any thread, any time."""
        self.cancelled = True
        if self._request_id is not None:
            _service.cancel(self._request_id)


_tracker_lock = threading.Lock()
_tracker_started = False


def _ensure_resource_tracker() -> None:
    """Start multiprocessing's resource tracker once, so that it can never print on the terminal.

    Every "spawn" start needs the tracker process, which multiprocessing launches passing
    `sys.stderr.fileno()` along. Inside a Textual app sys.stderr is a capture object whose
    fileno() is -1, and the launch fails ("bad value(s) in fds_to_keep"): sys.stderr is swapped
    for /dev/null for the few milliseconds of the launch. The tracker still inherits the real
    stderr (file descriptor 2, the terminal), and when the program is killed it warns there about
    "leaked semaphore objects": it is started with `-W ignore` (multiprocessing copies
    sys.warnoptions onto its command line), which silences exactly that.
    """
    global _tracker_started
    from multiprocessing import resource_tracker

    with _tracker_lock:
        if _tracker_started:
            return
        saved = sys.stderr
        sys.warnoptions.append("ignore")
        with open(os.devnull, "w") as null:
            sys.stderr = null
            try:
                resource_tracker.ensure_running()
            finally:
                sys.stderr = saved
                sys.warnoptions.remove("ignore")
        _tracker_started = True


# -- the keyword process ----------------------------------------------------------------------


class _Cancelled(Exception):
    pass


def _silence_output() -> None:
    """Nothing the child prints may reach the terminal a TUI is drawing on."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def _exit_with_parent() -> None:
    """End this process when the program that started it is gone, even if it was killed
    (no exit handler ran): otherwise the service would wait for requests forever."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(0)

    threading.Thread(target=watch, name="yulu-keywords-parent-watch", daemon=True).start()


def _serve(requests, events, cancelled) -> None:
    import gc

    _exit_with_parent()
    _silence_output()
    try:
        # Second in line for the CPU: on a small machine the reader's screen stays responsive.
        os.nice(5)
    except (AttributeError, OSError):
        pass
    trim = _tune_malloc()
    from parser.keywords_jieba import forget_user_words, prepare

    # The first time, jieba's tables are built while the parent is still parsing and drawing.
    # They are mapped in only when Chinese text comes (a few milliseconds): English never pays.
    threading.Thread(target=prepare, daemon=True).start()
    while True:
        item = requests.get()
        if item is None:
            return
        request_id, kind, header = item
        if kind != "start":
            continue  # the rest of a cancelled request
        if cancelled.value >= request_id:
            events.put((request_id, "cancelled", None))
            continue
        try:
            _handle(request_id, header, requests, events, cancelled)
        except _Cancelled:
            events.put((request_id, "cancelled", None))
        except Exception as e:  # reported to the parent as one line, never a traceback on screen
            events.put((request_id, "failed",
                        f"keyword extraction failed: {type(e).__name__}: {e}"))
        finally:
            forget_user_words()  # the next transcript may come without them
        del item, header
        gc.collect()
        trim()  # give the job's memory back to the system while idle


def _tune_malloc():
    """Have glibc's malloc serve big blocks (the growing token arrays) from their own mappings:
    with its default, adaptive threshold they come from the heap, and each time one grows the
    old copy leaves a hole, about a third more memory at the peak. Returns malloc_trim, which
    hands freed heap memory back to the system; a no-op elsewhere."""
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.mallopt(-3, 128 * 1024)  # M_MMAP_THRESHOLD; setting it ends the adaptation
        malloc_trim = libc.malloc_trim
    except (OSError, AttributeError, TypeError):  # not glibc
        return lambda: None
    return lambda: malloc_trim(0)


def _segments(request_id: int, requests) -> Iterator[list[tuple[int, str]]]:
    """The pieces of text of one request, as they arrive."""
    while True:
        item = requests.get()
        if item is None:
            raise _Cancelled  # the program is closing
        rid, kind, body = item
        if rid != request_id:
            continue
        if kind == "end":
            return
        yield body


def _handle(request_id: int, header: tuple, requests, events, cancelled) -> None:
    from parser.keywords import Tally
    from parser.keywords_parallel import auto_workers

    names, user_words, total, digest, top, segment_top, first = header
    last = [0]

    def progress(done: int, total: int) -> None:
        if cancelled.value >= request_id:
            raise _Cancelled
        if done - last[0] >= total * _PROGRESS_STEP or done == total:
            last[0] = done
            events.put((request_id, "progress", (done, total)))

    if first is not None:
        partial = compute_keywords(first, top, segment_top=segment_top, complete=False)
        events.put((request_id, "partial", partial.to_dict()))
        del partial
    if auto_workers(total) > 1:
        # Several tokenizer processes: they take the whole text at once.
        segments = tuple(s for chunk in _segments(request_id, requests) for s in chunk)
        data = KeywordInput(segments, names, user_words)
        result = compute_keywords(data, top, segment_top=segment_top, progress=progress,
                                  workers=auto_workers(total))
    else:
        # The segmenter and the IDF table wait for the warm-up by themselves.
        tally = Tally(user_words, names)
        done = 0
        with tally.teaching():
            for chunk in _segments(request_id, requests):
                for index, text in chunk:
                    tally.add(index, text)
                    done += len(text)
                    progress(done, total)
                del chunk
        result = tally.result(top, segment_top, digest=digest)
        del tally
    events.put((request_id, "done", result.to_dict()))
