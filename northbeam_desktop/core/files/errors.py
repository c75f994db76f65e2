"""`SaveError`, and the one sentence a shop owner reads when the disk or the OS refuses a write."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

from northbeam_desktop.core.files.atomic import write_atomically

__all__ = ["SaveError", "os_save_error", "write_for_user"]


class SaveError(Exception):
    """A file we cannot write; `str(error)` says why and what to do, for a shop owner."""


def write_for_user(target: Path, write: Callable[[Path], object]) -> None:
    """`write_atomically`, with every failure turned into a `SaveError` sentence."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise SaveError(
            f"The folder “{folder}” does not exist (any more); choose another place to save."
        )
    try:
        write_atomically(target, write)
    except OSError as exc:
        raise os_save_error(target, exc) from None


def os_save_error(target: str | os.PathLike[str], exc: OSError) -> SaveError:
    name = Path(target).name
    if isinstance(exc, PermissionError):
        return SaveError(
            f"“{name}” could not be saved because another program is using it or the folder "
            "is read-only. If it is open in Excel, close it there and save again, or use Save "
            "As to save a copy elsewhere."
        )
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return SaveError(
            f"“{name}” could not be saved: the disk is full. Free some space and save again; "
            "your changes are still here."
        )
    return SaveError(
        f"“{name}” could not be saved ({exc.strerror or type(exc).__name__}). Your changes are "
        "still here; try Save As to save to another folder."
    )
