"""What the `upload` command prints: the JSON contract, the text summary, the dry run, the
read-back check, and the progress shown on a terminal while orders go out.

The JSON keys and each order's "status" (accepted, failed, unchanged, skipped) are a contract
for scripts: orders that were not sent (the run stopped first) are listed as "skipped" with a
message saying they go out with the next run.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any, TextIO

from northbeam_desktop.core.northbeam.outcomes import Progress, UploadReport, UploadStatus
from northbeam_desktop.core.northbeam.upload_job import PreparedUpload, SettledOrders
from northbeam_desktop.core.northbeam.verify import VerifyResult

if TYPE_CHECKING:
    from northbeam_desktop.core.orders.document import OrderDocument, OrderRecord

_JSON_STATUS = {
    UploadStatus.ACCEPTED: "accepted",
    UploadStatus.FAILED: "failed",
    UploadStatus.UNCHANGED: "unchanged",
    UploadStatus.SKIPPED: "skipped",
    UploadStatus.NOT_SENT: "skipped",
}


def rows_of(doc: OrderDocument, record: OrderRecord) -> list[int]:
    return [doc.sheet.row_numbers[i] for i in record.row_indices]


def skipped_entry(doc: OrderDocument, record: OrderRecord) -> dict[str, Any]:
    """The JSON entry of an order not sent because of its errors."""
    errors = record.errors or [issue for issue in doc.mapping_issues if issue.is_error]
    message = errors[0].message if errors else "Has errors."
    if len(errors) > 1:
        message += f" (+{len(errors) - 1} more)"
    return {
        "order_id": record.order_id or "",
        "status": "skipped",
        "rows": rows_of(doc, record),
        "message": message,
    }


def write_json(
    out: TextIO,
    endpoint: str,
    counts: tuple[int, int, int, int],
    orders: list[dict[str, Any]],
) -> None:
    """The result for scripts; `counts` are (sent, accepted, failed, skipped)."""
    sent, accepted, failed, skipped = counts
    body = {
        "endpoint": endpoint,
        "sent": sent,
        "accepted": accepted,
        "failed": failed,
        "skipped": skipped,
        "orders": orders,
    }
    json.dump(body, out, ensure_ascii=False, indent=2)
    out.write("\n")


def order_entries(
    doc: OrderDocument,
    prepared: PreparedUpload,
    report: UploadReport,
    invalid: list[OrderRecord],
) -> list[dict[str, Any]]:
    """One JSON entry per order: those with errors first, then what the upload did."""
    entries = [skipped_entry(doc, record) for record in invalid]
    for outcome in report.outcomes:
        record = prepared.records.get(outcome.order_id)
        message = outcome.message
        if outcome.server_errors and record is not None:
            parts = []
            for path, text in outcome.server_errors:
                row, column = doc.cell_of(record, path)
                where = f"row {row}" + (f", column “{column}”" if column else "") if row else path
                parts.append(f"{where}: {text}")
            message = "; ".join(parts)
        if outcome.status is UploadStatus.NOT_SENT:
            message = message or "Not sent (the upload stopped first); run again to send it."
        entries.append(
            {
                "order_id": outcome.order_id,
                "status": _JSON_STATUS[outcome.status],
                "rows": outcome.rows,
                "message": message,
            }
        )
    return entries


def print_text_result(
    out: TextIO, endpoint: str, report: UploadReport, entries: list[dict[str, Any]]
) -> None:
    skipped = sum(1 for entry in entries if entry["status"] == "skipped")
    print(
        f"{report.accepted} accepted, {report.failed} failed, {skipped} skipped, "
        f"{report.unchanged} unchanged (sent before) — {endpoint}",
        file=out,
    )
    for entry in entries:
        if entry["status"] in ("failed", "skipped"):
            rows = ", ".join(str(r) for r in entry["rows"])
            print(
                f"  {entry['status'].upper()} order {entry['order_id']} (rows {rows}): "
                f"{entry['message']}",
                file=out,
            )


def report_nothing_to_send(
    out: TextIO,
    fmt: str,
    endpoint: str,
    prepared: PreparedUpload,
    doc: OrderDocument,
    invalid: list[OrderRecord],
) -> None:
    entries = [skipped_entry(doc, record) for record in invalid]
    for item in prepared.plan.items:
        entries.append(
            {
                "order_id": item.order_id,
                "status": "unchanged",
                "rows": item.order.rows,
                "message": item.note or "Sent before with exactly these values.",
            }
        )
    if fmt == "json":
        write_json(out, endpoint, (0, 0, 0, len(invalid)), entries)
    else:
        print(
            f"Nothing to send to {endpoint}: {len(prepared.plan.items)} orders were sent before "
            f"unchanged (use --force to resend them), {len(invalid)} have errors.",
            file=out,
        )


def print_dry_run(
    out: TextIO, fmt: str, endpoint: str, prepared: PreparedUpload, force: bool, invalid: int
) -> None:
    counts = prepared.counts
    to_send = prepared.to_send(force)
    size = prepared.bytes_to_send(force)
    if fmt == "json":
        body = {
            "endpoint": endpoint,
            "dry_run": True,
            "would_send": to_send,
            "skipped_invalid": invalid,
            "classes": counts,
            "bytes": size,
        }
        json.dump(body, out, indent=2)
        out.write("\n")
        return
    print(f"Dry run — nothing sent. Destination: {endpoint}", file=out)
    print(
        f"Would send {to_send} orders ({size:,} bytes): {counts.get('new', 0)} new, "
        f"{counts.get('changed', 0)} changed, {counts.get('failed', 0)} failed before, "
        f"{counts.get('in_flight', 0)} interrupted before; {counts.get('unchanged', 0)} "
        f"unchanged would be skipped; {invalid} with errors skipped.",
        file=out,
    )


def print_verification(result: VerifyResult, err: TextIO) -> None:
    if result.skipped_reason:
        print(f"Verify: {result.skipped_reason}", file=err)
    elif result.ok:
        print(f"Verify: all {result.checked} accepted orders are in Northbeam as sent.", file=err)
    else:
        for ids, what in (
            (result.missing, "accepted orders are not in Northbeam yet"),
            (result.different, "orders differ from what was sent"),
        ):
            if ids:
                shown = ", ".join(ids[:10]) + (" …" if len(ids) > 10 else "")
                print(f"Verify: {len(ids)} {what}: {shown}", file=err)


class Console:
    """Progress on stderr: one "Sending …" line once the upload really starts (not when another
    upload holds the record), then a one-line bar with orders/s and time left on a terminal."""

    def __init__(self, stream: TextIO, header: str | None, *, bar: bool) -> None:
        self.stream = stream
        self.header = header
        self.bar = bar
        self._drawn = False

    @classmethod
    def for_args(cls, fmt: str, header: str) -> Console:
        err = sys.stderr
        return cls(err, header if fmt == "text" else None, bar=fmt == "text" and err.isatty())

    def __call__(self, event: Progress | SettledOrders) -> None:
        if not isinstance(event, Progress):
            return
        if self.header is not None:
            print(self.header, file=self.stream)
            self.header = None
        if not self.bar:
            return
        total = max(event.orders_total, 1)
        done = event.orders_done
        width = 30
        filled = int(width * done / total)
        eta = f", {event.eta_seconds:.0f} s left" if event.eta_seconds else ""
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} orders, "
            f"{event.orders_per_second:.0f}/s{eta}   "
        )
        self.stream.flush()
        self._drawn = True

    def finish(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
