"""Tokenizing a big transcript in several processes: the segmenter is pure Python, one core each.

The segments are cut into contiguous chunks of about equal size; helper processes ("spawn") take
all chunks but the first, which the calling process does itself while reporting progress. Each
helper maps jieba's tables (milliseconds) and sends back a compact `Tally` of its chunk (arrays,
its texts compressed), which the caller merges into its own: the same as one tally of the whole.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from parser.keywords import KeywordInput, Progress, Tally

PARALLEL_ABOVE = 1_000_000  # characters; below this one process is as fast
MAX_WORKERS = 4


def auto_workers(size: int) -> int:
    """Processes worth using for `size` characters on this machine.

    One core is left for the reader (and the rest of the machine): on two cores a second
    tokenizer only competes with them (measured: slower, not faster).
    """
    if size < PARALLEL_ABOVE:
        return 1
    return max(1, min((os.cpu_count() or 1) - 1, MAX_WORKERS))


def chunks(segments: Sequence[tuple[int, str]], parts: int) -> list[list[tuple[int, str]]]:
    """Contiguous runs of segments of about equal total length (never empty)."""
    total = sum(len(text) for _, text in segments)
    out: list[list[tuple[int, str]]] = [[]]
    size = 0
    for segment in segments:
        if out[-1] and size >= total * len(out) / parts and len(out) < parts:
            out.append([])
        out[-1].append(segment)
        size += len(segment[1])
    return out


def tokenize_in_parallel(data: KeywordInput, workers: int,
                         progress: Progress | None = None) -> Tally | None:
    """A tally of every segment, in order; None when no helper process could be started."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    parts = chunks(data.segments, workers)
    if len(parts) < 2:
        return None
    total = data.size
    mine = sum(len(text) for _, text in parts[0])

    def scaled(done: int, _total: int) -> None:
        # The helpers go at about the same pace: report ours as the share of the whole.
        if progress is not None:
            progress(min(total - 1, done * total // max(1, mine)), total)

    try:
        pool = ProcessPoolExecutor(max_workers=len(parts) - 1,
                                   mp_context=multiprocessing.get_context("spawn"))
    except (OSError, ValueError, NotImplementedError):
        return None
    finished = False
    try:
        try:
            futures = [pool.submit(_tokenize_chunk, part, data.user_words, data.names)
                       for part in parts[1:]]
        except (OSError, RuntimeError):
            return None
        del parts[1:]  # the helpers have their copies
        # `scaled` raises to cancel (the keyword process): the helpers are then left behind.
        tally = Tally(data.user_words, data.names).add_all(parts[0], scaled, mine)
        for future in futures:
            tally.merge(future.result())
        finished = True
    finally:
        pool.shutdown(wait=finished, cancel_futures=not finished)
    if progress is not None:
        progress(total, total)
    return tally


def _tokenize_chunk(segments: list[tuple[int, str]], user_words: tuple[str, ...],
                    names: tuple[str, ...]) -> Tally:
    try:
        os.nice(5)  # as the process that started us: the reader's screen comes first
    except (AttributeError, OSError):
        pass
    return Tally(user_words, names).add_all(segments).pack()
