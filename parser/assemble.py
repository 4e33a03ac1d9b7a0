"""From paragraphs (or subtitle cues) to the Transcript: classify, attribute, merge, clean.

Decisions a reader would make, in code:
- an unlabelled paragraph after a turn continues that turn; before any turn it is narration;
- a heading ends the current turn; a stage direction does not (the speaker goes on after it);
- consecutive turns of one speaker are merged into one segment (paragraphs joined by a blank
  line): re-labelled blocks of the same person are one turn to a reader;
- a label that is only a role (`孝感市孝南區“項目秘書”`) which later appears with a name is that
  person; such segments are marked `inferred`;
- `Name（AB）` makes `AB` an alias of Name.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from parser.blocks import STAGE_LINE, Paragraphs
from parser.cjk import has_cjk
from parser.cleanup import clean_markup, clean_paragraph, join_lines, remove_annotations
from parser.labels import (
    PROSE_LEADS,
    ROLE_WORDS,
    LabelMatch,
    is_meta_key,
    is_prose_lead,
    ruby_free,
    split_label,
)
from parser.model import Annotation, Garbled, Segment, Speaker, Transcript
from parser.progress import SPLIT_SHARE, report

_CREDITS = re.compile(
    r"记者|記者|编辑|編輯|通讯员|通訊員|摄影|攝影|撰稿|来源|來源|责编|責編|校对|校對|"
    r"\b(?:Reporting by|Editing by|Edited by|Produced by|Transcribed by|Writing by)\b",
)
_PARENS = re.compile(r"^[(（].*[)）]$", re.DOTALL)
_HEADING_MD = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_UPPER_HEADING = re.compile(r"^[A-Z0-9][A-Z0-9 .,'&\-]{3,70}$")
_KEY_VALUE = re.compile(r"^(?P<key>[^:：︰]{1,24}?)\s*[:：︰]\s*(?P<value>.*)$")
_CLOCK = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?\s?[Mm]\.?)?(?:\s+[A-Z]{2,5})?$")
_URL_VALUE = re.compile(r"^<?https?://|^<?www\.", re.I)


_SEP = "\n\n"  # between the paragraphs of one segment


@dataclass(slots=True)
class SegmentDraft:
    """A segment being built: paragraphs are cleaned and appended as they are read.

    Every segment of a file has a draft at once (turns are merged only once all are read), so a
    draft holds no empty lists: one cleaned paragraph is kept as a str, notes and garbled runs
    as the tuples cleaning made, until a second paragraph needs a list.
    """

    kind: str
    start: int
    end: int
    key: str | None = None  # speaker key before resolution
    label: str | None = None
    time: float | None = None
    markdown: bool = False
    label_notes: tuple[Annotation, ...] = ()
    texts: str | list[str] | None = None  # the cleaned paragraphs
    # annotations and garbled runs with offsets into the joined text of `texts`
    notes: tuple[Annotation, ...] | list[Annotation] = ()
    garbled: tuple[Garbled, ...] | list[Garbled] = ()
    length: int = 0  # length of the joined text, kept once `texts` is a list

    def text_length(self) -> int:
        texts = self.texts
        if texts is None:
            return 0
        return len(texts) if isinstance(texts, str) else self.length

    def add(self, raw: str, end: int) -> None:
        base = self.text_length() + len(_SEP) if self.texts is not None else 0
        text, notes, garbled = clean_paragraph(raw, markdown=self.markdown, base=base)
        self.end = max(self.end, end)
        if not text:
            return
        texts = self.texts
        if texts is None:
            self.texts = text
        else:
            if isinstance(texts, str):
                texts = self.texts = [texts]
            texts.append(text)
            self.length = base + len(text)
        if notes:
            self.notes = _extended(self.notes, notes)
        if garbled:
            self.garbled = _extended(self.garbled, garbled)

    def extend(self, other: SegmentDraft) -> None:
        """Append another proto's paragraphs (a merged turn of the same speaker)."""
        if other.texts is None:
            self.end = max(self.end, other.end)
            return
        base = self.text_length() + len(_SEP) if self.texts is not None else 0
        length = base + other.text_length()
        texts = self.texts
        if texts is None:
            texts = []
        elif isinstance(texts, str):
            texts = [texts]
        if isinstance(other.texts, str):
            texts.append(other.texts)
        else:
            texts.extend(other.texts)
        self.texts, self.length = texts, length
        if other.notes:
            self.notes = _extended(self.notes, [Annotation(a.offset + base, a.reading)
                                                for a in other.notes])
        if other.garbled:
            self.garbled = _extended(self.garbled, [Garbled(g.start + base, g.end + base,
                                                            g.suggestion)
                                                    for g in other.garbled])
        self.end = max(self.end, other.end)


