"""The reader pane: segments in full, wrapped, around the current one, drawn with the Line API.

Only a window of segments around the current one is wrapped into lines (a 25,000-segment file
cannot be wrapped up front); the window grows as the reader scrolls towards its ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from parser.model import CONTENT_KINDS, Segment, Transcript
from parser.script import Script, convert
from tui.navigation import Navigator
from tui.render import DISPLAY_CHARS, Span, plain, segment_body, speaker_title, who
from tui.speaker_colors import speaker_color
from tui.widgets.line_selection import highlight, selected_text
from tui.widgets.own_style import OwnStyleCached
from tui.wrapping import WrappedLines, wrap_text

WINDOW = 24  # segments wrapped on each side of the current one, at most
WINDOW_CHARS = 60_000  # and at most this much text on each side: long turns wrap slowly
GROW_MARGIN = 3  # screens from a window edge at which it grows

SpanProvider = Callable[[Segment], Iterable[Span]]
BlockProvider = Callable[[Segment], Iterable[Text]]
HeaderProvider = Callable[[Segment], Text | None]
BodyRenderer = Callable[[Segment, Text, int], WrappedLines]


class ReaderView(ScrollView, OwnStyleCached, can_focus=True):  # ScrollView first: see RowView
    """Wrapped segments; the current one has a highlighted header and is scrolled to the top."""

    COMPONENT_CLASSES = {
        "reader--header",
        "reader--current",
        "reader--dim",
        "reader--garbled",
        "reader--keyword",
        "reader--keyword-current",
        "reader--search-hit",
        "reader--search-current",
        "reader--selection",
        "reader--note",
        "reader--meta",
        "reader--pinyin",
        "reader--pinyin-source",
    }
    BINDINGS = [
        # Arrows scroll the text like a pager; segment keys (j/k, ...) are the screen's.
        Binding("down", "scroll_down", "Scroll ↓", show=False),
        Binding("up", "scroll_up", "Scroll ↑", show=False),
    ]

    current: reactive[int] = reactive(0, always_update=True, init=False)

    class ScrolledTo(Message):
        """The user scrolled so that another segment is at the top of the pane."""

        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.navigator: Navigator | None = None
        self.script: Script = "original"
        self.span_providers: list[SpanProvider] = []
        self.block_providers: list[BlockProvider] = []
        self.header_providers: list[HeaderProvider] = []
        # (segment, styled body, width) -> display lines; None: wrap the body as it is
        self.body_renderer: BodyRenderer | None = None
        self._lo = 0  # window: visible positions [lo, hi)
        self._hi = 0
        self._lines: list[Strip] = []
        self._starts: dict[int, int] = {}  # Segment.index -> first line
        self._width = 0
        self._span_style_cache: dict[str, Style] = {}
        self._drawn_in: tuple[Style, str] | None = None  # (own style, theme) of the lines
        self._restyle_pending = False
        self._unbuilt = False  # a navigator arrived before the first layout: build when sized
        # Wrapped segments of the window, by Segment.index: moving or growing the window wraps
        # only the segments new to it. Dropped whenever what they show may change (rebuild).
        self._wrapped: dict[int, list[Strip]] = {}
        self._wrapped_width = 0
        self._narrow = False  # the window holds just a screenful; _widen fills it in

    # -- public -------------------------------------------------------------------------------

    def set_navigator(self, navigator: Navigator, current: int) -> None:
        self.navigator = navigator
        self._lo = self._hi = 0
        self._lines = []
        self._starts = {}
        self._unbuilt = False
        self._wrapped = {}
        self.current = current

    def rebuild(self) -> None:
        """Re-render the window (decorations, script or width changed), keeping the position."""
        top_segment = self._segment_at(self.scroll_offset.y)
        offset = (self.scroll_offset.y - self._starts.get(top_segment, 0)
                  if top_segment is not None else 0)  # segment 0 is a segment too
        self._wrapped = {}
        self._build(self._lo, self._hi)
        if top_segment is not None and top_segment in self._starts:
            self.scroll_to(y=self._starts[top_segment] + offset, animate=False, immediate=True)

    def segment_line(self, index: int) -> int | None:
        return self._starts.get(index)

    # -- reactive -----------------------------------------------------------------------------

    def watch_current(self, old: int, new: int) -> None:
        nav = self.navigator
        if nav is None or not nav.visible:
            self._lines, self._starts = [], {}
            self._set_virtual_size()
            self.refresh()
            return
        if not self.size.width:
            # Not laid out yet (the screen is mounting): wrapping now would be at a made-up width
            # and be thrown away; the first render_line or resize builds at the real one.
            self._unbuilt = True
            return
        pos = nav.position(new)
        self._wrapped.pop(old, None)  # their headers show which one is current
        self._wrapped.pop(new, None)
        if not (self._lo <= pos < self._hi) or self._width != self._content_width():
            self._build_screenful(pos)
        elif not (self._redraw_segment(old) and self._redraw_segment(new)):
            self._build(self._lo, self._hi)
        line = self._starts.get(new, 0)
        self.scroll_to(y=line, animate=False, immediate=True)

    def _build_screenful(self, pos: int) -> None:
        """A jump: wrap what fills the screen from `pos` now, the rest of the window after the
        frame is drawn (a key's answer should not wait for text above or far below it)."""
        nav = self.navigator
        assert nav is not None
        self._width = self._content_width()
        need = max(1, self.size.height)
        end, lines = pos, 0
        limit = pos + 1 + self._reach(pos, 1)
        while end < limit and lines < need:
            lines += len(self._strips_of(nav.visible[end]))
            end += 1
        self._build(pos, end)
        if pos > 0 or end < limit:
            self._narrow = True
            self.call_after_refresh(self._widen, self.current)

    def _widen(self, current: int) -> None:
        nav = self.navigator
        if not self._narrow or nav is None or self.current != current:
            return  # moved on meanwhile: that move built its own window
        self._narrow = False
        pos = nav.position(current)
        if not self._lo <= pos < self._hi:
            return
        y = self.scroll_offset.y - self._starts.get(current, 0)
        self._build(pos - self._reach(pos, -1), pos + 1 + self._reach(pos, 1))
        self.scroll_to(y=self._starts.get(current, 0) + y, animate=False, immediate=True)

    def _build_if_unbuilt(self) -> None:
        if self._unbuilt and self.size.width:
            self._unbuilt = False
            self.watch_current(self.current, self.current)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._maybe_grow()
        # Reading on past a segment (wheel, arrows, page keys) makes the one at the top current.
        top = self._segment_at(round(self.scroll_offset.y))
        if top is not None and top != self.current:
            self.post_message(self.ScrolledTo(top))

    def mark_current(self, index: int) -> None:
        """Make `index` current without scrolling (the reader scrolled there itself)."""
        old = self.current
        self.set_reactive(ReaderView.current, index)
        if not (self._redraw_segment(old) and self._redraw_segment(index)):
            self.rebuild()

    def on_resize(self) -> None:
        if self._unbuilt:
            self._build_if_unbuilt()
        elif self.navigator is not None and self._width != self._content_width():
            self.rebuild()

    # -- rendering ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        if self._unbuilt:
            self._build_if_unbuilt()  # the first frame: laid out now, so wrap at the real width
        line = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        if 0 <= line < len(self._lines):
            strip = self._lines[line]
            selection = self.text_selection  # a mouse selection (tui/widgets/line_selection.py)
            if selection is not None and (span := selection.get_span(line)) is not None:
                style = self.screen.get_component_rich_style("screen--selection")
                strip = highlight(strip, span[0], span[1], style)
            # Offsets before cropping: apply_offsets caches its result on the stored strip.
            return strip.apply_offsets(0, line).crop_extend(0, width, self.rich_style)
        return Strip.blank(width, self.rich_style)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The mouse-selected text; segment headers always start a new line."""
        return selected_text(self._lines, selection, set(self._starts.values())), "\n"

    def _content_width(self) -> int:
        return max(10, self.scrollable_content_region.width)

    def _set_virtual_size(self) -> None:
        self.virtual_size = Size(self._content_width(), len(self._lines) + self.size.height - 1)

    def _segment_at(self, line: int) -> int | None:
        best = None
        for index, start in self._starts.items():
            if start <= line and (best is None or start >= self._starts[best]):
                best = index
        return best

    def _build(self, lo: int, hi: int) -> None:
        nav = self.navigator
        assert nav is not None
        self._lo, self._hi = lo, hi
        self._width = self._content_width()
        self._drawn_in = (self.rich_style, self.app.current_theme.name)
        lines: list[Strip] = []
        starts: dict[int, int] = {}
        for pos in range(lo, hi):
            index = nav.visible[pos]
            starts[index] = len(lines)
            lines.extend(self._strips_of(index))
        self._wrapped = {i: self._wrapped[i] for i in starts if i in self._wrapped}
        self._lines, self._starts = lines, starts
        self._set_virtual_size()
        self.refresh()

    def _redraw_segment(self, index: int) -> bool:
        """Re-render one segment in place (its "current" mark changed); False if it moved lines."""
        start = self._starts.get(index)
        if start is None or self.navigator is None:
            return True  # not in the window: nothing to redraw
        self._wrapped.pop(index, None)  # wrapped again: its header shows whether it is current
        strips = self._strips_of(index)
        pos = self.navigator.position(index) + 1
        following = self.navigator.visible[pos] if pos < self._hi else None
        end = self._starts[following] if following is not None else len(self._lines)
        if end - start != len(strips):
            return False
        self._lines[start:end] = strips
        self.refresh()
        return True

    def _reach(self, pos: int, direction: int) -> int:
        """How many segments beyond visible position `pos` the window takes in one direction:
        up to WINDOW of them, as long as their text stays within WINDOW_CHARS."""
        nav = self.navigator
        assert nav is not None
        segments = nav.transcript.segments
        count = chars = 0
        while count < WINDOW:
            nxt = pos + direction * (count + 1)
            if not 0 <= nxt < len(nav):
                break
            chars += min(len(segments[nav.visible[nxt]].text), DISPLAY_CHARS)
            if chars > WINDOW_CHARS and count:
                break
            count += 1
        return count

    def _maybe_grow(self) -> None:
        nav = self.navigator
        if nav is None or not self._lines or self._narrow:
            return  # (a narrow window is widened right after its first frame)
        height = max(1, self.size.height)
        y = self.scroll_offset.y
        if self._hi < len(nav) and y + height * (GROW_MARGIN + 1) > len(self._lines):
            self._build(self._lo, self._hi + max(1, self._reach(self._hi - 1, 1)))
        elif self._lo > 0 and y < height * GROW_MARGIN:
            first = nav.visible[self._lo]
            before = self._starts[first]
            self._build(self._lo - max(1, self._reach(self._lo, -1)), self._hi)
            self.scroll_to(y=y + self._starts[first] - before, animate=False, immediate=True)

    def _strips_of(self, index: int) -> list[Strip]:
        """Segment `index` wrapped at the window's width, from the last wrapping if still good."""
        width = self._width
        if width != self._wrapped_width:
            self._wrapped, self._wrapped_width = {}, width
        strips = self._wrapped.get(index)
        if strips is None:
            assert self.navigator is not None
            segment = self.navigator.transcript.segments[index]
            strips = self._wrapped[index] = self._segment_strips(segment, width)
        return strips

    def _segment_strips(self, segment: Segment, width: int) -> list[Strip]:
        console = self.app.console
        header, body, blocks = self._segment_lines(segment, width)
        # the widget's style under every line, so unstyled text gets the theme's background
        base = self.rich_style
        out = [
            Strip(list(line.render(console)), line.cell_len).apply_style(base)
            for line in (*header, *body, *blocks)
        ]
        out.append(Strip.blank(width, base))
        return out

    def _segment_lines(self, segment: Segment, width: int) -> tuple[list[Text], WrappedLines, list[Text]]:
        """Header, body and block lines of a segment, wrapped to `width`."""
        header, body, *blocks = self._segment_texts(segment)
        # Chinese-aware line breaking (tui/wrapping.py); a feature may lay out the body itself
        # (pinyin above the characters) through `body_renderer`.
        if self.body_renderer is not None:
            body_lines = self.body_renderer(segment, body, width)
        else:
            body_lines = wrap_text(body, width)
        block_lines = [line for block in blocks for line in wrap_text(block, width)]
        return wrap_text(header, width), body_lines, block_lines

    def scroll_to_offset(self, index: int, offset: int) -> None:
        """Bring character `offset` of a segment's text into view (a search hit, a sentence).

        Navigation shows a segment from its top; in a long one the place may be screens below.
        """
        nav = self.navigator
        top = self._starts.get(index)
        if nav is None or top is None:
            return
        segment = nav.transcript.segments[index]
        header, body, _ = self._segment_lines(segment, self._width)
        # the body's lines know where each starts, with pinyin laid out between them too
        line = top + len(header) + body.line_of(offset)
        height = self.scrollable_content_region.height
        if not self.scroll_offset.y <= line < self.scroll_offset.y + height - 1:
            self.scroll_to(y=max(top, line - height // 3), animate=False, immediate=True)

    def _segment_texts(self, segment: Segment) -> list[Text]:
        nav = self.navigator
        assert nav is not None
        header = self._header(segment, nav.transcript)
        styles = self._span_styles(segment)
        body = segment_body(
            segment, self.script, styles, self.get_component_rich_style("reader--garbled")
        )
        if segment.kind not in CONTENT_KINDS:
            body.stylize(self.get_component_rich_style("reader--dim"))
        texts = [header, body, *self._garbled_notes(segment), *self._cut_note(segment)]
        for provider in self.block_providers:
            texts.extend(provider(segment))
        return texts

    def _cut_note(self, segment: Segment) -> list[Text]:
        """Say so when a huge paragraph is shown only in part (see render.DISPLAY_CHARS)."""
        hidden = len(segment.text) - DISPLAY_CHARS
        if hidden <= 0:
            return []
        return [Text(f"⋯ {hidden:,} more characters of this paragraph are not shown: it is too "
                     "long to lay out. Search, copying and `yulu parse` use all of it.",
                     self.get_component_rich_style("reader--meta"))]

    def _garbled_notes(self, segment: Segment) -> list[Text]:
        """Under a segment, each garbled run the parser could re-decode, with its suggestion.

        The text itself is never replaced: the reader sees what the file says and what it
        probably said.
        """
        meta = self.get_component_rich_style("reader--meta")
        notes = []
        for run in segment.garbled:
            if run.suggestion:
                note = Text("⚠ garbled ", meta)
                note.append(plain(segment.text[run.start:run.end]),
                            self.get_component_rich_style("reader--garbled"))
                note.append(" — probably ", meta)
                note.append(plain(convert(run.suggestion, self.script)))
                notes.append(note)
        return notes

    def _span_styles(self, segment: Segment) -> list[tuple[int, int, Style]]:
        out = []
        for provider in self.span_providers:
            for start, end, component in provider(segment):
                out.append((start, end, self.span_style(component)))
        return out

    def span_style(self, component: str) -> Style:
        """A component's style for a span of text, without what it inherits from the widget.

        Component styles carry the widget's background and text colour; as span styles those
        would cover the spans drawn before them (a keyword inside a search hit or a selection
        would lose its colour). Only what the component sets itself is kept.
        """
        found = self._span_style_cache.get(component)
        if found is not None:
            return found
        style = self.get_component_rich_style(component, default=Style())
        own = self.rich_style
        found = self._span_style_cache[component] = Style(
            color=style.color if style.color != own.color else None,
            bgcolor=style.bgcolor if style.bgcolor != own.bgcolor else None,
            bold=style.bold, dim=style.dim, italic=style.italic,
            underline=style.underline, strike=style.strike, reverse=style.reverse,
        )
        return found

    def notify_style_update(self) -> None:
        self._span_style_cache.clear()
        super().notify_style_update()
        if self._lines and not self._restyle_pending:
            # The wrapped lines carry the colours they were drawn in: a new theme redraws them.
            # (Hover and focus come here too, without changing anything the lines show.)
            self._restyle_pending = True
            self.call_after_refresh(self._restyle)

    def _restyle(self) -> None:
        self._restyle_pending = False
        if not self.is_attached:
            return  # removed with its screen (another file opened) before the refresh came
        key = (self.rich_style, self.app.current_theme.name)
        if key != self._drawn_in:
            self.rebuild()

    def _header(self, segment: Segment, transcript: Transcript) -> Text:
        nav = self.navigator
        assert nav is not None
        current = segment.index == self.current
        header = Text(no_wrap=False)
        header.append("▶ " if current else "  ", self.get_component_rich_style("reader--current"))
        name = who(transcript, segment, self.script)
        color = speaker_color(segment.speaker)
        header.append(name, Style(color=color, bold=True) if color else Style(bold=True, dim=True))
        meta = self.get_component_rich_style("reader--meta")
        speaker = transcript.speaker(segment.speaker)
        title = speaker_title(speaker, self.script)
        if title:
            header.append(f" · {title}", meta)
        if segment.inferred:
            header.append(" · speaker inferred", meta)
        number = nav.turn_number(segment.index)
        if number is not None:
            header.append(f" · turn {number[0]} of {number[1]}", meta)
        if segment.time is not None:
            header.append(f" · {_clock(segment.time)}", meta)
        for provider in self.header_providers:
            extra = provider(segment)
            if extra is not None:
                header.append("  ")
                header.append_text(extra)
        if current:
            header.stylize(self.get_component_rich_style("reader--header"))
        return header


def _clock(seconds: float) -> str:
    total = int(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"

