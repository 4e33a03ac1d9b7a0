"""Keyword extraction on small transcripts written for these tests (no parser involved)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parser import keywords_cache
from parser.keywords import KeywordInput, KeywordResult, extract_keywords, find_occurrences
from parser.keywords_tokens import is_pinyin, stop_words, term_key
from parser.script import to_simplified
from tests.factories import transcript

TYPHOON = [
    ("narration", "颱風「海鷗」今天清晨在屏東登陸，颱風帶來的豪雨讓屏東與高雄多處淹水。"),
    ("s1", "氣象署表示，颱風強度持續減弱，但豪雨特報仍未解除，屏東山區still要防範土石流。"),
    ("s2", "我們這個縣政府宣布明天停班停課，要求各鄉鎮做好防災準備，颱風過後再檢查堤防。"),
    ("s1", "這一次豪雨非常大，屏東的農民損失慘重，縣政府會盡快發放救助金。"),
    ("credits", "記者 林曉明 王大同 屏東報導"),
]
NAMES = {"s1": "林曉明", "s2": "陳縣長"}

MERKLE = [
    ("s1", "Merkle sets are a data structure for proofs. The Merkle set keeps proofs small, "
           "and the sets are fast to update. I think it's basically a Patricia trie."),
    ("s2", "So what about the Merkle trees in Bitcoin? Are Merkle proofs for the UTXO set possible?"),
    ("s1", "Yeah, you know, the UTXO set is exactly what Merkle sets are for. Bram's design "
           "hashes the trie nodes; the proofs stay logarithmic."),
]


def _extract(rows, names=None, **kw) -> KeywordResult:
    return extract_keywords(transcript(rows, names=names), use_cache=False, **kw)


def test_traditional_text_is_analysed_in_simplified_and_reported_in_traditional():
    result = _extract(TYPHOON, NAMES, top=8)
    words = [k.word for k in result.keywords]
    keys = [k.key for k in result.keywords]
    assert {"颱風", "豪雨", "屏東"} <= set(words[:4])
    assert "台风" in keys and "颱风" not in keys
    assert all(k.word == k.key or to_simplified(k.word) == k.key for k in result.keywords)


def test_spans_point_at_the_original_characters():
    t = transcript(TYPHOON, names=NAMES)
    result = extract_keywords(t, use_cache=False)
    seen = 0
    for seg in result.segments:
        text = t.segments[seg.index].text
        for start, end, term in seg.spans:
            assert to_simplified(text[start:end]) == term
            seen += 1
    assert seen >= 10
    occurrences = result.occurrences("台风")
    assert len(occurrences) == result.keyword("台风").count == 4
    assert occurrences == sorted(occurrences)


def test_no_debris_among_keywords():
    rows = [("narration", "我們這個一個就是說，然後的的的。我們十二屆十次全會開(kāi)會(huì)，"
                          "全會討論了招商，招商引資是大事，招商第一。我們也就是說說而已。")]
    result = _extract(rows, top=30)
    zh_stops = stop_words("zh")
    for k in result.keywords:
        assert len(k.word) >= 2, k
        assert k.key not in zh_stops, k
        assert not is_pinyin(k.word), k
        assert k.key not in {"十二届", "十次"}, k
    assert "招商" in [k.key for k in result.keywords]


def test_credits_and_speaker_names_are_left_out():
    result = _extract(TYPHOON + [("s1", "林曉明 林曉明 林曉明 屏東 颱風")], NAMES, top=30)
    words = {k.word for k in result.keywords}
    assert "林曉明" not in words and "王大同" not in words
    assert 4 not in {s.index for s in result.segments}  # the credits segment has no terms


def test_english_keywords_merge_plurals_keep_case_and_drop_stop_words():
    result = _extract(MERKLE, {"s1": "Bram Cohen", "s2": "Audience"}, top=6)
    words = [k.word for k in result.keywords]
    assert set(words[:2]) == {"Merkle", "sets"}
    assert {"proofs", "UTXO"} <= set(words)
    keys = {k.key for k in result.keywords}
    assert not keys & stop_words("en")
    assert "bram" not in keys  # the speaker's own name
    set_kw = result.keyword("set")
    assert set_kw is not None and set_kw.count == 6  # "sets", "set" and "set's" merged


def test_mixed_script_text_gets_both_tokenizers():
    result = _extract([("narration", "比特幣的Merkle樹，Merkle證明很短；比特幣節點驗證Merkle證明。")])
    keys = {k.key for k in result.keywords}
    assert {"merkle", "证明", "节点"} <= keys


def test_user_words_keep_a_term_whole():
    rows = [("narration", "項目秘書每天跑工地，項目秘書幫企業辦手續，企業都找項目秘書。")]
    plain = _extract(rows)
    assert "项目秘书" not in {k.key for k in plain.keywords}
    taught = _extract(rows, user_words=["項目秘書"])
    top = taught.keywords[0]
    assert (top.word, top.key, top.count) == ("項目秘書", "项目秘书", 3)


def test_segment_terms_are_the_segments_own():
    result = _extract(TYPHOON, NAMES)
    assert "防灾" in {t.key for t in result.segment(2).terms}
    assert "防灾" not in {t.key for t in result.segment(0).terms}


def test_find_occurrences_matches_latin_terms_as_whole_words_only():
    found = find_occurrences("Start the art of ART; artist.", ["art"])
    assert [(o.start, o.end) for o in found] == [(10, 13), (17, 20)]
    assert [o.term for o in find_occurrences("临空经济区的临空港", ["临空"])] == ["临空", "临空"]


def test_term_key_folds_script_and_case():
    assert term_key(" 臨空 ") == "临空"
    assert term_key("Merkle's") == "merkle"


def test_result_round_trips_through_json_dict():
    result = _extract(TYPHOON, NAMES)
    assert KeywordResult.from_dict(result.to_dict()) == result


def test_cache_returns_the_same_result_without_recomputing(tmp_path, monkeypatch):
    monkeypatch.setattr(keywords_cache, "root", lambda: tmp_path)
    t = transcript(TYPHOON, names=NAMES)
    first = extract_keywords(t)
    assert list(tmp_path.glob("*.marshal"))

    def boom(*a, **k):
        raise AssertionError("recomputed despite the cache")

    monkeypatch.setattr("parser.keywords.compute_keywords", boom)
    assert extract_keywords(t) == first
    # Other text, other digest: no stale answer.
    with pytest.raises(AssertionError):
        extract_keywords(transcript(TYPHOON[:2], names=NAMES))


def test_digest_depends_on_text_and_user_words():
    t = transcript(TYPHOON, names=NAMES)
    a = KeywordInput.from_transcript(t)
    assert a.digest() == KeywordInput.from_transcript(t).digest()
    assert a.digest() != KeywordInput.from_transcript(t, ["颱風豪雨"]).digest()
    assert a.digest() != a.subset([0, 1]).digest()


_pieces = st.sampled_from(["颱風", "豪雨", "屏東", "Merkle", "sets", " ", "，", "的", "我們",
                           "kāi", "AI", "項目秘書", "123", "\n", "。", "e", "é"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_pieces, max_size=25).map("".join), min_size=1, max_size=4))
def test_spans_are_ordered_disjoint_and_inside_the_text(texts):
    t = transcript([("narration", x) for x in texts])
    result = extract_keywords(t, use_cache=False, user_words=["項目秘書"])
    for seg in result.segments:
        text = t.segments[seg.index].text
        last_end = 0
        for start, end, term in seg.spans:
            assert last_end <= start < end <= len(text)
            last_end = end
            assert term_key(text[start:end]) in {term, term + "s"}


def test_cache_keeps_only_the_most_recently_used_results(tmp_path, monkeypatch):
    import os

    monkeypatch.setattr(keywords_cache, "root", lambda: tmp_path)
    for i in range(5):
        extract_keywords(transcript([("narration", f"颱風第{i}次登陸屏東，豪雨成災。")]))
    files = sorted(tmp_path.glob("*.marshal"), key=os.path.getmtime)
    assert len(files) == 5
    for age, path in enumerate(reversed(files)):
        os.utime(path, (1000 - age, 1000 - age))  # the first file written is the oldest
    keywords_cache.prune(kept=3)
    assert sorted(tmp_path.glob("*.marshal")) == sorted(files[-3:])


def _occurrences_with_one_pattern(text, keys):
    """find_occurrences as it was first written: one pattern of every key."""
    import re

    keys = sorted({k for k in keys if k}, key=lambda k: (-len(k), k))
    if not keys:
        return []
    parts = [re.escape(k) if any("\u4e00" <= c <= "\u9fff" for c in k)
             else rf"(?<![\w'’-]){re.escape(k)}(?![\w'’-])" for k in keys]
    lower = {k.lower(): k for k in keys}
    return [(m.start(), m.end(), lower.get(m.group().lower(), m.group()))
            for m in re.finditer("|".join(parts), text, re.IGNORECASE)]


_NAME_KEYS = ["kirk", "james", "ibrahim", "maria lopez", "lopez", "林晓明", "ai", "josé", "o'neil"]
_name_pieces = st.sampled_from(["Kirk", "\u212airk", "JAMES", "Jame\u017f", "\u0130brahim",
                                "Maria Lopez", "maria", " ", "’", "-", "林晓明", "林", "AI",
                                "José", "JOSÉ", "O'Neil", "x", "。", "é"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_name_pieces, max_size=12).map("".join))
def test_speaker_names_are_found_as_one_pattern_of_all_names_finds_them(text):
    # Names are looked for only where they occur as plain text; Kelvin signs, long s and dotted
    # capital I (which match ASCII letters regardless of case) must not hide a name.
    found = [tuple(o) for o in find_occurrences(text, _NAME_KEYS)]
    assert found == _occurrences_with_one_pattern(text, _NAME_KEYS)
