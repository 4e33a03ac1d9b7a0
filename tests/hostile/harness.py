"""Drive yulu the ways a user does (CLI subprocess, Pilot, a real terminal in tmux) and look at
what reached the user. Every driver is bounded: a hang fails the case instead of the suite."""

from __future__ import annotations

import asyncio
import os
import pty
import re
import resource
import select
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The bound on every case is 10 s of CPU: of the yulu process for the CLI, of the UI thread for
# the reader (the thread a user waits on; workers are not counted). Wall-clock time is only the
# hang detector, 3x looser, since the suite shares 2 cores with parallel test runs.
CASE_SECONDS = 10.0
HANG_SECONDS = 30.0

# What a terminal would act on: C0 controls except \t \n, DEL, C1, bidi overrides/isolates.
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def unsafe_chars(text: str) -> list[str]:
    return sorted({repr(c) for c in UNSAFE.findall(text)})


@pytest.fixture
def isolated_user_dirs(tmp_path_factory, monkeypatch) -> Path:
    """Notes store, config and XDG folders in a temp folder: tests never touch the user's own."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("YULU_DB", str(home / "data" / "yulu.json"))
    monkeypatch.setenv("YULU_CONFIG", str(home / "config" / "config.toml"))
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
        monkeypatch.setenv(var, str(home / sub))
    return home


# -- CLI ------------------------------------------------------------------------------------


def run_cli(args: Iterable[str], *, cpu: float = CASE_SECONDS, env: dict[str, str] | None = None,
            stdin: int | None = subprocess.DEVNULL) -> subprocess.CompletedProcess[bytes]:
    """`yulu ARGS` in a subprocess with no terminal: fails past `cpu` CPU seconds or on a hang."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    before = _children_cpu()
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        cwd=ROOT, env=full_env, stdin=stdin, capture_output=True, timeout=HANG_SECONDS,
    )
    used = _children_cpu() - before
    assert used <= cpu, f"yulu {' '.join(args)} used {used:.1f} s of CPU (bound {cpu:g} s)"
    return result


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@asynccontextmanager
async def bounded(cpu: float = CASE_SECONDS, hang: float = HANG_SECONDS) -> AsyncIterator[None]:
    """A reader case: a hang fails after `hang` s; the UI thread may use `cpu` CPU seconds."""
    start = time.thread_time()
    async with asyncio.timeout(hang):
        yield
    used = time.thread_time() - start
    assert used <= cpu, f"the UI thread used {used:.1f} s of CPU (bound {cpu:g} s)"


def assert_one_line_error(result: subprocess.CompletedProcess[bytes]) -> str:
    """Exit 2, empty stdout, exactly one `yulu: …` line on stderr with nothing a terminal acts on."""
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, (result.returncode, err[-2000:])
    assert "Traceback" not in err, err[-2000:]
    assert result.stdout == b"", result.stdout[:200]
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("yulu: "), err[-2000:]
    assert not unsafe_chars(err.rstrip("\n")), unsafe_chars(err)
    return lines[0]


