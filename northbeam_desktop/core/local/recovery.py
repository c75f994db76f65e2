"""Unsaved edits survive a crash: every edit is journaled to disk the moment it is made.

While a document has unsaved edits the app keeps a journal in the user data folder
(`app_dirs().data / "recovery"`): a JSON-lines file whose first line names the source file
(path, sheet, and a fingerprint of the file as it was loaded) and whose every further line is
one edit, addressed the way the user sees it, by Excel row number and column header::

    {"journal": "northbeam-desktop recovery", "version": 1, "path": "...", "sheet": null, ...}
    {"op": "set", "row": 5, "col": "currency", "value": "USD"}
    {"op": "set", "row": 7, "col": "Paid at", "value": {"$type": "datetime", "v": "2026-03-08T13:45:00"}}
    {"op": "delete", "rows": [9, 10]}
    {"op": "insert", "headers": ["order_id", ...], "rows": [[9, ["1009", ...]], ...]}
    {"op": "mapping", "fields": {"order_id": {"column": "Name", ...}, ...}, "timezone": "..."}

Each edit is flushed and fsynced before `record_*` returns (edits are made at human speed, so
this costs nothing noticeable; a bulk edit is one write). A journal is deleted by `discard()`
after a save or a clean close. On the next start `pending()` lists what a crash left behind
and `replay(info, doc)` re-applies it onto the freshly loaded file; rows and columns are found
by number and header, so an edit whose row or column is gone is skipped and reported, never
applied to the wrong cell. A half-written last line (the crash happened mid-write) or a damaged
line is skipped.

A journal in use holds an OS lock on its `.lock` file, so a second running copy of the app never
offers (or deletes) another copy's live journal; the lock disappears with the process.

Journals contain what the user typed into cells, never API keys.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import logging
import math
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG
from typing import IO, TYPE_CHECKING, Any

from northbeam_desktop import __version__
from northbeam_desktop.core.local.appdirs import app_dirs
from northbeam_desktop.core.local.locks import FileLock, open_private, private_folder
from northbeam_desktop.core.orders.fields import DERIVED_CUSTOMER_ID, FIELDS_BY_KEY
from northbeam_desktop.core.orders.mapping import FieldMatch, Mapping, MatchReason
from northbeam_desktop.core.orders.sheet import CellValue

if TYPE_CHECKING:
    from northbeam_desktop.core.orders.document import OrderDocument

log = logging.getLogger(__name__)

__all__ = [
    "FileFingerprint",
    "RecoveryInfo",
    "RecoveryJournal",
    "ReplayResult",
    "default_recovery_folder",
    "file_fingerprint",
]

JOURNAL_MARK = "northbeam-desktop recovery"
JOURNAL_VERSION = 1
JOURNAL_SUFFIX = ".journal"
LOCK_SUFFIX = ".lock"
_HEAD_BYTES = 1024 * 1024
_TYPE_KEY = "$type"


def default_recovery_folder() -> Path:
    return app_dirs().data / "recovery"


# ============================================================================================
# The file a journal belongs to
# ============================================================================================


@dataclass(frozen=True, slots=True)
class FileFingerprint:
    """Enough to tell whether a file changed since it was loaded, without reading all of it:
    size, modification time and the SHA-256 of its first megabyte."""

    size: int
    mtime_ns: int
    head_sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"size": self.size, "mtime_ns": self.mtime_ns, "head_sha256": self.head_sha256}

    @classmethod
    def from_json(cls, data: Any) -> FileFingerprint | None:
        try:
            return cls(int(data["size"]), int(data["mtime_ns"]), str(data["head_sha256"]))
        except (TypeError, KeyError, ValueError):
            return None

    def differs_from(self, other: FileFingerprint) -> bool:
        """True when the file's content may have changed.

        Size or first megabyte differ: changed. A file no larger than a megabyte is fully
        covered by the hash, so its modification time alone (a sync tool touching it) does
        not count; for a bigger file a new modification time counts as a change.
        """
        if self.size != other.size or self.head_sha256 != other.head_sha256:
            return True
        return self.size > _HEAD_BYTES and self.mtime_ns != other.mtime_ns


def file_fingerprint(path: str | os.PathLike[str]) -> FileFingerprint:
    """The fingerprint of `path` now. Raises OSError when it cannot be read."""
    if not S_ISREG(os.stat(path).st_mode):  # opening a pipe would wait for a writer forever
        raise OSError(errno.EINVAL, "not a regular file", os.fspath(path))
    with open(path, "rb") as handle:
        stat = os.fstat(handle.fileno())
        head = handle.read(_HEAD_BYTES)
    return FileFingerprint(stat.st_size, stat.st_mtime_ns, hashlib.sha256(head).hexdigest())


_fingerprint_of = file_fingerprint  # for `RecoveryJournal.start`, whose argument has this name


# ============================================================================================
# Values in JSON
# ============================================================================================


def encode_value(value: CellValue) -> Any:
    """A cell value as JSON: plain JSON types as they are, dates and times with a type tag."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return {_TYPE_KEY: "float", "v": repr(value)}
    if isinstance(value, dt.datetime):
        return {_TYPE_KEY: "datetime", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {_TYPE_KEY: "date", "v": value.isoformat()}
    if isinstance(value, dt.time):
        return {_TYPE_KEY: "time", "v": value.isoformat()}
    return str(value)


def decode_value(data: Any) -> CellValue:
    if isinstance(data, dict):
        kind, text = data.get(_TYPE_KEY), data.get("v")
        if not isinstance(text, str):
            raise ValueError("tagged value without text")
        if kind == "datetime":
            return dt.datetime.fromisoformat(text)
        if kind == "date":
            return dt.date.fromisoformat(text)
        if kind == "time":
            return dt.time.fromisoformat(text)
        if kind == "float":
            return float(text)
        raise ValueError(f"unknown value type {kind!r}")
    if data is None or isinstance(data, str | bool | int | float):
        return data
    raise ValueError("not a cell value")


# ============================================================================================
# What a crash left behind
# ============================================================================================


@dataclass(frozen=True, slots=True)
class RecoveryInfo:
    """One journal left by a crash, as offered to the user at the next start."""

    journal_path: Path
    source_path: str
    sheet: str | None
    fingerprint: FileFingerprint | None
    started_at: dt.datetime  # when editing began (UTC)
    last_edit_at: dt.datetime  # when the journal was last written (UTC)
    edit_count: int
    source_changed: bool  # the file is different from when the edits were made
    source_missing: bool  # the file is not there any more
    damaged_lines: int = 0  # unreadable lines (a crash mid-write); skipped

    @property
    def file_name(self) -> str:
        return Path(self.source_path).name

    def describe(self) -> str:
        """One sentence for the recovery offer."""
        local = self.last_edit_at.astimezone()
        when = f"{local:%d %b %Y} at {local:%H:%M}"
        changes = f"{self.edit_count} unsaved change{'s' if self.edit_count != 1 else ''}"
        sheet = f" (sheet “{self.sheet}”)" if self.sheet else ""
        text = f"{changes} to “{self.file_name}”{sheet}, last made on {when}."
        if self.source_missing:
            text += " The file is no longer where it was; find it to restore the changes."
        elif self.source_changed:
            text += (
                " The file has changed since then, so some changes may land on different "
                "orders; check them before saving."
            )
        return text


@dataclass(slots=True)
class ReplayResult:
    applied: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)  # why edits were skipped (first few)
    mapping_restored: bool = False  # the user's column mapping was among the changes

    def describe(self) -> str:
        text = f"Restored {self.applied} change{'s' if self.applied != 1 else ''}."
        if self.skipped:
            text += (
                f" {self.skipped} change{'s' if self.skipped != 1 else ''} could not be restored "
                "because the row or column is no longer in the file."
            )
        return text


