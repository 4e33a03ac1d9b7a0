"""Textual's parsed stylesheets, kept in the user cache folder between starts.

Every start, Textual parses the CSS of each widget class it meets and yulu's .tcss files: ~5 ms
before the first screen, the same every time. What a parse gives depends only on the CSS text,
where it came from, the theme's variables and Textual's version, so its rule sets (which pickle)
are kept on disk and read back in ~1 ms. Anything not found is parsed as before and the file is
rewritten after the first frame, in a thread. A file that cannot be read or written only means
parsing again.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
import zlib
from collections.abc import Callable
from pathlib import Path

import textual
from textual.css.model import RuleSet
from textual.css.stylesheet import CSSLocation, Stylesheet

# Bump when what the file holds changes shape.
FORMAT = 1
PREFIX = "styles-"
# Enough for every widget's CSS under a few themes. Over it, what this session used is kept
# first and the others after it, the least recently used dropped.
MAX_ENTRIES = 600

Key = tuple[str, str, CSSLocation, bool, int, str]


def cache_file(folder: Path) -> Path:
    """The file for this install of Textual and this Python: a parse is only valid for the code
    that made it, and pickles of its classes only load there."""
    python = f"{sys.version_info[0]}{sys.version_info[1]}"
    return folder / f"{PREFIX}{_textual_fingerprint()}-py{python}-v{FORMAT}.pickle"


def _textual_fingerprint() -> str:
    # Textual as installed: its two folders (any reinstall or upgrade replaces their files,
    # which changes their mtimes) and the files whose classes a parse is made of. Not
    # textual.__version__: that reads the package metadata, ~13 ms at start-up.
    package = Path(textual.__file__).parent
    parts = [str(package)]
    for path in (package, package / "css", *(package / name for name in _PARSE_FILES)):
        try:
            st = path.stat()
            parts.append(f"{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append("-")
    return f"{zlib.crc32('|'.join(parts).encode()):08x}"


_PARSE_FILES = ("css/parse.py", "css/tokenize.py", "css/tokenizer.py", "css/model.py",
                "css/styles.py", "css/_styles_builder.py", "css/_style_properties.py",
                "css/scalar.py", "css/types.py", "css/stylesheet.py", "color.py", "geometry.py")


def default_cache_file() -> Path:
    import platformdirs  # already loaded by the config at start-up

    return cache_file(Path(platformdirs.user_cache_dir("yulu")))


class ParsedStyles:
    """Rule sets by what they were parsed from: loaded from `path` on first use, written back
    by `save()` when something new was parsed."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.misses = 0  # parses that were not in the file
        self._entries: dict[Key, list[RuleSet]] | None = None
        self._used: dict[Key, None] = {}  # this session's, in order: kept first when saving
        self._dirty = False
        self._lock = threading.Lock()  # the UI thread parses while a worker saves

    def get(self, key: Key) -> list[RuleSet] | None:
        entries = self._load()
        with self._lock:
            rules = entries.get(key)
            if rules is None:
                self.misses += 1
            else:
                self._used[key] = None
        return rules

    def put(self, key: Key, rules: list[RuleSet]) -> None:
        entries = self._load()
        with self._lock:
            entries[key] = rules
            self._used[key] = None
            self._dirty = True

    @property
    def dirty(self) -> bool:
        """Something was parsed that the file does not have yet."""
        return self._dirty

    def save(self) -> None:
        """Write the file if something new was parsed (atomically: another yulu may be reading
        it). Never raises: without the file, the next start parses."""
        if self.path is None or not self._dirty:
            return
        with self._lock:
            entries = self._load()
            keep = list(self._used) + [k for k in entries if k not in self._used]
            data = {k: entries[k] for k in keep[:MAX_ENTRIES] if k in entries}
            self._dirty = False
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            blob = pickle.dumps({"format": FORMAT, "entries": data},
                                protocol=pickle.HIGHEST_PROTOCOL)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(blob)
            os.replace(tmp, self.path)
            for old in self.path.parent.glob(f"{PREFIX}*.pickle"):
                if old != self.path:  # another Textual's or Python's: never read again
                    old.unlink(missing_ok=True)
        except Exception:  # noqa: BLE001 - a cache: anything from a full disk to a rule set that
            # does not pickle only means parsing next time
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass

    def _load(self) -> dict[Key, list[RuleSet]]:
        if self._entries is None:
            self._entries = _read(self.path) if self.path is not None else {}
        return self._entries


def _read(path: Path) -> dict[Key, list[RuleSet]]:
    # A pickle from the user's own cache folder, written by yulu: trusted as much as the
    # bytecode caches beside the code.
    try:
        data = pickle.loads(path.read_bytes())
        entries = data["entries"] if data.get("format") == FORMAT else {}
        return entries if isinstance(entries, dict) else {}
    except Exception:  # noqa: BLE001 - missing, truncated, from another version: parse instead
        return {}


class CachedStylesheet(Stylesheet):
    """A Textual Stylesheet whose parses go through `ParsedStyles`.

    `on_parsed` is called on the UI thread after a parse that was not in the cache (the app
    saves the cache from a worker then).
    """

    def __init__(self, *, variables: dict[str, str] | None = None, cache: ParsedStyles,
                 on_parsed: Callable[[], object] | None = None) -> None:
        super().__init__(variables=variables)
        self.cache = cache
        self.on_parsed = on_parsed
        self._variables_key = _variables_key(self._variables)

    def set_variables(self, variables: dict[str, str]) -> None:
        super().set_variables(variables)
        self._variables_key = _variables_key(variables)

    def _parse_rules(self, css: str, read_from: CSSLocation, is_default_rules: bool = False,
                     tie_breaker: int = 0, scope: str = "") -> list[RuleSet]:
        key = (self._variables_key, css, read_from, is_default_rules, tie_breaker, scope)
        rules = self.cache.get(key)
        if rules is not None:
            return rules
        rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
        if not any(rule.errors for rule in rules):  # errors are reported, never kept
            self.cache.put(key, rules)
            if self.on_parsed is not None:
                self.on_parsed()
        return rules

    def copy(self) -> CachedStylesheet:
        sheet = self._fresh()
        sheet.source = self.source.copy()
        return sheet

    def reparse(self) -> None:
        # As Stylesheet.reparse (a theme change), but Textual's parses into a plain Stylesheet,
        # which would not read the cache: a remembered theme is set as the app starts.
        sheet = self._fresh()
        for read_from, (css, is_defaults, tie_breaker, scope) in self.source.items():
            sheet.add_source(css, read_from=read_from, is_default_css=is_defaults,
                             tie_breaker=tie_breaker, scope=scope)
        try:
            sheet.parse()
        except Exception:
            self._invalid_css.update(sheet._invalid_css)
            raise
        self._rules = sheet.rules
        self._rules_map = None
        self.source = sheet.source
        self._require_parse = False

    def _fresh(self) -> CachedStylesheet:
        return CachedStylesheet(variables=self._variables, cache=self.cache,
                                on_parsed=self.on_parsed)


def _variables_key(variables: dict[str, str]) -> str:
    # one string per theme: hashed once, shared by every key (and stored once in the pickle)
    return repr(sorted(variables.items()))
