"""Parsing a big transcript costs about the finished model on top of the text, not several copies
of the text (issue 8: a 10 MB file within 250 MB for the whole program).

Measured with tracemalloc in a fresh process: threads other tests leave behind would count too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

_MEASURE = """
import gc, json, sys, tracemalloc
from bench.generate import generate_text
from bench.parse_bench import generate_vtt
from parser import parse_text, read_source

what, arg = sys.argv[1], sys.argv[2]
if what == "read":
    text, _ = generate_text("zh", 2_000_000)
    with open(arg, "w", encoding="utf-8") as f:
        f.write(text)
    del text
    gc.collect()
    tracemalloc.start()
    src = read_source(arg)
    size, peak = tracemalloc.get_traced_memory()
    assert len(src.text) > 500_000
else:
    text = generate_vtt(2.5) if what == "vtt" else generate_text(what, 2_000_000)[0]
    parse_text(text[:20_000])  # caches and lazy imports warm
    gc.collect()
    tracemalloc.start()
    transcript = parse_text(text)
    size, peak = tracemalloc.get_traced_memory()
    assert transcript.segments
print(json.dumps([peak, size]))
"""


def _peak_and_size(what: str, arg: str = "") -> tuple[int, int]:
    """(traced peak, traced size of the result), the generated text itself excluded."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, what, arg], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    peak, size = json.loads(out)
    return peak, size


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_parse_peak_is_about_the_model(lang):
    peak, model = _peak_and_size(lang)
    # was 2.8x (every line, paragraph and label's rest of line held at once)
    assert peak < 1.25 * model, (peak, model)


def test_big_subtitle_file_peak_is_about_the_model():
    peak, model = _peak_and_size("vtt")  # over the size the format libraries read
    assert peak < 1.25 * model, (peak, model)  # was 4.2x: every cue with its lines at once


def test_read_source_peak(tmp_path):
    peak, size = _peak_and_size("read", str(tmp_path / "zh.txt"))
    # the decoded pieces and their join; decoding the whole file at once cost 5.6x the text
    assert peak < 2.3 * size, (peak, size)
