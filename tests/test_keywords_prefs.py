"""Pinned, hidden and user-dictionary terms, kept globally and per transcript."""

from __future__ import annotations

from parser.keywords import KeywordInput, extract_keywords
from parser.keywords_prefs import (
    KeywordPrefs,
    MemoryPrefs,
    add_term,
    apply_prefs,
    load_prefs,
    remove_term,
)
from tests.factories import transcript

ROWS = [
    ("narration", "颱風「海鷗」今天清晨在屏東登陸，颱風帶來的豪雨讓屏東多處淹水，海鷗很大。"),
    ("s1", "颱風強度持續減弱，但豪雨特報仍未解除，屏東山區要防範土石流。"),
]


def _result_and_data():
    data = KeywordInput.from_transcript(transcript(ROWS))
    return extract_keywords(data, use_cache=False), data


def test_hidden_term_disappears_from_list_terms_and_highlights():
    result, data = _result_and_data()
    assert result.keyword("屏东")
    shown = apply_prefs(result, KeywordPrefs(hidden=("屏東",)), data)
    assert shown.keyword("屏东") is None
    assert not shown.occurrences("屏东")
    assert all(t.key != "屏东" for s in shown.segments for t in s.terms)


def test_pinned_term_comes_first_and_is_highlighted_everywhere():
    result, data = _result_and_data()
    shown = apply_prefs(result, KeywordPrefs(pinned=("防範",)), data)
    first = shown.keywords[0]
    assert (first.word, first.key, first.count) == ("防範", "防范", 1)
    assert shown.occurrences("防范") == [(1, ROWS[1][1].index("防範"), ROWS[1][1].index("防範") + 2)]


def test_pinned_phrase_replaces_the_highlights_it_covers():
    result, data = _result_and_data()
    shown = apply_prefs(result, KeywordPrefs(pinned=("颱風強度",)), data)
    spans = shown.segment(1).spans
    assert spans[0].term == "台风强度" and (spans[0].start, spans[0].end) == (0, 4)
    assert all(not (o.start < 4 and o.term == "台风") for o in spans)


def test_prefs_union_global_and_per_transcript_and_last_wish_wins():
    store = MemoryPrefs()
    assert add_term(store, "pinned", "臨空")
    assert not add_term(store, "pinned", "临空")  # same term in the other script
    assert add_term(store, "hidden", "我們", tid="t1")
    assert add_term(store, "user_words", "項目秘書", tid="t1")
    prefs = load_prefs(store, "t1")
    assert prefs.pinned == ("臨空",) and prefs.hidden == ("我們",)
    assert prefs.user_words == ("項目秘書",)
    assert load_prefs(store, "t2").hidden == ()
    add_term(store, "hidden", "臨空")  # hiding a pinned term unpins it
    prefs = load_prefs(store, None)
    assert prefs.pinned == () and prefs.hidden == ("臨空",)
    assert remove_term(store, "hidden", "临空") and load_prefs(store, None).hidden == ()
