"""Config file: defaults, validation naming the bad key, keymap by binding id, remembered theme."""

from __future__ import annotations

from pathlib import Path

import pytest

from parser.quotes import DEFAULT_CHINESE_TEMPLATE
from tui.bindings import reader_bindings
from tui.config import (
    DEFAULT_THEME,
    Config,
    KeywordSettings,
    config_path,
    load_config,
    remember_theme,
    startup_theme,
)

IDS = [b.id for b in reader_bindings() if b.id]

GOOD = """
theme = "textual-light"
script = "traditional"
pinyin = true

[keymap]
"segment.next" = "j, down ,n"

[quotes]
chinese = "「{quote}」——{name}"

[keywords]
enabled = false
top = 30
stopwords = ["今天", "we"]
"""


def _load(tmp_path: Path, text: str) -> tuple[Config, list[str]]:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, IDS)


def test_missing_file_gives_defaults_without_warnings(tmp_path: Path) -> None:
    assert load_config(tmp_path / "nope.toml", IDS) == (Config(), [])


def test_good_file_is_read(tmp_path: Path) -> None:
    config, warnings = _load(tmp_path, GOOD)
    assert warnings == []
    assert config.theme == "textual-light"
    assert config.script == "traditional"
    assert config.pinyin == "above"
    assert config.keymap_dict == {"segment.next": "j,down,n"}
    assert config.quote_chinese == "「{quote}」——{name}"
    assert config.keywords == KeywordSettings(enabled=False, top=30, stopwords=("今天", "we"))


@pytest.mark.parametrize(("text", "key"), [
    ('script = "klingon"', "script"),
    ("pinyin = 1", "pinyin"),
    ('pinyin = "below"', "pinyin"),
    ("theme = 3", "theme"),
    ('[keymap]\n"no.such.binding" = "x"', "keymap.no.such.binding"),
    ('[keymap]\n"segment.next" = ""', "keymap.segment.next"),
    ('[quotes]\nchinese = "no quote field"', "quotes.chinese"),
    ('[quotes]\nenglish = "{quote} {bogus}"', "quotes.english"),
    ("[keywords]\ntop = 0", "keywords.top"),
    ("[keywords]\ntop = true", "keywords.top"),
    ("[keywords]\nstopwords = [1]", "keywords.stopwords"),
    ("[keywords]\ncolour = 1", "keywords.colour"),
    ("colour = 'red'", "'colour'"),
])
def test_bad_value_is_named_and_the_default_used(tmp_path: Path, text: str, key: str) -> None:
    config, warnings = _load(tmp_path, text)
    assert len(warnings) == 1 and key in warnings[0], warnings
    assert config == Config()


@pytest.mark.parametrize(("value", "mode"), [
    ("true", "above"), ("false", "off"), ('"after"', "after"), ('"off"', "off"),
])
def test_pinyin_modes(tmp_path: Path, value: str, mode: str) -> None:
    config, warnings = _load(tmp_path, f"pinyin = {value}")
    assert (config.pinyin, warnings) == (mode, [])


def test_one_bad_key_keeps_the_good_ones(tmp_path: Path) -> None:
    config, warnings = _load(tmp_path, GOOD.replace('script = "traditional"', 'script = "x"'))
    assert len(warnings) == 1 and "script" in warnings[0]
    assert config.script == "original" and config.theme == "textual-light"
    assert config.quote_chinese != DEFAULT_CHINESE_TEMPLATE


def test_broken_toml_is_one_warning_and_defaults(tmp_path: Path) -> None:
    config, warnings = _load(tmp_path, "theme = \n[[[")
    assert config == Config()
    assert len(warnings) == 1 and "not valid TOML" in warnings[0] and "line" in warnings[0]


def test_undecodable_file_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"theme = '\xff\xfe'")
    config, warnings = load_config(path, IDS)
    assert config == Config() and len(warnings) == 1


def test_config_path_follows_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("YULU_CONFIG", str(tmp_path / "my.toml"))
    assert config_path() == tmp_path / "my.toml"
    monkeypatch.delenv("YULU_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_path() == tmp_path / "xdg" / "yulu" / "config.toml"


def test_theme_is_remembered_until_the_config_changes_it(tmp_path: Path) -> None:
    state = tmp_path / "state" / "state.json"
    assert startup_theme(Config(), state) == DEFAULT_THEME
    assert startup_theme(Config(theme="nord"), state) == "nord"
    remember_theme("gruvbox", Config(theme="nord"), state)
    assert startup_theme(Config(theme="nord"), state) == "gruvbox"  # picked in the app
    assert startup_theme(Config(theme="dracula"), state) == "dracula"  # config edited since
    remember_theme("monokai", Config(), state)
    assert startup_theme(Config(), state) == "monokai"


def test_corrupt_state_file_is_ignored(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text("{not json", encoding="utf-8")
    assert startup_theme(Config(), state) == DEFAULT_THEME
    remember_theme("nord", Config(), state)
    assert startup_theme(Config(), state) == "nord"


def test_keymap_clash_is_reported() -> None:
    from tui.config import keymap_clashes

    bindings = reader_bindings()
    assert keymap_clashes({"segment.next": "f12"}, bindings) == []
    (warning,) = keymap_clashes({"segment.next": "n"}, bindings)
    assert "keymap.segment.next" in warning and "search.next" in warning
    # moving the other binding away as well is no clash
    assert keymap_clashes({"segment.next": "n", "search.next": "f12"}, bindings) == []
