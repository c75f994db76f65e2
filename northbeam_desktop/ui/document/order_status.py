"""What the table says about an order and a cell: the Status column's kind and words, a cell's
worst problem, and the problems as a rich-text tooltip.

Shared by the table model (painting) and the filter proxy (the Failed upload filter and the sort
by status), so both read an order's status the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from northbeam_desktop.core.northbeam.outcomes import UploadStatus
from northbeam_desktop.core.orders.issues import Issue, Severity
from northbeam_desktop.core.orders.records import OrderRecord, OrderStatus
from northbeam_desktop.ui.document.cell_text import escape_html
from northbeam_desktop.ui.icons import StatusKind

UPLOADED_STATES = frozenset({UploadStatus.ACCEPTED, UploadStatus.UNCHANGED})

STATUS_TEXT = {
    StatusKind.VALID: "Ready",
    StatusKind.WARNING: "Warning",
    StatusKind.ERROR: "Error",
    StatusKind.UPLOADED: "Uploaded",
    StatusKind.FAILED: "Upload failed",
    # Orders the shop cancelled: held back, or sent because the user chose so (Upload → Send
    # Cancelled Orders).
    StatusKind.NOTE: "Cancelled in your shop — sent",
    StatusKind.SKIPPED: "Cancelled in your shop — not sent",
}

# The icon of a problem of each level, in the table and the problems panel.
SEVERITY_KIND = {
    Severity.ERROR: StatusKind.ERROR,
    Severity.WARNING: StatusKind.WARNING,
    Severity.NOTE: StatusKind.NOTE,
}
_SEVERITY_WORD = {
    Severity.ERROR: "Error",
    Severity.WARNING: "Warning",
    Severity.NOTE: "Changed for you",
}


def status_kind(record: OrderRecord | None, blocked: bool = False) -> StatusKind:
    """What the Status column shows for an order (`blocked`: the document can't send any order
    until a required column is chosen)."""
    if record is None:
        return StatusKind.VALID
    upload = record.upload_status
    if upload == UploadStatus.FAILED:
        return StatusKind.FAILED
    if record.status is OrderStatus.ERROR or (blocked and upload not in UPLOADED_STATES):
        return StatusKind.ERROR
    if upload in UPLOADED_STATES:
        return StatusKind.UPLOADED
    if record.held_back:
        return StatusKind.SKIPPED
    if record.status is OrderStatus.WARNING:
        return StatusKind.WARNING
    if record.cancelled:
        return StatusKind.NOTE  # cancelled, and sent because the user chose so
    return StatusKind.VALID


def upload_failed(record: OrderRecord) -> bool:
    """Northbeam rejected the order (or it could not be sent) in the last upload."""
    return record.upload_status == UploadStatus.FAILED


def was_uploaded(record: OrderRecord) -> bool:
    """Northbeam has the order as it is: accepted now, or unchanged since it was accepted."""
    return record.upload_status in UPLOADED_STATES


def worst_severity(issues: Iterable[Issue]) -> Severity | None:
    worst: Severity | None = None
    for issue in issues:
        if issue.severity is Severity.ERROR:
            return Severity.ERROR
        if worst is None or issue.severity.rank < worst.rank:
            worst = issue.severity
    return worst


def issues_html(issues: Sequence[Issue], *, with_place: bool = False) -> str:
    """Issue messages and suggested fixes as a (word-wrapped) rich-text tooltip."""
    parts = []
    for issue in issues:
        word = _SEVERITY_WORD[issue.severity]
        place = ""
        if with_place and issue.row is not None:
            place = f"Row {issue.row}"
            if issue.column:
                place += f", {escape_html(issue.column)}"
            place += ": "
        text = f"<b>{word}:</b> {place}{escape_html(issue.message)}"
        if issue.suggestion:
            text += f"<br><i>Suggested fix:</i> {escape_html(issue.suggestion)}"
        parts.append(f"<p style='margin:0 0 6px 0'>{text}</p>")
    return "<qt>" + "".join(parts) + "</qt>"
