"""Clipboard delivery: which channels a copy takes, and the honest report of what happened."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pyperclip
import pytest
from textual.app import App

from tui import clipboard
from tui.clipboard import (
    MAX_OSC52_BASE64,
    TMUX_HINT,
    VIA_SYSTEM,
    VIA_TERMINAL,
    VIA_TMUX,
    VIA_TMUX_OSC52,
    ClipboardContext,
    ClipboardDelivery,
    CopyResult,
    LocalClipboardError,
    TmuxError,
    copy_with_pyperclip,
    deliver_outside_terminal,
    osc52_refusal,
)

LOCAL = ClipboardContext(over_ssh=False, in_tmux=False, local_display=True)
SSH = ClipboardContext(over_ssh=True, in_tmux=False, local_display=True)
TMUX = ClipboardContext(over_ssh=True, in_tmux=True, local_display=False)


class Recorder:
    def __init__(self, error: Exception | None = None) -> None:
        self.calls: list[str] = []
        self.error = error

    def __call__(self, text: str) -> None:
        self.calls.append(text)
        if self.error:
            raise self.error


# --- environment detection -----------------------------------------------------------------------


def test_detect_ssh_tmux_and_display():
    ctx = ClipboardContext.detect(
        {"SSH_CONNECTION": "1.2.3.4 5 6.7.8.9 22", "DISPLAY": ":0"}, platform="linux"
    )
    assert ctx.over_ssh and not ctx.use_system_clipboard
    ctx = ClipboardContext.detect(
        {"DISPLAY": ":0", "TMUX": "/tmp/tmux-1/default,1,0"}, platform="linux"
    )
    assert ctx.in_tmux and ctx.use_system_clipboard
    assert not ClipboardContext.detect({}, platform="linux").use_system_clipboard
    assert ClipboardContext.detect({}, platform="darwin").use_system_clipboard
    assert ClipboardContext.detect({"SSH_TTY": "/dev/pts/3"}, platform="darwin").over_ssh


def test_detect_terminals_that_ignore_osc52():
    apple = ClipboardContext.detect({"TERM_PROGRAM": "Apple_Terminal"}, platform="darwin")
    assert apple.terminal_ignores_osc52 == "Terminal.app"
    vte = ClipboardContext.detect({"VTE_VERSION": "7600", "DISPLAY": ":0"}, platform="linux")
    assert vte.terminal_ignores_osc52
    # Over SSH these variables would describe the server's environment, not the terminal.
    assert (
        ClipboardContext.detect({"VTE_VERSION": "1", "SSH_TTY": "x"}).terminal_ignores_osc52 is None
    )


# --- size cap and messages -----------------------------------------------------------------------


def test_osc52_size_cap_is_on_the_base64_length():
    fits = "a" * (MAX_OSC52_BASE64 // 4 * 3)  # exactly MAX bytes of base64
    assert osc52_refusal(fits) is None
    refusal = osc52_refusal(fits + "aaa")
    assert refusal and "too large" in refusal and f"{MAX_OSC52_BASE64:,}" in refusal
    # UTF-8: a Chinese character is three bytes, four bytes of base64.
    assert osc52_refusal("語" * (MAX_OSC52_BASE64 // 4)) is None
    assert osc52_refusal("語" * (MAX_OSC52_BASE64 // 4 + 1)) is not None


def test_result_messages():
    assert CopyResult(42, (VIA_TERMINAL,)).message == "copied 42 characters via terminal (OSC 52)"
    assert CopyResult(1, (VIA_TERMINAL,)).severity == "information"
    both = CopyResult(3, (VIA_TERMINAL, VIA_SYSTEM), ("x",))
    assert both.message == (
        "copied 3 characters via terminal (OSC 52) and system clipboard (pyperclip); x"
    )
    assert both.severity == "warning"
    nothing = CopyResult(2, (), ("too large",), hint=TMUX_HINT)
    assert nothing.message.startswith("not copied (2 characters); too large — add `set -s")
    assert nothing.severity == "error"


# --- which channels are used ---------------------------------------------------------------------


def test_over_ssh_pyperclip_is_not_called():
    local = Recorder()
    result = deliver_outside_terminal("好", SSH, osc52_sent=True, local_copy=local)
    assert local.calls == []
    assert result.via == (VIA_TERMINAL,)


def test_local_session_calls_pyperclip_too():
    local = Recorder()
    result = deliver_outside_terminal("好", LOCAL, osc52_sent=True, local_copy=local)
    assert local.calls == ["好"]
    assert result.via == (VIA_TERMINAL, VIA_SYSTEM)


def test_pyperclip_failure_is_reported_not_raised():
    local = Recorder(
        pyperclip.PyperclipException("Pyperclip could not find a copy/paste mechanism")
    )
    result = deliver_outside_terminal("好", LOCAL, osc52_sent=True, local_copy=local)
    assert result.via == (VIA_TERMINAL,)
    assert result.problems == (
        "system clipboard failed: Pyperclip could not find a copy/paste mechanism",
    )


def test_terminal_that_ignores_osc52_is_not_claimed():
    ctx = ClipboardContext(False, False, True, terminal_ignores_osc52="Terminal.app")
    result = deliver_outside_terminal("x", ctx, osc52_sent=True, local_copy=Recorder())
    assert result.via == (VIA_SYSTEM,)
    assert result.problems == ("Terminal.app ignores OSC 52",)


def test_oversized_text_still_goes_to_the_local_clipboard_but_not_tmux(monkeypatch):
    monkeypatch.setattr(clipboard, "tmux_load_buffer", lambda *a, **k: pytest.fail("tmux used"))
    ctx = ClipboardContext(False, True, True)
    result = deliver_outside_terminal(
        "x", ctx, osc52_sent=False, refusal="too large", local_copy=Recorder()
    )
    assert result.via == (VIA_SYSTEM,) and result.problems == ("too large",)


def test_tmux_with_set_clipboard_on_relies_on_osc52(monkeypatch):
    monkeypatch.setattr(clipboard, "tmux_set_clipboard", lambda: "on")
    monkeypatch.setattr(clipboard, "tmux_load_buffer", lambda *a, **k: pytest.fail("not needed"))
    assert deliver_outside_terminal("x", TMUX, osc52_sent=True).via == (VIA_TMUX_OSC52,)


def test_tmux_default_setting_uses_load_buffer(monkeypatch):
    loaded: list[tuple[str, bool]] = []
    monkeypatch.setattr(clipboard, "tmux_set_clipboard", lambda: "external")
    monkeypatch.setattr(
        clipboard, "tmux_load_buffer", lambda t, forward=True: loaded.append((t, forward))
    )
    assert deliver_outside_terminal("語錄", TMUX, osc52_sent=True).via == (VIA_TMUX,)
    assert loaded == [("語錄", True)]


def test_old_tmux_without_forwarding_gets_the_hint(monkeypatch):
    def load(text: str, forward: bool = True) -> None:
        if forward:
            raise TmuxError("unknown flag -w")

    monkeypatch.setattr(clipboard, "tmux_set_clipboard", lambda: "external")
    monkeypatch.setattr(clipboard, "tmux_load_buffer", load)
    result = deliver_outside_terminal("x", TMUX, osc52_sent=True)
    assert result.via == ("tmux buffer",)
    assert result.hint == TMUX_HINT and "unknown flag -w" in result.problems[0]


# --- pyperclip for real, in its child process, with fake helper programs -------------------------


def _fake_xclip(tmp_path: Path, body: str) -> Path:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    script = bindir / "xclip"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return bindir


@pytest.fixture
def linux_display(monkeypatch):
    if not sys.platform.startswith("linux"):
        pytest.skip("fake xclip only drives pyperclip's Linux backend")
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)


def test_pyperclip_reaches_the_helper(tmp_path, monkeypatch, linux_display):
    out = tmp_path / "clip.txt"
    bindir = _fake_xclip(tmp_path, f'cat > "{out}"\n')
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}/usr/bin:/bin")
    copy_with_pyperclip("「我們走吧。」——尚大原(記者)")
    assert out.read_text("utf-8") == "「我們走吧。」——尚大原(記者)"


def test_helper_error_text_becomes_the_reason_not_terminal_noise(
    tmp_path, monkeypatch, capfd, linux_display
):
    # A stale DISPLAY: xclip complains and pyperclip.copy() still returns normally.
    bindir = _fake_xclip(
        tmp_path, 'cat >/dev/null\necho "Error: Can\'t open display: :99" >&2\nexit 1\n'
    )
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}/usr/bin:/bin")
    with pytest.raises(LocalClipboardError, match="Can't open display: :99"):
        copy_with_pyperclip("x")
    captured = capfd.readouterr()
    assert "open display" not in captured.err + captured.out


def test_no_clipboard_mechanism_raises_a_one_line_reason(tmp_path, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    if sys.platform != "linux":
        pytest.skip("the no-mechanism path is Linux's")
    with pytest.raises(LocalClipboardError) as raised:
        copy_with_pyperclip("x")
    assert str(raised.value) == "no clipboard program found (install xclip, xsel or wl-clipboard)"


# --- inside a running app ------------------------------------------------------------------------


class CopyApp(App[None]):
    def __init__(self, delivery: ClipboardDelivery) -> None:
        super().__init__()
        self.delivery = delivery
        self.toasts: list[tuple[str, str]] = []

    def notify(self, message, *, severity="information", **kwargs) -> None:  # type: ignore[override]
        self.toasts.append((str(message), severity))
        super().notify(message, severity=severity, **kwargs)


async def test_app_copy_over_ssh_writes_osc52_and_toasts():
    local = Recorder()
    app = CopyApp(ClipboardDelivery(local_copy=local, context=SSH))
    async with app.run_test() as pilot:
        app.delivery.copy(app, "「好。」——記者")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.clipboard == "「好。」——記者"
        assert local.calls == []
        assert app.toasts == [("copied 8 characters via terminal (OSC 52)", "information")]


async def test_app_copy_local_pyperclip_raising_toasts_and_keeps_running():
    local = Recorder(pyperclip.PyperclipException("no clipboard"))
    app = CopyApp(ClipboardDelivery(local_copy=local, context=LOCAL))
    async with app.run_test() as pilot:
        app.delivery.copy(app, "abc")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert local.calls == ["abc"]
        assert app.toasts == [
            (
                "copied 3 characters via terminal (OSC 52); system clipboard failed: no clipboard",
                "warning",
            ),
        ]
        assert app.is_running


async def test_app_refuses_oversized_payload_without_touching_the_clipboard():
    app = CopyApp(ClipboardDelivery(local_copy=Recorder(), context=SSH, max_osc52=8))
    async with app.run_test() as pilot:
        app.delivery.copy(app, "0123456789")
        await pilot.pause()
        assert app.clipboard == ""
        message, severity = app.toasts[0]
        assert severity == "error" and message.startswith("not copied (10 characters); too large")
