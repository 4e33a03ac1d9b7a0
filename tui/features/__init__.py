"""Features of the reader screen, one mixin per module (search, keywords, notes, quotes, display).

Contract with the reading core (tui/screens/reader.py, tui/widgets/):
- A feature is a plain mixin class listed in ReaderScreen's bases; its `action_*` methods are the
  targets of its bindings (its own group in tui/bindings.py) and its `on_*` handlers receive
  messages such as `ReaderScreen.Navigated` (current segment changed; `jump` for jumps) and
  `ReaderScreen.TranscriptReplaced` (the full parse replaced the head of a large file).
- It decorates the views only through their providers, registered in its `on_mount`:
    self.reader.span_providers   (Segment) -> iterable of (start, end, component class)
                                  offsets into Segment.text; component classes are the
                                  `reader--*` names in ReaderView.COMPONENT_CLASSES, styled in
                                  tui/styles/*.tcss (theme-aware)
    self.reader.block_providers  (Segment) -> iterable of rich Text shown under the segment
    self.reader.header_providers (Segment) -> rich Text | None appended to the segment header
    self.sidebar.marker_providers (Segment) -> str (one or two cells) before the sidebar row
  and then calls `self.refresh_segments()` when what they provide changed.
- State it needs from the core: `self.transcript`, `self.current`, `self.navigator`
  (visible segments), `self.select(index, jump=True)`, `self.set_speaker_filter(...)`,
  `self.script` / `self.set_script(...)`, `self.path`, `self.search_text_coming` (a big file's
  text folded for searching, still to come from the process that parsed it).
- Slow work (jieba, disk, clipboard) runs in workers; results come back with
  `call_from_thread` or as messages, never by blocking the UI thread.
"""
