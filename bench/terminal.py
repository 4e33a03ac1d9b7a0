"""Measure a terminal program the way a user feels it: in a real terminal (tmux).

Like ../shared/tools/ttfs.py: a private tmux server per run (so the program gets this process's
environment), `capture-pane` polled every few milliseconds until the expected text shows. One
difference: the shell writes a timestamp right before it execs the program, and the clock starts
there, so tmux's own start-up never counts.

Measured per run: time to first screen, the latency of each key step (from sending the key to
its expected text on screen), the time until keywords are highlighted (when the app shows a
marker for it), whether a progress indicator was seen, and peak RSS (VmHWM) of the program and of
its whole process tree.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

POLL = 0.005  # seconds between two captures
RSS_EVERY = 0.1  # seconds between two samples of the process tree's peak RSS


@dataclass(frozen=True, slots=True)
class Step:
    """Press `key` (tmux send-keys name) and wait until `expect` shows (None: any change)."""

    name: str
    key: str
    expect: str | None
    literal: bool = False  # `key` is text to type, not a key name
    # untimed keys first: (literal text, what shows once it took effect, or None)
    before: tuple[tuple[str, str | None], ...] = ()
    needs: str | None = None  # skipped when this earlier step failed


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    command: list[str]
    ready: tuple[str, ...]  # all of these on screen = the first screen
    steps: tuple[Step, ...] = ()
    keywords_marker: str | None = None  # shown once keywords are complete
    keywords_partial: str | None = None  # shown once the first keywords are highlighted
    after_steps: tuple[str, ...] = ()  # keys pressed before waiting for the keywords
    # a regex that means "progress is shown", searched on the line of `busy` when it is set
    progress: str | None = r"\d+\s*%"
    busy: str | None = None  # shown while the rest of the file loads; gone = loaded
    # Per run, fresh XDG data/state/config folders: every run is a first open (no remembered
    # position, no notes), with a shared cache whose per-transcript results are cleared.
    isolate: bool = True
    keys_after_load: bool = False  # press the keys only once `busy` is gone


@dataclass(slots=True)
class Run:
    first: float | None = None
    steps: dict[str, float | None] = field(default_factory=dict)
    keywords: float | None = None
    keywords_partial: float | None = None
    progress_seen: bool = False
    alive: bool | None = None  # the program still ran when the run ended (no crash)
    busy_seen: bool = False  # the "still loading" message showed at some point
    loaded: float | None = None  # seconds from exec until `busy` left the screen
    rss_kb: int | None = None  # VmHWM of the program itself
    tree_rss_kb: int | None = None  # sum of VmHWM over it and every child seen
    screen: str = ""
    error: str | None = None  # the run could not be measured at all
    notes: list[str] = field(default_factory=list)  # steps that did not work


# --------------------------------------------------------------------------- /proc
def _status_kb(pid: int, key: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def _status_field(pid: int, key: str) -> str | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                out.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                pass
    except OSError:
        pass
    return out


def process_tree(pid: int) -> list[int]:
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p not in seen:
            seen.append(p)
            todo.extend(_children(p))
    return seen


# --------------------------------------------------------------------------- tmux
class Terminal:
    """One private tmux server running one program."""

    def __init__(self, cols: int, rows: int, cwd: Path) -> None:
        self.name = "ybench-" + uuid.uuid4().hex[:8]
        self.tmux = ["tmux", "-f", "/dev/null", "-L", self.name]
        self.cols, self.rows, self.cwd = cols, rows, cwd
        fd, stamp = tempfile.mkstemp(prefix="ybench-", suffix=".t0")
        os.close(fd)
        os.unlink(stamp)
        self.stamp = Path(stamp)
        self.pid: int | None = None
        self.peaks: dict[int, int] = {}
        self._last_rss = 0.0

    def start(self, command: list[str], env: dict[str, str] | None = None) -> float:
        """Start the program; return the wall-clock time it was exec'd at."""
        cmd = " ".join(shlex.quote(c) for c in command)
        stamp = shlex.quote(str(self.stamp))
        exports = "".join(f"export {k}={shlex.quote(v)}; " for k, v in (env or {}).items())
        # sleep: let tmux settle first, so its start-up never lands in the measurement
        script = (f"{exports}sleep 0.3; date +%s.%N > {stamp}.w && mv {stamp}.w {stamp}; "
                  f"exec {cmd}")
        subprocess.run(
            self.tmux + ["new-session", "-d", "-s", self.name, "-c", str(self.cwd),
                         "-x", str(self.cols), "-y", str(self.rows), "sh", "-c", script],
            check=True,
        )
        pid = subprocess.run(self.tmux + ["display-message", "-p", "-t", self.name,
                                          "#{pane_pid}"], capture_output=True, text=True).stdout
        self.pid = int(pid.strip())
        deadline = time.time() + 10
        while not self.stamp.exists():
            if time.time() > deadline:
                raise RuntimeError("the program never started")
            time.sleep(0.001)
        return float(self.stamp.read_text().strip())

    def capture(self) -> str:
        out = subprocess.run(self.tmux + ["capture-pane", "-p", "-t", self.name],
                             capture_output=True, text=True).stdout
        now = time.perf_counter()
        if self.pid is not None and now - self._last_rss > RSS_EVERY:
            self._last_rss = now
            self.sample_rss()
        return out

    def sample_rss(self) -> None:
        if self.pid is None:
            return
        for p in process_tree(self.pid):
            kb = _status_kb(p, "VmHWM")
            if kb is not None:
                self.peaks[p] = max(kb, self.peaks.get(p, 0))

    def alive(self) -> bool:
        if self.pid is None:
            return False
        state = _status_field(self.pid, "State")
        return state is not None and not state.startswith(("Z", "X"))

    def send(self, key: str, literal: bool = False) -> None:
        subprocess.run(self.tmux + ["send-keys", "-t", self.name] + (["-l"] if literal else [])
                       + [key])

    def close(self) -> None:
        subprocess.run(self.tmux + ["kill-server"], capture_output=True)
        socket = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}" / self.name
        for p in (self.stamp, Path(str(self.stamp) + ".w"), socket):
            p.unlink(missing_ok=True)


