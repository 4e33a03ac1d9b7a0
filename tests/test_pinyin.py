"""Pinyin: the source's ruby readings first, generated (phrase-aware) readings elsewhere."""

from __future__ import annotations

from parser.model import Annotation, Segment
from parser.pinyin import Reading, generated_readings, readings, with_readings_after


def _segment(text: str, annotations: tuple[Annotation, ...] = ()) -> Segment:
    return Segment(index=0, kind="turn", speaker="s1", label=None, text=text, start=0,
                   end=len(text), annotations=annotations)


def _pinyin(annotations) -> list[str]:
    return [a.reading for a in annotations]


def test_generated_readings_are_phrase_aware_in_both_scripts() -> None:
    assert _pinyin(generated_readings("银行行长")) == ["yín", "háng", "háng", "zhǎng"]
    # Traditional text is looked up in Simplified, or 銀行 would read yín-xíng
    assert _pinyin(generated_readings("銀行行長")) == ["yín", "háng", "háng", "zhǎng"]


def test_generated_offsets_skip_non_han_characters() -> None:
    text = "AI（人工智能）2020年，OK"
    got = generated_readings(text)
    assert [text[a.offset] for a in got] == list("人工智能年")
    assert _pinyin(got) == ["rén", "gōng", "zhì", "néng", "nián"]


def test_ascii_and_empty_text_have_no_readings() -> None:
    assert generated_readings("") == ()
    assert generated_readings("hello, world") == ()


def test_source_annotation_wins_over_generated() -> None:
    # The source reads 行 as xíng here; generated pinyin would say háng. Trust the source.
    segment = _segment("銀行", (Annotation(1, "xíng"),))
    got = readings(segment)
    assert got == (Reading(0, "yín", False), Reading(1, "xíng", True))


def test_source_only_and_lost_annotations() -> None:
    segment = _segment("開會了", (Annotation(0, "kāi"), Annotation(-1, "jué")))
    assert readings(segment, generate=False) == (Reading(0, "kāi", True),)
    assert [r.pinyin for r in readings(segment)] == ["kāi", "huì", "le"]


def test_readings_after_characters() -> None:
    text = "他開會。"
    assert with_readings_after(text, readings(_segment(text))) == "他(tā)開(kāi)會(huì)。"
    assert with_readings_after("abc", ()) == "abc"
