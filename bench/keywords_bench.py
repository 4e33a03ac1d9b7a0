"""Keyword extraction timings: jieba's own cold start beside ours, the seed, a 10 MB transcript.

    .venv/bin/python bench/keywords_bench.py [--mb 10] [--skip-big] [--app-only]

Each measurement that must start cold runs in a fresh interpreter. The big transcript is generated
at run time: the seed's text (when ../shared is present) or built-in sentences, shuffled into
speaker turns until it reaches the size asked for.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed" / "000_192e47560565c690.txt"
FALLBACK = [
    "颱風今天清晨在屏東登陸，帶來的豪雨讓多處淹水。",
    "縣政府宣布停班停課，並要求各鄉鎮做好防災準備。",
    "人工智能企業在臨空經濟區招商，項目秘書負責落地。",
    "The committee discussed the budget and the shutdown deadline.",
]

COLD = r"""
import json, resource, sys, time, warnings
t0 = time.perf_counter()
import jieba
jieba.setLogLevel(60)
jieba.dt.tmp_dir = sys.argv[1]
t1 = time.perf_counter()
jieba.dt.initialize()
t2 = time.perf_counter()
mode = sys.argv[2]
if mode == "analyse":
    import jieba.analyse
    jieba.analyse.extract_tags("初始化")
elif mode == "ours":
    sys.path.insert(0, sys.argv[3])
    from parser.keywords_jieba import idf_table
    idf_table()
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "init": t2 - t1, "extra": t3 - t2,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _cold(cache: str, mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", COLD, cache, mode, str(ROOT)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _sentences() -> list[str]:
    if SEED.exists():
        sys.path.insert(0, str(ROOT))
        from parser import parse

        text = "".join(s.text for s in parse(SEED).segments if s.kind in ("turn", "narration"))
        parts = [p + "。" for p in text.split("。") if p.strip()]
        if parts:
            return parts
    return FALLBACK


def _big_transcript(path: Path, megabytes: float) -> None:
    rng = random.Random(7)
    sentences = _sentences()
    target = int(megabytes * 1_000_000)
    size = 0
    with open(path, "w", encoding="utf-8") as f:
        turn = 0
        while size < target:
            body = "".join(rng.choice(sentences) for _ in range(rng.randint(2, 12)))
            line = f"記者{turn % 7}：{body}\n"
            f.write(line)
            size += len(line.encode("utf-8"))
            turn += 1


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
        ours = _cold(tmp, "ours")
        analyse = _cold(tmp, "analyse")
        print(f"jieba import                 {first['import'] * 1000:7.0f} ms")
        print(f"jieba init, no cache         {first['init'] * 1000:7.0f} ms")
        print(f"jieba init, from cache       {warm['init'] * 1000:7.0f} ms   RSS "
              f"{warm['rss_mb']:.0f} MB")
        print(f"+ our IDF table              {ours['extra'] * 1000:7.0f} ms   RSS "
              f"{ours['rss_mb']:.0f} MB")
        print(f"(jieba.analyse instead)      {analyse['extra'] * 1000:7.0f} ms   RSS "
              f"{analyse['rss_mb']:.0f} MB")

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
                  "   (spawn + jieba + IDF + extraction)")
            extract_keywords(t)
            start = time.perf_counter()
            extract_keywords(t)
            print(f"seed, second open (cache)    {(time.perf_counter() - start) * 1000:7.1f} ms")
        if args.skip_big:
            return
        big = Path(tmp) / "big.txt"
        _big_transcript(big, args.mb)
        start = time.perf_counter()
        t = parse(big)
        parsed = time.perf_counter() - start
        data = KeywordInput.from_transcript(t)
        start = time.perf_counter()
        result = extract_keywords(data)
        took = time.perf_counter() - start
        print(f"{args.mb:g} MB transcript: {data.size:,} chars, {len(t.segments):,} segments; "
              f"parse {parsed:.1f} s, keywords {took:.1f} s ({data.size / took / 1000:.0f} k chars/s)")
        start = time.perf_counter()
        extract_keywords(data)
        print(f"{args.mb:g} MB, second open (cache)   {(time.perf_counter() - start):.2f} s")
        print("top:", " ".join(k.word for k in result.keywords[:10]))


if __name__ == "__main__":
    main()
