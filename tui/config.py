"""The user's config file: `config.toml` in the platform's user config folder.

Every setting is optional. A bad value never stops the app: it is reported as a warning that names
the key (the app shows it as a notification) and the default is used instead.

    theme = "textual-light"          # a Textual theme name
    script = "traditional"           # default display script: original | simplified | traditional
    pinyin = "off"                   # pinyin on startup: "off", "above" or "after" (true = above)

    [keymap]                         # binding id = keys (comma-separated), see `yulu` help (F1)
    "segment.next" = "j,down,n"

    [quotes]                         # see parser/quotes.py for fields and [optional] parts
    chinese = "「{quote}」——{name}"
    english = '"{quote}" ({name})'

    [keywords]
    enabled = true                   # highlight keywords in the reader
    top = 15                         # how many document keywords to highlight and list
    stopwords = ["今天", "we"]       # never shown as keywords
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

from parser.quotes import DEFAULT_CHINESE_TEMPLATE, DEFAULT_ENGLISH_TEMPLATE, TemplateError
from parser.quotes import validate_template as _validate_quote_template
from parser.script import SCRIPTS, Script

APP_NAME = "yulu"
CONFIG_FILE = "config.toml"
ENV_VAR = "YULU_CONFIG"  # a path that overrides the default location (tests, several profiles)
DEFAULT_THEME = "textual-dark"


# Named tuples, not dataclasses: immutable all the same, and made at import in ~0.05 ms instead
# of ~0.4 (both are imported on the way to the first screen).
class KeywordSettings(NamedTuple):
    enabled: bool = True
    top: int = 15
    stopwords: tuple[str, ...] = ()


class Config(NamedTuple):
    theme: str | None = None  # None: the remembered theme, else DEFAULT_THEME
    script: Script = "original"
    pinyin: str = "off"  # "off", "above" (over the characters) or "after" them
    keymap: tuple[tuple[str, str], ...] = ()  # (binding id, keys) pairs, as Textual's keymap
    quote_chinese: str = DEFAULT_CHINESE_TEMPLATE
    quote_english: str = DEFAULT_ENGLISH_TEMPLATE
    keywords: KeywordSettings = KeywordSettings()

    @property
    def keymap_dict(self) -> dict[str, str]:
        return dict(self.keymap)


def config_path() -> Path:
    """Where the config file is read from (it need not exist)."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME)) / CONFIG_FILE


def load_config(
    path: Path | None = None, binding_ids: Iterable[str] | None = None
) -> tuple[Config, list[str]]:
    """The config at `path` (default: config_path()) and a warning per problem found.

    A missing file is no problem (defaults). `binding_ids`, when given, are the ids a keymap
    entry may name; others are reported.
    """
    path = path or config_path()
    try:
        # a FIFO or device would block the start (or never end): only regular files are read
        if not stat.S_ISREG(path.stat().st_mode):
            return Config(), [f"config {path}: not a regular file; using defaults"]
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(), []
    except (OSError, UnicodeDecodeError) as e:
        return Config(), [f"config {path}: cannot be read ({_reason(e)}); using defaults"]
    import tomllib  # only when there is a config file to read

    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as e:
        return Config(), [f"config {path}: not valid TOML ({e}); using defaults"]
    return parse_config(data, binding_ids, where=str(path))


def parse_config(
    data: dict[str, Any], binding_ids: Iterable[str] | None = None, where: str = "config"
) -> tuple[Config, list[str]]:
    """Validate parsed TOML; each bad key is reported and left at its default."""
    warnings: list[str] = []
    known_ids = set(binding_ids) if binding_ids is not None else None

    def warn(key: str, problem: str) -> None:
        warnings.append(f"{where}: {key}: {problem}; using the default")

    config = Config()
    for key, value in data.items():
        handler = _TOP_LEVEL.get(key)
        if handler is None:
            warnings.append(f"{where}: unknown key {key!r} ignored (known: {', '.join(_TOP_LEVEL)})")
            continue
        config = handler(config, value, warn, known_ids)
    return config, warnings


Warn = Callable[[str, str], None]


def _theme(config: Config, value: Any, warn: Warn, _ids: set[str] | None) -> Config:
    if not isinstance(value, str) or not value.strip():
        warn("theme", "must be a theme name such as \"textual-dark\"")
        return config
    return config._replace(theme=value.strip())


def _script(config: Config, value: Any, warn: Warn, _ids: set[str] | None) -> Config:
    if value not in SCRIPTS:
        warn("script", f"must be one of {', '.join(SCRIPTS)}, not {value!r}")
        return config
    return config._replace(script=value)


PINYIN_MODES = ("off", "above", "after")


def _pinyin(config: Config, value: Any, warn: Warn, _ids: set[str] | None) -> Config:
    if isinstance(value, bool):
        value = "above" if value else "off"
    if value not in PINYIN_MODES:
        warn("pinyin", f"must be one of {', '.join(PINYIN_MODES)} (or true/false), not {value!r}")
        return config
    return config._replace(pinyin=value)


