"""Search engine: literal/regex, case toggle, either-script Chinese, offsets in Segment.text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.micro import mixed_texts
from parser.model import Segment, Transcript
from parser.script import to_simplified
from parser.search import Hit, Query, SearchError, SearchIndex

TEXTS = [
    "記者 尚大原報導，湖北的經濟發展很快。",
    "我们要发展经济，也要保护环境。",
    "Apple and apple PIE; the Fox jumped.",
    "",
    "經濟，經濟，还是经济。",
]


def _transcript(texts: list[str]) -> Transcript:
    segments = tuple(
        Segment(index=i, kind="narration", speaker=None, label=None, text=t, start=0, end=len(t))
        for i, t in enumerate(texts)
    )
    return Transcript(source="<text>", encoding="utf-8", speakers=(), segments=segments)


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(_transcript(TEXTS))


def _texts_of(hits, texts=TEXTS) -> list[str]:
    return [texts[h.segment][h.start : h.end] for h in hits]


def test_traditional_query_finds_both_scripts(index: SearchIndex) -> None:
    hits = index.search("經濟")
    assert [h.segment for h in hits] == [0, 1, 4, 4, 4]
    assert _texts_of(hits) == ["經濟", "经济", "經濟", "經濟", "经济"]


def test_simplified_query_finds_traditional_text(index: SearchIndex) -> None:
    assert len(index.search("经济")) == 5
    assert _texts_of(index.search("报导")) == ["報導"]


def test_script_matching_can_be_turned_off(index: SearchIndex) -> None:
    hits = index.search(Query("經濟", either_script=False))
    assert _texts_of(hits) == ["經濟", "經濟", "經濟"]


def test_case_toggle(index: SearchIndex) -> None:
    assert _texts_of(index.search("apple")) == ["Apple", "apple"]
    assert _texts_of(index.search(Query("apple", case_sensitive=True))) == ["apple"]
    assert _texts_of(index.search(Query("PIE", case_sensitive=True))) == ["PIE"]
    assert _texts_of(index.search(Query("pie", case_sensitive=True))) == []


def test_literal_treats_regex_characters_literally(index: SearchIndex) -> None:
    assert _texts_of(index.search("PIE;")) == ["PIE;"]
    assert len(index.search("a.d")) == 0


def test_regex_with_case_toggle(index: SearchIndex) -> None:
    hits = index.search(Query(r"\b[a-z]+le\b", regex=True))
    assert _texts_of(hits) == ["Apple", "apple"]
    hits = index.search(Query(r"\b[a-z]+le\b", regex=True, case_sensitive=True))
    assert _texts_of(hits) == ["apple"]


def test_regex_matches_either_script(index: SearchIndex) -> None:
    hits = index.search(Query("經濟|環境", regex=True))
    assert _texts_of(hits) == ["經濟", "经济", "环境", "經濟", "經濟", "经济"]


def test_hits_never_cross_segments(index: SearchIndex) -> None:
    # `\s+` would match the separator between segments; `[^#]+` would swallow everything.
    for pattern in [r"\s+", r"[^#]+", r"。\s*我"]:
        for h in index.search(Query(pattern, regex=True)):
            assert 0 <= h.start < h.end <= len(TEXTS[h.segment])
    # everything matched by [^#]+ is exactly each non-empty segment, one hit each
    assert _texts_of(index.search(Query("[^#]+", regex=True))) == [t for t in TEXTS if t]


def test_anchors_match_at_segment_edges(index: SearchIndex) -> None:
    assert [h.segment for h in index.search(Query("^經濟", regex=True))] == [4]
    assert _texts_of(index.search(Query(r"\w+\.$", regex=True))) == ["jumped."]


def test_empty_query_and_empty_matches_give_no_hits(index: SearchIndex) -> None:
    assert len(index.search("")) == 0
    assert len(index.search(Query("#*", regex=True))) == 0


def test_bad_regex_raises_one_line_error(index: SearchIndex) -> None:
    with pytest.raises(SearchError) as e:
        index.search(Query("(unclosed", regex=True))
    assert "\n" not in str(e.value) and "regular expression" in str(e.value)


def test_inline_flags_in_a_regex_keep_their_meaning(index: SearchIndex) -> None:
    # the case toggle is off, but the pattern asks for a capital A itself
    assert _texts_of(index.search(Query("(?-i:A)pple", regex=True))) == ["Apple"]
    assert _texts_of(index.search(Query("(?-i:a)pple", regex=True))) == ["apple"]


def test_any_mix_of_options_on_one_index_agrees_with_a_fresh_index() -> None:
    # one index answers every combination, switching between its copies of the text
    queries = [
        Query(text, regex=regex, case_sensitive=case, either_script=either)
        for text in ["經濟", "Apple", r"\b[A-Z]\w+", "pie;"]
        for regex in (False, True)
        for case in (False, True)
        for either in (True, False)
    ]
    shared = SearchIndex(TEXTS)
    for query in queries + queries[::-1]:
        assert list(shared.search(query)) == list(SearchIndex(TEXTS).search(query)), query


def test_offsets_survive_a_length_changing_lowercase() -> None:
    texts = ["İstanbul İzmir", "in istanbul"]
    hits = SearchIndex(texts).search("izmir")
    assert _texts_of(hits, texts) == ["İzmir"]


def test_navigation_next_and_previous(index: SearchIndex) -> None:
    hits = index.search("經濟")  # segments 0, 1, 4, 4, 4
    assert hits.next_after(0) == 0
    assert hits.next_after(0, hits[0].start) == 1
    assert hits.next_after(2) == 2
    assert hits.next_after(4, hits[3].start) == 4
    assert hits.next_after(4, hits[4].start) == 0  # wraps
    assert hits.next_after(4, hits[4].start, wrap=False) is None
    assert hits.prev_before(4, hits[3].start) == 2
    assert hits.prev_before(3) == 1
    assert hits.prev_before(0) == 0  # the hit inside segment 0 is before its end
    assert hits.prev_before(0, 0) == 4  # wraps
    assert hits.prev_before(0, 0, wrap=False) is None
    assert hits.in_segment(4) == [(h.start, h.end) for h in hits[2:]]
    assert hits.in_segment(2) == []


def test_hits_are_a_sequence(index: SearchIndex) -> None:
    hits = index.search("经济")
    assert list(hits) == [hits[i] for i in range(len(hits))]
    assert hits[-1] == Hit(4, 8, 10)
    assert hits[1:2] == [hits[1]]


def test_max_hits_caps_the_result(index: SearchIndex) -> None:
    assert len(index.search("經濟", max_hits=2)) == 2


_ALPHABET = "ab經经濟济 .\n"


@settings(max_examples=150, deadline=None)
@given(
    texts=st.lists(st.text(alphabet=_ALPHABET, max_size=12), min_size=1, max_size=6),
    needle=st.text(alphabet="ab經经濟济 .", min_size=1, max_size=3),
)
def test_literal_search_agrees_with_a_naive_scan(texts: list[str], needle: str) -> None:
    texts = [t.replace("\n", " ") for t in texts]
    fold = str.maketrans("經濟", "经济")
    expected = []
    for i, text in enumerate(texts):
        folded, n = text.translate(fold), needle.translate(fold)
        expected += [Hit(i, m.start(), m.end()) for m in re.finditer(re.escape(n), folded)]
    assert list(SearchIndex(texts).search(needle)) == expected


def test_a_big_transcript_search_finds_every_hit() -> None:
    # Big enough for many conversion chunks (CHUNK_CHARS); its speed is measured by
    # bench/micro.py, not asserted here.
    texts = mixed_texts(2)
    index = SearchIndex(texts)
    for query, pattern, flags in [
        (Query("經濟"), "經濟", 0),
        (Query("fox"), "fox", re.IGNORECASE),
        (Query(r"qu\w+", regex=True), r"qu\w+", re.IGNORECASE),
    ]:
        expected = [
            Hit(i, m.start(), m.end())
            for i, text in enumerate(texts)
            for m in re.finditer(pattern, text, flags)
        ]
        assert len(expected) > 300
        assert list(index.search(query)) == expected


def test_count_in_segments(index: SearchIndex) -> None:
    hits = index.search("經濟")  # segments 0, 1, 4, 4, 4
    assert hits.count_in({4}) == 3
    assert hits.count_in(frozenset({0, 2})) == 1


# Letters whose cases behave oddly (dotted/dotless i, sharp s, long s, Kelvin sign, final sigma).
_CASE_ALPHABET = "aAbBiIİıßẞsSſkKKσςΣ經经 "
_ATOMS = st.sampled_from([
    *"aAbBiIİıßsSſkKKσςΣ經经", "[a-z]", "[A-Z]", "[^a ]", r"\w", r"\bs", ".", "[ß-ſ]", "[σΣ]",
    "(a|S)", r"(b)\1",
])


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(st.text(alphabet=_CASE_ALPHABET, max_size=10), min_size=1, max_size=5),
    atoms=st.lists(st.tuples(_ATOMS, st.sampled_from(["", "+", "?", "*"])), min_size=1,
                   max_size=3),
)
def test_a_case_insensitive_regex_finds_what_ignorecase_finds_in_each_segment(
    texts: list[str], atoms: list[tuple[str, str]]
) -> None:
    pattern = "".join(atom + quantifier for atom, quantifier in atoms)
    expected = [
        Hit(i, m.start(), m.end())
        for i, text in enumerate(texts)
        for m in re.finditer(to_simplified(pattern), to_simplified(text), re.IGNORECASE)
        if m.end() > m.start()
    ]
    assert list(SearchIndex(texts).search(Query(pattern, regex=True))) == expected
