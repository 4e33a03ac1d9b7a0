"""Search as you type on generated transcripts: in process, and in the real app in tmux.

    .venv/bin/python -m bench.search_bench [--sizes 10m] [--langs zh,en] [--tmux] [--runs 3]

In process (parser/search.py): the index build (time, memory it keeps, peak while building) and
a search for each prefix of the query the terminal benchmark types (bench/generate.py
`markers.query`), as typing runs them. With --tmux: the terminal benchmark's search step alone
(`/`, then the query sent in one go, timed until "2 hits" shows), once the file has loaded and
right after the first screen (while the rest still loads). Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from pathlib import Path

from bench.generate import LANGUAGES, ensure, parse_size, size_label
from bench.micro import best_of

ROOT = Path(__file__).resolve().parent.parent


def in_process(lang: str, size: int) -> list[tuple[str, str, str]]:
    from parser import parse
    from parser.search import Query, SearchIndex

    gen = ensure(lang, size)
    transcript = parse(gen.path)
    rows: list[tuple[str, str, str]] = []
    label = f"{lang} {size_label(size)}"
    build = best_of(lambda: SearchIndex(transcript))
    tracemalloc.start()
    index = SearchIndex(transcript)
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows.append((f"{label}: build the index", f"{build * 1000:.0f} ms",
                 f"keeps {kept / 1e6:.1f} MB, peak {peak / 1e6:.1f} MB"))
    query = gen.markers.query
    total = 0.0
    for i in range(1, len(query) + 1):
        q = Query(query[:i])
        hits = index.search(q, max_hits=100_000)
        took = best_of(lambda q=q: index.search(q, max_hits=100_000))
        total += took
        rows.append((f"{label}: search {query[:i]!r}", f"{took * 1000:.1f} ms",
                     f"{len(hits):,} hits"))
    rows.append((f"{label}: every prefix, one after another", f"{total * 1000:.0f} ms", ""))
    return rows


def in_tmux(lang: str, size: int, runs: int, app: list[str]) -> list[tuple[str, str, str]]:
    from bench.scenarios import BUSY_TEXT, HITS, PROGRESS, SEARCH_OPEN
    from bench.terminal import Scenario, Step, run_once

    gen = ensure(lang, size)
    m = gen.markers
    rows = []
    for after_load in (True, False):
        scenario = Scenario(
            name="search", keys_after_load=after_load, command=[*app, str(gen.path)],
            ready=(m.first,), progress=PROGRESS, busy=BUSY_TEXT,
            steps=(Step("search", m.query, HITS, literal=True, before=(("/", SEARCH_OPEN),)),),
        )
        took = []
        for _ in range(runs):
            run = run_once(scenario, 120, 40, ROOT, timeout=30, keywords_timeout=60)
            if run.steps.get("search") is not None:
                took.append(run.steps["search"])
        when = "loaded" if after_load else "while loading"
        shown = (f"{statistics.median(took) * 1000:.0f} ms" if took else "never")
        every = ", ".join(f"{t * 1000:.0f}" for t in took)
        rows.append((f"{lang} {size_label(size)}: type {m.query!r} ({when}) to \"{HITS}\"",
                     shown, f"median of {len(took)}/{runs} runs: {every} ms"))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.search_bench",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10m", help="comma-separated, e.g. 1m,10m")
    ap.add_argument("--langs", default=",".join(LANGUAGES))
    ap.add_argument("--tmux", action="store_true", help="also time the real app in tmux")
    ap.add_argument("--runs", type=int, default=3, help="tmux runs per case")
    ap.add_argument("--app", default=str(ROOT / ".venv" / "bin" / "yulu"))
    args = ap.parse_args(argv)
    rows = []
    for size in map(parse_size, args.sizes.split(",")):
        for lang in args.langs.split(","):
            started = time.perf_counter()
            rows += in_process(lang, size)
            if args.tmux:
                rows += in_tmux(lang, size, args.runs, args.app.split())
            print(f"<!-- {lang} {size_label(size)}: {time.perf_counter() - started:.0f} s -->",
                  flush=True)
    print("| what | time | notes |")
    print("| --- | ---: | --- |")
    for what, took, notes in rows:
        print(f"| {what} | {took} | {notes} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