def run_in_pty(argv: list[str], env: dict[str, str], *, stdin_tty: bool = True,
               hang: float = HANG_SECONDS, until: str | None = None) -> tuple[int | None, str]:
    """Run argv with a pseudo-terminal as stdout/stderr (and stdin): (exit status, output).

    A run still going after `hang` seconds, or once `until` appeared in its output, is killed
    and reported as status None."""
    master, slave = pty.openpty()
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    full_env.pop("COLUMNS", None)
    full_env.pop("LINES", None)
    proc = subprocess.Popen(argv, cwd=ROOT, env=full_env,
                            stdin=slave if stdin_tty else subprocess.PIPE,
                            stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    out = b""
    deadline = time.monotonic() + hang
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
                if until is not None and until.encode() in out:
                    proc.kill()
                    proc.wait(timeout=HANG_SECONDS)
                    return None, out.decode("utf-8", "replace")
            elif proc.poll() is not None:
                break
        else:
            proc.kill()
            proc.wait(timeout=HANG_SECONDS)
            return None, out.decode("utf-8", "replace")
        status = proc.wait(timeout=HANG_SECONDS)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    return status, out.decode("utf-8", "replace")


# -- Pilot ------------------------------------------------------------------------------------


def screen_strips(app) -> list:
    """Every line of the composed screen as Textual Strips (what would be sent to the terminal)."""
    return app.screen._compositor.render_strips()  # no public API returns the composed screen


def screen_text(app) -> str:
    return "\n".join(strip.text for strip in screen_strips(app))


def widget_lines(widget) -> list:
    return [widget.render_line(y) for y in range(widget.size.height)]


def acting_styles(strips: Iterable) -> list[str]:
    """Links and click actions found in strips: transcript text must never carry either."""
    found = []
    for strip in strips:
        for segment in strip:
            style = segment.style
            if style is None:
                continue
            if style.link:
                found.append(f"link {style.link!r} on {segment.text!r}")
            if style.meta and any("click" in str(k) or "@" in str(k) for k in style.meta):
                found.append(f"meta {style.meta!r} on {segment.text!r}")
    return found


# -- a real terminal ------------------------------------------------------------------------------


@dataclass
class Tmux:
    """A private tmux server (its own socket) running one command in a pane of a given size."""

    socket: str
    target: str = "yulu:0.0"

    def cmd(self, *args: str, check: bool = True) -> str:
        r = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, timeout=10)
        if check and r.returncode != 0:
            raise RuntimeError(f"tmux {args[0]} failed: {r.stderr.decode(errors='replace')}")
        return r.stdout.decode("utf-8", "replace")

    def capture(self, escapes: bool = False) -> str:
        return self.cmd("capture-pane", "-p", *(["-e"] if escapes else []), "-t", self.target)

    def lines(self) -> list[str]:
        return self.capture().split("\n")

    def show(self, fmt: str) -> str:
        return self.cmd("display-message", "-p", "-t", self.target, fmt).strip()

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.cmd("send-keys", "-t", self.target, key)
            time.sleep(0.15)

    def wait_for(self, predicate, timeout: float = HANG_SECONDS, what: str = "") -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.capture()
            if predicate(screen):
                return screen
            if self.show("#{pane_dead}") == "1":
                screen = self.capture()
                if predicate(screen):  # it died between the two looks: judge the final state
                    return screen
                break
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what or predicate}; screen:\n{screen}")

    def wait_drawn(self, timeout: float = HANG_SECONDS) -> str:
        """The app's screen once drawn (a header and a footer line) and unchanged for 0.4 s."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            screen = self.wait_for(_header_and_footer, timeout=timeout,
                                   what="the reader's header and footer")
            if screen == last:
                return screen
            last = screen
            time.sleep(0.4)
        raise AssertionError(f"the screen never settled:\n{last}")

    def buffers(self) -> str:
        """Paste buffers: an OSC 52 that reached tmux (set-clipboard on) lands here."""
        return self.cmd("list-buffers", "-F", "#{buffer_sample}", check=False)


def _header_and_footer(screen: str) -> bool:
    lines = screen.removesuffix("\n").split("\n")
    return bool(lines[0].strip() and lines[-1].strip())


def tmux_available() -> bool:
    return shutil.which("tmux") is not None


@contextmanager
def tmux_app(argv: list[str], *, width: int = 100, height: int = 30,
             env: dict[str, str] | None = None) -> Iterator[Tmux]:
    """Run `argv` in a fresh private tmux server; the pane stays after the command exits."""
    t = Tmux(socket=f"yulu-rel-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    environment = {"TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8",
                   "PYTHONPATH": str(ROOT), **(env or {})}
    # Options come from a config file read before the session exists (no resize race):
    # set-clipboard on makes tmux accept OSC 52, so a leaked clipboard write shows in a buffer.
    conf = Path(tempfile.mkdtemp(prefix="yulu-tmux-")) / "tmux.conf"
    conf.write_text("set -g set-clipboard on\nset -g remain-on-exit on\nset -g allow-rename on\n"
                    "set -g status off\nset -g default-terminal tmux-256color\n")
    env_args = [a for k, v in environment.items() for a in ("-e", f"{k}={v}")]
    t.cmd("-f", str(conf), "new-session", "-d", "-s", "yulu", "-x", str(width), "-y", str(height),
          *env_args, "-c", str(ROOT),
          # COLUMNS/LINES inherited from the test process would override the pane's real size
          " ".join(_quote(a) for a in ["env", "-u", "COLUMNS", "-u", "LINES", *argv]))
    try:
        yield t
    finally:
        t.cmd("kill-server", check=False)
        shutil.rmtree(conf.parent, ignore_errors=True)


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


def yulu_argv(*args: str) -> list[str]:
    """The installed `yulu` command when present (what a user runs), else `python -m tui.cli`."""
    exe = ROOT / ".venv" / "bin" / "yulu"
    if exe.exists():
        return [str(exe), *args]
    return [sys.executable, "-m", "tui.cli", *args]


# -- small helpers the reliability suites share ---------------------------------------------------


def full_parse(path: Path):
    """The full parse of a file, as the reader has it once the worker finished."""
    from parser import parse_text, read_source

    src = read_source(path)
    return parse_text(src.text, source=str(path), encoding=src.encoding)


def notices(app) -> list[str]:
    """The app's notifications so far."""
    return [n.message for n in app._notifications]


async def wait_until(pilot, condition, what: str, timeout: float = HANG_SECONDS) -> None:
    """Let the app run until `condition()` holds; a hang shows as a clear failure."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)
