"""Run yulu under a probe and record what happens before and just after its first paint.

    python [-X importtime] -m bench.startup_probe --out REPORT.json [--watch S] [--profile] -- FILE
    python [-X importtime] -m bench.startup_probe --out REPORT.json --bare --screen Screen

Recorded (JSON, written once the watch window after the first paint ends; then the app exits):
- every module imported, when (seconds since the probe started) and on which thread;
- the moment the reader screen was first written to the terminal (the first paint);
- the threads alive and the child processes running at that moment;
- with --profile, a cProfile of the main (UI) thread from start to first paint;
- after the first paint, every stall of the event loop longer than 50 ms (a 10 ms timer that
  fires late), and when the transcript became complete.

It has to run in a terminal (the benchmark runs it in tmux); bench/startup.py drives it.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import argparse  # noqa: E402
import cProfile  # noqa: E402
import importlib.abc  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import pstats  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

IMPORTS: list[tuple[float, str, str]] = []  # (seconds, thread name, module)
TICK = 0.01  # the event-loop probe's timer period
STALL = 0.05  # a late timer beyond this counts as a stall


class _ImportRecorder(importlib.abc.MetaPathFinder):
    """Sees every first import of a module (it never finds anything itself)."""

    def find_spec(self, name, path, target=None):  # noqa: ANN001 - importlib's protocol
        if name not in sys.modules:
            IMPORTS.append((time.perf_counter() - T0, threading.current_thread().name, name))
        return None


def _children(pid: int) -> list[str]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            for child in (task / "children").read_text().split():
                cmd = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
                out.append(cmd.decode(errors="replace").strip())
        except OSError:
            pass
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.startup_probe")
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--watch", type=float, default=5.0, help="seconds to watch after first paint")
    ap.add_argument("--profile", action="store_true", help="cProfile the UI thread until paint")
    ap.add_argument("--screen", default="ReaderScreen", help="class of the screen that counts")
    ap.add_argument("--bare", action="store_true", help="probe the bare app instead of yulu")
    ap.add_argument("args", nargs=argparse.REMAINDER)
    a = ap.parse_args(argv)
    app_args = a.args[1:] if a.args[:1] == ["--"] else a.args

    sys.meta_path.insert(0, _ImportRecorder())
    profiler = cProfile.Profile() if a.profile else None
    if profiler is not None:
        profiler.enable()

    # textual.app is imported before the first paint in any case; importing it here only
    # moves it earlier, so that its display hook can be wrapped.
    from textual.app import App

    report: dict = {"argv": app_args, "first_paint": None}
    original_display = App._display

    def display(self, screen, renderable):  # noqa: ANN001 - Textual's private signature
        original_display(self, screen, renderable)
        if report["first_paint"] is None and renderable is not None and (
            type(screen).__name__ == a.screen
        ):
            on_first_paint(self)

    def on_first_paint(app: App) -> None:
        report["first_paint"] = time.perf_counter() - T0
        if profiler is not None:
            profiler.disable()
            report["profile"] = _profile_text(profiler)
            report["profile_functions"] = _profile_rows(profiler)
        report["imports_before_paint"] = len(IMPORTS)
        report["threads_at_paint"] = [t.name for t in threading.enumerate()]
        report["children_at_paint"] = _children(os.getpid())
        watch_loop(app)

    def watch_loop(app: App) -> None:
        stalls: list[tuple[float, float]] = []
        last = [time.perf_counter()]
        start = last[0]
        worst = [0.0]

        def tick() -> None:
            now = time.perf_counter()
            late = now - last[0] - TICK
            worst[0] = max(worst[0], late)
            if late > STALL:
                stalls.append((round(last[0] - T0, 3), round(late, 3)))
            last[0] = now
            transcript = getattr(app, "transcript", None)
            if report.get("complete_at") is None and getattr(transcript, "complete", False):
                report["complete_at"] = now - T0
            if now - start >= a.watch:
                finish(app, stalls, worst[0])

        app.set_interval(TICK, tick, name="bench-probe")

    def finish(app: App, stalls: list[tuple[float, float]], worst: float) -> None:
        if report.get("done"):
            return
        report["done"] = True
        report["stalls"] = stalls
        report["worst_stall"] = worst
        report["imports"] = IMPORTS
        report["threads_at_end"] = [t.name for t in threading.enumerate()]
        report["children_at_end"] = _children(os.getpid())
        tmp = a.out.with_suffix(".tmp")
        tmp.write_text(json.dumps(report, ensure_ascii=False, indent=1))
        tmp.replace(a.out)
        app.exit()

    App._display = display
    if a.bare:
        from bench.bare_app import BareApp

        BareApp().run()
        return 0
    from tui.cli import main as yulu_main

    return yulu_main(app_args)


def _profile_text(profiler: cProfile.Profile, limit: int = 30) -> str:
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(limit)
    return out.getvalue()


def _profile_rows(profiler: cProfile.Profile) -> list[tuple[str, int, float, float]]:
    """(function, calls, own seconds, cumulative seconds) for every profiled function."""
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows = []
    for (file, line, name), (_cc, calls, tt, ct, _callers) in stats.items():
        rows.append((f"{file}:{line}:{name}", calls, tt, ct))
    rows.sort(key=lambda r: -r[3])
    return rows[:400]


if __name__ == "__main__":
    sys.exit(main())
