"""styles.xml: which cell styles are dates or General, and new variants with another number format."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, unescape

from northbeam_desktop.core.files.cells import (
    TEXT_FORMAT,
)
from northbeam_desktop.core.files.xlsx_patch.model import GENERAL, PatchProblem
from northbeam_desktop.core.files.xlsx_patch.xml_attrs import tag_attrs, with_attr


def _is_date_format(num_fmt_id: int, code: str | None) -> bool:
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    if code is None:
        code = BUILTIN_FORMATS.get(num_fmt_id)
        if code is None:  # East Asian built-in date formats openpyxl does not list
            return 27 <= num_fmt_id <= 36 or 50 <= num_fmt_id <= 58
    return bool(is_date_format(code))


class StyleSheet:
    """The cell formats of styles.xml, and the variants an edit needs (added at the end)."""

    def __init__(self, xml: bytes | None) -> None:
        self.xml = xml
        self.prefix = b""
        self.formats: dict[int, str] = {}  # custom number formats: id -> code
        self.xfs: list[bytes] = []  # <xf> elements of cellXfs
        self.added_formats: dict[int, str] = {}
        self.added_xfs: list[bytes] = []
        self._variants: dict[tuple[int, str], int] = {}
        self._dates: dict[int, bool] = {}
        if xml is None:
            return
        root = re.search(rb"<([\w.-]+:)?styleSheet\b", xml)
        self.prefix = root.group(1) or b"" if root else b""
        p = re.escape(self.prefix)
        for m in re.finditer(rb"<" + p + rb"numFmt\b[^>]*>", xml):
            a = tag_attrs(m.group(0))
            if b"numFmtId" in a:
                self.formats[int(a[b"numFmtId"])] = unescape(
                    a.get(b"formatCode", b"").decode("utf-8"), {"&quot;": '"', "&apos;": "'"}
                )
        section = re.search(rb"<" + p + rb"cellXfs\b[^>]*>(.*?)</" + p + rb"cellXfs>", xml, re.S)
        if section:
            element = rb"<" + p + rb"xf\b[^>]*?(?:/>|>.*?</" + p + rb"xf>)"
            self.xfs = re.findall(element, section.group(1), re.S)

    def _xf(self, index: int) -> bytes:
        every = self.xfs + self.added_xfs
        return every[index] if 0 <= index < len(every) else b'<xf numFmtId="0"/>'

    def format_of(self, index: int) -> tuple[int, str | None]:
        start = self._xf(index).split(b">", 1)[0]
        num_fmt_id = int(tag_attrs(start).get(b"numFmtId", b"0") or 0)
        return num_fmt_id, {**self.formats, **self.added_formats}.get(num_fmt_id)

    def is_date(self, index: int) -> bool:
        known = self._dates.get(index)
        if known is None:
            known = self._dates[index] = _is_date_format(*self.format_of(index))
        return known

    def is_general(self, index: int) -> bool:
        return not self.is_date(index) and self.format_of(index)[0] == 0

    def with_format(self, index: int, code: str) -> int:
        """A style like `index` with number format `code`: added once, then reused."""
        key = (index, code)
        if key in self._variants:
            return self._variants[key]
        if self.xml is None:
            raise PatchProblem("the workbook has no styles")
        num_fmt_id = self._format_id(code)
        xf = self._xf(index)
        start, sep, rest = xf.partition(b">")
        start = start + sep
        start = with_attr(start, b"numFmtId", str(num_fmt_id).encode())
        start = with_attr(start, b"applyNumberFormat", b"1")
        variant = start + rest
        if not self.xfs and not self.added_xfs:
            raise PatchProblem("styles.xml has no cell formats")
        self.added_xfs.append(variant)
        new_index = len(self.xfs) + len(self.added_xfs) - 1
        self._variants[key] = new_index
        return new_index

    def _format_id(self, code: str) -> int:
        builtin = {GENERAL: 0, TEXT_FORMAT: 49}
        if code in builtin:
            return builtin[code]
        known = {**self.formats, **self.added_formats}
        for num_fmt_id, existing in known.items():
            if existing == code:
                return num_fmt_id
        num_fmt_id = max([163, *known]) + 1
        self.added_formats[num_fmt_id] = code
        return num_fmt_id

    def render(self) -> bytes | None:
        """styles.xml with the added formats, or None when nothing was added."""
        if self.xml is None or not (self.added_xfs or self.added_formats):
            return None
        xml = self.xml
        p = self.prefix
        pe = re.escape(p)
        if self.added_formats:
            elements = b"".join(
                b"<"
                + p
                + b'numFmt numFmtId="'
                + str(i).encode()
                + b'" formatCode="'
                + escape(code, {'"': "&quot;"}).encode("utf-8")
                + b'"/>'
                for i, code in self.added_formats.items()
            )
            section = re.search(rb"<" + pe + rb"numFmts\b[^>]*?(/?)>", xml)
            count = len(self.formats) + len(self.added_formats)
            if section is None:
                root = re.search(rb"<" + pe + rb"styleSheet\b[^>]*>", xml)
                assert root is not None  # found in __init__
                block = b"<" + p + b'numFmts count="' + str(count).encode() + b'">' + elements
                block += b"</" + p + b"numFmts>"
                xml = xml[: root.end()] + block + xml[root.end() :]
            elif section.group(1):  # <numFmts count="0"/>
                block = b"<" + p + b'numFmts count="' + str(count).encode() + b'">' + elements
                block += b"</" + p + b"numFmts>"
                xml = xml[: section.start()] + block + xml[section.end() :]
            else:
                start = with_attr(section.group(0), b"count", str(count).encode())
                close = xml.index(b"</" + p + b"numFmts>", section.end())
                xml = (
                    xml[: section.start()]
                    + start
                    + xml[section.end() : close]
                    + elements
                    + xml[close:]
                )
        if self.added_xfs:
            section = re.search(rb"<" + pe + rb"cellXfs\b[^>]*>", xml)
            if section is None:
                raise PatchProblem("styles.xml has no cell formats")
            count = len(self.xfs) + len(self.added_xfs)
            start = with_attr(section.group(0), b"count", str(count).encode())
            close = xml.index(b"</" + p + b"cellXfs>", section.end())
            xml = (
                xml[: section.start()]
                + start
                + xml[section.end() : close]
                + b"".join(self.added_xfs)
                + xml[close:]
            )
        return xml
