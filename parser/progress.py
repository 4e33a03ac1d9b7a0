"""How far a long parse has got, for a reader that shows it (`parse_text(..., progress=f)`).

The callback is kept per thread, so a parse in one worker never reports to another's screen.
The parser calls `report` at coarse steps (a megabyte of lines, some thousands of paragraphs);
splitting into paragraphs is counted as the first half of the work, building segments the rest.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Progress = Callable[[float], None]  # fraction of the parse done, 0.0 .. 1.0

_local = threading.local()
SPLIT_SHARE = 0.5  # paragraphs are found in the first half, segments built in the second


@contextmanager
def reporting(callback: Progress | None) -> Iterator[None]:
    previous = getattr(_local, "callback", None)
    _local.callback = callback
    try:
        yield
    finally:
        _local.callback = previous


def report(fraction: float) -> None:
    callback = getattr(_local, "callback", None)
    if callback is not None:
        callback(min(1.0, max(0.0, fraction)))
