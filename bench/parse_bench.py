"""Parse speed: a generated 10 MB transcript, parse() vs str.splitlines() on the same text.

    .venv/bin/python bench/parse_bench.py [--mb 10] [--runs 3]

The file is generated on the fly and deterministic (fixed seed): Chinese turns in the seed's
convention with ruby pinyin annotations, English Markdown turns, stage directions, headings.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parser import parse_text, read_head  # noqa: E402

_ZH_WORDS = ["我們", "今天", "干部", "發展", "湖北", "建設", "項目", "企業", "問題", "時間",
             "學習", "工作", "經濟", "服務", "產業", "創新", "精神", "責任", "擔當", "力量"]
_RUBY = [("開", "kāi"), ("會", "huì"), ("點", "diǎn"), ("發", "fā"), ("們", "men"),
         ("設", "shè"), ("時", "shí"), ("說", "shuō")]
_EN_WORDS = ("the policy we discussed is about how transactions move through the network and "
             "why nodes keep a mempool so that anyone can pay anyone").split()
_ZH_LABELS = ["記者 尚大原", "主持人", "華工激光副總經理 朱馳", "村支部書記 王金初", "項目秘書 魏能亞"]
_EN_LABELS = ["**Nick Nisi:**", "**Anna Henningsen:**", "MS. JEAN-PIERRE:", "Q:", "A:"]


def generate(megabytes: float, seed: int = 20261127) -> str:
    rnd = random.Random(seed)
    target = int(megabytes * 1_000_000)
    parts: list[str] = []
    size = 0
    while size < target:
        r = rnd.random()
        if r < 0.45:
            words = []
            for _ in range(rnd.randint(20, 80)):
                if rnd.random() < 0.1:
                    ch, py = rnd.choice(_RUBY)
                    words.append(f"{ch}({py})")
                else:
                    words.append(rnd.choice(_ZH_WORDS))
                if rnd.random() < 0.1:
                    words.append(",")
            line = f"{rnd.choice(_ZH_LABELS)}:{''.join(words)}。\n"
        elif r < 0.9:
            words = " ".join(rnd.choice(_EN_WORDS) for _ in range(rnd.randint(15, 60)))
            line = f"\n{rnd.choice(_EN_LABELS)} {words.capitalize()}.\n"
        elif r < 0.95:
            line = "\n(Laughter.)\n"
        else:
            line = f"\n## Part {rnd.randint(1, 99)}\n"
        parts.append(line)
        size += len(line.encode("utf-8"))
    return "".join(parts)


def generate_vtt(megabytes: float, seed: int = 20261127) -> str:
    """A WebVTT file of short cues: voice tags, `Name: ` prefixes, unlabelled continuations."""
    rnd = random.Random(seed)
    target = int(megabytes * 1_000_000)
    parts = ["WEBVTT\n"]
    size = 0
    t = 0.0
    while size < target:
        who = rnd.choice(["<v Travis>", "<v Sarah>", "Gilon: ", "", "", ""])
        words = " ".join(rnd.choice(_EN_WORDS) for _ in range(rnd.randint(5, 14)))
        start, t = t, t + rnd.uniform(1.0, 4.0)
        cue = (f"\n{int(start // 3600):02d}:{int(start // 60 % 60):02d}:{start % 60:06.3f} --> "
               f"{int(t // 3600):02d}:{int(t // 60 % 60):02d}:{t % 60:06.3f}\n{who}{words}\n")
        parts.append(cue)
        size += len(cue)
    return "".join(parts)


def best_of(runs: int, fn) -> float:
    return min(_timed(fn)[0] for _ in range(runs))


def _timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process): the machine is shared, so CPU time shows
    the parser's own cost when other processes compete for the two cores."""
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w0, time.process_time() - c0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    text = generate(args.mb)
    mb = len(text.encode("utf-8")) / 1_000_000
    t_lines = best_of(args.runs, text.splitlines)
    holder = {}
    runs = [_timed(lambda: holder.__setitem__("t", parse_text(text))) for _ in range(args.runs)]
    t_parse = min(w for w, _ in runs)
    cpu_parse = min(c for _, c in runs)
    t = holder["t"]
    print(f"file: {mb:.1f} MB generated, {len(text):,} characters, {len(t.segments):,} segments, "
          f"{len(t.speakers)} speakers")
    print(f"str.splitlines(): {t_lines * 1000:8.1f} ms  {mb / t_lines:8.1f} MB/s")
    print(f"parser.parse():   {t_parse * 1000:8.1f} ms  {mb / t_parse:8.1f} MB/s  "
          f"({t_parse / t_lines:.0f}x splitlines)")
    print(f"parser.parse() CPU time: {cpu_parse * 1000:.1f} ms  {mb / cpu_parse:.1f} MB/s  "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    vtt = generate_vtt(args.mb)
    vtt_runs = [_timed(lambda: parse_text(vtt)) for _ in range(args.runs)]
    vtt_wall, vtt_cpu = min(w for w, _ in vtt_runs), min(c for _, c in vtt_runs)
    vtt_mb = len(vtt.encode("utf-8")) / 1_000_000
    print(f"WebVTT {vtt_mb:.1f} MB: parse {vtt_wall * 1000:.1f} ms wall, {vtt_cpu * 1000:.1f} ms CPU "
          f"({vtt_mb / vtt_cpu:.1f} MB/s); splitlines {best_of(args.runs, vtt.splitlines) * 1000:.1f} ms")
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as f:
        f.write(text)
    try:
        def head() -> None:
            src = read_head(f.name)
            parse_text(src.text, complete=False)

        t_head = best_of(args.runs, head)
        print(f"first screen (read_head 64 KB + parse): {t_head * 1000:.1f} ms")
    finally:
        Path(f.name).unlink()
    return 0 if min(t_parse, cpu_parse) < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