def _keymap(config: Config, value: Any, warn: Warn, ids: set[str] | None) -> Config:
    if not isinstance(value, dict):
        warn("keymap", "must be a table of binding id = \"keys\"")
        return config
    pairs = []
    for binding_id, keys in value.items():
        key = f"keymap.{binding_id}"
        if ids is not None and binding_id not in ids:
            warn(key, "no binding has this id (F1 lists them)")
        elif not isinstance(keys, str) or not [k for k in keys.split(",") if k.strip()]:
            warn(key, "must be keys such as \"j,down\"")
        else:
            pairs.append((binding_id, ",".join(k.strip() for k in keys.split(",") if k.strip())))
    return config._replace(keymap=tuple(pairs))


def _quotes(config: Config, value: Any, warn: Warn, _ids: set[str] | None) -> Config:
    if not isinstance(value, dict):
        warn("quotes", "must be a table with chinese and/or english templates")
        return config
    for name, template in value.items():
        key = f"quotes.{name}"
        if name not in ("chinese", "english"):
            warn(key, "unknown key (known: chinese, english)")
            continue
        if not isinstance(template, str):
            warn(key, "must be a string such as \"「{quote}」——{name}\"")
            continue
        try:
            _validate_quote_template(template)
        except TemplateError as e:
            warn(key, str(e))
            continue
        config = config._replace(**{f"quote_{name}": template})
    return config


def _keywords(config: Config, value: Any, warn: Warn, _ids: set[str] | None) -> Config:
    if not isinstance(value, dict):
        warn("keywords", "must be a table (enabled, top, stopwords)")
        return config
    settings = config.keywords
    for name, item in value.items():
        key = f"keywords.{name}"
        if name == "enabled":
            if isinstance(item, bool):
                settings = settings._replace(enabled=item)
            else:
                warn(key, "must be true or false")
        elif name == "top":
            if isinstance(item, int) and not isinstance(item, bool) and 1 <= item <= 200:
                settings = settings._replace(top=item)
            else:
                warn(key, "must be a whole number from 1 to 200")
        elif name == "stopwords":
            if isinstance(item, list) and all(isinstance(w, str) for w in item):
                settings = settings._replace(stopwords=tuple(w.strip() for w in item if w.strip()))
            else:
                warn(key, "must be a list of strings")
        else:
            warn(key, "unknown key (known: enabled, top, stopwords)")
    return config._replace(keywords=settings)


_TOP_LEVEL: dict[str, Callable[[Config, Any, Warn, set[str] | None], Config]] = {
    "theme": _theme,
    "script": _script,
    "pinyin": _pinyin,
    "keymap": _keymap,
    "quotes": _quotes,
    "keywords": _keywords,
}


def _reason(error: Exception) -> str:
    return getattr(error, "strerror", None) or type(error).__name__


# The theme picked in the app is remembered in a small state file beside the store's data, not
# written into config.toml (rewriting the user's file would lose their comments). A theme set in
# config.toml wins again once the user changes it there.
STATE_FILE = "state.json"


def state_path() -> Path:
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser().with_name(STATE_FILE)
    from platformdirs import user_state_dir

    return Path(user_state_dir(APP_NAME)) / STATE_FILE


def startup_theme(config: Config, path: Path | None = None) -> str:
    """The theme to start with: remembered, unless config.toml names a different one since."""
    state = _read_state(path or state_path())
    remembered = state.get("theme")
    if not isinstance(remembered, str):
        return config.theme or DEFAULT_THEME
    if config.theme is not None and config.theme != state.get("config_theme"):
        return config.theme
    return remembered


def remember_theme(theme: str, config: Config, path: Path | None = None) -> None:
    """Record the theme picked in the app (call from a worker: it writes a file). Raises OSError."""
    path = path or state_path()
    state = _read_state(path)
    state.update(theme=theme, config_theme=config.theme)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    import json  # here: the reader's start reads no JSON unless a theme was remembered

    tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)  # atomic: a crash leaves the old file or the new one


def _read_state(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def keymap_clashes(keymap: dict[str, str], bindings: Iterable[Any]) -> list[str]:
    """Warnings for keymap entries that take a key another binding keeps by default.

    Textual gives the key to the remapped binding and the other one loses it; say so, since the
    user may not know the key was taken. `bindings` are textual Bindings (key, id).
    """
    owners: dict[str, str] = {}  # key -> binding id, after the keymap is applied
    for binding in bindings:
        if binding.id and binding.id not in keymap:
            for key in binding.key.split(","):
                owners.setdefault(key.strip(), binding.id)
    warnings = []
    for binding_id, keys in keymap.items():
        for key in keys.split(","):
            other = owners.get(key.strip())
            if other is not None and other != binding_id:
                warnings.append(
                    f"config: keymap.{binding_id}: key {key.strip()!r} was {other}'s; "
                    f"{other} no longer has it"
                )
    return warnings