def _extended(items: tuple | list, more: tuple | list) -> tuple | list:
    """`items` with `more` after them: `more` itself when there were none, else a list."""
    if not items:
        return more
    if isinstance(items, tuple):
        items = list(items)
    items.extend(more)
    return items


@dataclass(slots=True)
class _SpeakerDraft:
    key: str
    name: str | None
    title: str | None
    labels: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)


class SpeakerRegistry:
    """Speaker keys -> drafts; aliases; resolution of role-only labels."""

    def __init__(self) -> None:
        self.drafts: dict[str, _SpeakerDraft] = {}
        self.alias: dict[str, str] = {}
        self._known: dict[str, str] = {}  # label -> key, for labels seen before
        self.order: dict[str, int] = {}  # label -> rank of its first appearance
        # Speaker numbers (the n of id "sn"), given when a key is first seen, so that they do
        # not depend on what comes later in the file: the parse of a big file's head and the
        # full parse give a speaker the same id. A key known at once to be an earlier key's
        # person (`項目秘書 魏能亞` after `項目秘書`, `Name（AB）` after `AB`) shares its number.
        self.number: dict[str, int] = {}
        self.owner: dict[int, str] = {}  # number -> the key it was first given to
        self._holders: Counter[str] = Counter()  # title -> named speakers holding it

    def key_for(self, label: str) -> str:
        key = self._known.get(label)
        if key is None:
            key = self._known[label] = self._key_for(label)
        return key

    def _key_for(self, label: str) -> str:
        clean = " ".join(label.split())
        if not clean:
            clean = "?"
        folded = clean.casefold()
        if folded in self.alias:
            key = self.alias[folded]
            self._seen(key, clean)
            return key
        parts = split_label(clean)
        key = (parts.name or parts.title or clean).casefold()
        if key in self.alias and key not in self.drafts:
            key = self.alias[key]
        draft = self.drafts.get(key)
        if draft is None:
            self._number(key, parts.name, parts.title, parts.alias)
            draft = self.drafts[key] = _SpeakerDraft(key, parts.name, parts.title)
            if parts.name and parts.title:
                self._holders[parts.title.casefold()] += 1
        elif draft.title is None and parts.title is not None:
            draft.title = parts.title
            if draft.name:
                self._holders[parts.title.casefold()] += 1
        if parts.alias:
            self.alias.setdefault(parts.alias.casefold(), key)
            if parts.alias not in draft.aliases:
                draft.aliases.append(parts.alias)
        self._seen(key, clean)
        return key

    def _number(self, key: str, name: str | None, title: str | None, alias: str | None) -> None:
        earlier = None
        if alias and alias.casefold() in self.drafts:
            earlier = alias.casefold()  # `AB：` was used before `Name（AB）` declared it
        elif name and title:
            # a role-only speaker's key is its role (casefolded), see _role_of
            folded = title.casefold()
            role = self.drafts.get(folded)
            if role is not None and _role_of(role) == folded and not self._holders[folded]:
                earlier = folded  # the first holder of a role already used on its own
        if earlier is not None:
            self.number[key] = self.number[earlier]
            return
        n = len(self.owner) + 1
        self.number[key] = n
        self.owner[n] = key

    def _seen(self, key: str, label: str) -> None:
        labels = self.drafts[key].labels
        if label not in labels:
            labels.append(label)
        self.order.setdefault(label, len(self.order))

    def labels_of(self, draft: _SpeakerDraft) -> tuple[str, ...]:
        """A speaker's labels in order of first appearance (merges append out of order)."""
        return tuple(sorted(draft.labels, key=lambda label: self.order.get(label, 0)))

    def role_targets(self) -> dict[str, str]:
        """Keys of role-only speakers that are one named speaker's title -> that speaker's key."""
        by_title: dict[str, list[str]] = {}
        for d in self.drafts.values():
            if d.name and d.title:
                by_title.setdefault(d.title.casefold(), []).append(d.key)
        out: dict[str, str] = {}
        for d in self.drafts.values():
            role = _role_of(d)
            if role is None:
                continue
            targets = by_title.get(role, [])
            if len(targets) == 1 and targets[0] != d.key:
                out[d.key] = targets[0]
        return out

    def alias_targets(self) -> dict[str, str]:
        """Speakers labelled by an alias before the `Name（AB）` label that declares it."""
        return {key: target for key, target in self.alias.items()
                if key in self.drafts and target != key and self.drafts[key].title is None}


