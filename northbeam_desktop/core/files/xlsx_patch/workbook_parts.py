"""Workbook-level parts a patch touches: recalculation on open, dropped relations, content types."""

from __future__ import annotations

import re

from northbeam_desktop.core.files.xlsx_patch.model import VBA_TYPES, XLSM_MAIN, XLSX_MAIN
from northbeam_desktop.core.files.xlsx_patch.package import resolve_target
from northbeam_desktop.core.files.xlsx_patch.xml_attrs import tag_attrs, with_attr


def recalculate_on_open(xml: bytes) -> bytes:
    """workbook.xml asking Excel to recalculate every formula when the file is opened."""
    match = re.search(rb"<([\w.-]+:)?calcPr\b[^>]*>", xml)
    if match:
        tag = with_attr(match.group(0), b"fullCalcOnLoad", b"1")
        return xml[: match.start()] + tag + xml[match.end() :]
    root = re.search(rb"<([\w.-]+:)?workbook\b", xml)
    prefix = (root.group(1) or b"") if root else b""
    element = b"<" + prefix + b'calcPr fullCalcOnLoad="1"/>'
    # calcPr comes after definedNames and before these (the schema's order).
    later = (
        b"oleSize",
        b"customWorkbookViews",
        b"pivotCaches",
        b"smartTagPr",
        b"smartTagTypes",
        b"webPublishing",
        b"fileRecoveryPr",
        b"webPublishObjects",
        b"extLst",
    )
    pe = re.escape(prefix)
    anchor = re.search(rb"<" + pe + rb"(?:" + b"|".join(later) + rb")\b", xml)
    if anchor is None:
        anchor = re.search(rb"</" + pe + rb"workbook>", xml)
    if anchor is None:
        return xml
    return xml[: anchor.start()] + element + xml[anchor.start() :]


_EMPTY_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?(Relationship|Override|Default)\b[^>]*?/>")


def without_relations(xml: bytes, rels_part: str, dropped: set[str]) -> bytes:
    owner = rels_part.replace("/_rels/", "/").removesuffix(".rels")

    def keep(match: re.Match[bytes]) -> bytes:
        a = tag_attrs(match.group(0))
        target = a.get(b"Target", b"").decode("utf-8", "replace")
        if a.get(b"TargetMode") != b"External" and resolve_target(owner, target) in dropped:
            return b""
        return match.group(0)

    return _EMPTY_ELEMENT.sub(keep, xml)


def content_types(
    xml: bytes, workbook: str, dropped: set[str], macros: bool, names: list[str]
) -> bytes:
    """[Content_Types].xml without the dropped parts, declaring the workbook an .xlsm or an
    .xlsx as `macros` says."""
    overrides = {
        n.decode("utf-8", "replace").lstrip("/") for n in re.findall(rb'PartName="([^"]+)"', xml)
    }
    # A .bin part without its own entry (printer settings, usually) still needs the Default.
    untyped_bins = [
        n for n in names if n.lower().endswith(".bin") and n not in dropped and n not in overrides
    ]

    def edit(match: re.Match[bytes]) -> bytes:
        element = match.group(0)
        a = tag_attrs(element)
        kind = a.get(b"ContentType", b"").decode("utf-8", "replace")
        if match.group(1) == b"Override":
            part = a.get(b"PartName", b"").decode("utf-8", "replace").lstrip("/")
            if part in dropped:
                return b""
            if part == workbook and kind in (XLSX_MAIN, XLSM_MAIN):
                wanted = XLSM_MAIN if macros else XLSX_MAIN
                return with_attr(element, b"ContentType", wanted.encode())
        if match.group(1) == b"Default" and not macros and kind in VBA_TYPES and not untyped_bins:
            return b""
        return element

    return _EMPTY_ELEMENT.sub(edit, xml)
