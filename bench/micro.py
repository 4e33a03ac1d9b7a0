"""Speed of the pure building blocks, each next to a baseline measured in the same run.

    .venv/bin/python -m bench.micro [--mb 10]

- search: a 10 MB transcript searched for a Chinese word, an English word and a regex, next to
  a bare `re.finditer` over the same joined text (target: under 300 ms);
- wrapping: 100,000 characters of mixed Chinese/English wrapped at 79 cells with
  tui/wrapping.py, next to rich's own `Text.wrap`;
- sentences: a 230,000-character segment split into sentences, next to `re.split` on enders.
Prints a Markdown table; best of three runs for each (other processes only ever add time).
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections.abc import Callable


def best_of(fn: Callable[[], object], runs: int = 3) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - started)
    return min(timings)


def mixed_texts(megabytes: int) -> list[str]:
    """Segments of random Chinese (70 %) and English (30 %), deterministic; also used by tests."""
    rng = random.Random(7)
    han = "的一是在不了有和人這中大為上個國我以要他時來用們生到作地於出就分對成會經濟發展"
    words = "the quick brown fox jumps over a lazy dog policy hearing question".split()
    texts, size = [], 0
    while size < megabytes * 1_000_000:
        n = rng.randint(40, 600)
        if rng.random() < 0.3:
            texts.append(" ".join(rng.choice(words) for _ in range(n // 5)))
        else:
            texts.append("".join(rng.choice(han) for _ in range(n)) + "。")
        size += len(texts[-1].encode())
    return texts


def search_rows(megabytes: int) -> list[tuple[str, float, float]]:
    from parser.search import Query, SearchIndex

    texts = mixed_texts(megabytes)
    started = time.perf_counter()
    index = SearchIndex(texts)
    build = time.perf_counter() - started
    joined = "\n".join(texts)
    rows = [(f"search index build, {megabytes} MB (once, in a worker)", build, float("nan"))]
    for label, query, pattern in [
        ("經濟 (either script)", Query("經濟"), re.compile("經濟")),
        ("fox (ignore case)", Query("fox"), re.compile("fox", re.I)),
        (r"regex qu\w+", Query(r"qu\w+", regex=True), re.compile(r"qu\w+", re.I)),
    ]:
        index.search(query)  # warm the regex cache, as typing does
        ours = best_of(lambda q=query: index.search(q))
        base = best_of(lambda p=pattern: sum(1 for _ in p.finditer(joined)))
        rows.append((f"search {label}, {megabytes} MB", ours, base))
    return rows


def wrapping_row() -> tuple[str, float, float]:
    from rich.console import Console
    from rich.text import Text

    from tui.wrapping import wrap_text

    paragraph = "他說，「我們要用 AI 推動招商。」湖北的經濟發展很快，企業也願意來。" * 30
    texts = [Text(paragraph) for _ in range(100)]
    console = Console(width=79)
    ours = best_of(lambda: [wrap_text(t, 79) for t in texts])
    base = best_of(lambda: [t.wrap(console, 79) for t in texts])
    return ("wrap 100,000 mixed characters at 79 cells (vs rich Text.wrap)", ours, base)


def sentences_row() -> tuple[str, float, float]:
    from parser.sentences import split_sentences

    text = "Mr. Smith said it was 3.5 percent. 他說：「好。」" * 5000
    enders = re.compile(r"(?<=[.!?。！？])")
    ours = best_of(lambda: split_sentences(text))
    base = best_of(lambda: enders.split(text))
    return ("split a 230,000-character segment into sentences (vs re.split)", ours, base)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.micro", description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=int, default=10, help="transcript size for search (MB)")
    args = ap.parse_args(argv)
    rows = [*search_rows(args.mb), wrapping_row(), sentences_row()]
    print("| what | yulu | baseline | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for label, ours, base in rows:
        ratio = "" if base != base else f"{ours / base:.1f}x"  # nan: no baseline
        baseline = "" if base != base else f"{base * 1000:.0f} ms"
        print(f"| {label} | {ours * 1000:.0f} ms | {baseline} | {ratio} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
