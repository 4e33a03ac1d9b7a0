"""jieba's segmentation run over our compact tables cuts text exactly as jieba does, and the
tables survive a damaged or unwritable cache folder."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from parser import parse
from parser.keywords_jieba import Segmenter, idf_table
from parser.script import to_simplified

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TEXTS = [
    "颱風「海鷗」今天清晨在屏東登陸，颱風帶來的豪雨讓屏東與高雄多處淹水。",
    "我們十二屆十次全會開(kāi)會(huì)，全會討論了招商，招商引資是大事。",
    "比特幣的Merkle樹，Merkle證明很短；比特幣節點驗證Merkle證明。AT&T 3.5% c# B超",
    "川普的關稅政策讓在川普身邊的人也很意外，電競選手與競選手法。",
    "項目秘書每天跑工地，項目秘書幫企業辦手續，企業都找項目秘書。\r\n第二行\t還有",
    "侵华日军南京大屠杀遇难同胞纪念馆 中华人民共和国 abc123def 人工智能企业",
]


@pytest.fixture(scope="module")
def jieba_itself(tmp_path_factory):
    sys.modules.setdefault("pkg_resources", None)  # jieba's optional, noisy import
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(tmp_path_factory.mktemp("jieba"))
    tokenizer.initialize()
    return tokenizer


def _texts() -> list[str]:
    texts = [to_simplified(t) for t in TEXTS] + TEXTS
    for path in sorted((SHARED / "corpus").glob("zh*")) + [SHARED / "seed" /
                                                           "000_192e47560565c690.txt"]:
        if path.exists():
            texts += [to_simplified(s.text) for s in parse(path).segments]
    return texts


def test_words_are_cut_exactly_as_jieba_cuts_them(jieba_itself):
    ours = Segmenter()
    for text in _texts():
        assert list(ours.tokenize(text)) == list(jieba_itself.tokenize(text)), text


def test_taught_words_are_cut_as_jieba_cuts_them_and_forgotten_after(jieba_itself):
    ours = Segmenter()
    words = ["项目秘书", "临空经济区", "比特币闪电网络支付通道超长的一个用户词语", "竞选手"]
    text = "项目秘书在临空经济区，比特币闪电网络支付通道超长的一个用户词语，电竞选手。"
    before = list(ours.tokenize(text))
    for word in words:
        assert ours.suggest_freq(word) == jieba_itself.suggest_freq(word)
        ours.add_word(word, max(ours.suggest_freq(word), 2000))
        jieba_itself.add_word(word, freq=max(jieba_itself.suggest_freq(word), 2000))
    for sample in [text, *_texts()[:40]]:
        assert list(ours.tokenize(sample)) == list(jieba_itself.tokenize(sample)), sample
    ours.forget_added()
    assert list(ours.tokenize(text)) == before


def _cached_tables(cache: Path) -> list[Path]:
    return sorted((cache / "yulu").glob("jieba-*"))


def test_damaged_cached_tables_are_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    expected = list(Segmenter().tokenize("颱風帶來的豪雨讓屏東多處淹水"))
    tables = _cached_tables(tmp_path)
    assert len(tables) == 3
    for path in tables:
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    assert list(Segmenter().tokenize("颱風帶來的豪雨讓屏東多處淹水")) == expected
    assert all(p.stat().st_size > 1000 for p in _cached_tables(tmp_path))


def test_an_unwritable_cache_folder_still_gives_words(tmp_path, monkeypatch):
    import os

    if os.geteuid() == 0:
        monkeypatch.setattr("parser.keywords_jieba._write_atomic", _refuse)
    else:
        (tmp_path / "yulu").mkdir()
        (tmp_path / "yulu").chmod(0o500)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    words = [w for w, _, _ in Segmenter().tokenize("颱風帶來的豪雨讓屏東多處淹水")]
    assert "豪雨" in words


def _refuse(path, write):
    raise PermissionError(13, "Permission denied", str(path))


def test_idf_table_weighs_rare_words_above_common_ones():
    table, median = idf_table()
    assert len(table) > 200_000 and "经济" in table and "颱風" not in table
    assert 0 < table.get("经济") < table.get("招商") < median
    assert table.get("不是一个词语", median) == median


def test_preparing_the_tables_removes_jieba_s_own_cache_and_stale_tables(tmp_path, monkeypatch):
    from parser.keywords_jieba import prepare

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "yulu"
    folder.mkdir()
    for name in ("jieba.cache", "jieba-dict-000000000000.marisa", "notes.txt"):
        (folder / name).write_bytes(b"x" * 100)
    prepare()
    names = {p.name for p in folder.iterdir()}
    assert "jieba.cache" not in names and "jieba-dict-000000000000.marisa" not in names
    assert "notes.txt" in names and len(_cached_tables(tmp_path)) == 5
