"""What reaches tmux's buffer and the outer terminal, against a real, private tmux server.

Each test starts its own server (`tmux -L <unique name> -f /dev/null`, so no user config is read)
with one client attached through a pseudo-terminal that plays the user's terminal: whatever tmux
forwards to the "outer terminal" is read from that pty. Skipped only when tmux is not installed.

Findings (tmux 3.3a): under the defaults (`set-clipboard external`, `allow-passthrough off`) an
application's OSC 52 is dropped, plain or DCS-wrapped; `tmux load-buffer -w -` reaches both the
buffer and the outer terminal under every set-clipboard value; with `set -s set-clipboard on` plain
OSC 52 is stored and forwarded; DCS passthrough reaches the outer terminal only with
`allow-passthrough on` (and never the buffer).
"""

from __future__ import annotations

import base64
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from tui.clipboard import VIA_TMUX, VIA_TMUX_OSC52

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

ROOT = Path(__file__).resolve().parents[1]
QUOTE = "「我們明天出發。」——尚大原(記者)"


def _tmux_version() -> tuple[int, int]:
    out = subprocess.run(["tmux", "-V"], capture_output=True, text=True).stdout
    m = re.search(r"(\d+)\.(\d+)", out)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def osc52(text: str) -> bytes:
    return b"\x1b]52;c;" + base64.b64encode(text.encode("utf-8")) + b"\x07"


def dcs_wrapped(sequence: bytes) -> bytes:
    # tmux's passthrough: ESC P tmux; <sequence with every ESC doubled> ESC \
    return b"\x1bPtmux;" + sequence.replace(b"\x1b", b"\x1b\x1b") + b"\x1b\\"


class TmuxServer:
    """A private tmux server with one attached client whose terminal output is captured."""

    def __init__(self, tmp: Path) -> None:
        self.name = f"yulu-test-{uuid.uuid4().hex[:10]}"
        self.tmp = tmp
        self.outer = bytearray()  # everything tmux wrote to the client's terminal
        self._lock = threading.Lock()

    def tmux(self, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            ["tmux", "-L", self.name, "-f", "/dev/null", *args],
            input=data,
            capture_output=True,
            timeout=10,
        )

    def __enter__(self) -> TmuxServer:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TMUX", "SSH_"))}
        env.update(TERM="xterm-256color", PYTHONPATH=str(ROOT))
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
        pid, fd = pty.fork()
        if pid == 0:  # the child becomes the tmux client: a session running a plain shell
            os.execvpe(
                "tmux",
                [
                    "tmux",
                    "-L",
                    self.name,
                    "-f",
                    "/dev/null",
                    "new-session",
                    "-x",
                    "100",
                    "-y",
                    "30",
                    "/bin/sh",
                ],
                env,
            )
        self.pid, self.fd = pid, fd
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.wait_for(lambda: self.tmux("has-session").returncode == 0, "tmux session")
        return self

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.1)
                if ready:
                    chunk = os.read(self.fd, 65536)
                    if not chunk:
                        return
                    with self._lock:
                        self.outer.extend(chunk)
            except OSError:
                return

    def __exit__(self, *exc: object) -> None:
        self.tmux("kill-server")
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        self._reader.join(timeout=2)
        os.close(self.fd)

    def wait_for(self, condition, what: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}")

    def run_in_pane(self, command: str) -> None:
        self.tmux("send-keys", "-t", "0", "-l", command)
        self.tmux("send-keys", "-t", "0", "Enter")

    def buffers(self) -> str:
        return self.tmux("list-buffers", "-F", "#{buffer_name}").stdout.decode()

    def buffer_text(self) -> str | None:
        proc = self.tmux("show-buffer")
        return proc.stdout.decode("utf-8") if proc.returncode == 0 else None

    def forwarded(self, text: str) -> bool:
        """Whether an OSC 52 carrying text reached the outer terminal.

        tmux re-emits it in its own form (e.g. an empty selection, `ESC ] 52 ; ; <base64>`).
        """
        encoded = re.escape(base64.b64encode(text.encode("utf-8")))
        with self._lock:
            return re.search(rb"\x1b\]52;[a-z0-9]*;" + encoded, bytes(self.outer)) is not None

    def emit(self, payload: bytes, marker: Path) -> None:
        """Have a program in the pane write payload to its terminal, then touch marker."""
        raw = self.tmp / f"payload-{uuid.uuid4().hex[:6]}"
        raw.write_bytes(payload)
        self.run_in_pane(f"cat {raw}; touch {marker}")
        self.wait_for(marker.exists, "the pane to write the payload")
        time.sleep(0.3)  # let tmux process and forward what it read


SETTINGS = {
    "defaults": [],
    "set-clipboard on": [("set", "-s", "set-clipboard", "on")],
    "set-clipboard off": [("set", "-s", "set-clipboard", "off")],
    "allow-passthrough on": [("set", "-g", "allow-passthrough", "on")],
}


