"""The benchmark's transcript generator: deterministic, the sizes asked for, the seed's shape.

Light checks of bench/generate.py only; the benchmark's timings are not tests.
"""

from __future__ import annotations

import re

import pytest

from bench.generate import MARKERS, ensure, generate_text, parse_size, size_label

SMALL = 100_000


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_same_seed_same_text_other_seed_other_text(lang: str) -> None:
    a, _ = generate_text(lang, SMALL, seed=1)
    b, _ = generate_text(lang, SMALL, seed=1)
    c, _ = generate_text(lang, SMALL, seed=2)
    assert a == b
    assert a != c


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("target", [100_000, 1_000_000])
def test_size_is_close_to_the_target(lang: str, target: int) -> None:
    text, _ = generate_text(lang, target)
    size = len(text.encode("utf-8"))
    assert abs(size - target) <= target * 0.02


def test_ten_megabytes_hold_about_25000_turns() -> None:
    _, info = generate_text("zh", 10_000_000)
    assert 20_000 <= info["turns"] <= 30_000
    assert info["speakers"] >= 100


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_marker_occurs_once_where_the_benchmark_looks(lang: str) -> None:
    text, _ = generate_text(lang, 1_000_000)
    m = MARKERS[lang]
    lines = [x for x in text.splitlines() if x]
    for word in (m.first, m.next_tail, m.same_speaker, m.hit_first, m.hit_next, m.last):
        assert text.count(word) == 1, word
    assert text.count(m.query) == 2  # the two search hits, nothing else
    assert lines[0].startswith(m.first)
    assert lines[1].endswith(m.next_tail)
    assert lines[-1].startswith("(") and lines[-1].endswith(")") and m.last in lines[-1]
    # The host's second turn is far enough on not to be on the first screen.
    host = lines[1].split(":")[0]
    second = next(i for i, x in enumerate(lines[2:], 2) if x.startswith(host))
    assert second >= 60 and m.same_speaker in lines[second]
    hit1 = next(i for i, x in enumerate(lines) if m.hit_first in x)
    hit2 = next(i for i, x in enumerate(lines) if m.hit_next in x)
    assert 0.6 < hit1 / len(lines) < hit2 / len(lines) < 1


def test_chinese_follows_the_seed_convention() -> None:
    text, _ = generate_text("zh", SMALL)
    lines = [x for x in text.splitlines() if x]
    assert ":" not in lines[0][:40] and "：" not in lines[0][:40]  # narration first
    labelled = [x for x in lines if re.match(r"^[^:：]{1,40}[:：]", x)]
    assert len(labelled) > 150
    assert any(re.match(r"^\S+ \S+[:：]", x) for x in labelled)  # `title name:`
    assert re.search(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", text)  # 字(pīn)


def test_english_uses_name_labels() -> None:
    text, _ = generate_text("en", SMALL)
    labelled = [x for x in text.splitlines() if re.match(r"^[A-Z][A-Z. ]+: ", x)]
    assert len(labelled) > 150


def test_ensure_writes_once_and_reuses(tmp_path) -> None:
    g = ensure("en", SMALL, folder=tmp_path)
    assert g.path.exists() and g.size == g.path.stat().st_size
    mtime = g.path.stat().st_mtime_ns
    again = ensure("en", SMALL, folder=tmp_path)
    assert again == g and g.path.stat().st_mtime_ns == mtime
    assert g.turns > 150


def test_sizes_parse_and_print() -> None:
    assert parse_size("100k") == 100_000
    assert parse_size("10M") == 10_000_000
    assert parse_size("2500") == 2500
    assert size_label(100_000_000) == "100 MB"
