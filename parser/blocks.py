"""Split plain text (TXT, Markdown, PDF text) into paragraphs with source offsets.

A paragraph ends at a blank line, or at a line that starts with a speaker label or a heading.
Lines are re-joined into one paragraph only when the file is hard-wrapped (short lines); files
with one long line per paragraph (the seed) get one paragraph per line.

PDF text (court transcripts) numbers its lines 1-25 on every page and is double-spaced: there the
numbers are cut off, blank lines mean nothing, page headers/footers are dropped, and whatever
follows the last numbered line (a word index) becomes one "meta" block.

Memory: a big file is never held as a list of lines. It is split a megabyte at a time, and the
paragraphs keep offsets into the source (`Paragraphs`), their lines being sliced out again
when the assembler needs them; only a label's rest of the line, which becomes segment text, is
kept from the first pass.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice

from parser.labels import LabelMatch, match_label, match_otter_header
from parser.progress import SPLIT_SHARE, report

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
    """One paragraph: what `Paragraphs[i]` gives."""

    start: int  # offset of the first character of its first line
    end: int  # offset just after its last character (newline excluded)
    lines: list[str] = field(default_factory=list)  # as written, without line breaks
    kind: str = "text"  # text | meta (front matter, index)
    markdown: bool = False
    label: LabelMatch | None = None  # the speaker label opening it (text paragraphs), or None


_MULTI, _MARKDOWN, _META = 1, 2, 4  # Paragraphs.flags bits


class Paragraphs:
    """The paragraphs of one source text, as columns: offsets in arrays, labels in a list, lines
    sliced from the source when asked for. One object per paragraph, with its lines and int
    offsets, was most of a 10 MB parse's peak; this is about 40 bytes a paragraph."""

    __slots__ = ("source", "starts", "ends", "firsts", "stops", "flags", "labels", "explicit")

    def __init__(self, source: str) -> None:
        self.source = source
        self.starts = array("q")  # offset of the first character of its first line
        self.ends = array("q")  # offset just after its last character (newline excluded)
        self.firsts = array("q")  # where its first line starts (before any indent)
        self.stops = array("q")  # where its last line ends (line break excluded)
        self.flags = bytearray()
        self.labels: list[LabelMatch | None] = []  # the speaker label opening a text paragraph
        self.explicit: dict[int, list[str]] = {}  # lines that are not slices of the source (PDF)

    def __len__(self) -> int:
        return len(self.flags)

    def __getitem__(self, i: int) -> Paragraph:
        return Paragraph(self.starts[i], self.ends[i], self.lines(i), self.kind(i),
                         self.markdown(i), self.labels[i])

    def add(self, off: int, line: str, markdown: bool) -> None:
        """A paragraph opening with `line`, which starts at `off` in the source."""
        self.starts.append(off + (len(line) - len(line.lstrip())))
        self.ends.append(off + len(line.rstrip()))
        self.firsts.append(off)
        self.stops.append(off + len(line))
        self.flags.append(_MARKDOWN if markdown else 0)
        self.labels.append(_label_of(line))

    def add_line(self, off: int, line: str) -> None:
        """The next line of the last paragraph."""
        self.flags[-1] |= _MULTI
        self.stops[-1] = off + len(line)
        self.ends[-1] = off + len(line.rstrip())

    def add_explicit(self, start: int, end: int, lines: list[str], kind: str = "text",
                     markdown: bool = False) -> None:
        """A paragraph whose lines are given (PDF bodies, front matter, a word index); the list
        is its own, so appending to it adds lines."""
        self.explicit[len(self.flags)] = lines
        self.starts.append(start)
        self.ends.append(end)
        self.firsts.append(start)
        self.stops.append(end)
        self.flags.append((_MARKDOWN if markdown else 0) | (_META if kind == "meta" else 0))
        self.labels.append(_label_of(lines[0]) if kind == "text" else None)

    def kind(self, i: int) -> str:
        return "meta" if self.flags[i] & _META else "text"

    def markdown(self, i: int) -> bool:
        return bool(self.flags[i] & _MARKDOWN)

    def lines(self, i: int) -> list[str]:
        """Its lines as written (each without its line break); made anew on each call."""
        lines = self.explicit.get(i) if self.explicit else None
        if lines is not None:
            return lines
        raw = self.source[self.firsts[i] : self.stops[i]]
        if not self.flags[i] & _MULTI:
            return [raw]
        return _LINE_BREAK.split(raw) if "\r" in raw else raw.split("\n")

    def more_lines(self, i: int) -> list[str]:
        """Its lines after the first ([] for one line, with no slicing)."""
        if self.flags[i] & _MULTI or i in self.explicit:
            return self.lines(i)[1:]
        return []


def _label_of(first_line: str) -> LabelMatch | None:
    first = first_line.strip()
    return match_label(first) or match_otter_header(first)


# Line ends as iter_lines splits them: with a lone CR anywhere, each of CR LF, CR and LF;
# otherwise every CR sits before a LF and is dropped with it.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CHUNK = 1 << 18  # characters split into lines at a time