_MAX_NOTES = 20


# ============================================================================================
# The journal
# ============================================================================================


class RecoveryJournal:
    """The recovery journal of one open document (and the finder of journals left by crashes).

    Typical use in the GUI::

        journal = RecoveryJournal()
        for info in journal.pending():            # at start: offer to restore
            ...
        journal.start(path, sheet_name, fingerprint_taken_at_load)
        journal.record_set(row_number, header, value)   # every edit, undo and redo included
        journal.discard()                         # after Save, or closing without saving

    Recording never raises: if the disk refuses a write the edit stays in memory, the problem
    is logged and `error` holds a sentence the window can show.
    """

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self._folder = Path(folder) if folder is not None else None
        self.path: Path | None = None
        self.edit_count = 0
        self.error: str | None = None
        self._handle: IO[str] | None = None
        self._lock: FileLock | None = None

    @property
    def folder(self) -> Path:
        return self._folder if self._folder is not None else default_recovery_folder()

    @property
    def active(self) -> bool:
        return self._handle is not None

    # -- one document's journal ------------------------------------------------------------

    def start(
        self,
        source_path: str | os.PathLike[str],
        sheet_name: str | None,
        file_fingerprint: FileFingerprint | None = None,
    ) -> Path:
        """Begin a new journal for `source_path` (ending any journal this object had open).

        `file_fingerprint` should be taken when the file was loaded; without it the file is
        fingerprinted now (None if it cannot be read, e.g. a document not from a file).
        """
        self.discard()
        source = os.path.abspath(os.fspath(source_path))
        if file_fingerprint is None:
            with contextlib.suppress(OSError):
                file_fingerprint = _fingerprint_of(source)
        folder = private_folder(self.folder)  # journals hold customers' orders
        key = hashlib.sha256(f"{source}\0{sheet_name or ''}".encode()).hexdigest()[:16]
        path = folder / f"{key}-{uuid.uuid4().hex[:8]}{JOURNAL_SUFFIX}"
        header = {
            "journal": JOURNAL_MARK,
            "version": JOURNAL_VERSION,
            "path": source,
            "sheet": sheet_name,
            "fingerprint": file_fingerprint.to_json() if file_fingerprint else None,
            "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "app_version": __version__,
        }
        self._open(path)
        self._write([header])
        self.edit_count = 0
        return path

    def resume(self, info: RecoveryInfo) -> None:
        """Continue the journal `info` describes (after `replay`), so the restored edits stay
        recoverable until they are saved."""
        self.discard()
        self._open(info.journal_path, resume=True)
        self.edit_count = info.edit_count

    def record_set(self, row: int, column: str, value: CellValue) -> None:
        """The cell at Excel row `row`, column header `column`, now holds `value`."""
        self.record_sets([(row, column, value)])

    def record_sets(self, changes: Iterable[tuple[int, str, CellValue]]) -> None:
        """Several cells changed by one action (fill down, replace all): one disk write."""
        lines = [
            {"op": "set", "row": int(row), "col": column, "value": encode_value(value)}
            for row, column, value in changes
        ]
        if lines:
            self._record(lines)

    def record_delete(self, rows: Sequence[int]) -> None:
        """The rows with these Excel row numbers were deleted."""
        if rows:
            self._record([{"op": "delete", "rows": [int(n) for n in rows]}])

    def record_insert(
        self, rows: Sequence[tuple[int, Sequence[CellValue]]], headers: Sequence[str]
    ) -> None:
        """Rows came back (undo of a delete): (Excel row number, values in `headers` order)."""
        if rows:
            self._record(
                [
                    {
                        "op": "insert",
                        "headers": list(headers),
                        "rows": [[int(n), [encode_value(v) for v in values]] for n, values in rows],
                    }
                ]
            )

    def record_mapping(self, mapping: Mapping, timezone: str | None) -> None:
        """The user chose which column holds which field (and the time zone for times that
        carry none). Not an edit of the file, but work that a crash must not take away."""
        fields = {
            key: {"column": match.column, "reason": str(match.reason), "note": match.note}
            for key, match in mapping.matches.items()
        }
        self._record(
            [{"op": "mapping", "fields": fields, "source": mapping.source, "timezone": timezone}]
        )

    def discard(self) -> None:
        """Delete this object's journal (the edits were saved, or the user threw them away)."""
        path = self.path
        self._close()
        if path is not None:
            _remove(path)
            _remove(path.with_suffix(LOCK_SUFFIX))

    def close(self) -> None:
        """Stop journaling but leave the journal on disk, exactly as a crash would."""
        self._close()

    # -- what earlier runs left behind -----------------------------------------------------

    def pending(self) -> list[RecoveryInfo]:
        """Journals with edits left by a run that ended without saving, newest first.

        Journals another running copy of the app is using are not listed; journals without
        edits are deleted; an unreadable journal is set aside (renamed `.damaged`).
        """
        folder = self.folder
        if not folder.is_dir():
            return []
        found: list[RecoveryInfo] = []
        for path in sorted(folder.glob(f"*{JOURNAL_SUFFIX}")):
            if self.path is not None and path == self.path:
                continue
            lock = FileLock(path.with_suffix(LOCK_SUFFIX))
            if not lock.acquire():
                continue  # in use by a running copy of the app
            try:
                info = _read_info(path)
                if info is None:
                    log.warning("Recovery journal %s is unreadable; set aside.", path.name)
                    with contextlib.suppress(OSError):
                        os.replace(path, path.with_suffix(".damaged"))
                elif info.edit_count == 0:
                    _remove(path)
                else:
                    found.append(info)
            finally:
                lock.release()
                if not path.exists():
                    _remove(path.with_suffix(LOCK_SUFFIX))
        found.sort(key=lambda info: info.last_edit_at, reverse=True)
        return found

    def remove(self, info: RecoveryInfo) -> None:
        """Delete a journal left by a crash (the user chose not to restore it)."""
        lock = FileLock(info.journal_path.with_suffix(LOCK_SUFFIX))
        if not lock.acquire():
            return
        try:
            _remove(info.journal_path)
        finally:
            lock.release()
            _remove(info.journal_path.with_suffix(LOCK_SUFFIX))

    def replay(self, info: RecoveryInfo, doc: OrderDocument) -> ReplayResult:
        """Apply the journal's edits to `doc` (freshly loaded from `info.source_path`)."""
        result = ReplayResult()
        sheet = doc.sheet
        index_of = {number: i for i, number in enumerate(sheet.row_numbers)}

        def skip(note: str) -> None:
            result.skipped += 1
            if len(result.notes) < _MAX_NOTES:
                result.notes.append(note)

        for edit in _read_edits(info.journal_path):
            op = edit.get("op")
            try:
                if op == "set":
                    row, column = int(edit["row"]), str(edit["col"])
                    value = decode_value(edit.get("value"))
                    if row not in index_of:
                        skip(f"Row {row}, column “{column}”: row {row} is no longer in the file.")
                    elif column not in sheet.headers:
                        skip(f"Row {row}, column “{column}”: the file has no such column.")
                    else:
                        doc.set_cell(index_of[row], sheet.headers.index(column), value)
                        result.applied += 1
                elif op == "delete":
                    numbers = [int(n) for n in edit["rows"]]
                    present = [index_of[n] for n in numbers if n in index_of]
                    for n in numbers:
                        if n not in index_of:
                            skip(f"Deleting row {n}: it is no longer in the file.")
                    if present:
                        doc.delete_rows(present)
                        result.applied += 1
                        index_of = {number: i for i, number in enumerate(sheet.row_numbers)}
                elif op == "insert":
                    headers = [str(h) for h in edit["headers"]]
                    for number, raw_values in edit["rows"]:
                        number = int(number)
                        if number in index_of:
                            skip(f"Restoring row {number}: the file already has a row {number}.")
                            continue
                        by_header = dict(zip(headers, raw_values, strict=False))
                        values = [decode_value(by_header.get(h)) for h in sheet.headers]
                        at = _insert_position(sheet.row_numbers, number)
                        doc.insert_rows(at, [values], [number])
                        index_of = {n: i for i, n in enumerate(sheet.row_numbers)}
                        result.applied += 1
                elif op == "mapping":
                    mapping = _decode_mapping(edit, sheet.headers, skip)
                    zone = edit.get("timezone")
                    previous = doc.mapping
                    doc.mapping = mapping
                    try:
                        if zone and zone != doc.timezone_name:
                            doc.set_timezone(str(zone))  # rebuilds with the mapping just set
                        else:
                            doc.rebuild()
                    except ValueError:  # an unknown zone: the document stays as it was
                        doc.mapping = previous
                        raise
                    result.applied += 1
                    result.mapping_restored = True
                else:
                    skip(f"An edit of an unknown kind ({op!r}) was skipped.")
            except (KeyError, TypeError, ValueError, IndexError):
                skip("A damaged edit was skipped.")
        return result

    # -- internals -------------------------------------------------------------------------

    def _open(self, path: Path, *, resume: bool = False) -> None:
        lock = FileLock(path.with_suffix(LOCK_SUFFIX))
        if not lock.acquire():
            raise RuntimeError(f"The recovery journal {path.name} is in use by another window.")
        try:
            handle = open_private(path, "a" if resume else "w")
            if resume and path.stat().st_size:
                with open(path, "rb") as check:
                    check.seek(-1, os.SEEK_END)
                    if check.read(1) != b"\n":
                        handle.write("\n")  # end a line cut short by the crash
        except OSError:
            lock.release()
            raise
        self.path = path
        self._handle = handle
        self._lock = lock
        self.error = None

    def _close(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            with contextlib.suppress(OSError):
                handle.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        self.path = None
        self.edit_count = 0

    def _record(self, lines: list[dict[str, Any]]) -> None:
        if self._handle is None:
            return
        if self._write(lines):
            self.edit_count += len(lines)

    def _write(self, lines: list[dict[str, Any]]) -> bool:
        handle = self._handle
        assert handle is not None
        try:
            handle.write("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))
            handle.flush()
            os.fsync(handle.fileno())
        except (OSError, ValueError) as exc:
            log.warning("Could not write the recovery journal %s: %s", self.path, exc)
            self.error = (
                "Your latest changes could not be written to the recovery file (the disk may "
                "be full). They are still here; save soon."
            )
            return False
        return True


def _decode_mapping(
    edit: dict[str, Any], headers: Sequence[str], skip: Callable[[str], None]
) -> Mapping:
    """The journaled mapping, exactly: a field it does not name stays unmapped (the user may
    have cleared it on purpose), and a column the file no longer has is reported, not guessed."""
    fields = edit["fields"]
    if not isinstance(fields, dict):
        raise TypeError("fields")
    mapping = Mapping(source=str(edit.get("source") or "generic"))
    present = set(headers)
    for key, entry in fields.items():
        column = str(entry["column"])
        if key not in FIELDS_BY_KEY:
            skip(f"The column mapping named an unknown field “{key}”; it was left out.")
        elif column != DERIVED_CUSTOMER_ID and column not in present:
            skip(
                f"The column mapping took {FIELDS_BY_KEY[key].label} from “{column}”, "
                "which the file no longer has."
            )
        else:
            try:
                reason = MatchReason(entry.get("reason", MatchReason.USER))
            except ValueError:
                reason = MatchReason.USER
            mapping.matches[key] = FieldMatch(key, column, reason, str(entry.get("note") or ""))
    return mapping


def _insert_position(numbers: Sequence[int], number: int) -> int:
    for i, existing in enumerate(numbers):
        if existing > number:
            return i
    return len(numbers)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _lines(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, parsed JSON or None when the line is damaged)."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except ValueError:
                yield number, None


def _read_header(path: Path) -> dict[str, Any] | None:
    try:
        for _number, data in _lines(path):
            ok = isinstance(data, dict) and data.get("journal") == JOURNAL_MARK
            return data if ok and isinstance(data.get("path"), str) else None
    except OSError:
        return None
    return None


def _read_edits(path: Path) -> Iterator[dict[str, Any]]:
    first = True
    for _number, data in _lines(path):
        if first:
            first = False
            continue
        if isinstance(data, dict) and "op" in data:
            yield data


def _read_info(path: Path) -> RecoveryInfo | None:
    header = _read_header(path)
    if header is None or header.get("version") != JOURNAL_VERSION:
        return None
    edits = damaged = 0
    try:
        for number, data in _lines(path):
            if number == 1:
                continue
            if isinstance(data, dict) and "op" in data:
                edits += 1
            else:
                damaged += 1
        stat = path.stat()
    except OSError:
        return None
    fingerprint = FileFingerprint.from_json(header.get("fingerprint"))
    source = header["path"]
    missing = not os.path.isfile(source)
    changed = False
    if not missing and fingerprint is not None:
        try:
            changed = file_fingerprint(source).differs_from(fingerprint)
        except OSError:
            missing = True
    try:
        started = dt.datetime.fromisoformat(str(header.get("started")))
    except ValueError:
        started = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC)
    sheet = header.get("sheet")
    return RecoveryInfo(
        journal_path=path,
        source_path=source,
        sheet=sheet if isinstance(sheet, str) else None,
        fingerprint=fingerprint,
        started_at=started,
        last_edit_at=dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC),
        edit_count=edits,
        source_changed=changed,
        source_missing=missing,
        damaged_lines=damaged,
    )
