"""The config file applied to a running app: keymap overrides, the (remembered) theme, warnings.

`load_into(app)` runs in the app's __init__ (before any screen exists, so bindings are remapped
from the start); `apply_on_mount(app)` sets the theme, remembers later theme changes (written in
a worker) and shows the config's warnings in one notification.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.signal import SignalError
from textual.theme import Theme

from tui.bindings import reader_bindings
from tui.config import (
    DEFAULT_THEME,
    Config,
    keymap_clashes,
    load_config,
    remember_theme,
    startup_theme,
)


def load_into(app: App, path: Path | None = None) -> Config:
    """Read the config (a few hundred bytes, before the first screen) and remap keys."""
    bindings = reader_bindings()
    config, warnings = load_config(path, [b.id for b in bindings if b.id])
    warnings += keymap_clashes(config.keymap_dict, bindings)
    app.config = config  # type: ignore[attr-defined]
    app.config_warnings = warnings  # type: ignore[attr-defined]
    if config.keymap:
        app.set_keymap(config.keymap_dict)
    return config


def apply_on_mount(app: App) -> None:
    config: Config = getattr(app, "config", None) or load_into(app)
    warnings: list[str] = list(getattr(app, "config_warnings", []))
    theme = startup_theme(config)
    if theme not in app.available_themes:
        known = ", ".join(sorted(app.available_themes))
        warnings.append(f"config: theme: no theme named {theme!r} (known: {known}); "
                        f"using {DEFAULT_THEME}")
        theme = DEFAULT_THEME
    app.theme = theme
    # subscribe after setting it: only the user's own changes are remembered
    def subscribe() -> None:
        if not app.is_running:  # the app may already be on its way out (q pressed at once)
            return
        try:
            app.theme_changed_signal.subscribe(app, lambda t: _remember(app, t, config))
        except SignalError:
            pass  # closing after all: nothing left to remember

    app.call_after_refresh(subscribe)
    if warnings:
        # One notification for all: separate ones stack past the top of the screen, and the
        # first problems found would be the ones the user never sees.
        title = "Config file" if len(warnings) == 1 else f"Config file: {len(warnings)} problems"
        app.notify("\n".join(warnings), title=title, severity="warning",
                   timeout=10 + 2 * len(warnings))


def _remember(app: App, theme: Theme, config: Config) -> None:
    """Write the picked theme to the state file in a worker; a failure is only a notice."""

    def write() -> None:
        try:
            remember_theme(theme.name, config)
        except OSError as e:
            app.call_from_thread(
                app.notify, f"could not remember the theme: {e.strerror or e}",
                severity="warning", timeout=5,
            )

    app.run_worker(write, thread=True, exclusive=True, group="remember-theme")
