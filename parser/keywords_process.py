"""Keyword extraction in a separate process, for an interactive program that must never stall.

jieba's dictionary load and tokenising hold the GIL and make the garbage collector run long: in a
worker thread they stall a UI for hundreds of milliseconds, in a process for about one. The child is
started with "spawn" (never a fork of a threaded parent) and reports through a queue:

    job = KeywordJob()
    job.prewarm()                       # optional: jieba loads while the file is parsed
    for event in job.events(KeywordInput.from_transcript(t), priority=visible_indexes):
        ...                             # Progress, then Partial (large files), then Done or Failed

A cached result is returned without starting a process at all. A large transcript first yields a
provisional result over the `priority` segments (the ones on screen), then the whole one.
"""

from __future__ import annotations

import asyncio
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


class KeywordJob:
    """One extraction in a child process.

    `prewarm()` starts the child at once so that jieba loads while the caller is still parsing the
    file and drawing its first screen; `events(data)` then sends it the text (or answers from the
    cache, stopping the child unused).
    """

    def __init__(
        self,
        top: int = DEFAULT_TOP,
        *,
        segment_top: int = DEFAULT_SEGMENT_TOP,
        use_cache: bool = True,
        provisional_above: int = PROVISIONAL_ABOVE,
    ) -> None:
        self.top = top
        self.segment_top = segment_top
        self.use_cache = use_cache
        self.provisional_above = provisional_above
        self._process: multiprocessing.process.BaseProcess | None = None
        self._requests = None
        self._events = None
        self._cancelled = False
        self._start_lock = threading.Lock()
        self._start_failed = False

    def prewarm(self) -> None:
        """Start the child now (it loads jieba and waits for the text). Idempotent, any thread.

        Raises OSError (or ValueError) when no process can be started; `events()` then works in
        the calling thread instead.
        """
        with self._start_lock:
            try:
                self._prewarm()
            except Exception:
                self._start_failed = True
                raise

    def _prewarm(self) -> None:
        if self._process is not None or self._cancelled or self._start_failed:
            return
        _ensure_resource_tracker()
        ctx = multiprocessing.get_context("spawn")
        self._requests, self._events = ctx.Queue(), ctx.Queue()
        self._process = ctx.Process(
            target=_child, args=(self._requests, self._events), name="yulu-keywords", daemon=True
        )
        self._process.start()

    def events(self, data: KeywordInput, priority: Iterable[int] = ()) -> Iterator[Event]:
        """Progress, a Partial for large transcripts, then Done or Failed. Blocking."""
        try:
            if self.use_cache:
                cached = keywords_cache.load(data.digest(self.top, self.segment_top))
                if cached is not None:
                    yield Done(cached, cached=True)
                    return
            try:
                self.prewarm()
            except (OSError, ValueError, RuntimeError):
                self._start_failed = True
            if self._cancelled:
                return
            if self._start_failed or self._requests is None:
                # No child process here (a sandbox, a frozen build): do the work in this thread.
                yield from self._in_this_thread(data)
                return
            self._requests.put((data, self.top, self.segment_top, tuple(priority), self.use_cache,
                                self.provisional_above))
            yield from self._relay()
        finally:
            self.cancel()

    def _in_this_thread(self, data: KeywordInput) -> Iterator[Event]:
        try:
            result = extract_keywords(data, self.top, segment_top=self.segment_top,
                                      use_cache=self.use_cache)
        except Exception as e:
            yield Failed(f"keyword extraction failed: {type(e).__name__}: {e}")
            return
        yield Done(result)

    def _relay(self) -> Iterator[Event]:
        while not self._cancelled:
            try:
                kind, payload = self._events.get(timeout=0.25)
            except queue_module.Empty:
                process = self._process
                if process is not None and not process.is_alive():
                    yield Failed(f"keyword extraction stopped unexpectedly (exit {process.exitcode})")
                    return
                continue
            if kind == "progress":
                yield Progress(*payload)
            elif kind == "partial":
                yield Partial(KeywordResult.from_dict(payload))
            elif kind == "done":
                yield Done(KeywordResult.from_dict(payload))
                return
            else:
                yield Failed(str(payload))
                return

    def cancel(self, *, wait: bool = True) -> None:
        """Stop the child, if any; `events()` ends. Safe from any thread, and more than once.

        With `wait=False` (from a UI thread) the child is only signalled: the thread reading
        `events()` notices within a quarter second and reaps it.
        """
        self._cancelled = True
        if not wait:
            process = self._process
            if process is not None and process.is_alive():
                process.terminate()
            return
        process, self._process = self._process, None
        if process is not None:
            if process.is_alive():
                process.terminate()
            process.join(timeout=2)
        for q in (self._requests, self._events):
            if q is not None:
                q.close()
                q.cancel_join_thread()  # never block on data the dead child will not read


_launch_job: KeywordJob | None = None


