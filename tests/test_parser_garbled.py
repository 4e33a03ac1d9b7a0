"""Garbled runs: the scoring heuristic finds mojibake, offers re-decodings, spares real text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parser import parse_text
from parser.garbled import _RARE_FILE, find_garbled, rare_cjk_ranges


def flagged(text: str) -> list[tuple[str, str | None]]:
    return [(text[g.start : g.end], g.suggestion) for g in find_garbled(text)]


def as_gbk(s: str) -> str:
    """What a reader shows when UTF-8 bytes are decoded as GBK (the commonest Chinese mojibake)."""
    return s.encode("utf-8").decode("gbk", errors="replace")


def test_shipped_rare_character_table_matches_the_codecs():
    assert _RARE_FILE.read_text(encoding="utf-8").strip() == rare_cjk_ranges()


@pytest.mark.parametrize("words", ["我们今天讨论服务器的配置文件和数据库", "這個問題很重要，請大家注意"])
def test_utf8_read_as_gbk_is_flagged_without_any_question_mark_and_re_decoded(words):
    garbled = as_gbk(words)
    text = f"主持人：正常的開場，{garbled}，正常的結尾。\n"
    seg = parse_text(text).segments[0]
    assert garbled in seg.text  # kept visible
    (run,) = seg.garbled
    assert seg.text[run.start : run.end] == garbled
    # the suggestion gives the words back (a character whose bytes were lost shows as U+FFFD)
    recovered = run.suggestion.replace("\ufffd", "")
    assert sum(c in words for c in recovered) >= 0.75 * len(words.replace("，", ""))


def test_mojibake_without_lost_bytes_is_recovered_exactly():
    assert flagged("他說：" + as_gbk("我们的服务器") + "。") == [(as_gbk("我们的服务器"), "我们的服务器")]


@pytest.mark.parametrize(
    "text",
    [
        "佢哋話咗嘅嘢我唔明白，你講多次啦。",  # Cantonese: characters outside GB2312 and Big5
        "日本語の文章を書き込む働き方について。",  # Japanese kanji outside both
        "用A股和B超檢查，X光也照了。",  # lone Latin letters inside CJK
        "這是什麼?我不知道。為什麼?",  # real question marks
        "𠮷野家的丼飯很好吃。",  # a character beyond the BMP
    ],
)
def test_real_text_is_not_flagged(text):
    assert flagged(text) == []


def test_rare_characters_alone_need_a_readable_re_decoding():
    # two rare characters within 8 score 2, but nothing re-decodes them into ordinary Chinese
    assert flagged("我聽佢哋講。") == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="我们今天讨论服务器配置文件數據庫問題很重要佢哋嘅込A?，。",
                                  max_size=15), st.booleans()), max_size=8))
def test_mixed_clean_and_mojibake_text_gives_ordered_valid_runs(pieces):
    text = "".join(as_gbk(p) if bad else p for p, bad in pieces)
    runs = find_garbled(text)
    previous = 0
    for run in runs:
        assert previous <= run.start < run.end <= len(text)
        previous = run.end
