"""Open a user's order file (Excel, OpenDocument or delimited text) as a `SheetData`.

This package is the only code that opens user files. It turns whatever a shop owner brings into
the same shape: one header row, data rows padded to the header width, and every row's real row
number, so later stages can point at a cell the user can find in Excel.

- `files`: what the file is (a regular file; its content decides the kind, the extension only
  whether we try at all), so an .xlsx that is really a CSV is read as CSV;
- `text`: delimited text through the csv module, in bounded steps;
- `archive` + `workbook`: workbooks through python-calamine, after checks that keep a hostile or
  damaged file from exhausting the memory (calamine aborts the process when it runs out);
- `limits`: Excel's limits and this computer's memory; `header`: the header row and names;
- `errors`: `ReadError`, whose text is one sentence for the user. Nothing else leaves
  `read_file` and `list_sheets`: the original exception is chained for the log, never shown.

Understanding values is `core/orders/values.py`'s job, not ours: CSV cells stay `str` (or None
when blank), spreadsheet numbers stay numbers.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator
from dataclasses import dataclass

from northbeam_desktop.core.orders.readers import files, limits
from northbeam_desktop.core.orders.readers.errors import ReadError, unexpected_or_reraise
from northbeam_desktop.core.orders.sheet import SheetData

__all__ = ["MemoryCheck", "ReadError", "check_memory", "list_sheets", "read_file"]


def list_sheets(path: str | os.PathLike[str]) -> list[str]:
    """Every sheet name of a workbook, in workbook order; `[]` for delimited text files."""
    from northbeam_desktop.core.orders.readers.workbook import sheet_names

    p, name = files.path_and_name(path)
    try:
        kind, _size = files.detect(p, name)
        if kind == "csv":
            return []
        return sheet_names(p, name, kind)
    except ReadError:
        raise
    except BaseException as exc:  # the contract: nothing but ReadError leaves this package
        raise unexpected_or_reraise(name, exc) from exc


def read_file(path: str | os.PathLike[str], sheet: str | None = None) -> SheetData:
    """Read one sheet of `path` (the first sheet with data unless `sheet` names one).

    `sheet` is ignored for delimited text files, which have exactly one table.
    """
    from northbeam_desktop.core.orders.readers.text import read_text
    from northbeam_desktop.core.orders.readers.workbook import read_workbook

    p, name = files.path_and_name(path)
    try:
        kind, size = files.detect(p, name)
        with _gc_paused():
            if kind == "csv":
                return read_text(p, name, size)
            return read_workbook(p, name, kind, sheet)
    except ReadError:
        raise
    except MemoryError as exc:
        raise ReadError(
            f"“{name}” is too large to open on this computer; split it into smaller files "
            "(for example one per month) and upload them one after another."
        ) from exc
    except BaseException as exc:  # the contract: nothing but ReadError leaves this package
        raise unexpected_or_reraise(name, exc) from exc


@dataclass(frozen=True, slots=True)
class MemoryCheck:
    """Whether opening a file is likely to fit in the memory that is free now."""

    need: int  # estimated peak memory of the open, in bytes
    available: int  # memory free now
    total: int  # this computer's memory

    @property
    def fits(self) -> bool:
        return self.need <= self.available

    def warning(self, name: str) -> str:
        """One sentence for the user when it does not fit."""
        from northbeam_desktop.core.orders.readers.errors import format_bytes

        return (
            f"Opening “{name}” will need about {format_bytes(self.need)} of memory, but only "
            f"{format_bytes(self.available)} is free now, so this computer may slow down a lot "
            "or the app may close; close other programs first, or split the file into smaller "
            "ones."
        )


def check_memory(path: str | os.PathLike[str]) -> MemoryCheck | None:
    """A quick estimate (from the file's size and kind, and a workbook's zip directory) of the
    memory opening `path` needs; None when the file can't be judged (reading will say why)."""
    from northbeam_desktop.core.orders.readers.archive import estimate_workbook

    p, name = files.path_and_name(path)
    try:
        kind, size = files.detect(p, name)
        need = limits.text_need(size) if kind == "csv" else estimate_workbook(p, kind, size)
        memory = limits.machine_memory()
    except Exception:  # the reader reports problems with the file itself
        return None
    return MemoryCheck(need=need, available=memory.available, total=memory.total)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of cells are created.

    Every new list counts towards a collection, and each collection walks all the cells read so
    far although rows of str/float/None can never form cycles; pausing it roughly halves the time
    of a 100k-row CSV read. Reference counting still frees memory as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
