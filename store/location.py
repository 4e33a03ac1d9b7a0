"""Where the store lives: `--db PATH`, else $YULU_DB, else the platform's user data folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_VAR = "YULU_DB"
FILE_NAME = "yulu.json"


def default_path() -> Path:
    """$YULU_DB when set, else e.g. ~/.local/share/yulu/yulu.json (XDG) on Linux."""
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("yulu", appauthor=False)) / FILE_NAME
