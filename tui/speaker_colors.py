"""A stable colour per speaker, readable on dark and light themes."""

from __future__ import annotations

# Mid-saturation hues that keep contrast on both dark and light backgrounds.
PALETTE: tuple[str, ...] = (
    "#4e9ad6", "#d9822b", "#3aa675", "#c2577a", "#8e6bd1", "#b5a21f",
    "#2aa3a3", "#d45d4c", "#6f8f2f", "#a0669e", "#5c7cfa", "#c9862f",
)


def speaker_color(speaker_id: str | None) -> str | None:
    """Colour for a speaker id like "s3"; None for segments without a speaker."""
    if speaker_id is None:
        return None
    digits = "".join(ch for ch in speaker_id if ch.isdigit())
    n = int(digits) if digits else sum(map(ord, speaker_id))
    return PALETTE[(n - 1) % len(PALETTE)]