def prewarm_at_launch() -> None:
    """Start a keyword child now, before the UI toolkit is even imported (a program's start-up).

    jieba's second of loading then overlaps importing Textual and drawing the first screen. The
    reader takes the job with `take_launch_job()`; it is started from a thread so the caller
    does not wait for the spawn either.
    """
    global _launch_job
    if _launch_job is None:
        job = _launch_job = KeywordJob()
        threading.Thread(target=prewarm_quietly, args=(job,), name="yulu-keywords-prewarm",
                         daemon=True).start()


def take_launch_job() -> KeywordJob | None:
    """The job `prewarm_at_launch` started, once; None when there is none (or it was taken)."""
    global _launch_job
    job, _launch_job = _launch_job, None
    return job


def prewarm_quietly(job: KeywordJob) -> None:
    try:
        job.prewarm()
    except Exception:
        pass  # the job remembers it and extracts in the calling thread instead


def run_keyword_job(
    job: KeywordJob,
    data: KeywordInput,
    priority: Iterable[int] = (),
    on_event: Callable[[Event], None] | None = None,
) -> KeywordResult | None:
    """Run a job to its end, passing every event on; the final result, or None on failure."""
    final: KeywordResult | None = None
    for event in job.events(data, priority):
        if on_event is not None:
            on_event(event)
        if isinstance(event, Done):
            final = event.result
    return final


async def extract_keywords_async(
    data: KeywordInput,
    top: int = DEFAULT_TOP,
    *,
    segment_top: int = DEFAULT_SEGMENT_TOP,
    priority: Iterable[int] = (),
    on_event: Callable[[Event], None] | None = None,
    use_cache: bool = True,
) -> KeywordResult | None:
    """`extract_keywords` in a child process, awaitable; `on_event` is called in the event loop."""
    loop = asyncio.get_running_loop()
    job = KeywordJob(top, segment_top=segment_top, use_cache=use_cache)

    def forward(event: Event) -> None:
        if on_event is not None:
            loop.call_soon_threadsafe(on_event, event)

    try:
        return await asyncio.to_thread(run_keyword_job, job, data, tuple(priority), forward)
    finally:
        job.cancel()


_tracker_lock = threading.Lock()
_tracker_started = False


def _ensure_resource_tracker() -> None:
    """Start multiprocessing's resource tracker once, with stderr on /dev/null.

    Every "spawn" start needs the tracker process, which multiprocessing launches passing
    `sys.stderr.fileno()` along. Inside a Textual app sys.stderr is a capture object whose
    fileno() is -1, and the launch fails ("bad value(s) in fds_to_keep"); outside it, the
    tracker's warnings at exit would land on the terminal a TUI just gave back. So the tracker
    gets /dev/null (sys.stderr is swapped for the few milliseconds of its launch).
    """
    global _tracker_started
    from multiprocessing import resource_tracker

    with _tracker_lock:
        if _tracker_started:
            return
        saved = sys.stderr
        with open(os.devnull, "w") as null:
            sys.stderr = null
            try:
                resource_tracker.ensure_running()
            finally:
                sys.stderr = saved
        _tracker_started = True


def _silence_output() -> None:
    """Nothing the child prints may reach the terminal a TUI is drawing on."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def _child(requests, events) -> None:
    import gc

    _silence_output()
    try:
        # Second in line for the CPU: on a small machine the reader's screen stays responsive.
        os.nice(5)
    except (AttributeError, OSError):
        pass
    try:
        from parser.keywords_jieba import idf_table, tokenizer
        from parser.keywords_parallel import auto_workers
        from parser.keywords_tokens import has_han

        def warm() -> None:
            tokenizer()
            idf_table()

        # jieba loads while the parent is still parsing and drawing; an English transcript need
        # not wait for it (tokenizer() and idf_table() block until the warm-up is done).
        warming = threading.Thread(target=warm, daemon=True)
        warming.start()
        request = requests.get()
        if request is None:
            return
        data, top, segment_top, priority, use_cache, provisional_above = request
        if any(has_han(text) for _, text in data.segments):
            warming.join()
            # The dictionary and IDF are a million long-lived objects: freezing them keeps the
            # collector from rescanning them while tokenising.
            gc.freeze()
        if priority and data.size > provisional_above:
            partial = compute_keywords(data.subset(priority), top, segment_top=segment_top,
                                       complete=False)
            events.put(("partial", partial.to_dict()))
        last = [0]

        def progress(done: int, total: int) -> None:
            if done - last[0] >= total * _PROGRESS_STEP or done == total:
                last[0] = done
                events.put(("progress", (done, total)))

        result = extract_keywords(data, top, segment_top=segment_top, progress=progress,
                                  use_cache=use_cache, workers=auto_workers(data.size))
        events.put(("done", result.to_dict()))
    except Exception as e:  # reported to the parent as one line, never a traceback on screen
        events.put(("failed", f"keyword extraction failed: {type(e).__name__}: {e}"))
