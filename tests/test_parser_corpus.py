"""Every real transcript of ../shared/corpus parses as corpus/expected.json says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parser import parse

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
EXPECTED_FILE = CORPUS / "expected.json"

if not EXPECTED_FILE.exists():
    pytest.skip("../shared/corpus is not available", allow_module_level=True)

EXPECTED: dict = json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))


def _turns(transcript) -> list:
    return [s for s in transcript.segments if s.kind == "turn"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_turns_speakers_and_names(name):
    exp = EXPECTED[name]
    transcript = parse(CORPUS / name)
    turns = _turns(transcript)
    assert abs(len(turns) - exp["turns_merged"]) <= 0.03 * exp["turns_merged"], len(turns)
    assert len(transcript.speakers) == exp["speakers"], [s.display_name for s in transcript.speakers]
    names = {s.display_name for s in transcript.speakers}
    for who in exp["some_speakers"]:
        assert who in names, (who, names)
    # every turn has a speaker, merged turns never repeat a speaker back to back
    assert all(t.speaker is not None for t in turns)
    for a, b in zip(transcript.segments, transcript.segments[1:], strict=False):
        assert not (a.kind == b.kind == "turn" and a.speaker == b.speaker)


def test_srt_and_voice_tag_vtt_give_the_same_ten_turns():
    srt = parse(CORPUS / "en_podcastindex-example_speaker-prefix.srt")
    vtt = parse(CORPUS / "en_podcastindex-example_voice-tags.vtt")

    def view(t):
        return [(t.speaker(s.speaker).name, s.text, s.time) for s in _turns(t)]

    assert len(_turns(srt)) == 10
    assert view(srt) == view(vtt)
    assert srt.segments[0].time == pytest.approx(0.179)


def test_two_voices_in_one_cue_and_laughter():
    t = parse(CORPUS / "en_mozilla-vttjs_cycle-collector-talk_voice-tags.vtt")
    names = [t.speaker(s.speaker).name for s in _turns(t)]
    assert names == ["Kyle Huey", "Chris Pearce", "Kyle Huey"]
    assert "<" not in "".join(s.text for s in t.segments)


def test_alias_maps_to_the_full_name():
    t = parse(CORPUS / "zh-Hans_bitcointranscripts_covenants-panel_name-abbrev.zh.md")
    shaun = next(s for s in t.speakers if s.name == "Shaun Apps")
    assert "SA" in shaun.aliases
    assert any(seg.label == "SA" and seg.speaker == shaun.id for seg in t.segments)


def test_decoys_front_matter_and_headings_are_not_turns():
    t = parse(CORPUS / "zh-Hans_bitcointranscripts_gloria-zhao-relay-policy_wen-da.zh.md")
    metas = [s.text for s in t.segments if s.kind == "meta"]
    assert metas[0].startswith("---")
    assert any(m.startswith("主题：") for m in metas)
    assert any(m.startswith("幻灯片：") for m in metas)
    assert "引言" in [s.text for s in t.segments if s.kind == "heading"]
    assert t.segments[[s.kind for s in t.segments].index("heading") + 1].kind == "narration"


def test_markdown_heading_labels_and_inline_stage_text():
    t = parse(CORPUS / "zh-Hant_audreyt-transcript_2016-12-21_FTV-TV-interview.md")
    first = _turns(t)[0]
    assert t.speaker(first.speaker).name == "胡婉玲"
    assert first.text.startswith("全國電視機前")
    assert "###" not in "".join(s.text for s in t.segments)


def test_html_is_removed_from_turns():
    t = parse(CORPUS / "zh-Hant_audreyt-transcript_2025-10-01_press-QA.md")
    text = "".join(s.text for s in t.segments)
    assert "<iframe" not in text and "</a>" not in text


def test_bold_labels_and_timestamps():
    t = parse(CORPUS / "en_changelog_js-party-109_panel-bold-names.md")
    assert not any("**" in (s.label or "") + s.text[:3] for s in t.segments)
    timed = [s for s in _turns(t) if s.time is not None]
    assert timed and timed[0].time == 4 * 60 + 6
    assert "\\[" not in "".join(s.text for s in t.segments)


def test_press_briefing_bare_q_nbsp_and_stage_directions():
    t = parse(CORPUS / "en_whitehouse_press-briefing_2023-09-29_Q-and-titles.md")
    turns = _turns(t)
    assert t.speaker(turns[0].speaker).name == "Q"
    assert turns[0].text.startswith("That was")
    assert "\u00a0" not in "".join(s.text for s in t.segments)
    assert any(s.kind == "stage" and s.text == "(Cross-talk.)" for s in t.segments)
    # hard-wrapped lines are re-joined into one paragraph
    assert "Good afternoon.  We" not in turns[3].text
    assert "in the house, so this is great." in turns[3].text


def test_court_transcript_line_numbers_headers_and_index():
    t = parse(CORPUS / "en_SCOTUS_HHS-v-Florida_2012-03-26_oral-argument.txt")
    turns = _turns(t)
    first = turns[0]
    assert t.speaker(first.speaker).name == "CHIEF JUSTICE ROBERTS"
    assert first.text.startswith("We will hear argument this morning in Case Number 11-398")
    body = "\n".join(s.text for s in turns)
    assert "Alderson Reporting Company" not in body
    assert "Official - Subject to Final Review" not in body
    assert t.segments[-1].kind == "meta"  # the closing word index
    assert "\u00ad" not in body


HEAD_FILES = sorted(EXPECTED) + ["../seed/000_192e47560565c690.txt"]


@pytest.mark.parametrize("name", HEAD_FILES)
@pytest.mark.parametrize("fraction", [0.4, 0.7])
def test_head_parse_matches_the_full_parse(name, fraction):
    """The first screen of a big file (read_head + parse_text) shows what the full parse will."""
    from parser import parse_text, read_head

    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    full = parse(path)
    head = read_head(path, max(1024, int(path.stat().st_size * fraction)))
    partial = parse_text(head.text, complete=False)
    n = len(partial.segments) - 1  # the last one may be cut
    assert n >= 1

    def view(segments):
        # speaker ids stay (the TUI's speaker filter and colours hold them); `inferred` and a
        # role's name may change once a later line names the role's holder
        return [(s.kind, s.speaker, s.label, s.text, s.start, s.end, s.time) for s in segments]

    assert view(partial.segments[:n]) == view(full.segments[:n])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_clean_files_have_no_garbled_runs(name):
    transcript = parse(CORPUS / name)
    assert [(s.index, s.text[g.start : g.end]) for s in transcript.segments for g in s.garbled] == []
