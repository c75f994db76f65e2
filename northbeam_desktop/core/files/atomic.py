"""The one atomic file write of the app: a file is either wholly the old one or wholly the new one.

`write_atomically(target, write)` lets `write(tmp)` fill a temporary file in the target's own
folder, flushes it to the disk (`fsync`; `F_FULLFSYNC` on macOS, whose `fsync` stops at the
drive's cache), gives it the target's permissions (or 0600 with `private=True`), moves it over
the target with `os.replace` and flushes the folder entry where the OS allows it (POSIX). A
crash, a full disk or a file held open by Excel never leaves a half-written file under the
target's name.

The temporary file is named `.~<name>.<8 random characters>.tmp<suffix>`. A process killed
mid-write leaves it behind, so every write first removes such leftovers from its folder
(`remove_leftovers`), and the app does the same for the folder of every file it opens. A
temporary file that a running save is still writing is never removed: the writer holds an OS
lock on it (POSIX) or has it open (Windows refuses to delete open files).

Errors are plain `OSError`s; callers turn them into sentences for the user.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["LEFTOVER_NAME", "remove_leftovers", "write_atomically", "write_bytes_atomically"]

# Temporary files of this module, and of earlier versions of the app: `.~orders.k2j4x9_a.tmp.xlsx`
# and the `.rows` file their workbook writer kept beside it. (`.~lock.…#` is LibreOffice's.)
LEFTOVER_NAME = re.compile(r"\.~.*\.[a-z0-9_]{8}\.tmp(?:\.[A-Za-z0-9]{1,8})?(?:\.rows)?")


def _current_umask() -> int:
    # Read once at import (on the main thread): os.umask() can only be read by changing it,
    # which would briefly affect files other threads create.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask() if os.name == "posix" else 0


def write_atomically(
    target: str | os.PathLike[str], write: Callable[[Path], object], *, private: bool = False
) -> Path:
    """Run `write(tmp)` on a temporary file beside `target`, then put it in `target`'s place.

    `private`: the file is readable by this user only (0600), for settings and journals; else
    it keeps the permissions of the file it replaces (a new file gets the usual ones). Raises
    `OSError` (the target untouched, the temporary file removed) when anything fails.
    """
    path = Path(target)
    folder = path.parent
    remove_leftovers(folder)
    handle, tmp_name = tempfile.mkstemp(
        prefix=f".~{path.stem[:40]}.", suffix=f".tmp{path.suffix}", dir=folder
    )
    tmp = Path(tmp_name)
    try:
        _lock(handle)
        write(tmp)
        _flush_file(tmp)
        _set_mode(tmp, 0o600 if private else _mode_for(path))
        if os.name == "nt":
            # Windows cannot rename a file that is open; the lock ends a moment early there.
            os.close(handle)
            handle = -1
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    finally:
        if handle >= 0:
            os.close(handle)
    _flush_folder(folder)
    return path


def write_bytes_atomically(
    target: str | os.PathLike[str], data: bytes, *, private: bool = False
) -> Path:
    """`write_atomically` for content that is already in memory."""
    return write_atomically(target, lambda tmp: tmp.write_bytes(data), private=private)


def remove_leftovers(folder: str | os.PathLike[str]) -> list[str]:
    """Delete the temporary files interrupted writes left in `folder`; returns their names.

    Files a running write is still using are left alone, and nothing else is ever touched.
    """
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not LEFTOVER_NAME.fullmatch(entry.name):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False) and _remove_if_unused(Path(entry.path)):
                removed.append(entry.name)
    return removed


def _remove_if_unused(path: Path) -> bool:
    if os.name != "posix":
        path.unlink()  # refused (PermissionError) while a writer has it open
        return True
    import fcntl

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # a running save holds it
        path.unlink()
        return True
    finally:
        os.close(fd)


def _lock(handle: int) -> None:
    if os.name == "posix":
        import fcntl

        with contextlib.suppress(OSError):  # a folder without locks (some network shares)
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _flush_file(path: Path) -> None:
    with open(path, "rb+") as written:
        fd = written.fileno()
        if sys.platform == "darwin":
            import fcntl

            with contextlib.suppress(OSError):
                fcntl.fcntl(fd, fcntl.F_FULLFSYNC)
                return
        os.fsync(fd)


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


def _set_mode(path: Path, mode: int) -> None:
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.chmod(path, mode)


def _flush_folder(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a folder for flushing; NTFS journals the rename
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
