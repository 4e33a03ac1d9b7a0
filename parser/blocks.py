"""Split plain text (TXT, Markdown, PDF text) into paragraphs with source offsets.

A paragraph ends at a blank line, or at a line that starts with a speaker label or a heading.
Lines are re-joined into one paragraph only when the file is hard-wrapped (short lines); files
with one long line per paragraph (the seed) get one paragraph per line.

PDF text (court transcripts) numbers its lines 1-25 on every page and is double-spaced: there the
numbers are cut off, blank lines mean nothing, page headers/footers are dropped, and whatever
follows the last numbered line (a word index) becomes one "meta" block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parser.labels import LabelMatch, match_label, match_otter_header

_FRONT_MATTER_END = frozenset({"---", "..."})
_PDF_NUMBERED = re.compile(r"^\s{0,3}(\d{1,2})(?:(\s{2,})(?=\S)|\s*$)")
_PDF_INDENT = 8  # spaces after the line number that start a new paragraph
_HEADING = re.compile(r"^#{1,6}\s")
# A whole line in brackets: (Laughter.) （笑） [掌声] <i>Laughter</i> -- a stage direction, its own
# paragraph (and its own segment kind, see assemble.classify).
STAGE_LINE = re.compile(
    r"^(?:\\?[\[【(（]|<i>)\s*[^\[\]【】()（）]{1,60}?\s*(?:\\?[\]】)）]|</i>)[.。]?$"
)
_INDEX_REF = re.compile(r"\b\d{1,3}:\d{1,2}\b")  # "able 6:2 51:2,18": a word index entry


@dataclass(slots=True)
class Paragraph:
    start: int  # offset of the first character of its first line
    end: int  # offset just after its last character (newline excluded)
    lines: list[str] = field(default_factory=list)
    kind: str = "text"  # text | meta (front matter, index)
    markdown: bool = False
    _label: LabelMatch | None = None  # cached by `label`
    _label_done: bool = False

    @property
    def label(self) -> LabelMatch | None:
        """The speaker label opening this paragraph, or None; computed once."""
        if not self._label_done:
            first = self.lines[0].strip()
            self._label = match_label(first) or match_otter_header(first)
            self._label_done = True
        return self._label


def split_lines(text: str) -> list[tuple[int, str]]:
    """(offset, line without its line break) for every line; CR before LF is dropped."""
    out: list[tuple[int, str]] = []
    pos = 0
    if text.startswith("\ufeff"):  # a BOM left in decoded text: not part of the first line
        text = text[1:]
        pos = 1
    if "\r" in text and text.count("\r") > text.count("\r\n"):
        # old Mac line ends (a lone CR) somewhere: split on every kind of line end
        for m in _ANY_LINE.finditer(text):
            out.append((pos + m.start(), m.group(1)))
            if m.end() == len(text):
                break
        return out
    for line in text.split("\n"):
        n = len(line)
        out.append((pos, line[:-1] if line.endswith("\r") else line))
        pos += n + 1
    return out


_ANY_LINE = re.compile(r"([^\r\n]*)(?:\r\n|\r|\n|$)")


def _front_matter(lines: list[tuple[int, str]]) -> int:
    """Number of lines of a YAML front matter block at the top, 0 if none."""
    if not lines or lines[0][1].strip() != "---":
        return 0
    for i in range(1, min(len(lines), 300)):
        if lines[i][1].strip() in _FRONT_MATTER_END:
            return i + 1
    return 0


def _is_pdf_text(lines: list[tuple[int, str]]) -> bool:
    sample = [s for _, s in lines[:3000] if s.strip()]
    if len(sample) < 20:
        return False
    numbered = sum(1 for s in sample if _PDF_NUMBERED.match(s))
    return numbered > 0.5 * len(sample)


def _wrap_width(lines: list[tuple[int, str]]) -> int | None:
    """The column a hard-wrapped file is wrapped at (90th percentile line length), or None."""
    lengths = sorted(len(s) for _, s in lines[:5000] if s.strip())
    if len(lengths) < 3:
        return None
    width = lengths[int(len(lengths) * 0.9)]
    return width if width <= 110 else None


def paragraphs(text: str, *, markdown: bool = False) -> list[Paragraph]:
    lines = split_lines(text)
    out: list[Paragraph] = []
    skip = _front_matter(lines)
    if skip:
        last_off, last_line = lines[skip - 1]
        out.append(Paragraph(lines[0][0], last_off + len(last_line),
                             [s for _, s in lines[:skip]], "meta", markdown))
    body = lines[skip:]
    if _is_pdf_text(body):
        out.extend(_pdf_paragraphs(body))
    else:
        out.extend(_text_paragraphs(body, _wrap_width(body), markdown))
    return out


def _ends_paragraph(prev: str, width: int) -> bool:
    stripped = prev.strip()
    if stripped.endswith("\u00ad"):
        return False  # hyphenated at the line end: the word goes on
    return (len(stripped) < width // 2 or _HEADING.match(stripped) is not None
            or STAGE_LINE.match(stripped) is not None or match_otter_header(stripped) is not None)


def _starts_paragraph(s: str) -> bool:
    stripped = s.strip()
    if _HEADING.match(stripped) or STAGE_LINE.match(stripped):
        return True
    return match_label(stripped) is not None or match_otter_header(stripped) is not None


def _text_paragraphs(lines: list[tuple[int, str]], width: int | None,
                     markdown: bool) -> list[Paragraph]:
    """Paragraphs of ordinary text. With a wrap width, lines are joined unless a line starts a
    paragraph (label, heading, stage direction) or the line before it ended one (it was short,
    or a heading or stage direction itself)."""
    out: list[Paragraph] = []
    cur: Paragraph | None = None
    in_fence = False
    for off, s in lines:
        stripped = s.strip()
        if markdown and stripped.startswith("```"):
            in_fence = not in_fence
        if not stripped:
            cur = None
            continue
        new = cur is None or width is None or (not in_fence and (
            _starts_paragraph(s) or _ends_paragraph(cur.lines[-1], width)))
        if new:
            cur = Paragraph(off + (len(s) - len(s.lstrip())), off + len(s.rstrip()), [s], "text",
                            markdown)
            out.append(cur)
        else:
            cur.lines.append(s)
            cur.end = off + len(s.rstrip())
    return out


def _pdf_paragraphs(lines: list[tuple[int, str]]) -> list[Paragraph]:
    out: list[Paragraph] = []
    cur: Paragraph | None = None
    index_start = next((i for i, (_, s) in enumerate(lines)
                        if _content(s) is None and len(_INDEX_REF.findall(s)) >= 2), len(lines))
    last_numbered = max((i for i, (_, s) in enumerate(lines[:index_start])
                         if _content(s) is not None), default=-1)
    for i, (off, s) in enumerate(lines):
        if i > last_numbered:
            break
        content = _content(s)
        if content is None:
            continue  # page header, footer, page number
        indent, col, body = content
        if not body:
            continue
        body_off = off + col
        # Court reporters indent every new speaker and paragraph; a label-like word at the
        # start of a wrapped line (`Elsevier:`) is not one.
        new = cur is None or indent >= _PDF_INDENT
        if new:
            cur = Paragraph(body_off, body_off + len(body), [body], "text", False)
            out.append(cur)
        else:
            cur.lines.append(body)
            cur.end = body_off + len(body)
    # What follows the last numbered line is a word index when it has index entries; a bare
    # page footer (the end of a file's head, say) is furniture like every other.
    tail = [(off, s) for off, s in lines[last_numbered + 1 :] if s.strip()]
    if tail and index_start < len(lines):
        first_off, first = tail[0]
        last_off, last = tail[-1]
        start = first_off + len(first) - len(first.lstrip())
        out.append(Paragraph(start, last_off + len(last.rstrip()), [s for _, s in tail], "meta"))
    return out


def _content(s: str) -> tuple[int, int, str] | None:
    """(indent after the line number, column of the text, text) of a numbered PDF line."""
    m = _PDF_NUMBERED.match(s)
    if not m:
        return None
    rest = s[m.end() :].rstrip()
    body = rest.lstrip()
    return (len(m.group(2) or ""), m.end() + len(rest) - len(body), body)
