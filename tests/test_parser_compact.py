"""The parser's low-memory representations give what the plain ones gave.

Lines are split a chunk at a time and paragraphs keep offsets instead of their lines (see
parser/blocks.py); the references below are the straightforward forms they replaced.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from parser import blocks

_ANY_LINE = re.compile(r"([^\r\n]*)(?:\r\n|\r|\n|$)")


def reference_lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pos = 0
    if text.startswith("\ufeff"):
        text = text[1:]
        pos = 1
    if "\r" in text and text.count("\r") > text.count("\r\n"):
        for m in _ANY_LINE.finditer(text):
            out.append((pos + m.start(), m.group(1)))
            if m.end() == len(text):
                break
        return out
    for line in text.split("\n"):
        out.append((pos, line[:-1] if line.endswith("\r") else line))
        pos += len(line) + 1
    return out


pieces = st.one_of(
    st.sampled_from(["\n", "\r\n", "\r", "\n\n", "  ", "\ufeff", "記者 尚大原：", "Q:", "(笑)",
                     "## Part", " 1   numbered", "---", "```"]),
    st.text(alphabet="ab 天地人說話。", max_size=30),
)
texts = st.lists(pieces, max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts, st.integers(1, 12))
def test_chunked_lines_are_the_lines(text, chunk):
    saved = blocks._CHUNK
    blocks._CHUNK = chunk  # many chunk edges in a short text
    try:
        assert list(blocks.iter_lines(text)) == reference_lines(text)
    finally:
        blocks._CHUNK = saved


@settings(max_examples=300, deadline=None)
@given(texts, st.booleans())
def test_paragraph_lines_are_the_lines_it_was_made_of(text, wrapped):
    """Each text paragraph's lines, sliced from the source on demand, are the consecutive
    source lines from its first one: what it used to store."""
    lines = reference_lines(text)
    paragraphs = blocks.Paragraphs(text)
    blocks._text_paragraphs(lines, 40 if wrapped else None, False, paragraphs)
    starts = {off: i for i, (off, _) in enumerate(lines)}
    for k in range(len(paragraphs)):
        i = starts[paragraphs.firsts[k]]
        got = paragraphs.lines(k)
        assert got == [s for _, s in lines[i : i + len(got)]]
        assert paragraphs.more_lines(k) == got[1:]
        assert paragraphs.stops[k] == lines[i + len(got) - 1][0] + len(got[-1])
        assert paragraphs.labels[k] == blocks._label_of(got[0])
        p = paragraphs[k]
        assert (p.start, p.end, p.lines, p.kind, p.label) == (
            paragraphs.starts[k], paragraphs.ends[k], got, "text", paragraphs.labels[k])
        assert p.start == lines[i][0] + len(got[0]) - len(got[0].lstrip())
        assert p.end == lines[i + len(got) - 1][0] + len(got[-1].rstrip())