def _role_of(d: _SpeakerDraft) -> str | None:
    """The role (casefolded) a speaker known only by a role label stands for, else None."""
    if d.name and d.title:
        return None
    role = d.title if d.name is None else (d.name if len(d.labels) == 1 else None)
    return role.casefold() if role else None


@lru_cache(maxsize=4096)
def clean_label(raw: str, markdown: bool) -> tuple[str, tuple[Annotation, ...]]:
    """A label as shown: no annotations, tags or escapes, but otherwise as written."""
    return remove_annotations(clean_markup(raw, markdown=markdown))


@dataclass(slots=True)
class LabelCensus:
    """Plain (unmarked) labels seen in the whole document, to judge the doubtful ones."""

    counts: Counter[str] = field(default_factory=Counter)
    titles: set[str] = field(default_factory=set)
    _clean: dict[str, str] = field(default_factory=dict)  # raw label -> ruby-free label

    @classmethod
    def of(cls, paragraphs: Paragraphs) -> LabelCensus:
        census = cls()
        # (only text paragraphs have labels)
        raw_counts = Counter(lm.label for lm in paragraphs.labels
                             if lm is not None and not lm.strong)
        for raw, n in raw_counts.items():
            label = census.clean(raw)
            census.counts[label] += n
            parts = split_label(label)
            if parts.title and parts.name:
                census.titles.add(parts.title)
        return census

    def clean(self, raw: str) -> str:
        label = self._clean.get(raw)
        if label is None:
            label = self._clean[raw] = ruby_free(raw)
        return label

    def accepts(self, lm: LabelMatch) -> bool:
        if lm.strong:
            return True
        label = self.clean(lm.label)
        if lm.weak:
            return self.counts[label] >= 2
        if not lm.rest.strip():
            return self.counts[label] >= 2  # a label alone on its line must recur
        if not has_cjk(label):
            if " " in label:
                return True
            # One word (Travis: / However:): a speaker unless it is a word prose puts there.
            return not is_prose_lead(label)
        if " " in label:
            return True
        # One CJK phrase before a colon: a speaker if it recurs, is someone's title elsewhere,
        # is a role, or is short enough to be a name; otherwise prose (我想提醒大家：…).
        if self.counts[label] >= 2 or label in self.titles or label in ROLE_WORDS:
            return True
        if len(label) <= 4:
            return label not in PROSE_LEADS
        # In a file labelled "title name:" (the news convention) a short role alone is a label
        # too, even before the line that names that role's holder has been read.
        return len(self.titles) >= 2 and len(label) <= 12 and label not in PROSE_LEADS


