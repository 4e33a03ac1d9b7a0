"""Property tests: parse never raises on generated transcripts and its offsets are always valid."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parser import parse, parse_text, to_json

UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

LABELS = ["記者 尚大原:", "主持人：", "林雅婷 老師：", "【主持人】", "### 唐鳳：", "**Nick Nisi:**",
          "MS. JEAN-PIERRE:", "Q\u00a0\u00a0\u00a0", "Q:", "A:", "问：", "答：", "SPEAKER_03:",
          "Speaker 3:", "Shaun Apps（SA）：", "SA：", "[00:01:02] Alice:", "\\[04:06\\]",
          "[0:00:06.8 - 0:00:07.2] SPEAKER_00 -", "Bob  0:03", "主题：", "APPEARANCES:",
          "code: <https://x.example>", "孝感市孝南區“項目秘書”:", "darosior："]
NOISE = ["(Laughter.)", "（笑）", "[掌声]", "<i>Laughter</i>", "---", "# 標題", "## Part 2",
         "開(kāi)會(huì)", "?tīng)", "X(jué)", "讀作(chà)", "非??欤皫讉€", "\ufffd", "&amp;&#27;",
         "<a href='x'>link</a>", "?/span>", "\x1b[2J", "\x1b]0;t\x07", "\u202e", "\r\n",
         " 1   numbered line", "WEBVTT", "00:00.000 --> 00:01.000", "<v Kyle>", "</v>",
         "1\n00:00:00,000 --> 00:00:01,000", "\u00ad", "\u00a0", "\ufeff", "\t", "  ", "\n\n"]

words = st.one_of(
    st.sampled_from(LABELS),
    st.sampled_from(NOISE),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    st.text(alphabet="天地人你我他的是不了在有和中大小上下說話開會時間發展", max_size=20),
    st.sampled_from(["\n", "\n\n", " ", ":", "：", "?", "(", ")"]),
)
transcripts = st.lists(words, max_size=40).map("".join)


def check(t, text: str) -> None:
    data = to_json(t)
    assert data["schema"] == "yulu.transcript/1"
    previous_end = 0
    ids = set()
    for i, seg in enumerate(t.segments):
        assert seg.index == i
        assert 0 <= seg.start <= seg.end <= len(text)
        assert seg.start >= previous_end
        previous_end = seg.end
        assert not UNSAFE.search(seg.text), repr(seg.text)
        assert not UNSAFE.search(seg.label or ""), repr(seg.label)
        assert (seg.speaker is None) == (seg.kind != "turn")
        if seg.speaker is not None:
            assert t.speaker(seg.speaker) is not None
            ids.add(seg.speaker)
        for a in seg.annotations:
            assert 0 <= a.offset < len(seg.text)
        for g in seg.garbled:
            assert 0 <= g.start < g.end <= len(seg.text)
    # one Speaker per id, listed in order of first appearance; ids look like s1, s2, ...
    first_seen = []
    for seg in t.segments:
        if seg.speaker and seg.speaker not in first_seen:
            first_seen.append(seg.speaker)
    assert [s.id for s in t.speakers] == first_seen
    assert all(re.fullmatch(r"s[1-9]\d*", i) for i in first_seen)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transcripts)
def test_generated_transcripts(text):
    check(parse_text(text), text)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode(text):
    check(parse_text(text), text)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_parse_or_refuse(data):
    from parser.errors import TranscriptError

    try:
        t = parse(data)
    except TranscriptError as e:
        assert "\n" not in str(e)
        return
    assert t.encoding


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Alice", "Bob", "<v Carol>", "",
                                           "00:00.000 --> 00:01.000"]),
                          st.text(alphabet="abc 中文?\n\r:<>v", max_size=30)), max_size=12),
       st.booleans())
def test_generated_subtitles(cues, vtt):
    parts = ["WEBVTT\n"] if vtt else []
    for i, (who, words) in enumerate(cues):
        sep = "." if vtt else ","
        timing = f"00:00:{i:02d}{sep}000 --> 00:00:{i:02d}{sep}500"
        prefix = who if who.startswith("<") else (f"{who}: " if who else "")
        words = words.strip("\n") or "x"
        parts.append(("" if vtt else f"{i + 1}\n") + f"{timing}\n{prefix}{words}\n")
    text = "\n".join(parts)
    check(parse_text(text), text)


_TRICKY = ["項目秘書：", "項目秘書 魏能亞：", "項目秘書 甲某：", "魏能亞：", "SA：", "Shaun Apps（SA）：",
           "Shaun Apps：", "主持人：", "主持人 李四："]
_PLAIN = ["記者 王一：", "Bob Jones："]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TRICKY + _PLAIN), min_size=2, max_size=14), st.data())
def test_head_parse_keeps_the_ids_of_speakers_it_already_knows(labels, data):
    """The TUI swaps the full parse in for the head's: a speaker whose identity nothing later
    changes keeps its id (the speaker filter and colours hold ids)."""
    lines = [f"{label}第{i}句。\n" for i, label in enumerate(labels)]
    cut = data.draw(st.integers(1, len(lines) - 1))
    head, full = parse_text("".join(lines[:cut]), complete=False), parse_text("".join(lines))
    for a, b in zip(head.segments, full.segments, strict=False):
        assert (a.start, a.label) == (b.start, b.label)
        if a.label in {p.rstrip("：") for p in _PLAIN}:
            assert a.speaker == b.speaker, (a.label, a.speaker, b.speaker)
