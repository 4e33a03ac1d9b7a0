"""Which files a command line names: `yulu a.txt b.vtt` or `yulu DIR`. No Textual here: the
reader calls this before Textual has loaded (the first screen's parse starts as early as it can).
"""

from __future__ import annotations

from pathlib import Path

TRANSCRIPT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".srt", ".vtt"})


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given, in order; a folder becomes its transcript files by name (not recursive).

    Duplicates are dropped. A missing path is kept: opening it reports the problem.
    """
    out: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found = sorted(
                (p for p in path.iterdir() if p.is_file() and p.suffix.lower() in TRANSCRIPT_SUFFIXES
                 and not p.name.startswith(".")),
                key=lambda p: p.name.lower(),
            )
        else:
            found = [path]
        for p in found:
            key = p.resolve() if p.exists() else p
            if key not in seen:
                seen.add(key)
                out.append(p)
    return out
