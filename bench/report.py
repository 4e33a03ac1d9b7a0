"""The benchmark's Markdown: terminal table, parse table, the issue's targets met or missed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bench.generate import Generated, size_label
from bench.terminal import Run, Summary
from bench.throughput import Throughput

STEPS = (("next", "`j` next"), ("same", "`J` same speaker"),
         ("search", "`/` search as you type"), ("jump", "Enter: first hit"),
         ("hit", "`n` next hit"), ("end", "End"))
WHOLE_FILE_STEPS = frozenset({"search", "jump"})  # their answer needs the whole file read


@dataclass(slots=True)
class FileResult:
    name: str  # "zh 10 MB", "seed"
    size: int
    gen: Generated | None = None
    gen_seconds: float | None = None
    segments: int | None = None
    bare: Summary | None = None
    yulu: Summary | None = None  # keys pressed right after the first screen
    yulu_loaded: Summary | None = None  # keys pressed once the whole file has loaded
    floor: Throughput | None = None
    parse: list[Throughput] = field(default_factory=list)

    @property
    def size_mb(self) -> float:
        return self.size / 1e6


def _ms(v: float | None) -> str:
    return "—" if v is None else f"{v * 1000:.0f}"


def _pair(bare: float | None, app: float | None, missing: int = 0, runs: int = 0) -> str:
    """'312 → 402 ms (1.29×)'; a trailing note when some runs never showed the text."""
    miss = f" ({missing}/{runs} never)" if missing else ""
    if app is None:
        return f"{_ms(bare)} → never" if missing else "—"
    if bare is None or bare <= 0:
        return f"{_ms(app)} ms{miss}"
    return f"{_ms(bare)} → {_ms(app)} ms ({app / bare:.2f}×){miss}"


def terminal_table(results: list[FileResult]) -> str:
    rows = [r for r in results if r.yulu is not None]
    if not rows:
        return ""
    counts: dict[int, list[str]] = {}
    for r in rows:
        if r.yulu:
            counts.setdefault(len(r.yulu.runs), []).append(r.name)
    most, *fewer = sorted(counts, reverse=True)
    runs = f"{most} runs" + (" (" + "; ".join(f"{n} for {', '.join(counts[n])}" for n in fewer)
                             + ")" if fewer else "")
    head = ["file", "first screen"] + [label for _k, label in STEPS] + [
        "whole file loaded", "keywords highlighted", "peak RSS bare → yulu (with children)"]
    out = [f"Medians of {runs} in tmux (120×40); `bare → yulu`, yulu's ratio to the bare "
           "Textual app in parentheses. Keys are timed from sending the key until its target "
           "text is on screen.", "", "| " + " | ".join(head) + " |",
           "|" + "---|" * len(head)]
    for r in rows:
        for y, name in ((r.yulu, r.name), (r.yulu_loaded, f"{r.name}, keys once loaded")):
            if y is not None:
                out.append(_terminal_row(name, r.bare, y))
    return "\n".join(out) + "\n"


def _terminal_row(name: str, b: Summary | None, y: Summary) -> str:
    cells = [name, _pair(b.first if b else None, y.first, y.missing(lambda x: x.first),
                         len(y.runs))]
    for key, _label in STEPS:
        def pick(run: Run, k: str = key) -> float | None:
            return run.steps.get(k)
        if not any(key in run.steps for run in y.runs):
            cells.append("—")  # not a step of this scenario (or skipped: see notes)
            continue
        cells.append(_pair(b.step(key) if b else None, y.step(key), y.missing(pick),
                           len(y.runs)))
    cells.append(f"{_ms(y.loaded)} ms" if y.loaded is not None else "—")
    if y.keywords_partial is not None and (y.keywords is None or
                                           y.keywords_partial < y.keywords - 0.05):
        kw = f"{_ms(y.keywords_partial)} first, {_ms(y.keywords)} all"
    else:
        kw = _ms(y.keywords)
    measured = any(r.keywords is not None or r.keywords_partial is not None for r in y.runs)
    cells.append(f"{kw} ms" if measured else "—")
    brss = f"{b.rss_mb:.0f}" if b and b.rss_mb else "—"
    yrss = f"{y.rss_mb:.0f}" if y.rss_mb else "—"
    tree = f" ({y.tree_rss_mb:.0f})" if y.tree_rss_mb and y.rss_mb and \
        y.tree_rss_mb > y.rss_mb + 1 else ""
    cells.append(f"{brss} → {yrss}{tree} MB")
    return "| " + " | ".join(cells) + " |"


def parse_table(results: list[FileResult]) -> str:
    rows = [r for r in results if r.floor is not None]
    if not rows:
        return ""
    out = ["| file | segments | read+decode+`splitlines()` | yulu parse (whole file) | × floor "
           "| first-screen head parse |", "|---|---|---|---|---|---|"]
    for r in rows:
        f = r.floor
        assert f is not None
        whole = next((p for p in r.parse if "head" not in p.what), None)
        head = next((p for p in r.parse if "head" in p.what), None)
        segs = whole.segments if whole and whole.segments is not None else r.segments
        out.append(
            f"| {r.name} | {segs if segs is not None else '—'} "
            f"| {_ms(f.seconds)} ms ({f.mb_per_s:.0f} MB/s) "
            f"| {(_ms(whole.seconds) + f' ms ({whole.mb_per_s:.1f} MB/s)') if whole else '—'} "
            f"| {(f'{whole.seconds / f.seconds:.0f}×') if whole and f.seconds else '—'} "
            f"| {(_ms(head.seconds) + ' ms') if head else '—'} |"
        )
    return "\n".join(out) + "\n"


@dataclass(frozen=True, slots=True)
class Verdict:
    target: str
    measured: str
    met: bool | None  # None: not measured

    @property
    def mark(self) -> str:
        return {True: "✅ met", False: "❌ missed", None: "⚪ not measured"}[self.met]


def _check(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def verdicts(results: list[FileResult], worst_stall_100m: float | None = None) -> list[Verdict]:
    out: list[Verdict] = []

    def each(pred: Callable[[FileResult], bool]) -> list[FileResult]:
        return [r for r in results if pred(r) and r.yulu is not None]

    def ratio(r: FileResult) -> float | None:
        if r.bare is None or r.yulu is None or not r.bare.first or r.yulu.first is None:
            return None
        return r.yulu.first / r.bare.first

    for r in each(lambda r: r.name == "seed" or 0.5e6 <= r.size < 5e6):
        x = ratio(r)
        out.append(Verdict(f"{r.name}: first screen ≤ 1.2× bare",
                           "—" if x is None else f"{x:.2f}×", _check(x, 1.2)))
    for r in each(lambda r: 5e6 <= r.size < 50e6):
        y = r.yulu
        assert y is not None
        x = ratio(r)
        out.append(Verdict(f"{r.name}: first screen ≤ 1.3× bare",
                           "—" if x is None else f"{x:.2f}×", _check(x, 1.3)))
        for key, limit, label in (("end", 0.05, "End"), ("next", 0.05, "next segment `j`"),
                                  ("search", 0.3, "search over the whole file")):
            for variant, when in ((r.yulu_loaded, "once loaded"), (y, "while loading")):
                if variant is not None:
                    out.append(_key_verdict(f"{r.name}: {label} ≤ {limit * 1000:.0f} ms ({when})",
                                            variant, key, limit))
        with_kw = r.yulu_loaded or y  # the runs that waited for the keywords
        rss = with_kw.tree_rss_mb
        kw = with_kw.keywords is not None
        out.append(Verdict(
            f"{r.name}: peak RSS < 250 MB with keywords loaded",
            ("—" if rss is None else f"{rss:.0f} MB (process tree)")
            + ("" if kw else "; keywords never showed, so not 'with keywords'"),
            None if rss is None else (rss < 250 if kw else (False if rss >= 250 else None)),
        ))
    for r in each(lambda r: r.size >= 50e6):
        y = r.yulu
        assert y is not None
        x = ratio(r)
        out.append(Verdict(f"{r.name}: first screen ≤ 1.5× bare",
                           "—" if x is None else f"{x:.2f}×", _check(x, 1.5)))
        for variant, when in ((y, "while indexing"), (r.yulu_loaded, "once loaded")):
            if variant is not None:
                out.append(_key_verdict(f"{r.name}: End ≤ 100 ms ({when})", variant, "end", 0.1))
        shown = "a percentage" if y.progress_seen else (
            "a message without progress" if y.busy_seen else "nothing")
        out.append(Verdict(f"{r.name}: progress shown while it indexes", shown,
                           True if y.progress_seen else False))
        # The search's count and Enter's jump are answers about the whole file, which is still
        # being read: they arrive with it (the table shows when). The bar answers at once with
        # a count "so far"; whether the reader keeps answering is what the event loop says.
        keys = [y.worst(lambda run, k=k: run.steps.get(k)) for k, _l in STEPS
                if k not in WHOLE_FILE_STEPS]
        worst_key = max((k for k in keys if k is not None), default=None)
        stall = "" if worst_stall_100m is None else \
            f"; worst event-loop stall {_ms(worst_stall_100m)} ms"
        out.append(Verdict(f"{r.name}: every key responsive while it indexes (≤ 100 ms)",
                           f"slowest of j, J, n, End {_ms(worst_key)} ms{stall} (the search "
                           "count and Enter's jump wait for the whole file)",
                           None if worst_key is None else worst_key <= 0.1
                           and (worst_stall_100m is None or worst_stall_100m <= 0.1)))
        errors = y.errors + [f"crashed in {y.crashed} runs"] * bool(y.crashed)
        out.append(Verdict(f"{r.name}: no crash", "; ".join(errors) or "ran to the end",
                           not errors))
    return out


def _key_verdict(target: str, y: Summary, key: str, limit: float) -> Verdict:
    v = y.step(key)
    miss = y.missing(lambda run: run.steps.get(key))
    return Verdict(target, f"{_ms(v)} ms" + (f", never in {miss} of {len(y.runs)} runs"
                                              if miss else ""),
                   False if miss else _check(v, limit))


def verdict_table(vs: list[Verdict]) -> str:
    if not vs:
        return ""
    lines = ["| target (issue 8) | measured | |", "|---|---|---|"]
    lines += [f"| {v.target} | {v.measured} | {v.mark} |" for v in vs]
    return "\n".join(lines) + "\n"


def files_line(results: list[FileResult]) -> str:
    parts = []
    for r in results:
        if r.gen is not None:
            t = f", generated in {r.gen_seconds:.2f} s" if r.gen_seconds is not None else ""
            parts.append(f"{r.name}: {size_label(r.size)}, {r.gen.turns} turns, "
                         f"{r.gen.speakers} speakers{t}")
        else:
            parts.append(f"{r.name}: {size_label(r.size)}")
    return "Files: " + "; ".join(parts) + ".\n"
