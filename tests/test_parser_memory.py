"""Parsing a big transcript costs about the finished model on top of the text, not several copies
of the text (issue 8: a 10 MB file within 250 MB for the whole program)."""

from __future__ import annotations

import gc
import tracemalloc

import pytest

from bench.generate import generate_text
from bench.parse_bench import generate_vtt
from parser import parse_text, read_source


def _peak_and_model(text: str) -> tuple[int, int]:
    """(traced peak, traced size of the result) of parsing `text`, the text itself excluded."""
    parse_text(text[:20_000])  # caches and lazy imports warm
    gc.collect()
    tracemalloc.start()
    try:
        transcript = parse_text(text)
        model, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert transcript.segments
    return peak, model


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_parse_peak_is_about_the_model(lang):
    text, _ = generate_text(lang, 2_000_000)
    peak, model = _peak_and_model(text)
    # was 2.8x (every line, paragraph and label's rest of line held at once)
    assert peak < 1.25 * model, (peak, model)


def test_big_subtitle_file_peak_is_about_the_model():
    text = generate_vtt(2.5)  # over the size the format libraries read
    peak, model = _peak_and_model(text)
    assert peak < 1.25 * model, (peak, model)  # was 4.2x: every cue with its lines at once


def test_read_source_peak(tmp_path):
    path = tmp_path / "zh.txt"
    text, _ = generate_text("zh", 2_000_000)
    path.write_text(text, encoding="utf-8")
    del text
    gc.collect()
    tracemalloc.start()
    try:
        src = read_source(path)
        size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(src.text) > 500_000
    # the decoded pieces and their join; decoding the whole file at once cost 5.6x the text
    assert peak < 2.3 * size, (peak, size)
