"""Sentence spans: what the reader's `s`/`S` cursor steps through and what `y` copies."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from parser.sentences import Sentence, split_sentences


def texts(text: str) -> list[str]:
    return [s.text_of(text) for s in split_sentences(text)]


def test_chinese_terminators_each_end_a_sentence():
    assert texts("今天下雨。你去嗎？我不去！先這樣；再說") == [
        "今天下雨。",
        "你去嗎？",
        "我不去！",
        "先這樣；",
        "再說",
    ]


def test_chinese_closing_quote_stays_with_its_sentence():
    assert texts("他說：「我們走吧。」然後離開了。") == ["他說：「我們走吧。」", "然後離開了。"]
    assert texts("「我們走吧。你呢？」他問。") == ["「我們走吧。", "你呢？」", "他問。"]


def test_terminator_runs_end_once():
    assert texts("真的嗎？！是的……好吧。") == ["真的嗎？！", "是的……", "好吧。"]


def test_english_sentences_and_closing_quotes():
    assert texts('He said "no." Then he left! Why? (Nobody knows.) Fine.') == [
        'He said "no."',
        "Then he left!",
        "Why?",
        "(Nobody knows.)",
        "Fine.",
    ]


def test_titles_initials_and_decimals_do_not_split():
    assert texts("Mr. Smith and Dr. Jones met J. R. Ewing. Growth was 3.5 percent.") == [
        "Mr. Smith and Dr. Jones met J. R. Ewing.",
        "Growth was 3.5 percent.",
    ]


def test_abbreviations_split_only_before_a_sentence_opener():
    assert texts("The U.S. Army left at 5 p.m. Monday. We moved to the U.S. The end.") == [
        "The U.S. Army left at 5 p.m. Monday.",
        "We moved to the U.S.",
        "The end.",
    ]
    assert texts("Apples, pears, etc. are fruit.") == ["Apples, pears, etc. are fruit."]
    assert texts("In HHS v. Florida the Court sat. No. It did.") == [
        "In HHS v. Florida the Court sat.",
        "No.",
        "It did.",
    ]


def test_ellipsis_is_a_pause_before_lower_case():
    assert texts("Well... maybe. Well... Yes.") == ["Well... maybe.", "Well...", "Yes."]


def test_half_width_punctuation_in_chinese_text():
    assert texts("你好!我是Tom.我来自台北.") == ["你好!", "我是Tom.", "我来自台北."]


def test_blank_line_ends_a_sentence_and_whitespace_is_outside_spans():
    text = "  line one\n\n  line two  "
    assert split_sentences(text) == (Sentence(2, 10), Sentence(14, 22))
    assert split_sentences("   \n ") == ()
    assert texts("no punctuation at all") == ["no punctuation at all"]


_PIECES = list("ab Z我們。！？；….!?」\"')\n 3Mr") + ["Mr.", "U.S.", "……", "\n\n"]
_ALPHABET = st.sampled_from(_PIECES)


@settings(max_examples=150, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_spans_partition_the_non_space_text(text):
    spans = split_sentences(text)
    covered: list[int] = []
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start < span.end <= len(text)
        chunk = span.text_of(text)
        assert chunk == chunk.strip()  # no surrounding whitespace
        covered.extend(range(span.start, span.end))
        previous_end = span.end
    non_space = [i for i, ch in enumerate(text) if not ch.isspace()]
    assert [i for i in covered if not text[i].isspace()] == non_space


def test_long_segment_is_split_whole():
    # Its speed is measured by bench/micro.py, not asserted here.
    text = "Mr. Smith said it was 3.5 percent. 他說：「好。」" * 5000  # ~230k characters
    spans = split_sentences(text)
    assert len(spans) == 10000
