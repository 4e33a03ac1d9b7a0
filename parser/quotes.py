"""Quotes with attribution: 「…」——尚大原(記者) for Chinese, "…" — Maria Lopez, host for English.

A template is plain text with named fields in braces and optional parts in square brackets:

    「{quote}」[——{name}][({title})]
    "{quote}"[ — {name}][, {title}]

Fields: {quote} (required), {name} (the speaker's name, or their title/label when no name is known),
{title} (the title, only when a name is known, so it is never repeated), {label} (the label as
written in the source), {source} (the transcript's file name). An optional part `[...]` is dropped
when any field inside it is empty. `{{`, `}}`, `[[` and `]]` stand for literal braces and brackets.

Pure functions: no terminal, no clipboard. The caller picks the display script; the quote, name
and title are converted to it (the template's own text is kept as the user wrote it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from parser.cjk import cjk_char
from parser.model import Speaker
from parser.script import Script, convert

DEFAULT_CHINESE_TEMPLATE = "「{quote}」[——{name}][({title})]"
DEFAULT_ENGLISH_TEMPLATE = '"{quote}"[ — {name}][, {title}]'

FIELDS: tuple[str, ...] = ("quote", "name", "title", "label", "source")

_TOKEN = re.compile(r"\{\{|\}\}|\[\[|\]\]|\{([^{}]*)\}|\[|\]|[^{}\[\]]+|[{}]")


class TemplateError(ValueError):
    """A quote template that cannot be used; the message says why, for the user."""


@dataclass(frozen=True, slots=True)
class QuoteTemplates:
    chinese: str = DEFAULT_CHINESE_TEMPLATE
    english: str = DEFAULT_ENGLISH_TEMPLATE

    def __post_init__(self) -> None:
        validate_template(self.chinese)
        validate_template(self.english)

    def for_text(self, text: str) -> str:
        return self.chinese if is_chinese(text) else self.english


# A parsed template: a list of parts; each part is (optional, [(literal, field), ...]).
_Piece = tuple[str, str | None]


def _parse(template: str) -> list[tuple[bool, list[_Piece]]]:
    parts: list[tuple[bool, list[_Piece]]] = [(False, [])]
    in_optional = False
    for m in _TOKEN.finditer(template):
        tok = m.group(0)
        if tok in ("{{", "}}", "[[", "]]"):
            parts[-1][1].append((tok[0], None))
        elif m.group(1) is not None:
            field = m.group(1).strip()
            if field not in FIELDS:
                known = ", ".join("{" + f + "}" for f in FIELDS)
                raise TemplateError(f"unknown field {{{field}}} in quote template (known: {known})")
            parts[-1][1].append(("", field))
        elif tok == "[":
            if in_optional:
                raise TemplateError("optional parts [...] cannot be nested in a quote template")
            in_optional = True
            parts.append((True, []))
        elif tok == "]":
            if not in_optional:
                raise TemplateError("unmatched ']' in quote template (write ']]' for a bracket)")
            in_optional = False
            parts.append((False, []))
        elif tok in ("{", "}"):
            raise TemplateError(f"unmatched '{tok}' in quote template (write '{tok}{tok}')")
        else:
            parts[-1][1].append((tok, None))
    if in_optional:
        raise TemplateError("unclosed '[' in quote template")
    return parts


def validate_template(template: str) -> None:
    """Raise TemplateError unless template parses and contains {quote}."""
    parts = _parse(template)
    if not any(field == "quote" for _, pieces in parts for _, field in pieces):
        raise TemplateError("a quote template must contain {quote}")


def render_template(template: str, fields: dict[str, str]) -> str:
    """Fill template; optional parts with an empty field are dropped."""
    out: list[str] = []
    for optional, pieces in _parse(template):
        values = [fields.get(f, "") if f else lit for lit, f in pieces]
        if optional and any(f and not fields.get(f) for _, f in pieces):
            continue
        out.extend(values)
    return "".join(out)


def is_chinese(text: str) -> bool:
    """Whether text reads as Chinese: at least as many Han characters as English words.

    A Chinese sentence with an English name in it is still Chinese; an English sentence quoting one
    Chinese word is not.
    """
    han = len(cjk_char().findall(text))
    latin_words = len(re.findall(r"[A-Za-z]+", text))
    # Compare Han characters to English words: a Chinese word is one to two characters long.
    return han > 0 and han >= latin_words


_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_SPACES = re.compile(r"\s+")


@cache
def _cjk_space() -> re.Pattern[str]:
    # Compiled on first use (~1 ms): importing this module is on the reader's way to its first
    # screen (tui/config.py takes the default templates from here).
    return re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")

# Enclosing pairs stripped from a quote so the template's marks are not doubled. Single quotes are
# left alone: ' and ’ are apostrophes far more often than quotation marks.
_PAIRS = {"「": "」", "『": "』", "“": "”", '"': '"'}
_STRAY_CLOSERS = {"」": "「", "』": "『", "”": "“"}


def _strip_enclosing_quotes(text: str) -> str:
    if len(text) >= 2 and text[0] in _PAIRS and text[-1] == _PAIRS[text[0]]:
        inner = text[1:-1]
        # Only when the pair encloses everything: not for 「甲」和「乙」 or "a" and "b".
        if text[0] not in inner and text[-1] not in inner:
            return inner
    # A sentence cut out of a longer quotation keeps only one of its marks: drop the stray one.
    if text and text[0] in "「『“" and _PAIRS[text[0]] not in text:
        text = text[1:]
    if text and text[-1] in _STRAY_CLOSERS and _STRAY_CLOSERS[text[-1]] not in text:
        text = text[:-1]
    if text.count('"') % 2 == 1:
        text = text[1:] if text.startswith('"') else text[:-1] if text.endswith('"') else text
    return text


def _nest(text: str, chinese: bool) -> str:
    """Inner quotation marks become the nested kind: 「…」 -> 『…』, "…" -> '…'."""
    if chinese:
        return text.replace("「", "『").replace("」", "』")
    text = text.replace("“", "‘").replace("”", "’")
    return re.sub(r'"([^"]*)"', r"'\1'", text)


def clean_quote_text(text: str, *, chinese: bool) -> str:
    """Quote body: whitespace collapsed (none between CJK characters), enclosing marks removed."""
    text = _cjk_space().sub("", text.strip())
    text = _SPACES.sub(" ", text)
    return _nest(_strip_enclosing_quotes(text).strip(), chinese)


def attribution_fields(speaker: Speaker | None, label: str | None) -> dict[str, str]:
    """{name} and {title} for a speaker: name falls back to the title or label; title never repeats."""
    if speaker is not None:
        # Not display_name: its last resort is the internal id ("s1"), which means nothing in print.
        name = speaker.name or speaker.title or (speaker.labels[0] if speaker.labels else label)
        title = speaker.title if speaker.name and speaker.title else ""
    else:
        name, title = label, ""
    name = name or ""
    return {"name": name, "title": title if title != name else "", "label": label or ""}


def format_quote(
    text: str,
    speaker: Speaker | None = None,
    *,
    label: str | None = None,
    source: str = "",
    templates: QuoteTemplates | None = None,
    script: Script = "original",
) -> str:
    """The quote as it goes to the clipboard, in the display script, with its attribution."""
    templates = templates or QuoteTemplates()
    who = attribution_fields(speaker, label)["name"]
    # Text without letters ("1,200。" or "...") takes the script of the speaker's name.
    chinese = is_chinese(text) or (not re.search(r"[A-Za-z]", text) and is_chinese(who))
    template = templates.chinese if chinese else templates.english
    fields = attribution_fields(speaker, label)
    fields = {key: convert(value, script) for key, value in fields.items()}
    fields["quote"] = convert(clean_quote_text(text, chinese=chinese), script)
    fields["source"] = source
    return render_template(template, fields)