def classify(paragraphs: Paragraphs, i: int,
             census: LabelCensus) -> tuple[str, LabelMatch | None, list[str] | None]:
    """(kind, label, lines) of paragraph i: kind is text | turn | heading | meta | stage |
    credits; lines are the paragraph's lines when they were needed to decide (None for a turn:
    a labelled one-line paragraph, the bulk of a transcript, is decided without slicing its line
    again)."""
    if paragraphs.kind(i) == "meta":
        return "meta", None, None
    lm = paragraphs.labels[i]
    if lm is not None:
        if census.accepts(lm):
            return "turn", lm, None
    lines = paragraphs.lines(i)
    first = lines[0].strip()
    if first.startswith("#") and _HEADING_MD.match(first):
        return "heading", None, lines
    whole = join_lines(lines).strip()
    kv = _KEY_VALUE.match(first)
    if kv and (is_meta_key(kv.group("key")) or _URL_VALUE.match(kv.group("value"))):
        return "meta", None, lines
    if len(whole) <= 24 and _CLOCK.match(whole):
        return "meta", None, lines  # "12:41 P.M. EDT": when the session started or ended
    if _PARENS.match(whole) and _CREDITS.search(whole):
        return "credits", None, lines
    if len(whole) <= 80 and STAGE_LINE.match(whole):
        return "stage", None, lines
    if _UPPER_HEADING.match(whole) and " " in whole and not whole.endswith("."):
        return "heading", None, lines
    return "text", None, lines


PROGRESS_STEP = 4096  # paragraphs between progress reports (a few ms of work)


def build(paragraphs: Paragraphs, *, source: str, encoding: str, complete: bool) -> Transcript:
    """The transcript of `paragraphs`. Their labels are dropped as they are used: a label's rest
    of the line moves into its draft, the rest is freed while the drafts grow."""
    census = LabelCensus.of(paragraphs)
    registry = SpeakerRegistry()
    protos: list[SegmentDraft | None] = []
    current: SegmentDraft | None = None  # the open turn unlabelled paragraphs continue
    starts, ends, labels = paragraphs.starts, paragraphs.ends, paragraphs.labels
    total = len(paragraphs)
    for i in range(total):
        if not i % PROGRESS_STEP:
            report(SPLIT_SHARE + (1 - SPLIT_SHARE) * i / total)
        kind, lm, lines = classify(paragraphs, i, census)
        labels[i] = None
        start, end, markdown = starts[i], ends[i], paragraphs.markdown(i)
        label, label_notes = clean_label(lm.label, markdown) if lm is not None else ("", ())
        if kind == "turn" and not label:
            kind = "text"  # the label was nothing but escapes or markup
        if kind == "turn":
            assert lm is not None
            current = SegmentDraft("turn", start, end, key=registry.key_for(label),
                             label=label, time=lm.time, markdown=markdown,
                             label_notes=label_notes)
            protos.append(current)
            more = paragraphs.more_lines(i)
            rest_lines = [lm.rest, *more] if lm.rest.strip() else more
            if rest_lines:
                current.add(join_lines(rest_lines), end)
            continue
        if lines is None:
            lines = paragraphs.lines(i)
        if kind == "text":
            if current is not None:
                if protos[-1] is not current:  # after a stage direction: same speaker goes on
                    current = SegmentDraft("turn", start, end, key=current.key, label=None,
                                     markdown=markdown)
                    protos.append(current)
                current.add(join_lines(lines), end)
            else:
                proto = SegmentDraft("narration", start, end, markdown=markdown)
                proto.add(join_lines(lines), end)
                protos.append(proto)
            continue
        proto = SegmentDraft(kind, start, end, markdown=markdown)
        if kind == "heading":
            m = _HEADING_MD.match(lines[0].strip())
            lines = [m.group(2)] if m else lines
        proto.add(join_lines(lines) if kind != "meta" else "\n".join(lines), end)
        protos.append(proto)
        if kind in ("heading", "meta", "credits"):
            current = None
    return finish(protos, registry, source=source, encoding=encoding, complete=complete)


