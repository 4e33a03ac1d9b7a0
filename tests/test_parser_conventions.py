"""One small example per supported convention (the list in the README), plus the traps."""

from __future__ import annotations

import pytest

from parser import parse_text


def turns(text: str) -> list[tuple[str, str, float | None]]:
    t = parse_text(text)
    return [(t.speaker(s.speaker).display_name, s.text, s.time)
            for s in t.segments if s.kind == "turn"]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("記者 尚大原:大家好。\n", [("尚大原", "大家好。", None)]),
        ("主持人：歡迎。\n", [("主持人", "歡迎。", None)]),
        ("張三︰你好。\n", [("張三", "你好。", None)]),
        ("林雅婷 老師：大家好。\n", [("林雅婷", "大家好。", None)]),
        ("【主持人】各位晚上好。\n【嘉宾】谢谢。\n",
         [("主持人", "各位晚上好。", None), ("嘉宾", "谢谢。", None)]),
        ("MS. JEAN-PIERRE:\u00a0 Good afternoon.\n", [("MS. JEAN-PIERRE", "Good afternoon.", None)]),
        ("CHIEF JUSTICE ROBERTS: We will hear argument.\n",
         [("CHIEF JUSTICE ROBERTS", "We will hear argument.", None)]),
        ("**Nick Nisi:** Hi.\n\n**Break**: \\[26:36\\]\n",
         [("Nick Nisi", "Hi.", None), ("Break", "", 26 * 60 + 36)]),
        ("### 唐鳳：\n您好。\n\n### 胡婉玲：\n請坐。\n",
         [("唐鳳", "您好。", None), ("胡婉玲", "請坐。", None)]),
        ("Q:  What now?\n\nA: Nothing.\n", [("Q", "What now?", None), ("A", "Nothing.", None)]),
        ("Q\u00a0\u00a0\u00a0That was risky.\n", [("Q", "That was risky.", None)]),
        ("问：这是什么？\n答：一个例子。\n", [("问", "这是什么？", None), ("答", "一个例子。", None)]),
        ("SPEAKER_03: hello\n\nSpeaker 3: hi\n",
         [("SPEAKER_03", "hello", None), ("Speaker 3", "hi", None)]),
        ("[00:01:02] Alice: hello\n[00:01:05] Bob: hi\n",
         [("Alice", "hello", 62.0), ("Bob", "hi", 65.0)]),
        ("**Anna:** \\[04:06\\] It's even before.\n", [("Anna", "It's even before.", 246.0)]),
        ("Alice Smith  0:03\nHello everyone.\nWelcome.\n\nBob Jones  1:15\nThanks.\n",
         [("Alice Smith", "Hello everyone. Welcome.", 3.0), ("Bob Jones", "Thanks.", 75.0)]),
        ("[0:00:06.8 - 0:00:07.2] SPEAKER_00 - Hello.\n[0:00:07.5 - 0:00:09.0] SPEAKER_01 - Hi.\n",
         [("SPEAKER_00", "Hello.", 6.8), ("SPEAKER_01", "Hi.", 7.5)]),
    ],
)
def test_label_conventions(text, expected):
    assert turns(text) == expected


def test_alias_is_the_same_speaker():
    t = parse_text("Shaun Apps（SA）：开场。\n\nJeremy Rubin（JR）：好。\n\nSA：继续。\n")
    names = [t.speaker(s.speaker).name for s in t.segments]
    assert names == ["Shaun Apps", "Jeremy Rubin", "Shaun Apps"]
    assert t.speakers[0].aliases == ("SA",)


def test_role_label_is_inferred_from_a_later_named_label():
    t = parse_text("項目秘書:你看。\n工程師 吳天:好的。\n項目秘書 魏能亞:謝謝。\n")
    a, b, c = t.segments
    assert a.speaker == c.speaker and a.inferred and not c.inferred
    assert t.speaker(a.speaker).name == "魏能亞"


