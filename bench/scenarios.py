"""What the terminal benchmark runs: the bare app and yulu, pressing the same keys.

Steps, in order (each waits for text that only shows once the key did its job):
  next    `j`      segment 1 selected: the end of its text (a marker) comes into view
  same    `J`      the host's next turn, ~150 segments on
  search  `/` (untimed), then the query typed (timed): yulu searches as you type, until it
          shows the number of hits over the whole file (the bare app: until the query echoes)
  jump    Enter    the first match, at ~70% of the file
  hit     `n`      the second match, at ~98%
  end     End      the last segment (a credits line)

Keywords: yulu shows "◇ term · term" in the current segment's header once they are complete,
and "keywords of this part…" while a large file's first highlights are provisional. After the
keys, the benchmark steps back once (`k`) from the credits line, which has no keywords.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench import bare_app
from bench.generate import Generated
from bench.terminal import Scenario, Step

# What yulu shows (tui/screens/reader.py, tui/features/search.py, tui/features/keywords.py):
BUSY_TEXT = "reading the rest"  # while the rest of a large file loads
PROGRESS = r"\d+(\.\d+)?\s*%"
SEARCH_OPEN = "regex"  # the search bar's toggles, once `/` opened it
HITS = "2 hits"  # the live count; each generated file has exactly two matches
KEYWORDS_DONE = "◇ "  # the header's top terms, once keywords are complete
KEYWORDS_PARTIAL = "keywords of this part"  # provisional highlights on a large file


def bare(python: str = sys.executable) -> Scenario:
    t = bare_app.token
    return Scenario(
        name="bare",
        command=[python, "-m", "bench.bare_app"],
        ready=(bare_app.TITLE,),
        steps=(
            Step("next", "j", t("next", 1)),
            Step("same", "J", t("same", 2)),
            Step("search", "瑪瑙", "瑪瑙", literal=True, before=(("/", bare_app.SEARCH_PROMPT),)),
            Step("jump", "Enter", t("search", 3), needs="search"),
            Step("hit", "n", t("hit", 4), needs="jump"),
            Step("end", "End", t("end", 5)),
        ),
        progress=None,
    )


def yulu(app: list[str], gen: Generated, keywords: bool = True,
         busy: str | None = BUSY_TEXT, after_load: bool = False) -> Scenario:
    """yulu on a generated file; keys right after the first screen, or once it has loaded.

    With `keywords`, each run waits until the keywords are complete (tens of seconds at 10 MB).
    """
    m = gen.markers
    return Scenario(
        name="yulu, loaded" if after_load else "yulu",
        keys_after_load=after_load,
        command=[*app, str(gen.path)],
        ready=(m.first,),
        steps=(
            Step("next", "j", m.next_tail),
            Step("same", "J", m.same_speaker),
            Step("search", m.query, HITS, literal=True, before=(("/", SEARCH_OPEN),)),
            Step("jump", "Enter", m.hit_first, needs="search"),
            Step("hit", "n", m.hit_next, needs="jump"),
            Step("end", "End", m.last),
        ),
        keywords_marker=KEYWORDS_DONE if keywords else None,
        keywords_partial=KEYWORDS_PARTIAL if keywords else None,
        after_steps=("k",),
        progress=PROGRESS,
        busy=busy,
    )


def yulu_file(app: list[str], path: Path, keywords: bool = True) -> Scenario:
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
                    keywords_marker=KEYWORDS_DONE if keywords else None,
                    keywords_partial=KEYWORDS_PARTIAL if keywords else None,
                    progress=PROGRESS, busy=BUSY_TEXT)
