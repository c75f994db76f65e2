"""Cells inside a row's XML: references, styles, formulas."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from northbeam_desktop.core.files.xlsx import column_letter
from northbeam_desktop.core.files.xlsx_patch.model import CellEdit
from northbeam_desktop.core.files.xlsx_patch.xml_attrs import tag_attrs

ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")
CELL_REF = re.compile(rb"""\sr\s*=\s*["']([A-Z]{1,3})\d+["']""")
STYLE = re.compile(rb"""\ss\s*=\s*["'](\d+)["']""")
CUSTOM_FORMAT = re.compile(rb"""\scustomFormat\s*=\s*["'](?:1|true)["']""")
SPANS = re.compile(rb"""\sspans\s*=\s*["'][^"']*["']""")


@functools.cache
def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


@functools.cache
def column_letters(column: int) -> bytes:
    return column_letter(column).encode("ascii")


class XmlSyntax:
    """The patterns for one sheet's elements (which may carry a namespace prefix)."""

    def __init__(self, prefix: bytes) -> None:
        p = re.escape(prefix)
        self.prefix = prefix
        self.cell = re.compile(rb"<" + p + rb"c\b([^>]*?)(?:/>|>.*?</" + p + rb"c>)", re.S)
        self.formula = re.compile(rb"<" + p + rb"f\b([^>]*?)(/?)>(?:(.*?)</" + p + rb"f>)?", re.S)
        self.has_formula = b"<" + prefix + b"f"
        self.row_close = b"</" + prefix + b"row>"


@dataclass(slots=True)
class _Cell:
    column: int
    start: int  # where the cell's XML begins and ends in its row's XML
    end: int
    attrs: bytes  # the attributes of its start tag

    @property
    def style(self) -> int:
        found = STYLE.search(self.attrs)
        return int(found.group(1)) if found else 0


def row_cells(row_xml: bytes, syntax: XmlSyntax) -> tuple[int, list[_Cell]]:
    """(end of the row's start tag, the row's cells)."""
    tag_end = row_xml.index(b">") + 1
    cells: list[_Cell] = []
    if row_xml[tag_end - 2 : tag_end] == b"/>":
        return tag_end, cells
    column = 0
    for match in syntax.cell.finditer(row_xml, tag_end):
        ref = CELL_REF.search(match.group(1))
        column = _column_number(ref.group(1)) if ref else column + 1
        cells.append(_Cell(column, match.start(), match.end(), match.group(1)))
    return tag_end, cells


def find_row_cells(
    row_xml: bytes, number: int, wanted: dict[int, CellEdit], syntax: XmlSyntax
) -> list[_Cell] | None:
    """The cells of `wanted`, found by their references (fast: the rest of the row is not
    parsed); None when one is missing or written differently (then the row is parsed)."""
    row = str(number).encode()
    cells = []
    for column in sorted(wanted):
        at = row_xml.find(b' r="' + column_letters(column) + row + b'"')
        if at < 0:
            return None
        begin = row_xml.rfind(b"<", 0, at)
        tag_end = row_xml.find(b">", at)
        if begin < 0 or tag_end < 0 or row_xml[begin + 1 : at] != syntax.prefix + b"c":
            return None
        if row_xml[tag_end - 1 : tag_end] == b"/":
            end = tag_end + 1
        else:
            close = row_xml.find(b"</" + syntax.prefix + b"c>", tag_end)
            if close < 0:
                return None
            end = close + len(syntax.prefix) + 4
        cells.append(_Cell(column, begin, end, row_xml[at:tag_end]))
    return cells


def cell_formula(
    cell_xml: bytes, syntax: XmlSyntax
) -> tuple[dict[bytes, bytes], str | None] | None:
    """(attributes, text) of a cell's formula, or None."""
    if syntax.has_formula not in cell_xml:
        return None
    match = syntax.formula.search(cell_xml)
    if match is None:
        return None
    text = None if match.group(2) else (match.group(3) or b"").decode("utf-8")
    return tag_attrs(match.group(1)), text