def test_ambiguous_role_is_not_inferred():
    t = parse_text("記者:開場。\n記者 王一:甲。\n記者 李二:乙。\n")
    assert not t.segments[0].inferred
    assert t.speaker(t.segments[0].speaker).name is None


def test_webvtt_voices_prefixes_and_continuations():
    text = ("WEBVTT\n\n00:00.000 --> 00:01.000\n<v Alice>Hello\n\n"
            "00:01.000 --> 00:02.000\nstill me\n\n"
            "00:02.000 --> 00:03.000\n<v Bob>Hi</v> <v Alice>Yes?</v>\n\n"
            "00:03.000 --> 00:04.000\nCarol: Me too\n")
    assert turns(text) == [("Alice", "Hello still me", 0.0), ("Bob", "Hi", 2.0),
                           ("Alice", "Yes?", 2.0), ("Carol", "Me too", 3.0)]


def test_srt_prefix_continues_over_unlabelled_cues():
    text = ("1\n00:00:00,000 --> 00:00:01,000\nAlice: Hello\nthere\n\n"
            "2\n00:00:01,000 --> 00:00:02,000\nagain\n\n"
            "3\n00:00:02,000 --> 00:00:03,000\nBob: Hi\n")
    assert turns(text) == [("Alice", "Hello there again", 0.0), ("Bob", "Hi", 2.0)]


def test_unlabelled_paragraphs_continue_the_turn_and_headings_end_it():
    t = parse_text("Intro text.\n\nAlice: one\n\ntwo\n\n# Part 2\n\nthree\n")
    kinds = [(s.kind, s.text) for s in t.segments]
    assert kinds == [("narration", "Intro text."), ("turn", "one\n\ntwo"),
                     ("heading", "Part 2"), ("narration", "three")]


def test_consecutive_turns_of_one_speaker_merge():
    t = parse_text("### 唐鳳：\n甲。\n\n### 唐鳳：\n乙。\n\n### 胡婉玲：\n丙。\n")
    assert [s.text for s in t.segments if s.kind == "turn"] == ["甲。\n\n乙。", "丙。"]


@pytest.mark.parametrize("line", ["(Laughter.)", "（笑）", "[掌声]", "\\[laughter\\]"])
def test_stage_directions_are_their_own_kind(line):
    t = parse_text(f"Alice: hi\n\n{line}\n\nmore from Alice\n")
    kinds = [s.kind for s in t.segments]
    assert kinds == ["turn", "stage", "turn"]
    assert t.segments[0].speaker == t.segments[2].speaker


@pytest.mark.parametrize(
    "decoy",
    ["主题：L2 开发者须知的交易转发规则", "APPEARANCES:", "code: <https://github.com/x/y>",
     "幻灯片：https://example.com/a.pdf", "我想提醒大家：我們全民就是超級智慧。",
     "交易转发策略的真正关键的地方在于：每个人都维护着一个交易池。", "例如：这个。"],
)
def test_decoys_are_not_speakers(decoy):
    t = parse_text(f"{decoy}\n\n正文。\n")
    assert t.speakers == ()


def test_yaml_front_matter_is_meta():
    t = parse_text("---\ntitle: x\nspeakers:\n  - A\n---\nAlice: hi\n")
    assert [s.kind for s in t.segments] == ["meta", "turn"]


def test_hard_wrapped_lines_rejoin_without_space_between_cjk():
    text = ("主持人：這是一段很長的話，被排版軟體在固定的寬度折成了好幾行，\n"
            "所以中文字之間不應該多出空格，讀起來才自然。\n"
            "Alice: this English line was wrapped at a fixed width by some\n"
            "tool, so a space goes back between the words.\n")
    t = parse_text(text)
    assert t.segments[0].text == ("這是一段很長的話，被排版軟體在固定的寬度折成了好幾行，"
                                  "所以中文字之間不應該多出空格，讀起來才自然。")
    assert t.segments[1].text.endswith("by some tool, so a space goes back between the words.")


