#!/usr/bin/env python3
"""Set up a local venv and run yulu's tasks. Needs only python3 (3.11+) and pip.

    python3 dev.py run [ARGS]    set up, then open the bundled demo transcript (or ARGS)
    python3 dev.py test [ARGS]   set up, then run the whole test suite (ARGS go to pytest)
    python3 dev.py lint          ruff over the project
    python3 dev.py bench [ARGS]  the benchmark suite (not part of the tests)
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def setup() -> None:
    """Create the venv and install yulu with its test extra, again only when pyproject changes."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs on whatever python3 is
        sys.exit(f"yulu needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    stamp = VENV / ".installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest and PY.exists():
        return
    if not PY.exists():
        print("creating .venv …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    print("installing yulu and its test tools into .venv …", file=sys.stderr)
    pip = [str(PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[test]"], check=True, cwd=ROOT)
    stamp.write_text(digest)


def main(argv: list[str]) -> int:
    task, args = (argv[0], argv[1:]) if argv else ("run", [])
    if task not in {"run", "test", "lint", "bench", "setup"}:
        print(__doc__, file=sys.stderr)
        return 2
    setup()
    os.chdir(ROOT)
    if task == "run":
        cmd = [str(BIN / "yulu"), *args]
    elif task == "test":
        cmd = [str(PY), "-m", "pytest", "-n", "2", "-q", *args]
    elif task == "lint":
        cmd = [str(BIN / "ruff"), "check", ".", *args]
    elif task == "bench":
        cmd = [str(PY), "-m", "bench", *args]
    else:
        return 0
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
