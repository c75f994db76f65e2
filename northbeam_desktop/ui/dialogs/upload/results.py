"""What Northbeam answered, written into the document's records (no Qt): batch by batch while
the upload runs, then the final report; and Northbeam's messages with each JSON path turned
into the cell it came from."""

from __future__ import annotations

from northbeam_desktop.core.northbeam.outcomes import OrderOutcome, UploadReport, UploadStatus
from northbeam_desktop.core.northbeam.upload_job import PreparedUpload, SettledOrders
from northbeam_desktop.core.orders.document import OrderDocument, OrderRecord

__all__ = ["apply_report", "apply_settled", "outcome_text"]


def apply_settled(
    doc: OrderDocument, prepared: PreparedUpload, event: SettledOrders
) -> list[OrderRecord]:
    """Mark the orders of one answered batch accepted or failed; returns those changed."""
    changed: list[OrderRecord] = []
    for order_id in event.accepted:
        record = prepared.records.get(order_id)
        if record is not None:
            doc.record_upload_result(record, UploadStatus.ACCEPTED)
            changed.append(record)
    for order_id, message in event.failed:
        record = prepared.records.get(order_id)
        if record is not None:
            doc.record_upload_result(record, UploadStatus.FAILED, message)
            changed.append(record)
    return changed


def apply_report(
    doc: OrderDocument, prepared: PreparedUpload, report: UploadReport
) -> list[OrderRecord]:
    """Every outcome of the finished upload; returns the records whose status changed (an
    order already marked accepted batch by batch is not marked again)."""
    changed: list[OrderRecord] = []
    for outcome in report.outcomes:
        record = prepared.records.get(outcome.order_id)
        if record is None:
            continue
        already = (
            outcome.status is UploadStatus.ACCEPTED
            and record.upload_status == UploadStatus.ACCEPTED
            and not record.server_issues
        )
        if already:
            continue
        doc.record_upload_result(record, outcome.status, outcome.message, outcome.server_errors)
        changed.append(record)
    return changed


def outcome_text(doc: OrderDocument, prepared: PreparedUpload | None, outcome: OrderOutcome) -> str:
    """What Northbeam said, with each JSON path turned into the cell it came from."""
    record = prepared.records.get(outcome.order_id) if prepared is not None else None
    if record is None or not outcome.server_errors:
        return outcome.message or ""
    parts: list[str] = []
    for path, message in outcome.server_errors:
        row, column = doc.cell_of(record, path) if path else (None, None)
        if row is not None and column is not None:
            parts.append(f"Row {row}, “{column}”: {message}")
        elif row is not None:
            parts.append(f"Row {row}: {message}")
        else:
            parts.append(f"{path}: {message}" if path else message)
    return "; ".join(dict.fromkeys(parts))
