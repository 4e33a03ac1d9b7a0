"""`python -m bench`: yulu against a bare Textual app, at 100 KB to 100 MB. See bench/__init__.py.

    python -m bench                         # everything (about 10-15 minutes on 2 cores)
    python -m bench --quick                 # 100 KB and 1 MB, Chinese, 2 runs
    python -m bench --sizes 10m --langs zh --runs 3 --out bench/results.md
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import machine, report, scenarios, startup, terminal, throughput
from bench.generate import LANGUAGES, ensure, parse_size, size_label

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed" / "000_192e47560565c690.txt"


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100k,1m,10m,100m", help="comma-separated, e.g. 1m,10m")
    ap.add_argument("--langs", default=",".join(LANGUAGES), help="zh, en or zh,en")
    ap.add_argument("--runs", type=int, default=5, help="terminal runs per file (medians)")
    ap.add_argument("--quick", action="store_true", help="100k,1m in Chinese, 2 runs, no 100 MB")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "latest.md",
                    help="also write the Markdown here (default: bench/out/latest.md, ignored "
                         "by git)")
    ap.add_argument("--app", default=str(ROOT / ".venv" / "bin" / "yulu"),
                    help="the command that opens a transcript (default: the venv's yulu)")
    ap.add_argument("--no-keywords", action="store_true",
                    help="do not wait for keywords (their time and RSS are then not measured)")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a screen")
    ap.add_argument("--no-terminal", action="store_true", help="skip the tmux measurements")
    ap.add_argument("--no-parse", action="store_true", help="skip parse throughput")
    ap.add_argument("--no-startup", action="store_true", help="skip the startup probe")
    ap.add_argument("--no-seed", action="store_true", help="skip the shared seed transcript")
    ap.add_argument("--no-others", action="store_true",
                    help="skip bench/parse_bench.py and bench/keywords_bench.py")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every run")
    return ap


def main(argv: list[str] | None = None) -> int:
    a = build_parser().parse_args(argv)
    if a.quick:
        a.sizes, a.langs, a.runs, a.no_others = "100k,1m", "zh", 2, True
    try:
        sizes = [parse_size(s) for s in a.sizes.split(",") if s.strip()]
    except ValueError:
        print(f"bench: bad --sizes {a.sizes!r} (e.g. 100k,1m,10m)", file=sys.stderr)
        return 2
    langs = [x.strip() for x in a.langs.split(",") if x.strip()]
    if bad := [x for x in langs if x not in LANGUAGES]:
        print(f"bench: unknown language {bad[0]!r} (zh, en)", file=sys.stderr)
        return 2
    if not a.no_terminal and shutil.which("tmux") is None:
        print("bench: tmux is needed for the terminal measurements (or pass --no-terminal)",
              file=sys.stderr)
        return 2
    app = a.app.split()

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    results: list[report.FileResult] = []
    if not a.no_seed and SEED.exists():
        results.append(report.FileResult("seed", SEED.stat().st_size))
    for size in sizes:
        for lang in langs:
            t0 = time.perf_counter()
            gen = ensure(lang, size)
            results.append(report.FileResult(f"{lang} {size_label(size)}", gen.size, gen,
                                             time.perf_counter() - t0))
            log(f"file {results[-1].name}: {gen.path} ({gen.turns} turns)")

    if not a.no_parse:
        for r in results:
            path = r.gen.path if r.gen else SEED
            runs = 1 if r.size > 50e6 else 3
            log(f"parse {r.name}…")
            r.floor = throughput.floor(path, runs)
            r.parse = throughput.parser_rows(path, runs)

    stall_100m = None
    probe_md = []
    if not a.no_terminal:
        for r in results:
            log(f"terminal {r.name}…")
            _compile_sources(_python(app))
            large = r.size >= 5e6
            # Large files: keywords are waited for only once loaded (they take tens of seconds);
            # at 100 MB not at all (minutes).
            kw = not a.no_keywords and not large
            yulu = (scenarios.yulu(app, r.gen, kw) if r.gen
                    else scenarios.yulu_file(app, SEED, kw))
            bare = scenarios.bare() if r.gen else scenarios.Scenario(
                "bare", scenarios.bare().command, scenarios.bare().ready, progress=None)
            # Small files take seconds a run, and their first screen is judged within 1.2x: a
            # ratio of two ~0.2 s times that each vary by ±10 ms between runs (medians of 5 gave
            # the same build 1.16-1.29x for the seed), so they get twice the runs less one.
            # Large files take up to a minute a run (keywords, loading): 3 runs, the fewest
            # whose median is not just the mean of two.
            runs = 2 * a.runs - 1 if r.size < 5e6 else min(a.runs, 3)
            group = [bare, yulu]
            if r.gen and 5e6 <= r.size < 50e6:  # the keys also once the file has loaded
                group.append(scenarios.yulu(app, r.gen, not a.no_keywords, after_load=True))
            summaries = terminal.compare(
                group, runs, cwd=ROOT, timeout=a.timeout * (3 if r.size > 50e6 else 1),
                keywords_timeout=180.0, log=log if a.verbose else (lambda s: None))
            r.bare, r.yulu = summaries[0], summaries[1]
            r.yulu_loaded = summaries[2] if len(summaries) > 2 else None
            log(f"  first {report._pair(r.bare.first, r.yulu.first)}; "
                + ", ".join(f"{k} {report._ms(r.yulu.step(k))} ms" for k, _l in report.STEPS))
            for note in r.yulu.notes + r.yulu.errors:
                log(f"  note: {note}")
        if not a.no_startup:
            big = [r for r in results if r.gen is not None]
            picks = [r for r in big if 5e6 <= r.size < 50e6][:1] + \
                [r for r in big if r.size >= 50e6][:1] or big[-1:]
            bare_rep = startup.probe(None, ROOT, python=_python(app), watch=1.0,
                                     timeout=a.timeout)
            for r in picks:
                log(f"startup probe {r.name}…")
                rep = startup.probe(r.gen.path, ROOT, python=_python(app), watch=8.0,
                                    timeout=a.timeout * 3)
                startup.compare_with_bare(rep, bare_rep)
                probe_md.append(rep.markdown())
                if r.size >= 50e6:
                    stall_100m = rep.worst_stall

    others = [] if a.no_others else run_others(_python(app), log)
    md = render(results, probe_md, stall_100m, a, others)
    print(md)
    if a.out:
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(md, encoding="utf-8")
        log(f"wrote {a.out}")
    return 0


# Other helpers' stand-alone benchmarks, run as they are and quoted in the report.
OTHERS = (("parse_bench.py", ["--runs", "3"]), ("keywords_bench.py", []))


def run_others(python: str, log) -> list[tuple[str, str]]:
    out = []
    for script, args in OTHERS:
        path = ROOT / "bench" / script
        if not path.exists():
            continue
        log(f"{script}…")
        try:
            done = subprocess.run([python, str(path), *args], cwd=ROOT, capture_output=True,
                                  text=True, timeout=900)
            text = done.stdout.strip() or done.stderr.strip()[-2000:]
            if done.returncode:
                text += f"\n(exit status {done.returncode})"
        except subprocess.TimeoutExpired:
            text = "(timed out after 15 minutes)"
        out.append((f"bench/{script} {' '.join(args)}".strip(), text))
    return out


def _compile_sources(python: str) -> None:
    """Byte-compile the project first, so a source edited since the last run (the tree is shared
    with people at work) is not compiled inside a measured start-up."""
    subprocess.run([python, "-m", "compileall", "-q", "parser", "store", "tui", "bench"],
                   cwd=ROOT, capture_output=True)


def _python(app: list[str]) -> str:
    """The interpreter behind the app command (the venv's), to run the probe with."""
    exe = Path(app[0])
    candidate = exe.parent / "python"
    return str(candidate) if candidate.exists() else sys.executable


def render(results: list[report.FileResult], probe_md: list[str], stall_100m: float | None,
           a: argparse.Namespace, others: list[tuple[str, str]] | None = None) -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"## yulu benchmark — {now}", "", f"Machine: {machine.markdown()} (1/5/15 min, "
             "at the end of the run: other work on the machine slows both apps alike)", "",
             report.files_line(results)]
    if t := report.terminal_table(results):
        parts += ["### In a terminal", "", t]
    if vs := report.verdicts(results, stall_100m):
        parts += ["### Targets", "", report.verdict_table(vs)]
    if p := report.parse_table(results):
        parts += ["### Parse throughput (medians)", "", p]
    if probe_md:
        parts += ["### Startup: what runs before the first paint", ""] + probe_md
    for command, text in others or []:
        parts += [f"### `{command}`", "", "```", text, "```", ""]
    parts.append(f"Command: `python -m bench {' '.join(sys.argv[1:])}`".rstrip() + "\n")
    return "\n".join(parts)


if __name__ == "__main__":
    sys.exit(main())