def wait_until(term: Terminal, done: Callable[[str], bool], timeout: float,
               watch: Callable[[str], None] | None = None) -> tuple[float | None, str]:
    """Poll the screen until done(screen); return (seconds waited or None, last screen)."""
    t0 = time.perf_counter()
    out = ""
    while time.perf_counter() - t0 < timeout:
        out = term.capture()
        if watch is not None:
            watch(out)
        if done(out):
            return time.perf_counter() - t0, out
        time.sleep(POLL)
    return None, out


# --------------------------------------------------------------------------- one run
def run_once(sc: Scenario, cols: int, rows: int, cwd: Path, timeout: float,
             keywords_timeout: float, settle: float = 0.2) -> Run:
    run = Run()
    term = Terminal(cols, rows, cwd)
    progress = re.compile(sc.progress) if sc.progress else None
    kw_seen: list[float] = []
    kw_partial: list[float] = []
    loaded_at: float | None = None

    def watch(screen: str) -> None:
        nonlocal loaded_at
        if progress is not None and not run.progress_seen and any(
            progress.search(line) for line in screen.splitlines()
            if sc.busy is None or sc.busy in line
        ):
            run.progress_seen = True
        if sc.busy and sc.busy in screen:
            run.busy_seen = True
        # Loaded: the busy message is gone once it showed. (A file that never shows it was
        # whole at the first screen: see below.)
        if sc.busy and loaded_at is None and run.busy_seen and sc.busy not in screen:
            loaded_at = time.time()
        if sc.keywords_marker and not kw_seen and sc.keywords_marker in screen:
            kw_seen.append(time.time())
        if sc.keywords_partial and not kw_partial and (
            sc.keywords_partial in screen or kw_seen
        ):
            kw_partial.append(time.time())

    home = Path(tempfile.mkdtemp(prefix="ybench-home-"))
    env = _fresh_user_folders(home) if sc.isolate else None
    try:
        t_exec = term.start(sc.command, env)
        waited, screen = wait_until(term, lambda s: all(r in s for r in sc.ready), timeout, watch)
        run.screen = screen
        if waited is None:
            run.error = "first screen never showed"
            return run
        run.first = time.time() - t_exec  # from exec, not from the start of polling
        if sc.keys_after_load and sc.busy:
            t_ready = time.time()
            wait_until(term, lambda s: loaded_at is not None or (
                not run.busy_seen and time.time() - t_ready > 2), keywords_timeout, watch)
        time.sleep(settle)
        failed: set[str] = set()
        for step in sc.steps:
            if step.needs in failed:
                failed.add(step.name)
                continue
            ok, screen = _step(term, step, timeout, watch, run)
            run.screen = screen
            if not ok:
                failed.add(step.name)
                term.send("Escape")  # close whatever the failed step left open
            time.sleep(settle)
        if sc.keywords_marker and not kw_seen:
            for key in sc.after_steps:
                term.send(key)
            wait_until(term, lambda s: bool(kw_seen), keywords_timeout, watch)
        if kw_partial:
            run.keywords_partial = kw_partial[0] - t_exec
        if sc.busy and loaded_at is None:
            shown = time.time()

            def loaded(_s: str) -> bool:
                # never busy for 2 s after the keys: it was whole from the start
                return loaded_at is not None or (not run.busy_seen and time.time() - shown > 2)

            wait_until(term, loaded, keywords_timeout, watch)
        if loaded_at is not None:
            run.loaded = loaded_at - t_exec
        elif sc.busy and not run.busy_seen:
            run.loaded = run.first
        if kw_seen:
            run.keywords = kw_seen[0] - t_exec
        term.sample_rss()
        run.alive = term.alive()
        if term.pid is not None:
            run.rss_kb = term.peaks.get(term.pid)
            run.tree_rss_kb = sum(term.peaks.values()) or None
    except (OSError, RuntimeError, subprocess.CalledProcessError) as e:
        run.error = str(e)
    finally:
        term.close()
        shutil.rmtree(home, ignore_errors=True)
    return run


