"""Exclusive OS file locks that say who holds them, and private files and folders.

A `FileLock` is an advisory lock the operating system drops when its process ends, however it
ends (kill -9 included), so a crash never leaves a stale lock behind: `fcntl.flock` on POSIX,
`msvcrt.locking` on Windows. Because Windows locks bytes *mandatorily* (nobody else may read a
locked byte), the holder's name, process id and start time go into a separate small file beside
the lock (`<lock>.owner`), written once the lock is held; a second program that finds the lock
taken reads it to say who is busy.

`private_folder` and `private_file` make what they create readable by this user only (0700 and
0600 where the OS has POSIX modes; on Windows the per-user profile folders already are).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

__all__ = [
    "FileLock",
    "LockHolder",
    "open_private",
    "private_file",
    "private_folder",
    "tighten",
]

PRIVATE_FOLDER_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
OWNER_SUFFIX = ".owner"
_HAS_MODES = os.name != "nt"


def private_folder(path: Path) -> Path:
    """Create `path` (and its parents) if needed and make the folder itself private.

    An existing folder that others may read is tightened; one this user does not own (a shared
    folder chosen on purpose) is left as it is.
    """
    path.mkdir(mode=PRIVATE_FOLDER_MODE, parents=True, exist_ok=True)
    if _HAS_MODES:
        with contextlib.suppress(OSError):
            if path.stat().st_mode & 0o077:
                path.chmod(PRIVATE_FOLDER_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty if missing, readable and writable by this user only; an existing
    file is tightened to the same."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0), PRIVATE_FILE_MODE)
    os.close(fd)
    tighten(path)
    return path


def tighten(path: Path) -> None:
    """Make an existing file private (0600) where the OS has modes; errors are ignored."""
    if _HAS_MODES:
        with contextlib.suppress(OSError):
            if path.stat().st_mode & 0o077:
                path.chmod(PRIVATE_FILE_MODE)


def open_private(path: Path, mode: str) -> IO[str]:
    """`open(path, "w" or "a")` for UTF-8 text with "\\n" line ends, but a file it creates is
    private from its first byte."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if mode == "a" else os.O_TRUNC)
    fd = os.open(path, flags, PRIVATE_FILE_MODE)
    try:
        handle = os.fdopen(fd, mode, encoding="utf-8", newline="\n")
    except BaseException:
        os.close(fd)
        raise
    tighten(path)
    return handle


@dataclass(frozen=True, slots=True)
class LockHolder:
    """Who holds a lock: the program's name for people, its process id, since when, where."""

    program: str
    pid: int
    since: datetime
    host: str = ""

    def describe(self, now: datetime | None = None) -> str:
        """ "Northbeam Desktop, process 4242, since 14:05" (with the date when not today, and
        the computer's name when it is another one, as on a shared network folder)."""
        now = now or datetime.now().astimezone()
        local = self.since.astimezone(now.tzinfo)
        today = local.date() == now.date()
        when = local.strftime("%H:%M" if today else "%Y-%m-%d %H:%M")
        where = f" on {self.host}" if self.host and self.host != socket.gethostname() else ""
        return f"{self.program}, process {self.pid}{where}, since {when}"

    def to_json(self) -> dict[str, object]:
        return {
            "program": self.program,
            "pid": self.pid,
            "since": self.since.isoformat(timespec="seconds"),
            "host": self.host,
        }

    @classmethod
    def from_json(cls, data: object) -> LockHolder | None:
        if not isinstance(data, dict):
            return None
        try:
            since = datetime.fromisoformat(str(data["since"]))
            return cls(str(data["program"]), int(data["pid"]), since, str(data.get("host", "")))
        except (KeyError, TypeError, ValueError):
            return None


class FileLock:
    """An exclusive, non-blocking OS lock on `path`; released by the OS when the process ends."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.owner_path = path.with_name(path.name + OWNER_SUFFIX)
        self.handle: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self.handle is not None

    def acquire(self, program: str | None = None) -> bool:
        """Take the lock now or return False (another process, or this one, holds it).

        `program` names the holder for others (`holder()`); None writes no owner file.
        """
        if self.handle is not None:
            return False
        try:
            private_file(self.path)
            handle = open(self.path, "r+b")  # noqa: SIM115 - held open while locked
        except OSError:
            return False
        try:
            if sys.platform == "win32":
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self.handle = handle
        if program is not None:
            self._write_owner(program)
        return True

    def release(self) -> None:
        handle, self.handle = self.handle, None
        if handle is None:
            return
        with contextlib.suppress(OSError):
            self.owner_path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            if sys.platform == "win32":
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()

    def holder(self) -> LockHolder | None:
        """Who holds the lock, as its holder wrote it (None if unknown or not written yet)."""
        try:
            text = self.owner_path.read_text(encoding="utf-8")
            return LockHolder.from_json(json.loads(text))
        except (OSError, ValueError):
            return None

    def _write_owner(self, program: str) -> None:
        owner = LockHolder(program, os.getpid(), datetime.now().astimezone(), socket.gethostname())
        with contextlib.suppress(OSError), open_private(self.owner_path, "w") as handle:
            json.dump(owner.to_json(), handle)

    def __enter__(self) -> FileLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
