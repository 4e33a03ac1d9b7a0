"""Keyword quality on real transcripts (parsed by the real parser): a reader sees the topics."""

from __future__ import annotations

from pathlib import Path

import pytest

from parser import parse
from parser.keywords import extract_keywords
from parser.keywords_tokens import is_pinyin, stop_words
from parser.script import to_simplified

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "000_192e47560565c690.txt"
CORPUS = SHARED / "corpus"

SEED_TOPICS = {"干部", "担当", "支点", "湖北", "人工智能", "招商", "临空", "企业", "激励", "意见",
               "项目秘书"}


def _top(path: Path, n: int = 15):
    if not path.exists():
        pytest.skip(f"shared material not present: {path}")
    return extract_keywords(parse(path), top=n, use_cache=False).keywords


def _assert_no_debris(keywords) -> None:
    stops = stop_words("zh") | stop_words("en")
    for k in keywords:
        assert len(k.word) >= 2, k
        assert k.key not in stops, k
        assert not is_pinyin(k.word), k
        assert not k.word.isdigit(), k


def test_seed_top_15_holds_at_least_7_real_topics():
    top = _top(SEED)
    found = {to_simplified(k.word) for k in top} & SEED_TOPICS
    assert len(found) >= 7, (found, [k.word for k in top])
    _assert_no_debris(top)


def test_seed_keywords_are_written_in_the_transcripts_traditional_script():
    words = {k.word for k in _top(SEED)}
    assert {"擔當", "臨空"} <= words
    assert not {"担当", "临空"} & words


def test_seed_reporter_and_credits_are_not_keywords():
    words = {k.word for k in _top(SEED, 40)}
    assert not {"尚大原", "記者", "通訊員"} & words


def test_simplified_chinese_talk_on_relay_policy():
    top = _top(CORPUS / "zh-Hans_bitcointranscripts_gloria-zhao-relay-policy_wen-da.zh.md")
    keys = {k.key for k in top}
    topics = {"交易", "节点", "手续费", "比特币", "闪电", "区块", "规则", "策略", "广播", "内存池"}
    assert len(keys & topics) >= 6, [k.word for k in top]
    _assert_no_debris(top)


def test_english_oral_argument_on_the_anti_injunction_act():
    top = _top(CORPUS / "en_SCOTUS_HHS-v-Florida_2012-03-26_oral-argument.txt")
    keys = {k.key for k in top}
    topics = {"tax", "penalty", "anti-injunction", "statute", "jurisdictional", "congress", "court",
              "mandate", "act"}
    assert len(keys & topics) >= 6, [k.word for k in top]
    _assert_no_debris(top)
    assert "Anti-Injunction" in {k.word for k in top}  # case kept as written
