"""Keyword extraction timings: jieba's own cold start beside ours, the seed, 10 MB transcripts.

    .venv/bin/python bench/keywords_bench.py [--mb 10] [--skip-big] [--app-only]

Each measurement that must start cold runs in a fresh interpreter. The big transcripts are the
benchmark's generated files (bench/generate.py), Chinese and English, run through the keyword
process as the reader runs them: its peak RSS (VmHWM), CPU time and wall time are reported.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed" / "000_192e47560565c690.txt"
COLD = r"""
import json, os, sys, time
mode = sys.argv[2]
t0 = time.perf_counter()
if mode == "ours":  # our compact tables over jieba's data; jieba itself is not imported
    sys.path.insert(0, sys.argv[3])
    os.environ["XDG_CACHE_HOME"] = sys.argv[1]
    from parser.keywords_jieba import idf_table, tokenizer
    t1 = time.perf_counter()
    tokenizer()
    t2 = time.perf_counter()
    idf_table()
else:
    import jieba
    jieba.setLogLevel(60)
    jieba.dt.tmp_dir = sys.argv[1]
    t1 = time.perf_counter()
    jieba.dt.initialize()
    t2 = time.perf_counter()
    if mode == "analyse":
        import jieba.analyse
        jieba.analyse.extract_tags("初始化")
t3 = time.perf_counter()
# VmHWM, not ru_maxrss: that one can carry over the size of the process that started this one
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"import": t1 - t0, "init": t2 - t1, "extra": t3 - t2, "rss_mb": hwm / 1024}))
"""


def _cold(cache: str, mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", COLD, cache, mode, str(ROOT)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


async def _app_timing(path: Path) -> tuple[float, float, bool]:
    """(first screen, highlights) in seconds from before parsing, in a headless app."""
    from parser import parse
    from tui.app import YuluApp

    start = time.monotonic()
    app = YuluApp(parse(path), None)
    async with app.run_test(size=(120, 40)) as pilot:
        first = time.monotonic() - start
        screen = app.reader_screen
        while screen.keyword_result is None or not screen.keyword_result.complete:
            await pilot.pause(0.01)
        return first, screen.keywords_ready_at - start, screen.keywords_from_cache


def app_timings() -> None:
    import asyncio

    from parser.keywords_process import stop_service

    path = SEED if SEED.exists() else None
    if path is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CACHE_HOME"] = tmp
        cases = [
            ("cold caches (jieba builds its own)", True),
            ("new process, jieba's cache, no result", True),
            ("keyword process already warm", False),  # another file in the same session
            ("second open (result cached)", False),
        ]
        for n, (label, fresh_process) in enumerate(cases):
            if n < 3:
                for f in (Path(tmp) / "yulu" / "keywords").glob("*"):
                    f.unlink()
            if fresh_process:
                stop_service()
            first, lit, cached = asyncio.run(_app_timing(path))
            print(f"app, {label:40s} first screen {first * 1000:5.0f} ms, "
                  f"highlights {lit * 1000:5.0f} ms{' (cache)' if cached else ''}")
        stop_service()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--skip-big", action="store_true")
    ap.add_argument("--app-only", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.pop("YULU_DB", None)
    app_timings()
    if args.app_only:
        return

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CACHE_HOME"] = tmp
        first = _cold(tmp, "plain")  # builds jieba's prefix-dict cache
        warm = _cold(tmp, "plain")
        analyse = _cold(tmp, "analyse")
        ours_first = _cold(tmp, "ours")  # builds our tables in the cache folder
        ours = _cold(tmp, "ours")
        print(f"jieba import                 {first['import'] * 1000:7.0f} ms")
        print(f"jieba init, no cache         {first['init'] * 1000:7.0f} ms")
        print(f"jieba init, from cache       {warm['init'] * 1000:7.0f} ms   RSS "
              f"{warm['rss_mb']:.0f} MB")
        print(f"(+ jieba.analyse)            {analyse['extra'] * 1000:7.0f} ms   RSS "
              f"{analyse['rss_mb']:.0f} MB")
        print(f"ours: tables built           {(ours_first['init'] + ours_first['extra']) * 1000:7.0f}"
              f" ms   RSS {ours_first['rss_mb']:.0f} MB   (once per jieba version)")
        print(f"ours: segmenter + IDF mapped {(ours['init'] + ours['extra']) * 1000:7.0f} ms   RSS "
              f"{ours['rss_mb']:.0f} MB")

        from parser import parse
        from parser.keywords import KeywordInput, compute_keywords, extract_keywords
        from parser.keywords_jieba import idf_table, tokenizer
        from parser.keywords_process import Done, KeywordJob

        tokenizer()
        idf_table()
        if SEED.exists():
            t = parse(SEED)
            start = time.perf_counter()
            compute_keywords(KeywordInput.from_transcript(t))
            print(f"seed ({sum(len(s.text) for s in t.segments)} chars), warm   "
                  f"{(time.perf_counter() - start) * 1000:7.0f} ms")
            start = time.perf_counter()
            events = list(KeywordJob(use_cache=False).events(KeywordInput.from_transcript(t)))
            assert isinstance(events[-1], Done)
            print(f"seed in a fresh child process {(time.perf_counter() - start) * 1000:6.0f} ms"
                  "   (spawn + tables + extraction)")
            extract_keywords(t)
            start = time.perf_counter()
            extract_keywords(t)
            print(f"seed, second open (cache)    {(time.perf_counter() - start) * 1000:7.1f} ms")
        if args.skip_big:
            return
        for lang in ("zh", "en"):
            _big_in_child(lang, args.mb)


def _proc_kb(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _proc_cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _big_in_child(lang: str, megabytes: float) -> None:
    """A generated transcript through a fresh keyword process: its peak RSS, CPU and wall time,
    then the second open (from the cache, in this process)."""
    from bench.generate import ensure
    from parser import parse
    from parser.keywords import KeywordInput
    from parser.keywords_process import Done, KeywordJob, service_process, stop_service

    gen = ensure(lang, int(megabytes * 1_000_000))
    start = time.perf_counter()
    data = KeywordInput.from_transcript(parse(gen.path))
    parsed = time.perf_counter() - start
    stop_service()
    KeywordJob.prewarm()
    pid = service_process().pid
    time.sleep(1.0)  # the process has started and is idle
    idle = _proc_kb(pid, "VmRSS")
    cpu = _proc_cpu(pid)
    start = time.perf_counter()
    events = list(KeywordJob().events(data))
    took = time.perf_counter() - start
    assert isinstance(events[-1], Done)
    result = events[-1].result
    cpu = _proc_cpu(pid) - cpu
    peak = _proc_kb(pid, "VmHWM")
    stop_service()
    start = time.perf_counter()
    again = list(KeywordJob().events(data))[-1]
    cached = time.perf_counter() - start
    assert isinstance(again, Done) and again.cached
    print(f"{lang} {megabytes:g} MB ({data.size:,} chars, {len(data.segments):,} segments; parse "
          f"{parsed:.1f} s): keyword process {took:.1f} s ({cpu:.1f} s CPU), RSS idle "
          f"{idle / 1024:.0f} MB, peak {peak / 1024:.0f} MB; second open (cache) "
          f"{cached * 1000:.0f} ms")
    print("  top:", " ".join(k.word for k in result.keywords[:10]))


if __name__ == "__main__":
    main()