# jieba's dictionary cache survives across runs (a one-time cost per machine, measured by
# bench/keywords_bench.py); yulu's per-transcript results under it do not.
SHARED_CACHE = Path(tempfile.gettempdir()) / "yulu-bench" / "xdg-cache"


def _fresh_user_folders(home: Path) -> dict[str, str]:
    env = {}
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        folder = home / var.lower()
        folder.mkdir()
        env[var] = str(folder)
    SHARED_CACHE.mkdir(parents=True, exist_ok=True)
    for sub in SHARED_CACHE.glob("yulu/*"):
        if sub.is_dir():
            shutil.rmtree(sub, ignore_errors=True)
    env["XDG_CACHE_HOME"] = str(SHARED_CACHE)
    return env


def _step(term: Terminal, step: Step, timeout: float, watch: Callable[[str], None],
          run: Run) -> tuple[bool, str]:
    """Type the step's untimed text, then time its key until the expected text shows."""
    screen = ""
    for text, shows in step.before:
        term.send(text, literal=True)
        if shows is not None:
            waited, screen = wait_until(term, lambda s, t=shows: t in s, min(timeout, 5.0), watch)
            if waited is None:
                run.steps[step.name] = None
                run.notes.append(f"{step.name}: typed {text!r}, {shows!r} never shown")
                return False, screen
        time.sleep(0.05)
    before = term.capture()
    if step.expect is None:
        def done(s: str) -> bool:
            return s != before
    else:
        def done(s: str) -> bool:
            return step.expect in s
    t0 = time.perf_counter()
    term.send(step.key, literal=step.literal)
    waited, screen = wait_until(term, done, timeout, watch)
    run.steps[step.name] = None if waited is None else time.perf_counter() - t0
    if waited is None:
        run.notes.append(f"{step.name}: {step.expect!r} never shown after {step.key}")
        return False, screen
    return True, screen


@dataclass(slots=True)
class Summary:
    """Medians over runs."""

    name: str
    runs: list[Run]

    def median(self, pick: Callable[[Run], float | int | None]) -> float | None:
        """The median over the runs that produced a value (see `missing`)."""
        values = [v for v in (pick(r) for r in self.runs) if v is not None]
        return statistics.median(values) if values else None

    def missing(self, pick: Callable[[Run], float | int | None]) -> int:
        return sum(1 for r in self.runs if pick(r) is None)

    def worst(self, pick: Callable[[Run], float | int | None]) -> float | None:
        values = [v for v in (pick(r) for r in self.runs) if v is not None]
        return max(values) if values else None

    @property
    def first(self) -> float | None:
        return self.median(lambda r: r.first)

    def step(self, name: str) -> float | None:
        return self.median(lambda r: r.steps.get(name))

    @property
    def keywords(self) -> float | None:
        return self.median(lambda r: r.keywords)

    @property
    def keywords_partial(self) -> float | None:
        return self.median(lambda r: r.keywords_partial)

    @property
    def rss_mb(self) -> float | None:
        kb = self.median(lambda r: r.rss_kb)
        return None if kb is None else kb / 1024

    @property
    def tree_rss_mb(self) -> float | None:
        kb = self.median(lambda r: r.tree_rss_kb)
        return None if kb is None else kb / 1024

    @property
    def loaded(self) -> float | None:
        return self.median(lambda r: r.loaded)

    @property
    def progress_seen(self) -> bool:
        return any(r.progress_seen for r in self.runs)

    @property
    def crashed(self) -> int:
        return sum(1 for r in self.runs if r.alive is False)

    @property
    def busy_seen(self) -> bool:
        return any(r.busy_seen for r in self.runs)

    @property
    def errors(self) -> list[str]:
        return [r.error for r in self.runs if r.error]

    @property
    def notes(self) -> list[str]:
        return sorted({n for r in self.runs for n in r.notes})


def compare(scenarios: list[Scenario], runs: int, cols: int = 120, rows: int = 40,
            cwd: Path | None = None, timeout: float = 30.0, keywords_timeout: float = 60.0,
            log: Callable[[str], None] = lambda s: None) -> list[Summary]:
    """Run each scenario `runs` times, interleaved, so drift on the machine hits all alike."""
    cwd = cwd or Path.cwd()
    results: dict[str, list[Run]] = {sc.name: [] for sc in scenarios}
    for i in range(runs):
        for sc in scenarios:
            r = run_once(sc, cols, rows, cwd, timeout, keywords_timeout)
            results[sc.name].append(r)
            shown = " ".join(f"{k}={_fmt(v)}" for k, v in r.steps.items())
            log(f"  run {i} {sc.name}: first={_fmt(r.first)} {shown}"
                f" kw={_fmt(r.keywords_partial)}/{_fmt(r.keywords)} loaded={_fmt(r.loaded)} rss={r.rss_kb}kB"
                + (f" ERROR {r.error}" if r.error else "")
                + "".join(f"\n    note: {n}" for n in r.notes))
            if r.error or r.notes:
                log("    last screen:\n" + "\n".join("    | " + x for x in r.screen.splitlines()))
    return [Summary(sc.name, results[sc.name]) for sc in scenarios]


def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{v * 1000:.0f}ms"
