"""What the terminal benchmark runs: the bare app and yulu, pressing the same keys.

Steps, in order (each waits for text that only shows once the key did its job):
  next    `j`      segment 1 selected: the end of its text (a marker) comes into view
  same    `J`      the host's next turn, ~150 segments on
  search  `/` + query, then Enter (timed): the first match, at ~70% of the file
  hit     `n`      the second match, at ~98%
  end     End      the last segment (a credits line)
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench import bare_app
from bench.generate import Generated
from bench.terminal import Scenario, Step

# What yulu shows while the rest of a large file loads (tui/screens/reader.py).
BUSY_TEXT = "reading the rest"
PROGRESS = r"\d+(\.\d+)?\s*%"


def bare(python: str = sys.executable) -> Scenario:
    t = bare_app.token
    return Scenario(
        name="bare",
        command=[python, "-m", "bench.bare_app"],
        ready=(bare_app.TITLE,),
        steps=(
            Step("next", "j", t("next", 1)),
            Step("same", "J", t("same", 2)),
            Step("search", "Enter", t("search", 3), before=("/", "瑪瑙")),
            Step("hit", "n", t("hit", 4), needs="search"),
            Step("end", "End", t("end", 5)),
        ),
        progress=None,
    )


def yulu(app: list[str], gen: Generated, keywords_marker: str | None = None,
         busy: str | None = BUSY_TEXT) -> Scenario:
    m = gen.markers
    return Scenario(
        name="yulu",
        command=[*app, str(gen.path)],
        ready=(m.first,),
        steps=(
            Step("next", "j", m.next_tail),
            Step("same", "J", m.same_speaker),
            Step("search", "Enter", m.hit_first, before=("/", m.query)),
            Step("hit", "n", m.hit_next, needs="search"),
            Step("end", "End", m.last),
        ),
        keywords_marker=keywords_marker,
        progress=PROGRESS,
        busy=busy,
    )


def yulu_file(app: list[str], path: Path, keywords_marker: str | None = None) -> Scenario:
    """Any transcript (the seed): first screen only, ready when its opening words show."""
    first_line = next((x for x in path.read_text(encoding="utf-8", errors="replace").splitlines()
                       if x.strip()), "")
    # The opening characters up to any annotation or punctuation, as the sidebar shows them.
    opening = ""
    for ch in first_line.strip():
        if not ch.isalnum() or len(opening) >= 4:
            break
        opening += ch
    return Scenario(name="yulu", command=[*app, str(path)], ready=(opening or first_line[:2],),
                    keywords_marker=keywords_marker, progress=PROGRESS, busy=BUSY_TEXT)
