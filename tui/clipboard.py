"""Getting copied text to the user's clipboard — locally, over SSH and inside tmux — and saying how.

Channels, and when each is used:
- the terminal, through OSC 52 (Textual's `App.copy_to_clipboard`): always, unless the payload is
  larger than terminals accept. Over SSH this is the only channel that reaches the user's machine.
- tmux: an application's OSC 52 is dropped under tmux's default `set-clipboard external` (tested in
  tests/test_clipboard_tmux.py against a private tmux server). When the setting is not `on`, the text
  goes through `tmux load-buffer -w -`, which stores it in tmux's buffer and forwards it to the outer
  terminal under every `set-clipboard` value. tmux's DCS passthrough is not used: tmux 3.3+ drops it
  unless `allow-passthrough` is on, and `load-buffer -w` covers the same cases.
- the system clipboard, through pyperclip: only on a local session with a display. pyperclip runs in
  a child process, off the UI thread, with its stderr captured: helper programs such as xclip print
  errors straight onto the terminal and can make `copy()` return normally after failing.

The UI thread only writes the OSC 52 sequence; tmux and pyperclip run in a thread worker, and the
caller gets a CopyResult that says what took the text and what failed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from textual.app import App

# Terminals cap OSC 52 payloads: hterm/xterm-style limits are ~100 KB per sequence, i.e. about
# 74 KB of base64 once framing is allowed for. Larger payloads are refused, never truncated.
MAX_OSC52_BASE64 = 74_994

VIA_TERMINAL = "terminal (OSC 52)"
VIA_TMUX = "tmux buffer + terminal (tmux load-buffer -w)"
VIA_TMUX_OSC52 = "tmux buffer + terminal (OSC 52)"
VIA_TMUX_BUFFER_ONLY = "tmux buffer"
VIA_SYSTEM = "system clipboard (pyperclip)"

TMUX_HINT = "add `set -s set-clipboard on` to ~/.tmux.conf"
NO_HELPER = "no clipboard program found (install xclip, xsel or wl-clipboard)"

HELPER_TIMEOUT = 5.0  # seconds; a clipboard helper that hangs longer is given up on


class LocalClipboardError(Exception):
    """The system clipboard could not take the text; the message is one line for the user."""


class TmuxError(Exception):
    """A tmux command failed; the message is tmux's own complaint."""


@dataclass(frozen=True, slots=True)
class ClipboardContext:
    """What the environment says about where a copy can go."""

    over_ssh: bool
    in_tmux: bool
    local_display: bool  # a local clipboard can exist (macOS, Windows, or X11/Wayland display set)
    terminal_ignores_osc52: str | None = None  # the terminal's name when it is known to ignore it

    @classmethod
    def detect(
        cls, environ: Mapping[str, str] | None = None, platform: str | None = None
    ) -> ClipboardContext:
        env = os.environ if environ is None else environ
        platform = sys.platform if platform is None else platform
        over_ssh = bool(env.get("SSH_CONNECTION") or env.get("SSH_TTY") or env.get("SSH_CLIENT"))
        display = platform in ("darwin", "win32", "cygwin") or bool(
            env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")
        )
        ignores = None
        if not over_ssh:  # these variables describe the local terminal only
            if env.get("TERM_PROGRAM") == "Apple_Terminal":
                ignores = "Terminal.app"
            elif env.get("VTE_VERSION"):
                ignores = "this VTE terminal (GNOME Terminal, Tilix, …)"
        return cls(
            over_ssh=over_ssh,
            in_tmux=bool(env.get("TMUX")),
            local_display=display,
            terminal_ignores_osc52=ignores,
        )

    @property
    def use_system_clipboard(self) -> bool:
        # Over SSH, pyperclip would fill the server's clipboard (or fail): useless to the reader.
        return self.local_display and not self.over_ssh


