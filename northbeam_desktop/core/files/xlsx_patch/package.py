"""Finding a workbook's parts (workbook, sheet, styles, macros) through its relationships."""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from northbeam_desktop.core.files.xlsx_patch.model import CHUNK, PatchProblem


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def resolve_target(owner: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(owner), target))


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _relationships(zf: zipfile.ZipFile, owner: str) -> list[tuple[str, str, str]]:
    """(id, type, resolved target) of every internal relationship of `owner` ("" = package)."""
    name = rels_name(owner) if owner else "_rels/.rels"
    try:
        root = ElementTree.fromstring(zf.read(name))
    except KeyError:
        return []
    out = []
    for rel in root:
        if _local(rel.tag) != "Relationship" or rel.get("TargetMode") == "External":
            continue
        out.append(
            (rel.get("Id", ""), rel.get("Type", ""), resolve_target(owner, rel.get("Target", "")))
        )
    return out


@dataclass
class _Parts:
    workbook: str
    sheet: str
    styles: str | None
    calc_chain: str | None
    vba: list[str] = field(default_factory=list)


def locate_parts(zf: zipfile.ZipFile, sheet_name: str) -> _Parts:
    workbook = next(
        (t for _i, kind, t in _relationships(zf, "") if kind.endswith("/officeDocument")), None
    )
    if workbook is None or workbook not in zf.NameToInfo:
        raise PatchProblem("no workbook part")
    rels = _relationships(zf, workbook)
    by_id = {rid: target for rid, _kind, target in rels}
    root = ElementTree.fromstring(zf.read(workbook))
    sheet = None
    for element in root.iter():
        if _local(element.tag) == "sheet" and element.get("name") == sheet_name:
            rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
            sheet = by_id.get(rid or "")
            break
    if sheet is None or sheet not in zf.NameToInfo:
        raise PatchProblem(f"no sheet named {sheet_name!r}")

    def first(suffix: str) -> str | None:
        found = [t for _i, kind, t in rels if kind.endswith(suffix) and t in zf.NameToInfo]
        return found[0] if found else None

    vba = [t for _i, kind, t in rels if kind.endswith("/vbaProject") and t in zf.NameToInfo]
    for part in list(vba):
        vba += [t for _i, _k, t in _relationships(zf, part) if t in zf.NameToInfo]
        if rels_name(part) in zf.NameToInfo:
            vba.append(rels_name(part))
    return _Parts(workbook, sheet, first("/styles"), first("/calcChain"), vba)


def sheet_part(path: str | Path, sheet_name: str) -> str:
    """The zip part that holds `sheet_name`; raises `PatchProblem` when it cannot be updated."""
    try:
        with zipfile.ZipFile(path) as zf:
            parts = locate_parts(zf, sheet_name)
            with zf.open(parts.sheet) as stream:
                head = stream.read(CHUNK)
    except (OSError, zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError) as exc:
        raise PatchProblem(str(exc)) from exc
    if not re.search(rb"<(?:[\w.-]+:)?worksheet\b", head):
        raise PatchProblem("not a worksheet")  # a chart sheet or dialog sheet
    return parts.sheet


def has_macros(path: str | Path) -> bool:
    """True when the workbook at `path` holds a VBA project."""
    try:
        with zipfile.ZipFile(path) as zf:
            return any(name.lower().endswith("vbaproject.bin") for name in zf.namelist())
    except (OSError, zipfile.BadZipFile):
        return False
