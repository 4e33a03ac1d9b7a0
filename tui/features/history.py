"""Jump history: `ctrl+o` returns to where you were before a jump, `ctrl+n` goes forward again.

Every navigation the core marks as a jump (search hits, g/G, speaker jumps, clicks, lists) records
the segment it left. Stepping to a neighbour (j/k) is not a jump and is not recorded.
"""

from __future__ import annotations

MAX_HISTORY = 200


class JumpHistoryFeature:
    """Mixin for ReaderScreen (see tui/features/__init__.py)."""

    _jump_back: list[int] | None = None
    _jump_forward: list[int] | None = None
    _jump_expected: int | None = None  # where our own back/forward move is going

    def _jump_stacks(self) -> tuple[list[int], list[int]]:
        if self._jump_back is None or self._jump_forward is None:
            self._jump_back, self._jump_forward = [], []
        return self._jump_back, self._jump_forward

    def on_reader_screen_navigated(self, message) -> None:
        back, forward = self._jump_stacks()
        if self._jump_expected is not None and message.current == self._jump_expected:
            self._jump_expected = None  # our own move: already recorded
            return
        if not message.jump:
            return
        if not back or back[-1] != message.previous:
            back.append(message.previous)
            del back[:-MAX_HISTORY]
        forward.clear()

    def action_jump_back(self) -> None:
        back, forward = self._jump_stacks()
        self._history_move(back, forward, "No earlier position (ctrl+o goes back after a jump)")

    def action_jump_forward(self) -> None:
        back, forward = self._jump_stacks()
        self._history_move(forward, back, "No later position to go forward to")

    def _history_move(self, source: list[int], other: list[int], empty: str) -> None:
        while source:
            target = source.pop()
            if target == self.current or target >= len(self.transcript.segments):
                continue
            if self.navigator.nearest(target) != target:
                continue  # hidden by the speaker filter
            other.append(self.current)
            self._jump_expected = target
            self.select(target, jump=True)
            return
        self.notify(empty, timeout=2)
