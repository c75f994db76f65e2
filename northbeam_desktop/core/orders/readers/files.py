"""What a user's file is: a regular file, of a kind we read, judged by its content.

The file's *content* decides how it is read, the extension only whether we try at all: an .xlsx
that is really a CSV (a common rename) is read as CSV, a .csv that is really a workbook is read
as a workbook. Only regular files are opened: a pipe or a device named `orders.csv` would block
or never end.
"""

from __future__ import annotations

import os
import stat

from northbeam_desktop.core.orders.readers.errors import ReadError, empty_file, os_error

WORKBOOK_EXTENSIONS = {".xlsx": "xlsx", ".xlsm": "xlsm", ".xls": "xls", ".ods": "ods"}
TEXT_EXTENSIONS = {".csv", ".tsv", ".txt"}

# Extensions people plausibly pick by mistake, with the way out that works for each.
_UNSUPPORTED_HINTS = {
    ".numbers": "Apple Numbers files can't be read directly; in Numbers choose File > Export "
    "To > Excel and open the .xlsx file it makes.",
    ".xlsb": "Excel Binary Workbooks (.xlsb) aren't supported; in Excel choose File > Save As "
    "> Excel Workbook (.xlsx) and open that file.",
    ".pdf": "A PDF can't be read as a spreadsheet; export your orders from your shop as CSV or "
    "Excel instead and open that file.",
}

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, and also encrypted .xlsx
_ODS_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"


def path_and_name(path: str | os.PathLike[str]) -> tuple[str, str]:
    p = os.fspath(path)
    return p, os.path.basename(p) or p


def extension(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def file_size(p: str, name: str) -> int:
    """The size of a regular file; anything else (missing, folder, pipe, device) is refused."""
    try:
        info = os.stat(p)
    except OSError as exc:
        raise os_error(name, exc) from exc
    if stat.S_ISDIR(info.st_mode):
        raise ReadError(
            f"“{name}” is a folder, not a file; open the folder and choose the spreadsheet in it."
        )
    if not stat.S_ISREG(info.st_mode):
        raise ReadError(
            f"“{name}” is not an ordinary file (it is a pipe or a device), so it can't be read "
            "as a spreadsheet; save your orders to a file and choose that file."
        )
    return info.st_size


def read_head(p: str, name: str, limit: int) -> bytes:
    try:
        with open(p, "rb") as fh:
            return fh.read(limit)
    except OSError as exc:
        raise os_error(name, exc) from exc


def detect(p: str, name: str) -> tuple[str, int]:
    """("xlsx" | "xlsm" | "xls" | "ods" | "csv", size) from the extension and the first bytes."""
    ext = extension(name)
    if ext not in WORKBOOK_EXTENSIONS and ext not in TEXT_EXTENSIONS:
        # Check existence first so a mistyped path gets "can't find", not "wrong type".
        file_size(p, name)
        if ext in _UNSUPPORTED_HINTS:
            raise ReadError(_UNSUPPORTED_HINTS[ext])
        what = f"“{ext}” files" if ext else f"“{name}” (it has no file extension)"
        raise ReadError(
            f"We can't open {what}; save your orders as an Excel workbook (.xlsx) or a CSV "
            "file (.csv) and choose that file."
        )
    size = file_size(p, name)
    head = read_head(p, name, 4096)
    if not head:
        raise empty_file(name)
    if head.startswith(ZIP_MAGIC):
        # ODF requires "mimetype" as the first, uncompressed zip member, so its content shows.
        if _ODS_MIMETYPE in head[:256]:
            return "ods", size
        return ("xlsm" if ext == ".xlsm" else "xlsx"), size
    if head.startswith(OLE_MAGIC):
        return "xls", size
    # Not a workbook container: a text file, or something we can't read. Deciding between the
    # two needs the text, so it is left to the text reader (which reports binary files).
    return "csv", size
