"""Quote attribution templates: what lands on the clipboard around the copied sentence."""

from __future__ import annotations

import pytest

from parser.model import Speaker
from parser.quotes import (
    QuoteTemplates,
    TemplateError,
    clean_quote_text,
    format_quote,
    is_chinese,
    render_template,
)

REPORTER = Speaker(id="s1", name="尚大原", title="記者")
HOST = Speaker(id="s2", name="Maria Lopez", title="host")


def test_default_chinese_attribution():
    assert format_quote("我們明天出發。", REPORTER) == "「我們明天出發。」——尚大原(記者)"


def test_default_english_attribution():
    assert format_quote("We leave tomorrow.", HOST) == '"We leave tomorrow." — Maria Lopez, host'


def test_missing_name_or_title_drops_its_part():
    assert format_quote("好。", Speaker(id="s1", name=None, title="記者")) == "「好。」——記者"
    assert format_quote("Yes.", Speaker(id="s1", name="Ann Lee", title=None)) == '"Yes." — Ann Lee'
    assert format_quote("Yes.", None) == '"Yes."'
    assert format_quote("Yes.", None, label="Caller") == '"Yes." — Caller'
    # The internal id is never printed as a name.
    assert format_quote("Yes.", Speaker(id="s7", name=None, title=None)) == '"Yes."'


def test_template_is_chosen_by_the_quote_script():
    # A Chinese sentence with an English name is Chinese; an English one with a Chinese word is not.
    assert format_quote("我見過Maria Lopez。", HOST).startswith("「我見過Maria Lopez。」")
    assert format_quote("They call it 語錄 in Taipei.", REPORTER).startswith('"They call')
    # No letters at all: the speaker's name decides.
    assert format_quote("1,200。", REPORTER) == "「1,200。」——尚大原(記者)"


def test_converted_to_the_display_script():
    assert (
        format_quote("我們說話。", REPORTER, script="simplified") == "「我们说话。」——尚大原(记者)"
    )
    assert format_quote("我们说话。", Speaker("s1", "尚大原", "记者"), script="traditional") == (
        "「我們說話。」——尚大原(記者)"
    )


def test_enclosing_and_stray_quote_marks_are_not_doubled():
    assert format_quote("「我們走吧。」", REPORTER) == "「我們走吧。」——尚大原(記者)"
    assert format_quote("「我們走吧。", REPORTER) == "「我們走吧。」——尚大原(記者)"
    assert format_quote("你呢？」", REPORTER) == "「你呢？」——尚大原(記者)"
    assert format_quote('"Go now."', HOST) == '"Go now." — Maria Lopez, host'


def test_inner_quotes_are_nested():
    assert format_quote("他說「好」就走了。", REPORTER) == "「他說『好』就走了。」——尚大原(記者)"
    assert format_quote('He said "fine" and left.', HOST).startswith("\"He said 'fine' and left.\"")
    assert clean_quote_text("the students’ union", chinese=False) == "the students’ union"


def test_whitespace_is_collapsed_and_removed_between_chinese_characters():
    assert clean_quote_text("我們\n明天  出發。", chinese=True) == "我們明天出發。"
    assert clean_quote_text("We  leave\ntomorrow.", chinese=False) == "We leave tomorrow."


def test_custom_template_with_all_fields_and_literals():
    templates = QuoteTemplates(english="> {quote}[ ({name}[[{label}]])] {{{source}}}")
    out = format_quote("Hi.", HOST, label="MARIA", source="ep1.txt", templates=templates)
    assert out == "> Hi. (Maria Lopez[MARIA]) {ep1.txt}"


@pytest.mark.parametrize(
    "template, complaint",
    [
        ("{name} said", "must contain {quote}"),
        ("{quote} — {speaker}", "unknown field {speaker}"),
        ("{quote} [— {name}", "unclosed '['"),
        ("{quote} — {name}]", "unmatched ']'"),
        ("{quote} [a [b] c]", "cannot be nested"),
        ("{quote} }", "unmatched '}'"),
    ],
)
def test_bad_templates_are_refused_with_a_reason(template, complaint):
    with pytest.raises(TemplateError, match=complaint.replace("[", r"\[").replace("{", r"\{")):
        QuoteTemplates(english=template)


def test_render_drops_optional_part_with_an_empty_field():
    assert render_template("{quote}[ ({title})]", {"quote": "x", "title": ""}) == "x"
    assert render_template("{quote}[ ({title})]", {"quote": "x", "title": "y"}) == "x (y)"


def test_is_chinese():
    assert is_chinese("今天天氣很好")
    assert not is_chinese("The weather is fine today")
    assert not is_chinese("")
