"""Parse throughput next to the floor: read, decode and `str.splitlines()` the same file.

When `bench/parse_bench.py` (another helper's) offers `measure(path, runs)`, its rows are used;
otherwise `parser.read_source` + `parser.parse_text` are timed here, and the head parse the first
screen waits for (`read_head` of 64 KB) beside them.
"""

from __future__ import annotations

import gc
import importlib
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HEAD_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Throughput:
    what: str  # "splitlines", "parse", "head parse", ...
    seconds: float  # median
    size: int  # bytes processed
    segments: int | None = None

    @property
    def mb_per_s(self) -> float:
        return self.size / 1e6 / self.seconds if self.seconds > 0 else float("inf")


def _median_time(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def floor(path: Path, runs: int = 3) -> Throughput:
    """Read, decode and split into lines: what any reader must at least do."""

    def split() -> int:
        return len(path.read_bytes().decode("utf-8").splitlines())

    seconds, _ = _median_time(split, runs)
    return Throughput("read+decode+splitlines", seconds, path.stat().st_size)


def parser_rows(path: Path, runs: int = 3) -> list[Throughput]:
    """The project's parser on the same file: whole file, and the head the first screen needs."""
    delegated = _delegate(path, runs)
    if delegated is not None:
        return delegated
    import parser

    size = path.stat().st_size
    rows: list[Throughput] = []

    def whole():
        src = parser.read_source(path)
        return parser.parse_text(src.text, source=str(path), encoding=src.encoding)

    seconds, t = _median_time(whole, runs)
    rows.append(Throughput("read_source+parse_text", seconds, size, len(t.segments)))
    if hasattr(parser, "read_head") and size > HEAD_BYTES:

        def head():
            src = parser.read_head(path, HEAD_BYTES)
            return parser.parse_text(src.text, source=str(path), encoding=src.encoding,
                                     complete=False)

        seconds, t = _median_time(head, max(runs, 5))
        rows.append(Throughput("head parse (64 KB)", seconds, HEAD_BYTES, len(t.segments)))
    return rows


def _delegate(path: Path, runs: int) -> list[Throughput] | None:
    """Rows from bench/parse_bench.py when it offers `measure(path, runs)`."""
    try:
        module = importlib.import_module("bench.parse_bench")
    except ImportError:
        return None
    measure = getattr(module, "measure", None)
    if not callable(measure):
        return None
    rows = []
    for row in measure(path, runs):
        get = row.get if isinstance(row, dict) else lambda k, r=row: getattr(r, k, None)
        if get("seconds") is None or get("what") is None:
            return None  # a shape we do not understand: measure it ourselves
        rows.append(Throughput(str(get("what")), float(get("seconds")),
                               int(get("size") or path.stat().st_size), get("segments")))
    return rows
