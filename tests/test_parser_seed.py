"""The seed news transcript parses exactly as ../shared/seed/expected.json says."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from parser import parse, to_json

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "000_192e47560565c690.txt"
EXPECTED = SHARED / "seed" / "expected.json"

pytestmark = pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not available")


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def transcript():
    return parse(SEED)


def test_segment_kinds_names_titles_and_starts(transcript, expected):
    segs = transcript.segments
    assert len(segs) == len(expected["segments"])
    for seg, exp in zip(segs, expected["segments"], strict=True):
        assert seg.kind == exp["kind"], seg.index
        speaker = transcript.speaker(seg.speaker)
        assert (speaker.name if speaker else None) == exp["name"], seg.index
        assert (speaker.title if speaker else None) == exp["title"], seg.index
        if "text_starts" in exp:
            assert seg.text.startswith(exp["text_starts"]), (seg.index, seg.text[:40])
        if "text_contains" in exp:
            assert exp["text_contains"] in seg.text


def test_seven_named_speakers(transcript, expected):
    named = {s.name for s in transcript.speakers if s.name}
    assert len(named) == expected["distinct_named_speakers"] == len(transcript.speakers)


def test_role_only_label_is_inferred_to_the_named_speaker(transcript):
    seg3, seg5 = transcript.segments[3], transcript.segments[5]
    assert seg3.label == "孝感市孝南區“項目秘書”"
    assert seg3.speaker == seg5.speaker
    assert seg3.inferred and not seg5.inferred
    assert not any(s.inferred for s in transcript.segments if s.index != 3)


def test_all_358_pinyin_annotations_removed_and_kept_as_data(transcript):
    notes = [(s, a) for s in transcript.segments for a in s.annotations]
    label_notes = [a for s in transcript.segments for a in s.label_annotations]
    assert len(notes) + len(label_notes) == 358
    lost = [a for s, a in notes if s.text[a.offset] == "?"]
    after_garbled = [a for s, a in notes if s.text[a.offset] in "Xl€"]
    assert len(lost) == 10
    assert len(after_garbled) == 3
    # every annotation sits on its character and carries a tone-marked reading
    first = transcript.segments[0]
    assert first.text[first.annotations[0].offset] == "開"
    assert first.annotations[0].reading == "kāi"


def test_must_keep_and_must_not_contain(transcript, expected):
    full = "\n".join(s.text for s in transcript.segments)
    for keep in expected["must_keep"]:
        assert keep in full, keep
    for pattern in expected["must_not_contain_regex"]:
        assert not re.search(pattern, full), pattern
    labels = "\n".join(s.label or "" for s in transcript.segments)
    assert not re.search(expected["must_not_contain_regex"][0], labels)


def test_garbled_runs_kept_visible_and_flagged(transcript, expected):
    for example in expected["garbled_examples"]:
        hits = [s for s in transcript.segments if example in s.text]
        assert hits, example
        seg = hits[0]
        at = seg.text.index(example)
        assert any(g.start < at + len(example) and at < g.end for g in seg.garbled), example


def test_eight_garbled_runs_and_no_false_positive_on_real_question_marks(transcript):
    runs = [(s, g) for s in transcript.segments for g in s.garbled]
    assert len(runs) == 8
    real = ["干部?如何", "新天地呢?首先", "理由嗎?老百姓"]
    for snippet in real:
        seg = next(s for s in transcript.segments if snippet in s.text)
        q = seg.text.index(snippet) + snippet.index("?")
        assert not any(g.start <= q < g.end for g in seg.garbled), snippet


def test_gbk_shift_suggestion_recovers_words(transcript):
    suggestions = [g.suggestion for s in transcript.segments for g in s.garbled if g.suggestion]
    assert "干部" in suggestions
    assert "發" in suggestions  # 因?榘l(fā)展 -> 因為發展
    assert any("我們造的" in s for s in suggestions)
    assert "幾個" in suggestions  # 非??欤皫讉€月 -> 非常快，幾個月 (€ is cp936's 0x80)
    # the run ends at the € (a single byte re-aligns the stream): 月還剛剛 is ordinary text
    seg = next(s for s in transcript.segments if "讉€月" in s.text)
    assert all(not seg.text[g.start : g.end].endswith("月") for g in seg.garbled)


def test_offsets_point_into_the_source(transcript):
    source = SEED.read_text(encoding="utf-8")
    for seg in transcript.segments:
        assert 0 <= seg.start <= seg.end <= len(source)
    assert source[transcript.segments[1].start :].startswith("記者 尚大原:")
    assert source[transcript.segments[9].start] == "("


def test_json_schema(transcript):
    data = to_json(transcript)
    assert data["schema"] == "yulu.transcript/1"
    assert set(data) == {"schema", "source", "encoding", "speakers", "segments"}
    assert set(data["speakers"][0]) == {"id", "name", "title", "labels"}
    assert set(data["segments"][0]) == {"index", "kind", "speaker", "label", "text", "start",
                                        "end", "time"}
    json.dumps(data, ensure_ascii=False)
