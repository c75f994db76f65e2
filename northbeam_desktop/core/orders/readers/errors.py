"""`ReadError` and the sentences shared by the readers.

Every failure while reading becomes a `ReadError` whose text is one sentence a shop owner can act
on: what is wrong, where, and what to do. The original exception is chained (`__cause__`) for the
log and never shown.
"""

from __future__ import annotations

import errno

__all__ = ["ReadError"]


class ReadError(Exception):
    """A file we cannot read; `str(error)` is a sentence for the user, with what to do next."""


def os_error(name: str, exc: OSError) -> ReadError:
    if isinstance(exc, FileNotFoundError):
        msg = (
            f"We can't find the file “{name}” (it may have been moved, renamed or deleted); "
            "check where it is and choose it again."
        )
    elif isinstance(exc, PermissionError):
        # On Windows this is what a workbook that is open in Excel looks like.
        msg = (
            f"We aren't allowed to open “{name}”; if it is open in Excel or another program, "
            "close it there and try again, or copy it to your Documents folder first."
        )
    elif isinstance(exc, IsADirectoryError) or exc.errno == errno.EISDIR:
        msg = f"“{name}” is a folder, not a file; open the folder and choose the spreadsheet in it."
    else:
        msg = (
            f"We couldn't read “{name}” from the disk (it may be on a disconnected drive or a "
            "cloud folder that hasn't finished syncing); copy it to your computer and try again."
        )
    return ReadError(msg)


def unexpected_or_reraise(name: str, exc: BaseException) -> ReadError:
    """The catch-all: a bug or a library failure still reaches the user as a ReadError.

    BaseException is caught because a Rust panic inside calamine surfaces as pyo3's
    PanicException, which derives from BaseException; Ctrl+C and exits still pass through.
    """
    if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
        raise exc
    return ReadError(
        f"Something unexpected went wrong while reading “{name}”; open it in Excel, save it "
        "again as .xlsx or .csv, and try once more."
    )


def empty_file(name: str) -> ReadError:
    return ReadError(
        f"“{name}” is empty, perhaps from an interrupted download or export; "
        "export your orders again and choose the new file."
    )


def header_only(where: str) -> ReadError:
    return ReadError(
        f"{where} has column headings but no orders under them; add the order rows below the "
        "headings (or choose the file or sheet that has them) and open it again."
    )


def too_large(name: str, need: int, total: int) -> ReadError:
    """`total`: this computer's memory (a file may use about half of it)."""
    return ReadError(
        f"“{name}” would need about {format_bytes(need)} of memory to open, more than this "
        f"computer can spare (it has {format_bytes(total)} in all); split it into smaller files "
        "(for example one per month) and open them one after another."
    )


def format_bytes(count: int) -> str:
    """'5.5 GB', '840 MB', '12 KB': sizes as file managers show them (powers of 1000)."""
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if count >= size:
            value = count / size
            return f"{value:.1f} {unit}" if value < 10 else f"{value:,.0f} {unit}"
    return f"{count} bytes"