def finish(protos: list[SegmentDraft | None], registry: SpeakerRegistry, *, source: str,
           encoding: str, complete: bool) -> Transcript:
    """The Transcript of the drafts, which it empties as it goes (each draft is dropped once its
    segment is made)."""
    aliases = registry.alias_targets()
    targets = registry.role_targets()
    for key, target in [*aliases.items(), *targets.items()]:
        src, dst = registry.drafts[key], registry.drafts[target]
        for label in src.labels:
            if label not in dst.labels:
                dst.labels.append(label)
    ids = _speaker_ids(registry, aliases, targets)
    speakers: list[Speaker] = []
    seen: set[str] = set()
    segments: list[Segment] = []

    def emit(proto: SegmentDraft, inferred: bool) -> None:
        speaker_id = None
        if proto.kind == "turn" and proto.key is not None:
            speaker_id = ids[proto.key]
            if speaker_id not in seen:
                seen.add(speaker_id)
                d = registry.drafts[proto.key]
                speakers.append(Speaker(speaker_id, d.name, d.title, registry.labels_of(d),
                                        tuple(d.aliases)))
        text, notes, garbled = _join(proto)
        segments.append(Segment(len(segments), proto.kind, speaker_id, proto.label, text,
                                proto.start, max(proto.start, proto.end), proto.time,
                                inferred, notes, garbled, proto.label_notes))

    # Resolve keys, then merge consecutive turns of one speaker; a segment is made as soon as
    # the next draft shows it is complete.
    prev: SegmentDraft | None = None
    prev_inferred = False
    number = -1  # registry number of the raw key of prev
    for i, proto in enumerate(protos):
        protos[i] = None
        assert proto is not None
        inferred = False
        raw = registry.number.get(proto.key, -1) if proto.key is not None else -1
        if proto.key in aliases:
            proto.key = aliases[proto.key]
        if proto.key in targets:
            proto.key, inferred = targets[proto.key], True
        # Turns are merged only when their labels were known to be one person as they were
        # read: a turn whose speaker was inferred, or named by an alias declared later, stays
        # its own segment. So the mark covers exactly it, and a big file's head (which may not
        # yet know who a role or an alias is) is cut into the same segments as the full parse:
        # segment indexes survive the swap.
        if (proto.kind == "turn" and prev is not None and prev.kind == "turn"
                and prev.key == proto.key and prev_inferred == inferred and number == raw):
            prev.extend(proto)
            if prev.time is None:
                prev.time = proto.time
            continue
        if prev is not None:
            emit(prev, prev_inferred)
        prev, prev_inferred, number = proto, inferred, raw
    if prev is not None:
        emit(prev, prev_inferred)
    return Transcript(source, encoding, tuple(speakers), tuple(segments), complete)



def _speaker_ids(registry: SpeakerRegistry, aliases: dict[str, str],
                 targets: dict[str, str]) -> dict[str, str]:
    """Speaker key -> id "sn", n the number its person got when first seen (see
    SpeakerRegistry.number). A person keeps the smallest number among its keys that it owns;
    numbers of keys that turned out to be someone else stay unused, so no other speaker's id
    moves. Without such a late discovery the ids are s1, s2, ... in order of appearance."""
    def resolve(key: str) -> str:
        key = aliases.get(key, key)
        return targets.get(key, key)

    members: dict[str, list[str]] = {}
    for key in registry.drafts:
        members.setdefault(resolve(key), []).append(key)
    ids: dict[str, str] = {}
    fresh = len(registry.owner)
    for person, keys in members.items():
        owned = [registry.number[k] for k in keys if registry.owner[registry.number[k]] in keys]
        if not owned:  # it shared a number with a person it turned out not to be
            fresh += 1
            owned = [fresh]
        ids[person] = f"s{min(owned)}"
    return ids


def _join(proto: SegmentDraft) -> tuple[str, tuple[Annotation, ...], tuple[Garbled, ...]]:
    texts = proto.texts
    text = "" if texts is None else texts if isinstance(texts, str) else _SEP.join(texts)
    return text, tuple(proto.notes), tuple(proto.garbled)
