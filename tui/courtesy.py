"""Background work in the reader's own threads steps aside while the user is pressing keys.

Worker threads share the GIL with the UI thread: Python they run while a key is handled makes the
key wait its turn, a millisecond at a time. When the whole of a 10 MB file had arrived, preparing
its keywords (gathering, hashing and pickling the text: ~50 ms of Python) met the next key, and
`j` took 57 ms instead of 24. Such work calls `step_aside()` between pieces of about a
millisecond; it waits while the user's last key or click is recent. It waits a quarter of a
second at most each time, so that the work still gets on under a key held down.

The keyword work does this: it is rarely what the last key asked for, and when it is (`h` with
keywords off in the config, a term added with `+`) it starts at most 0.15 s later. So does a
parse of the rest of a file in this process (over 32 MB; smaller ones are parsed by a child
process, tui/parse_ahead.py), at its progress steps. A search typed does not: it is what the
user is waiting for.
"""

from __future__ import annotations

import time
from collections.abc import Callable

QUIET = 0.15  # seconds after a key or click during which background work waits
MAX_WAIT = 0.25  # seconds one step_aside() waits at most
_POLL = 0.01


class Courtesy:
    """When the user last pressed a key or clicked, and a way for workers to wait it out."""

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], object] = time.sleep) -> None:
        self._clock, self._sleep = clock, sleep
        self.input_at = float("-inf")

    def input_arrived(self) -> None:
        """Called by the UI thread for each key or mouse event."""
        self.input_at = self._clock()

    def step_aside(self, cancelled: Callable[[], bool] = lambda: False) -> None:
        """Wait while the user is pressing keys (at most MAX_WAIT). From a worker thread."""
        clock = self._clock
        now = clock()
        deadline = now + MAX_WAIT
        while (left := self.input_at + QUIET - now) > 0 and now < deadline and not cancelled():
            self._sleep(min(left, deadline - now, _POLL))
            now = clock()

    def pause_for(self, cancelled: Callable[[], bool]) -> Callable[[], None]:
        """step_aside() as a callable a worker hands to the work it runs (`pause=`)."""
        return lambda: self.step_aside(cancelled)