def _expected(setting: str, form: str) -> tuple[bool, bool]:
    """(reaches tmux's buffer, reaches the outer terminal) as measured on tmux 3.3a."""
    if form == "load-buffer -w":
        return True, True
    if form == "plain":
        on = setting == "set-clipboard on"
        return on, on
    # DCS passthrough: tmux before 3.3 had no allow-passthrough and passed it unconditionally.
    passthrough = setting == "allow-passthrough on" or _tmux_version() < (3, 3)
    return False, passthrough


@pytest.mark.parametrize("setting", list(SETTINGS))
@pytest.mark.parametrize("form", ["plain", "dcs", "load-buffer -w"])
def test_which_osc52_form_reaches_tmux(tmp_path, setting, form):
    text = f"{QUOTE} [{setting} / {form}]"
    with TmuxServer(tmp_path) as server:
        for option in SETTINGS[setting]:
            assert server.tmux(*option).returncode == 0
        marker = tmp_path / "done"
        if form == "load-buffer -w":
            src = tmp_path / "quote.txt"
            src.write_text(text, "utf-8")
            server.run_in_pane(f"tmux load-buffer -w - < {src}; touch {marker}")
            server.wait_for(marker.exists, "load-buffer")
            time.sleep(0.3)
        else:
            payload = osc52(text) if form == "plain" else dcs_wrapped(osc52(text))
            server.emit(payload, marker)
        in_buffer, forwarded = _expected(setting, form)
        assert (server.buffer_text() == text) is in_buffer
        assert server.forwarded(text) is forwarded


_APP = """
import sys
from textual.app import App
from tui.clipboard import ClipboardDelivery

class Copier(App):
    def on_mount(self):
        ClipboardDelivery().copy(self, sys.argv[1], on_done=self.done)

    def done(self, result):
        open(sys.argv[2], "w", encoding="utf-8").write(result.message + "\\n" + "|".join(result.via))
        self.exit()

Copier().run()
"""


@pytest.mark.parametrize("setting", ["defaults", "set-clipboard on"])
def test_yulu_copy_arrives_in_tmux_buffer_and_outer_terminal(tmp_path, setting):
    """The real delivery code, in a Textual app inside tmux: the quote lands in tmux's buffer."""
    script = tmp_path / "copier.py"
    script.write_text(_APP, "utf-8")
    report = tmp_path / "report.txt"
    with TmuxServer(tmp_path) as server:
        for option in SETTINGS[setting]:
            assert server.tmux(*option).returncode == 0
        server.run_in_pane(f"{sys.executable} {script} '{QUOTE}' {report}")
        server.wait_for(report.exists, "the app to report its copy", timeout=30)
        server.wait_for(lambda: server.buffer_text() == QUOTE, "the quote in tmux's buffer", 5)
        server.wait_for(lambda: server.forwarded(QUOTE), "OSC 52 on the outer terminal", 5)
        message, via = report.read_text("utf-8").split("\n")
        expected_via = VIA_TMUX_OSC52 if setting == "set-clipboard on" else VIA_TMUX
        assert via == expected_via
        assert message == f"copied {len(QUOTE)} characters via {expected_via}"
        # One copy, one buffer: set-clipboard on must not also get a load-buffer duplicate.
        assert server.buffers().count("\n") == 1


def test_reader_y_key_inside_tmux_fills_tmux_buffer(tmp_path):
    """The whole reader in a tmux pane under default settings: `s` then `y` puts the quote,
    with its attribution, in tmux's buffer and on the outer terminal."""
    source = tmp_path / "news.txt"
    source.write_text(
        "記者 尚大原：今天颱風登陸。他說：「大家小心。」\n主播 王小明：謝謝。\n", "utf-8"
    )
    expected = "「今天颱風登陸。」——尚大原(記者)"
    isolated = " ".join(
        f"{name}={tmp_path / name.lower()}"
        for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")
    )
    with TmuxServer(tmp_path) as server:
        server.run_in_pane(
            f"env {isolated} YULU_CONFIG={tmp_path / 'config.toml'} YULU_DB={tmp_path / 'db.json'} "
            f"{sys.executable} -m tui.cli {source}"
        )

        def showing(text: str) -> bool:
            return text in server.tmux("capture-pane", "-p").stdout.decode("utf-8", "replace")

        server.wait_for(lambda: showing("大家小心"), "the reader to show the transcript", 30)
        server.tmux("send-keys", "-t", "0", "s")
        server.tmux("send-keys", "-t", "0", "y")
        toast = f"copied {len(expected)} characters via tmux"
        server.wait_for(lambda: showing(toast), "the toast", 10)
        server.wait_for(lambda: server.buffer_text() == expected, "the quote in tmux's buffer", 5)
        server.wait_for(lambda: server.forwarded(expected), "OSC 52 on the outer terminal", 5)
        server.tmux("send-keys", "-t", "0", "q")