def test_cleanup_html_entities_soft_hyphen_nbsp_crlf_bom():
    text = "\ufeffAlice: <b>bold</b> &amp; co\u00adop\u00a0here <a href='x'>link</a>\r\n"
    assert turns(text) == [("Alice", "bold & coop here link", None)]


def test_real_parentheses_and_toneless_readings_are_kept():
    t = parse_text("主持人：讀作(chà)的字，還有idea(點子)和(三維五軸)，開(kāi)會。\n")
    seg = t.segments[0]
    assert seg.text == "讀作(chà)的字，還有idea(點子)和(三維五軸)，開會。"
    assert [(seg.text[a.offset], a.reading) for a in seg.annotations] == [("開", "kāi")]


def test_garbled_u_fffd_is_flagged_not_dropped():
    t = parse_text("主持人：這是\ufffd\ufffd的文字。\n")
    seg = t.segments[0]
    assert "\ufffd\ufffd" in seg.text
    assert seg.garbled and seg.text[seg.garbled[0].start] == "\ufffd"


def test_c1_controls_of_misdecoded_utf8_show_as_flagged_replacement_characters():
    t = parse_text("主持人：" + "中文".encode().decode("latin-1") + "是好的\n")
    seg = t.segments[0]
    assert "\x96" not in seg.text and "\ufffd" in seg.text
    assert seg.garbled and "\ufffd" in seg.text[seg.garbled[0].start : seg.garbled[0].end]


def test_markdown_links_bold_and_autolinks_read_as_text():
    t = parse_text("## 問答\n\n唐鳳：請讀[這篇文章](https://example.com/a_(b)) 與 <https://x.example/y>，"
                   "**很重要**，`code` 也是。\n")
    assert t.segments[-1].text == "請讀這篇文章 與 https://x.example/y，很重要，code 也是。"


@pytest.mark.parametrize("text", ["However: this is an essay.\n\nIt goes on.\n",
                                  "Finally: we are done.\n", "Note: see below.\n"])
def test_prose_words_before_a_colon_are_not_speakers(text):
    assert parse_text(text).speakers == ()


def test_soft_hyphens_in_pdf_text():
    text = "MR. LONG: that depends, as -\u00ad\nas the juris\u00ad\ndiction goes.\n"
    assert turns(text) == [("MR. LONG", "that depends, as -- as the jurisdiction goes.", None)]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Speaker 1 (00:00):\nHello there.\n\nSpeaker 2 (00:05):\nHi.\n",
         [("Speaker 1", "Hello there.", 0.0), ("Speaker 2", "Hi.", 5.0)]),
        ("John Smith (01:02): Hello.\nJane Doe [01:05]: Hi.\n",
         [("John Smith", "Hello.", 62.0), ("Jane Doe", "Hi.", 65.0)]),
        ("Alice: (00:12) hello\n", [("Alice", "hello", 12.0)]),
        ("Q. Did you see him?\nA. Yes.\nQ. When?\nA. Monday.\n",
         [("Q", "Did you see him?", None), ("A", "Yes.", None), ("Q", "When?", None),
          ("A", "Monday.", None)]),
        ("A. Smith wrote a book.\n", []),
    ],
)
def test_timed_labels_and_deposition_q_a(text, expected):
    assert turns(text) == expected


def test_alias_used_before_it_is_declared():
    t = parse_text("SA：开场。\n\nBob：好。\n\nShaun Apps（SA）：继续。\n")
    assert [t.speaker(s.speaker).name for s in t.segments] == ["Shaun Apps", "Bob", "Shaun Apps"]
    assert t.speakers[0].labels == ("SA", "Shaun Apps（SA）")


def test_utf8_read_as_windows_1252_is_flagged_with_a_suggestion():
    t = parse_text("Alice: itâ€™s a cafÃ© thing. Café résumé naïve stays as it is.\n")
    seg = t.segments[0]
    flagged = [(seg.text[g.start : g.end], g.suggestion) for g in seg.garbled]
    assert flagged == [("â€™", "’"), ("Ã©", "é")]
    assert "itâ€™s" in seg.text  # kept visible, never replaced silently


