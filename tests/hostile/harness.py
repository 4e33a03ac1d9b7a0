"""Drive yulu the ways a user does (CLI subprocess, Pilot, a real terminal in tmux) and look at
what reached the user. Every driver is bounded: a hang fails the case instead of the suite."""

from __future__ import annotations

import asyncio
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

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

    def wait_for(self, predicate, timeout: float = CASE_SECONDS, what: str = "") -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.capture()
            if predicate(screen):
                return screen
            if self.show("#{pane_dead}") == "1":
                break
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what or predicate}; screen:\n{screen}")

    def buffers(self) -> str:
        """Paste buffers: an OSC 52 that reached tmux (set-clipboard on) lands here."""
        return self.cmd("list-buffers", "-F", "#{buffer_sample}", check=False)


def tmux_available() -> bool:
    return shutil.which("tmux") is not None


@contextmanager
def tmux_app(argv: list[str], *, width: int = 100, height: int = 30,
             env: dict[str, str] | None = None) -> Iterator[Tmux]:
    """Run `argv` in a fresh private tmux server; the pane stays after the command exits."""
    t = Tmux(socket=f"yulu-rel-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    environment = {"TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8",
                   "PYTHONPATH": str(ROOT), **(env or {})}
    # tmux -f /dev/null: no user config; set-clipboard on makes tmux accept OSC 52 (so a leak shows)
    t.cmd("-f", "/dev/null", "new-session", "-d", "-s", "yulu", "-x", str(width), "-y", str(height),
          "-e", "PLACEHOLDER=1", "sleep 3600")
    try:
        t.cmd("set-option", "-g", "set-clipboard", "on")
        t.cmd("set-option", "-g", "remain-on-exit", "on")
        t.cmd("set-option", "-g", "allow-rename", "on")
        t.cmd("set-option", "-g", "status", "off")
        t.cmd("set-option", "-g", "default-terminal", "tmux-256color", check=False)
        env_args = [a for k, v in environment.items() for a in ("-e", f"{k}={v}")]
        t.cmd("respawn-pane", "-k", "-t", t.target, *env_args, "-c", str(ROOT),
              " ".join(_quote(a) for a in argv))
        yield t
    finally:
        t.cmd("kill-server", check=False)


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


def yulu_argv(*args: str) -> list[str]:
    """The installed `yulu` command when present (what a user runs), else `python -m tui.cli`."""
    exe = ROOT / ".venv" / "bin" / "yulu"
    if exe.exists():
        return [str(exe), *args]
    return [sys.executable, "-m", "tui.cli", *args]