def iter_lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line without its line break) for every line; CR before LF is dropped.

    A quarter megabyte of text is split at a time: all the lines of a big file as strings at once
    would cost more than the file."""
    pos = 0
    if text.startswith("\ufeff"):  # a BOM left in decoded text: not part of the first line
        pos = 1
    if "\r" in text and text.count("\r") > text.count("\r\n"):
        # old Mac line ends (a lone CR) somewhere: split on every kind of line end
        n = len(text)
        for m in _ANY_LINE.finditer(text, pos):
            yield m.start(), m.group(1)
            if m.end() == n:
                break
        return
    n = len(text)
    while True:
        report(SPLIT_SHARE * pos / max(1, n))
        cut = text.find("\n", pos + _CHUNK) if pos + _CHUNK < n else -1
        piece = text[pos:cut] if cut >= 0 else text[pos:]
        for line in piece.split("\n"):
            size = len(line)
            yield pos, line[:-1] if line.endswith("\r") else line
            pos += size + 1
        if cut < 0:
            return


_ANY_LINE = re.compile(r"([^\r\n]*)(?:\r\n|\r|\n|$)")


def _front_matter(lines: list[tuple[int, str]]) -> int:
    """Number of lines of a YAML front matter block at the top, 0 if none."""
    if not lines or lines[0][1].strip() != "---":
        return 0
    for i in range(1, min(len(lines), 300)):
        if lines[i][1].strip() in _FRONT_MATTER_END:
            return i + 1
    return 0


def _text_format(lines: Iterable[tuple[int, str]]) -> tuple[bool, int | None]:
    """(PDF text?, the column a hard-wrapped file is wrapped at or None), from the first 5,000
    lines, read as they pass.

    PDF text: over half of the first 3,000 lines that are not blank (20 at least) are numbered.
    The wrap width is the 90th percentile of the lengths of the lines that are not blank, when
    that is at most 110.
    """
    sample = numbered = 0
    lengths: list[int] = []
    for i, (_, s) in enumerate(islice(lines, 5000)):
        if not s.strip():
            continue
        lengths.append(len(s))
        if i < 3000:
            sample += 1
            if _PDF_NUMBERED.match(s):
                numbered += 1
    pdf = sample >= 20 and numbered > 0.5 * sample
    if len(lengths) < 3:
        return pdf, None
    lengths.sort()
    width = lengths[int(len(lengths) * 0.9)]
    return pdf, width if width <= 110 else None


def paragraphs(text: str, *, markdown: bool = False) -> Paragraphs:
    lines = iter_lines(text)
    head = list(islice(lines, 300))  # where a front matter block may be
    out = Paragraphs(text)
    skip = _front_matter(head)
    if skip:
        last_off, last_line = head[skip - 1]
        out.add_explicit(head[0][0], last_off + len(last_line), [s for _, s in head[:skip]],
                         "meta", markdown)
    pdf, width = _text_format(chain(head[skip:], lines))
    del head, lines
    # the lines again from the top: the first 5,000 held for the checks cost megabytes
    body = islice(iter_lines(text), skip, None)
    if pdf:
        _pdf_paragraphs(list(body), out)
    else:
        _text_paragraphs(body, width, markdown, out)
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


def _text_paragraphs(lines: Iterable[tuple[int, str]], width: int | None, markdown: bool,
                     out: Paragraphs) -> None:
    """Paragraphs of ordinary text. With a wrap width, lines are joined unless a line starts a
    paragraph (label, heading, stage direction) or the line before it ended one (it was short,
    or a heading or stage direction itself)."""
    open_ = False  # the last paragraph of `out` may take the next line
    prev = ""  # its last line
    in_fence = False
    for off, s in lines:
        stripped = s.strip()
        if markdown and stripped.startswith("```"):
            in_fence = not in_fence
        if not stripped:
            open_ = False
            continue
        new = not open_ or width is None or (not in_fence and (
            _starts_paragraph(s) or _ends_paragraph(prev, width)))
        if new:
            out.add(off, s, markdown)
            open_ = True
        else:
            out.add_line(off, s)
        prev = s


def _pdf_paragraphs(lines: list[tuple[int, str]], out: Paragraphs) -> None:
    cur: list[str] | None = None  # the lines of the last paragraph
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
            cur = [body]
            out.add_explicit(body_off, body_off + len(body), cur)
        else:
            cur.append(body)
            out.ends[-1] = body_off + len(body)
    # What follows the last numbered line is a word index when it has index entries; a bare
    # page footer (the end of a file's head, say) is furniture like every other.
    tail = [(off, s) for off, s in lines[last_numbered + 1 :] if s.strip()]
    if tail and index_start < len(lines):
        first_off, first = tail[0]
        last_off, last = tail[-1]
        start = first_off + len(first) - len(first.lstrip())
        out.add_explicit(start, last_off + len(last.rstrip()), [s for _, s in tail], "meta")


def _content(s: str) -> tuple[int, int, str] | None:
    """(indent after the line number, column of the text, text) of a numbered PDF line."""
    m = _PDF_NUMBERED.match(s)
    if not m:
        return None
    rest = s[m.end() :].rstrip()
    body = rest.lstrip()
    return (len(m.group(2) or ""), m.end() + len(rest) - len(body), body)
