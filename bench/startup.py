"""Prove what runs on the UI thread at startup: drive bench/startup_probe.py in tmux and sum up.

The probe runs yulu with `-X importtime` in a private tmux server; this module reads its JSON
and the import-time log and reports: the first paint, the modules imported before it (by
package, with their import time), where and when the heavy optional modules were imported
(jieba, the store, the clipboard...), the UI thread's profile up to the first paint, and the
event loop's stalls after it.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.terminal import Terminal

# Modules the user did not ask for at startup: each must load lazily, in a worker or a child.
LAZY = {
    "jieba": "keyword extraction",
    "tinydb": "the store",
    # `store` itself is a namespace whose names load on first use (store/__init__.py); the
    # reader asks it for ENV_VAR before the first paint. The store proper is store.store.
    "store.store": "the store",
    "store.anchors": "the store (anchoring notes)",
    "filelock": "the store's lock",
    "pyperclip": "the clipboard",
    "parser.keywords": "keywords",
    "parser.keywords_jieba": "keywords",
}
# Reported, not judged: the parser may need them for the first screen.
WATCH = {
    "opencc": "script conversion (the parser checks pinyin annotations with it)",
    "pypinyin": "generated pinyin",
    "charset_normalizer": "encoding detection (only for non-UTF-8 files)",
}
_IMPORTTIME = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


@dataclass(slots=True)
class StartupReport:
    file: str
    first_paint: float | None = None
    imports_before: int = 0
    by_package: list[tuple[str, int, float]] = field(default_factory=list)  # name, n, seconds
    lazy: list[tuple[str, str, str]] = field(default_factory=list)  # module, why, where/when
    violations: list[str] = field(default_factory=list)
    profile: str = ""
    top_project: list[tuple[str, int, float]] = field(default_factory=list)  # fn, calls, cum s
    top_own: list[tuple[str, int, float]] = field(default_factory=list)  # fn, calls, own s
    main_thread_parse: list[str] = field(default_factory=list)
    stalls: list[tuple[float, float]] = field(default_factory=list)
    worst_stall: float | None = None
    complete_at: float | None = None
    threads: list[str] = field(default_factory=list)
    modules_before: set[str] = field(default_factory=set)
    self_seconds: dict[str, float] = field(default_factory=dict)
    extra_vs_bare: list[tuple[str, int, float]] = field(default_factory=list)
    bare_first_paint: float | None = None
    children: list[str] = field(default_factory=list)
    error: str | None = None

    def markdown(self) -> str:
        if self.error:
            return f"Startup probe on `{self.file}`: **failed** — {self.error}\n"
        out = [f"Startup probe on `{self.file}` (in-process clock, `-X importtime` and "
               f"{'cProfile' if self.profile else 'no profiler'} on):", ""]
        out.append(f"- first paint: {_ms(self.first_paint)} after the "
                   f"interpreter handed over; {self.imports_before} modules imported before it")
        if self.bare_first_paint is not None:
            out.append(f"- the bare app's first paint under the same probe: "
                       f"{_ms(self.bare_first_paint)}")
        top = ", ".join(f"{n} {c} ({_ms(s)})" for n, c, s in self.by_package[:10])
        out.append(f"- imported before the first paint, by package (modules, import time): {top}")
        if self.extra_vs_bare:
            total = sum(s for _n, _c, s in self.extra_vs_bare)
            extra = ", ".join(f"{n} {c} ({_ms(s)})" for n, c, s in self.extra_vs_bare[:12])
            out.append(f"- imported by yulu but not by the bare app before its first paint: "
                       f"{sum(c for _n, c, _s in self.extra_vs_bare)} modules, {_ms(total)} "
                       f"of import time: {extra}")
        for module, why, where in self.lazy:
            out.append(f"- `{module}` ({why}): {where}")
        out.append(f"- threads at first paint: {', '.join(self.threads) or '—'}; "
                   f"child processes: {len(self.children)}")
        if self.main_thread_parse:
            out.append("- parsing on the UI thread before the first paint: "
                       + "; ".join(self.main_thread_parse))
        if self.complete_at is not None:
            out.append(f"- whole transcript parsed at {_ms(self.complete_at)}")
        stalls = ", ".join(f"{_ms(d)} at {t:.2f}s" for t, d in self.stalls[:8])
        out.append(f"- event loop after the first paint: worst stall {_ms(self.worst_stall)}; "
                   f"stalls over 50 ms: {len(self.stalls)}" + (f" ({stalls})" if stalls else ""))
        if self.top_project:
            out.append("- UI thread until the first paint, project functions by cumulative time "
                       "(cProfile inflates them): " + ", ".join(
                           f"`{n}` {_ms(s)}" for n, _c, s in self.top_project[:8]))
        if self.top_own:
            out.append("- …and every function by own time: " + ", ".join(
                f"`{n}` {_ms(s)}" for n, _c, s in self.top_own[:8]))
        out.append("- verdict: " + ("**nothing unasked runs on the UI thread before the first "
                                    "paint**" if not self.violations else
                                    "**violations**: " + "; ".join(self.violations)))
        return "\n".join(out) + "\n"


def _short(name: str) -> str:
    """'/work/main/tui/launch.py:35:launch' -> 'tui/launch.py:launch'."""
    file, _sep, rest = name.rpartition(":")
    path, _sep, _line = file.rpartition(":")
    parts = Path(path).parts
    tail = "/".join(parts[-2:]) if len(parts) >= 2 else path
    return f"{tail}:{rest}" if path else name


def _ms(v: float | None) -> str:
    return "—" if v is None else f"{v * 1000:.0f} ms"


def probe(path: Path | None, cwd: Path, python: str = sys.executable, watch: float = 5.0,
          profile: bool = True, timeout: float = 60.0, cols: int = 120, rows: int = 40,
          ) -> StartupReport:
    """Probe yulu on `path`, or the bare app when `path` is None."""
    report = StartupReport(file=path.name if path else "the bare app")
    tmp = Path(tempfile.mkdtemp(prefix="ybench-probe-"))
    out, log = tmp / "probe.json", tmp / "importtime.log"
    target = ["--", str(path)] if path else ["--bare", "--screen", "Screen"]
    command = [python, "-X", "importtime", "-m", "bench.startup_probe", "--out", str(out),
               "--watch", str(watch)] + (["--profile"] if profile else []) + target
    term = Terminal(cols, rows, cwd)
    try:
        # stderr (the import-time log) goes to a file; the screen stays the app's
        term.start(["sh", "-c", 'exec "$@" 2>' + str(log), "sh", *command])
        deadline = time.time() + timeout
        while not out.exists():
            if time.time() > deadline:
                report.error = "the probe wrote nothing (no first paint?); last screen:\n" + \
                    term.capture()
                return report
            time.sleep(0.05)
    finally:
        term.close()
    data = json.loads(out.read_text())
    _summarise(report, data, log.read_text(errors="replace") if log.exists() else "")
    return report


def compare_with_bare(app: StartupReport, bare: StartupReport) -> None:
    """What yulu imports before its first paint that the bare app does not, by package."""
    app.bare_first_paint = bare.first_paint
    extra: dict[str, list[float]] = defaultdict(list)
    for module in app.modules_before - bare.modules_before:
        extra[module.split(".")[0]].append(app.self_seconds.get(module, 0.0))
    app.extra_vs_bare = sorted(((p, len(v), sum(v)) for p, v in extra.items()),
                               key=lambda r: -r[2])


def _summarise(report: StartupReport, data: dict, importtime: str) -> None:
    report.first_paint = data.get("first_paint")
    report.threads = data.get("threads_at_paint", [])
    report.children = data.get("children_at_paint", [])
    report.stalls = [tuple(s) for s in data.get("stalls", [])]
    report.worst_stall = data.get("worst_stall")
    report.complete_at = data.get("complete_at")
    report.profile = data.get("profile", "")
    imports = [tuple(x) for x in data.get("imports", [])]
    paint = report.first_paint if report.first_paint is not None else float("inf")
    before = [(t, th, m) for t, th, m in imports if t <= paint]
    report.imports_before = len(before)
    report.modules_before = {m for _t, _th, m in before}

    self_us: dict[str, int] = {}
    for line in importtime.splitlines():
        m = _IMPORTTIME.match(line)
        if m:
            self_us[m.group(4)] = int(m.group(1))
    report.self_seconds = {k: v / 1e6 for k, v in self_us.items()}
    packages: dict[str, list[float]] = defaultdict(list)
    for _t, _th, module in before:
        packages[module.split(".")[0]].append(self_us.get(module, 0) / 1e6)
    report.by_package = sorted(((p, len(v), sum(v)) for p, v in packages.items()),
                               key=lambda r: -r[2])

    for prefix, why in {**LAZY, **WATCH}.items():
        hits = [(t, th, m) for t, th, m in imports if m == prefix or m.startswith(prefix + ".")]
        if not hits:
            report.lazy.append((prefix, why, "not imported"))
            continue
        t, thread, _m = hits[0]
        when = "before" if t <= paint else "after"
        report.lazy.append((prefix, why, f"imported {t - paint:+.2f}s from the first paint, "
                                         f"{when} it, on thread {thread}"))
        if prefix not in LAZY:
            continue
        if thread == "MainThread":
            report.violations.append(f"{prefix} imported on the UI thread ({when} first paint)")
        elif when == "before":
            report.violations.append(f"{prefix} imported before the first paint (in {thread})")

    rows = data.get("profile_functions", [])
    ours = [r for r in rows if "/site-packages/" not in r[0] and "/lib/python3" not in r[0]
            and not r[0].startswith(("~", "<"))]
    report.top_project = [(_short(n), c, cum) for n, c, _own, cum in ours[:15]]
    by_own = sorted(rows, key=lambda r: -r[2])[:12]
    report.top_own = [(_short(n), c, own) for n, c, own, _cum in by_own]
    for name, calls, _own, cum in rows:
        if name.endswith((":parse_text", ":parse_decoded", ":read_source")):
            report.main_thread_parse.append(f"{name.split('/')[-1]} ×{calls} {_ms(cum)}")
        if name.endswith(":read_source"):
            report.violations.append("the whole file was read on the UI thread before the "
                                     "first paint (read_source)")
