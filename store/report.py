"""Notes and bookmarks gathered per transcript, for listing and export (Markdown or JSON).

Pure functions over a Store: no terminal, no Textual. Given the transcript as it is now, anchors
are resolved against it so the quoted text and segment numbers are current; without it (the file
is elsewhere or gone) the quote saved with the anchor is used.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from parser.model import Transcript

from .anchors import Anchor, resolve
from .records import Bookmark, Note
from .store import Store

JSON_SCHEMA = "yulu.notes/1"


@dataclass(frozen=True, slots=True)
class Item:
    kind: Literal["note", "bookmark"]
    id: str
    index: int | None  # segment index (0-based) now; None when the passage was not found
    quote: str  # the quoted transcript text
    speaker: str | None  # who said it (display name)
    label: str | None  # the label as written in the transcript
    note: str  # the note's text; "" for a bookmark
    created: str
    updated: str

    @property
    def orphaned(self) -> bool:
        return self.index is None


@dataclass(frozen=True, slots=True)
class Section:
    tid: str
    title: str
    path: str
    items: tuple[Item, ...]


def gather(store: Store, tid: str | None = None, transcript: Transcript | None = None,
           transcript_tid: str | None = None) -> list[Section]:
    """One section per transcript that has notes or bookmarks (only `tid` when given).

    Items of `transcript_tid` (default `tid`) are resolved against `transcript`.
    """
    resolve_tid = transcript_tid or tid
    notes, marks = store.notes(tid), store.bookmarks(tid)
    tids = list(dict.fromkeys([*(n.tid for n in notes), *(b.tid for b in marks)]))
    known = {r.tid: r for r in store.recent_transcripts(limit=None)}
    tids.sort(key=lambda t: known[t].opened if t in known else "", reverse=True)
    sections = []
    for t in tids:
        current = transcript if t == resolve_tid else None
        items = [_item(n, current) for n in notes if n.tid == t]
        items += [_item(b, current) for b in marks if b.tid == t]
        items.sort(key=lambda i: (i.index is None, i.index or 0, i.created))
        record = known.get(t)
        sections.append(Section(t, record.title if record else t,
                                record.path if record else "", tuple(items)))
    return sections


def _item(entry: Note | Bookmark, transcript: Transcript | None) -> Item:
    anchor = entry.anchor
    is_note = isinstance(entry, Note)
    index, quote, speaker, label = _where(anchor, entry.orphaned, transcript)
    return Item("note" if is_note else "bookmark", entry.id, index, quote, speaker, label,
                entry.text if isinstance(entry, Note) else "", entry.created,
                entry.updated if isinstance(entry, Note) else entry.created)


def _where(anchor: Anchor, orphaned: bool, transcript: Transcript | None
           ) -> tuple[int | None, str, str | None, str | None]:
    if transcript is None:
        return (None if orphaned else anchor.index), anchor.exact, anchor.speaker, anchor.label
    place = resolve(anchor, transcript)
    if place.index is None:
        return None, anchor.exact, anchor.speaker, anchor.label
    seg = transcript.segments[place.index]
    quote = seg.text if place.start is None else seg.text[place.start:place.end]
    who = transcript.speaker(seg.speaker)
    return place.index, quote, who.display_name if who else None, seg.label


def to_json(sections: list[Section]) -> dict[str, Any]:
    return {
        "schema": JSON_SCHEMA,
        "exported": datetime.now(UTC).isoformat(timespec="seconds"),
        "transcripts": [
            {"tid": s.tid, "title": s.title, "path": s.path,
             "items": [asdict(i) | {"orphaned": i.orphaned} for i in s.items]}
            for s in sections
        ],
    }


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _md_escape(text: str) -> str:
    """Transcript text shown as text, not as Markdown (a quoted '# ' is not a heading)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return re.sub(r"(?m)^(\s*)([-+]|\d+[.)])(\s)", r"\1\\\2\3", escaped)


def to_markdown(sections: list[Section]) -> str:
    """A study sheet: per transcript, each passage quoted once with who said it, then its notes.

    A bookmark and notes on the same passage share one heading; the notes keep their line breaks
    and stay the user's own Markdown, while transcript text is escaped so it reads as written.
    """
    out: list[str] = []
    for s in sections:
        out.append(f"# {_md_escape(s.title) or 'Untitled'}\n")
        notes = sum(1 for i in s.items if i.kind == "note")
        marks = len(s.items) - notes
        counts = f"{notes} note{'s' * (notes != 1)}, {marks} bookmark{'s' * (marks != 1)}"
        if s.path and not s.path.startswith("<"):
            out.append(f"Source: `{s.path.replace('`', '')}` · {counts}\n")
        else:
            out.append(f"{counts}\n")
        out.extend(_md_passage(group) for group in _passages(s.items))
    return "\n".join(out).rstrip("\n") + "\n" if out else "No notes or bookmarks.\n"


def _passages(items: tuple[Item, ...]) -> list[list[Item]]:
    """Items grouped by the passage they quote, in reading order (orphans last)."""
    groups: dict[tuple[int | None, str], list[Item]] = {}
    for item in items:
        groups.setdefault((item.index, item.quote), []).append(item)
    return list(groups.values())


def _md_passage(group: list[Item]) -> str:
    first = group[0]
    head = [_md_escape(first.speaker) if first.speaker else "(no speaker)"]
    head.append(f"¶{first.index + 1}" if first.index is not None else
                "no longer found in the file")
    if any(i.kind == "bookmark" for i in group):
        head.append("bookmarked")
    lines = [f"## {' · '.join(head)}", ""]
    lines += [f"> {_md_escape(line)}" if line else ">" for line in first.quote.splitlines()]
    for item in group:
        if item.note.strip():
            # Two trailing spaces: a Markdown line break, so the note keeps its typed lines.
            lines += ["", "  \n".join(line.rstrip() for line in item.note.strip().splitlines())]
    return "\n".join(lines) + "\n"