@dataclass(frozen=True, slots=True)
class CopyResult:
    """What happened to one copy, honestly: which channels took the text and what went wrong."""

    characters: int
    via: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    hint: str | None = None

    @property
    def copied(self) -> bool:
        return bool(self.via)

    @property
    def severity(self) -> str:
        """Textual notification severity."""
        if not self.copied:
            return "error"
        return "warning" if self.problems else "information"

    @property
    def message(self) -> str:
        n = self.characters
        what = f"{n:,} character{'s' if n != 1 else ''}"
        if self.copied:
            text = f"copied {what} via {' and '.join(self.via)}"
        else:
            text = f"not copied ({what})"
        if self.problems:
            text += "; " + "; ".join(self.problems)
        if self.hint:
            text += f" — {self.hint}"
        return text


def osc52_base64_length(text: str) -> int:
    return 4 * -(-len(text.encode("utf-8")) // 3)


def osc52_refusal(text: str, limit: int = MAX_OSC52_BASE64) -> str | None:
    """Why text is too large for OSC 52, or None when it fits."""
    size = osc52_base64_length(text)
    if size <= limit:
        return None
    return (
        f"too large for the terminal ({size:,} bytes as OSC 52, terminals accept about {limit:,})"
    )


# --- the system clipboard, through pyperclip in a child process -------------------------------

_PYPERCLIP_CHILD = (
    "import sys, pyperclip\npyperclip.copy(sys.stdin.buffer.read().decode('utf-8'))\n"
)


def _first_line(raw: bytes, prefer: str = "") -> str:
    lines = [ln.strip() for ln in raw.decode("utf-8", "replace").splitlines() if ln.strip()]
    chosen = next((ln for ln in reversed(lines) if prefer and prefer in ln), None)
    line = chosen or (lines[0] if lines else "")
    if prefer and prefer in line:
        line = line.split(prefer, 1)[1].lstrip(": ")
    # Control characters from a helper never reach the toast (and so never the terminal).
    line = "".join(ch for ch in line if ch.isprintable())
    return line[:160]


def copy_with_pyperclip(text: str, timeout: float = HELPER_TIMEOUT) -> None:
    """Copy text with pyperclip; raise LocalClipboardError with a one-line reason on failure.

    A child process because (a) pyperclip's helpers (xclip, xsel, wl-copy) inherit stderr and
    would print onto the TUI, (b) xclip can fail and pyperclip still return normally — its stderr
    is the only evidence, and (c) start_new_session keeps helpers off the controlling terminal.
    stderr goes to a temporary file, not a pipe: xclip's background process keeps it open.
    """
    with tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.run(
                [sys.executable, "-c", _PYPERCLIP_CHILD],
                input=text.encode("utf-8"),
                stdout=subprocess.DEVNULL,
                stderr=err,
                timeout=timeout,
                start_new_session=True,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise LocalClipboardError(f"clipboard helper gave no answer in {timeout:g} s") from None
        except OSError as e:
            raise LocalClipboardError(f"could not start pyperclip: {e.strerror or e}") from None
        err.seek(0)
        complaint = err.read()
    if proc.returncode != 0:
        if b"could not find a copy/paste mechanism" in complaint:
            # pyperclip's own sentence runs on into a URL; say what to do instead.
            raise LocalClipboardError(NO_HELPER)
        reason = _first_line(complaint, prefer="PyperclipException")
        raise LocalClipboardError(reason or f"pyperclip exited with status {proc.returncode}")
    if complaint.strip():
        raise LocalClipboardError(_first_line(complaint))


# --- tmux ----------------------------------------------------------------------------------------


def _tmux(args: list[str], data: bytes | None = None) -> str:
    try:
        proc = subprocess.run(
            ["tmux", *args],
            input=data,
            capture_output=True,
            timeout=HELPER_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise TmuxError(f"tmux did not run: {e}") from None
    if proc.returncode != 0:
        raise TmuxError(_first_line(proc.stderr) or f"tmux exited with status {proc.returncode}")
    return proc.stdout.decode("utf-8", "replace").strip()


def tmux_set_clipboard() -> str:
    """tmux's `set-clipboard` server option: "on", "external" (the default) or "off"."""
    return _tmux(["show-options", "-sv", "set-clipboard"])


def tmux_load_buffer(text: str, forward: bool = True) -> None:
    """Store text in tmux's paste buffer; with forward, tmux also sends it to the outer terminal."""
    _tmux(["load-buffer", *(["-w"] if forward else []), "-"], text.encode("utf-8"))


# --- delivery ------------------------------------------------------------------------------------


def deliver_outside_terminal(
    text: str,
    context: ClipboardContext,
    *,
    osc52_sent: bool,
    refusal: str | None = None,
    local_copy: Callable[[str], None] | None = None,
) -> CopyResult:
    """The slow channels (tmux, pyperclip), run off the UI thread; combines them with OSC 52's fate.

    osc52_sent says whether the UI thread wrote the OSC 52 sequence; refusal why it did not.
    """
    via: list[str] = []
    problems: list[str] = []
    hint: str | None = None
    if refusal:
        problems.append(refusal)

    if context.in_tmux and refusal is None:
        try:
            if osc52_sent and tmux_set_clipboard() == "on":
                via.append(VIA_TMUX_OSC52)  # tmux stores the OSC 52 and forwards it
            else:
                tmux_load_buffer(text, forward=True)
                via.append(VIA_TMUX)
        except TmuxError as e:
            # tmux before 3.2 has no -w: the buffer is all we can fill.
            try:
                tmux_load_buffer(text, forward=False)
                via.append(VIA_TMUX_BUFFER_ONLY)
            except TmuxError:
                pass
            problems.append(f"tmux could not pass it to the terminal ({e})")
            hint = TMUX_HINT
    elif osc52_sent:
        if context.terminal_ignores_osc52:
            problems.append(f"{context.terminal_ignores_osc52} ignores OSC 52")
        else:
            via.append(VIA_TERMINAL)

    if context.use_system_clipboard:
        copy = local_copy or copy_with_pyperclip
        try:
            copy(text)
            via.append(VIA_SYSTEM)
        except Exception as e:  # any pyperclip/helper failure: reported, never raised into the UI
            reason = str(e).strip().splitlines()[0][:160] if str(e).strip() else type(e).__name__
            problems.append(f"system clipboard failed: {reason}")

    return CopyResult(len(text), tuple(via), tuple(problems), hint)


def _notify(app: App, result: CopyResult) -> None:
    app.notify(result.message, severity=result.severity, timeout=6 if result.problems else 3)


class ClipboardDelivery:
    """Copies text through every channel that can reach the user, then reports via on_done.

    local_copy and context are injectable for tests; by default the environment is read at every
    copy (it is cheap) and pyperclip runs in a child process.
    """

    def __init__(
        self,
        *,
        local_copy: Callable[[str], None] | None = None,
        context: ClipboardContext | None = None,
        max_osc52: int = MAX_OSC52_BASE64,
    ) -> None:
        self._local_copy = local_copy
        self._context = context
        self._max_osc52 = max_osc52

    def copy(
        self,
        app: App,
        text: str,
        on_done: Callable[[CopyResult], None] | None = None,
    ) -> None:
        """Write OSC 52 now; tmux and pyperclip in a worker; on_done(result) on the UI thread."""
        done = on_done or (lambda result: _notify(app, result))
        context = self._context or ClipboardContext.detect()
        refusal = osc52_refusal(text, self._max_osc52)
        if refusal is None:
            app.copy_to_clipboard(text)
        if not context.in_tmux and not context.use_system_clipboard:
            result = deliver_outside_terminal(
                text, context, osc52_sent=refusal is None, refusal=refusal
            )
            done(result)
            return
        # Resolved now, not at import: tests replace copy_with_pyperclip on this module.
        local_copy = self._local_copy or copy_with_pyperclip

        def work() -> None:
            try:
                result = deliver_outside_terminal(
                    text,
                    context,
                    osc52_sent=refusal is None,
                    refusal=refusal,
                    local_copy=local_copy,
                )
            except Exception as e:  # a bug must not lose the toast or crash the reader
                result = CopyResult(len(text), problems=(f"copy failed: {e}",))
            try:
                app.call_from_thread(done, result)
            except RuntimeError:
                pass  # the app closed while the helper ran: nobody is left to tell

        app.run_worker(
            work, thread=True, group="clipboard", exit_on_error=False, name="clipboard copy"
        )
