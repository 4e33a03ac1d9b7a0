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
    previous = getattr(_local, "callback", None), getattr(_local, "reached", 0.0)
    _local.callback, _local.reached = callback, 0.0
    try:
        yield
    finally:
        _local.callback, _local.reached = previous


def report(fraction: float) -> None:
    """Tell the callback, if any; never a step back (the format checks read the first lines
    once before the paragraphs are split from the top)."""
    callback = getattr(_local, "callback", None)
    fraction = min(1.0, max(0.0, fraction))
    if callback is not None and fraction >= _local.reached:
        _local.reached = fraction
        callback(fraction)