def test_clock_time_lines_are_meta_not_part_of_a_turn():
    t = parse_text("12:41 P.M. EDT\n\nQ   Thanks.\n\n1:40 P.M. EDT\n")
    assert [(s.kind, s.text) for s in t.segments] == [
        ("meta", "12:41 P.M. EDT"), ("turn", "Thanks."), ("meta", "1:40 P.M. EDT")]


def test_a_bold_sentence_before_a_colon_is_not_a_speaker():
    t = parse_text("**Note that this is important:** read on.\n\n**Nick Nisi:** Hi.\n")
    assert [(s.kind, s.label) for s in t.segments] == [("narration", None), ("turn", "Nick Nisi")]
    assert t.segments[0].text == "Note that this is important: read on."


def test_old_mac_line_ends():
    text = "Alice: hi\r\rBob: hello\rthere\r"
    t = parse_text(text)
    assert [(s.label, s.text) for s in t.segments] == [("Alice", "hi"), ("Bob", "hello there")]
    assert text[t.segments[1].start :].startswith("Bob:")


def test_lower_case_role_in_parentheses_is_a_title():
    t = parse_text("Maria Lopez (host): Welcome.\n\nDan Okafor (guest): Thanks.\n\n"
                   "Maria Lopez: Let's begin.\n")
    maria = t.speakers[0]
    assert (maria.name, maria.title, maria.aliases) == ("Maria Lopez", "host", ())
    assert [s.speaker for s in t.segments] == ["s1", "s2", "s1"]


def test_speaker_ids_do_not_move_when_a_later_line_names_a_role():
    """A big file's head is parsed first and the full parse swapped in (the speaker filter and
    colours hold speaker ids): a role identified only by a later line must not renumber the
    speakers that follow it."""
    head = "魏能亞：開場。\n工程師 吳天：好的。\n項目秘書：你看。\n記者 王一：提問。\n"
    full = head + "項目秘書 魏能亞：謝謝。\n"
    a, b = parse_text(head, complete=False), parse_text(full)
    assert [s.speaker for s in a.segments] == ["s1", "s2", "s3", "s4"]
    assert [s.speaker for s in b.segments] == ["s1", "s2", "s1", "s4", "s1"]
    assert b.segments[2].inferred
    assert [s.id for s in b.speakers] == ["s1", "s2", "s4"]


def test_speaker_ids_have_no_gaps_when_the_role_is_named_as_it_is_read():
    t = parse_text("記者 尚大原：開場。\n項目秘書：你看。\n工程師 吳天：好的。\n"
                   "項目秘書 魏能亞：謝謝。\n主持人：再見。\n")
    assert [s.speaker for s in t.segments] == ["s1", "s2", "s3", "s2", "s4"]


def test_a_role_that_turns_out_to_have_two_holders_keeps_the_others_ids():
    head = "項目秘書：你看。\n項目秘書 甲某：一。\n記者 王一：二。\n"
    a, t = parse_text(head, complete=False), parse_text(head + "項目秘書 乙某：三。\n")
    # the head takes the role for 甲某 (inferred, its own segment); the second holder undoes that
    assert [(s.speaker, s.inferred) for s in a.segments] == [("s1", True), ("s1", False),
                                                             ("s2", False)]
    ids = [s.speaker for s in t.segments]
    assert ids[0] == "s1" and ids[2] == "s2" and len(set(ids)) == 4
    assert not any(s.inferred for s in t.segments)
    assert [s.start for s in a.segments] == [s.start for s in t.segments[:3]]


def test_an_inferred_turn_is_not_merged_into_the_named_turn_after_it():
    t = parse_text("項目秘書：你看。\n項目秘書 魏能亞：謝謝。\n")
    assert [(s.speaker, s.inferred, s.text) for s in t.segments] == [
        ("s1", True, "你看。"), ("s1", False, "謝謝。")]
