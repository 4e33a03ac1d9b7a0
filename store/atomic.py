"""Crash-safe file replacement and moving unreadable files aside.

A reader of the target path sees either the old bytes or the new bytes, never a mix: the new
bytes go to a temp file in the same folder, are fsynced, then `os.replace`d over the target.
A failure at any step (disk full, permission, a kill) leaves the old file untouched.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from datetime import UTC, datetime
from pathlib import Path

TEMP_SUFFIX = ".tmp"


def real_target(path: Path) -> Path:
    """The file to replace. A symlinked store path is followed so the link itself survives."""
    return Path(os.path.realpath(path))


def temp_prefix(target: Path) -> str:
    return f".{target.name}."


def atomic_write(target: Path, data: bytes, *, backup: Path | None = None) -> None:
    """Replace `target` with `data`. When `backup` is given, the replaced version is kept there.

    Raises OSError (ENOSPC, EACCES, ...) with `target` untouched.
    """
    directory = target.parent
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(target), suffix=TEMP_SUFFIX, dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        _copy_permissions(target, tmp)
        if backup is not None:
            _keep_backup(target, backup)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_directory(directory)


def _copy_permissions(target: Path, tmp: Path) -> None:
    # mkstemp creates 0600 files, which is right for a new private store; an existing file keeps
    # the mode (and, when we may, the owner) the user gave it.
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return
    os.chmod(tmp, stat.S_IMODE(st.st_mode))
    if hasattr(os, "chown") and (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
        with contextlib.suppress(OSError):
            os.chown(tmp, st.st_uid, st.st_gid)


def _keep_backup(target: Path, backup: Path) -> None:
    """Make `backup` the current version of `target` (a hard link: no copy, already durable)."""
    if not target.exists():
        return
    link = backup.with_name(backup.name + TEMP_SUFFIX)
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    try:
        os.link(target, link)
        os.replace(link, backup)
    except OSError:
        # No hard links here (some network or FUSE file systems): copy the bytes instead.
        with contextlib.suppress(OSError):
            link.unlink()
        atomic_write(backup, target.read_bytes())


def fsync_directory(directory: Path) -> None:
    """Make the rename itself durable. Not every platform can open a folder; that is fine."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def move_aside(target: Path, label: str) -> Path:
    """Rename `target` to `<name>.<label>-<UTC time>` (bytes untouched); return the new path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = target.with_name(f"{target.name}.{label}-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = target.with_name(f"{target.name}.{label}-{stamp}-{n}")
    os.replace(target, aside)
    fsync_directory(target.parent)
    return aside


def remove_stale_temps(target: Path, keep: Path | None = None) -> None:
    """Delete temp files a killed writer left. Call only while holding the store lock."""
    for leftover in target.parent.glob(temp_prefix(target) + "*" + TEMP_SUFFIX):
        if leftover != keep:
            with contextlib.suppress(OSError):
                leftover.unlink()
