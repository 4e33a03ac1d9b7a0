"""Where the numbers came from: CPU, cores, memory, Python, Textual, tmux."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GB"
    except (OSError, ValueError):
        pass
    return "?"


def _version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "not installed"


def _tmux() -> str:
    try:
        return subprocess.run(["tmux", "-V"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "tmux missing"


def describe() -> dict[str, str]:
    return {
        "CPU": _cpu_model(),
        "cores": str(os.cpu_count()),
        "memory": _memory_gb(),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "Textual": _version("textual"),
        "Rich": _version("rich"),
        "terminal": _tmux(),
        "load average": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def markdown() -> str:
    return " · ".join(f"{k}: {v}" for k, v in describe().items())
