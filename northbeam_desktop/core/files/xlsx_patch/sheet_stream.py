"""A worksheet's XML read in chunks: the head, one row at a time, the tail."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from northbeam_desktop.core.files.xlsx_patch.model import CHUNK, PatchProblem
from northbeam_desktop.core.files.xlsx_patch.sheet_cells import ROW_NUMBER


class RowMissing(Exception):
    """A row `SheetXml.seek_row` did not find."""


@dataclass
class SheetRow:
    number: int
    xml: bytes
    explicit: bool  # has its own r="…"


class SheetXml:
    """The parts of a worksheet's XML: the head (up to `<sheetData>`), rows, the tail."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.buf = b""
        self.pos = 0
        self.eof = False
        self.prefix = b""
        self.empty = False  # <sheetData/>

    def _more(self) -> bool:
        if self.eof:
            return False
        data = self.stream.read(CHUNK)
        if not data:
            self.eof = True
            return False
        self.buf = self.buf[self.pos :] + data
        self.pos = 0
        return True

    def head(self) -> bytes:
        """Everything before the rows, including the `<sheetData>` start tag."""
        pattern = re.compile(rb"<(?:([\w.-]+):)?sheetData\b[^>]*?(/?)>")
        while True:
            match = pattern.search(self.buf)
            if match:
                break
            if not self._more():
                raise PatchProblem("the sheet has no cell data")
        self.prefix = match.group(1) + b":" if match.group(1) else b""
        self.empty = bool(match.group(2))
        head = self.buf[: match.end()]
        self.pos = match.end()
        return head

    def rows(self) -> Iterator[bytes | SheetRow]:
        """Rows, and the bytes between them (kept as they are)."""
        if self.empty:
            return
        p = re.escape(self.prefix)
        start = re.compile(rb"<" + p + rb"row\b|</" + p + rb"sheetData>")
        close = b"</" + self.prefix + b"row>"
        number = 0
        while True:
            match = start.search(self.buf, self.pos)
            if match is None:
                if not self._more():
                    raise PatchProblem("the sheet data never ends")
                continue
            if match.group(0).startswith(b"</"):
                if match.start() > self.pos:
                    yield self.buf[self.pos : match.start()]
                self.pos = match.start()
                return
            tag_end = self.buf.find(b">", match.end())
            if tag_end < 0:
                if not self._more():
                    raise PatchProblem("a row never ends")
                continue
            if self.buf[tag_end - 1 : tag_end] == b"/":
                row_end = tag_end + 1
            else:
                found = self.buf.find(close, tag_end)
                if found < 0:
                    if not self._more():
                        raise PatchProblem("a row never ends")
                    continue
                row_end = found + len(close)
            if match.start() > self.pos:
                yield self.buf[self.pos : match.start()]
            r = ROW_NUMBER.search(self.buf, match.end(), tag_end)
            number = int(r.group(1)) if r else number + 1
            yield SheetRow(number, self.buf[match.start() : row_end], r is not None)
            self.pos = row_end

    def seek_row(self, number: int) -> Iterator[bytes | SheetRow]:
        """The bytes up to row `number`, then that row, found by its reference without
        parsing the rows before it. Raises `RowMissing` when the sheet data ends first (the
        row does not exist, or rows are written without references)."""
        needle = b"<" + self.prefix + b'row r="' + str(number).encode() + b'"'
        stop = b"</" + self.prefix + b"sheetData>"
        close = b"</" + self.prefix + b"row>"
        while True:
            at = self.buf.find(needle, self.pos)
            ends = self.buf.find(stop, self.pos, at if at >= 0 else len(self.buf))
            if ends >= 0:
                raise RowMissing(number)
            if at >= 0:
                tag_end = self.buf.find(b">", at)
                found = -1
                if tag_end >= 0 and self.buf[tag_end - 1 : tag_end] == b"/":
                    found, row_end = tag_end, tag_end + 1
                elif tag_end >= 0:
                    found = self.buf.find(close, tag_end)
                    row_end = found + len(close)
                if found >= 0:
                    if at > self.pos:
                        yield self.buf[self.pos : at]
                    self.pos = row_end
                    yield SheetRow(number, self.buf[at:row_end], True)
                    return
            else:  # pass on what cannot hold the start of the row or of the end tag
                keep = max(self.pos, len(self.buf) - len(needle) - len(stop))
                if keep > self.pos:
                    yield self.buf[self.pos : keep]
                    self.pos = keep
            if not self._more():
                raise RowMissing(number)

    def tail(self) -> Iterator[bytes]:
        """`</sheetData>` and everything after it."""
        if self.pos < len(self.buf):
            yield self.buf[self.pos :]
        self.buf = b""
        self.pos = 0
        while True:
            data = self.stream.read(CHUNK)
            if not data:
                return
            yield data
