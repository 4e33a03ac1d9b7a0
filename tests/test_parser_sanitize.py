"""Hostile text: escape sequences and control characters never reach the model's text."""

from __future__ import annotations

import re

import pytest

from parser import parse_text, sanitize

UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("a\x1b[2Jb", "ab"),  # CSI clear screen
        ("a\x1b[38;5;196mred\x1b[0m", "ared"),
        ("a\x1b]0;pwned title\x07b", "ab"),  # OSC with its payload, BEL-terminated
        ("a\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),  # OSC 8 hyperlink
        ("a\x1b]52;c;aGk=\x07b", "ab"),  # OSC 52 clipboard write
        ("a\x1bP1$qm\x1b\\b", "ab"),  # DCS
        ("a\x9b2Jb", "ab"),  # 8-bit CSI
        ("a\x9d0;t\x9cb", "ab"),  # 8-bit OSC, 8-bit ST
        ("a\x1b_apc payload\x1b\\b", "ab"),
        ("a\x1bcb", "ab"),  # RIS
        ("x\u202eevil\u202cy\u2066z\u2069", "xevilyz"),  # bidi override / isolate
        ("tab\tand\nnewline\r\x00\x07\x7f", "tab\tand\nnewline"),
        ("[bold]x[/] [@click=app.quit]z", "[bold]x[/] [@click=app.quit]z"),  # markup stays
        ("中文\x1b[1m粗\x1b[0m", "中文粗"),
    ],
)
def test_sanitize(raw, clean):
    assert sanitize(raw) == clean


def test_unterminated_osc_only_eats_its_line():
    assert sanitize("a\x1b]0;title\nnext line") == "a\nnext line"


def test_hostile_transcript_text_is_clean_and_markup_literal():
    text = ("記者 王一:\x1b[2J大家好\x1b]0;x\x07[bold]粗[/]\u202e反\n"
            "Q:  \x1b[31mwhat?\x9b1m &#27;[2J &lt;b&gt;\n")
    t = parse_text(text)
    for seg in t.segments:
        assert not UNSAFE.search(seg.text), repr(seg.text)
        assert not UNSAFE.search(seg.label or "")
        assert "\x1b" not in seg.text
    assert t.segments[0].text == "大家好[bold]粗[/]反"
    assert "<b>" in t.segments[1].text  # entities decoded to plain characters, not markup
