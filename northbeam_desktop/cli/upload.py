"""The headless `upload` command: the same engine, uploader and ledger the GUI uses.

    northbeam-desktop upload FILE [--env sandbox|production] [--base-url URL] [--dry-run]
        [--skip-invalid] [--force] [--yes] [--format text|json] [--timezone IANA]
        [--mapping MAPPING.json] [--sheet NAME]

Exit 0: every sent order accepted; 1: some failed or were skipped (or the file has errors and
--skip-invalid was not given: nothing is sent then); 2: could not run (file, arguments,
credentials, host unreachable).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Callable
from typing import Any, TextIO

from northbeam_desktop.cli.common import (
    EXIT_CANNOT_RUN,
    EXIT_OK,
    EXIT_PROBLEMS,
    UsageError,
    add_file_options,
    load_for_cli,
)

ProblemReport = Callable[[Any, list[Any], TextIO], None]


def add_upload_parser(commands: Any) -> None:
    upload = commands.add_parser("upload", help="check a file and upload its orders to Northbeam")
    add_file_options(upload)
    upload.add_argument(
        "--env",
        choices=("sandbox", "production"),
        default="sandbox",
        help="where to send: sandbox (Northbeam's test host, the default) or production",
    )
    upload.add_argument("--base-url", metavar="URL", help="a custom v2 root, e.g. a local stand-in")
    upload.add_argument(
        "--dry-run", action="store_true", help="send nothing; show what would be sent"
    )
    upload.add_argument(
        "--skip-invalid",
        action="store_true",
        help="send the valid orders even if others have errors",
    )
    upload.add_argument(
        "--force", action="store_true", help="also resend orders sent before unchanged"
    )
    upload.add_argument(
        "--yes", action="store_true", help="do not ask before sending to production"
    )
    upload.add_argument("--format", choices=("text", "json"), default="text")
    upload.add_argument(
        "--verify",
        action="store_true",
        help="afterwards, fetch the orders back from Northbeam and report any missing or different",
    )
    upload.add_argument("--batch-size", type=int, default=1000, metavar="N", help=argparse.SUPPRESS)
    upload.add_argument("--retries", type=int, default=5, metavar="N", help=argparse.SUPPRESS)


def run_upload(
    args: argparse.Namespace,
    out: TextIO | None = None,
    *,
    report_problems: ProblemReport | None = None,
) -> int:
    """Run `upload` with parsed `args`; `report_problems(doc, issues, stream)` lists a file's
    problems when it has errors (the validate command's text report)."""
    from northbeam_desktop.core.local import secrets
    from northbeam_desktop.core.local.settings import load_preferences
    from northbeam_desktop.core.northbeam.client import NorthbeamClient
    from northbeam_desktop.core.northbeam.environments import (
        EndpointError,
        Environment,
        resolve_endpoint,
    )
    from northbeam_desktop.core.northbeam.ledger import Ledger
    from northbeam_desktop.core.northbeam.uploader import (
        OutgoingOrder,
        UploadOptions,
        plan,
        upload,
        verify,
    )

    out = out or sys.stdout
    err = sys.stderr
    prefs = load_preferences()
    if args.timezone is None:
        args.timezone = prefs.timezone
    # 1. Where to, and with which credentials.
    try:
        if args.base_url:
            environment = Environment.CUSTOM
            endpoint = resolve_endpoint(Environment.CUSTOM, args.base_url)
        else:
            environment = Environment(args.env)
            endpoint = resolve_endpoint(environment)
        credentials = secrets.resolve_credentials(environment)
    except (EndpointError, secrets.CredentialsError) as error:
        print(str(error), file=err)
        return EXIT_CANNOT_RUN

    # 2. The file, exactly as the GUI would read it.
    try:
        doc = load_for_cli(
            args, hash_identifiers=prefs.hash_pii, phone_region=prefs.phone_country or None
        )
    except UsageError as error:
        print(str(error), file=err)
        return EXIT_CANNOT_RUN

    invalid = [record for record in doc.orders if record.has_errors or doc.blocked]
    if invalid and not args.skip_invalid:
        if args.format == "text" and report_problems is not None:
            report_problems(doc, doc.all_issues(), err)
        print(
            f"Nothing was sent: {len(invalid)} of {len(doc.orders)} orders have errors. Fix them, "
            "or add --skip-invalid to send only the valid orders.",
            file=err,
        )
        if args.format == "json":
            _write_json(out, endpoint, 0, 0, 0, len(invalid), [_skipped(doc, r) for r in invalid])
        return EXIT_PROBLEMS
    invalid_set = set(invalid)  # built once: a set() inside the comprehension is quadratic
    valid = [record for record in doc.orders if record not in invalid_set]
    outgoing = [
        OutgoingOrder(record.order_id, doc.payload(record), _rows(doc, record))
        for record in valid
        if record.order_id is not None
    ]

    # 3. Plan against the ledger (new / changed / unchanged / failed before).
    with Ledger() as ledger:
        upload_plan = plan(outgoing, ledger, endpoint, credentials.client_id, force=args.force)
        counts = upload_plan.counts
        to_send = len(upload_plan.to_send)
        if args.dry_run:
            _print_dry_run(out, args.format, endpoint, upload_plan, len(invalid))
            return EXIT_OK if not invalid else EXIT_PROBLEMS

        if not to_send:
            return _report_nothing_to_send(out, args.format, endpoint, upload_plan, doc, invalid)
        confirmed = args.yes or environment is not Environment.PRODUCTION
        if not confirmed and not _confirm_production(to_send, err):
            print("Nothing was sent.", file=err)
            return EXIT_CANNOT_RUN

        # 4. Send, with a progress bar on a terminal.
        options = UploadOptions(
            force=args.force,
            max_orders_per_batch=max(1, args.batch_size),
            max_retries=max(0, args.retries),
        )
        client = NorthbeamClient(endpoint, credentials, environment_name=environment.short_name)
        bar = _ProgressBar(err) if args.format == "text" and err.isatty() else None
        if args.format == "text":
            unchanged = counts.get("unchanged", 0)
            print(
                f"Sending {to_send} orders to {endpoint}: {counts.get('new', 0)} new, "
                f"{counts.get('changed', 0)} changed, {counts.get('failed', 0)} that failed "
                f"before, {counts.get('in_flight', 0)} interrupted before"
                + (
                    f", {unchanged} unchanged (resent: --force)."
                    if args.force and unchanged
                    else f"; {unchanged} unchanged not resent."
                    if unchanged
                    else "."
                ),
                file=err,
            )
        cancel = threading.Event()
        verification = None
        try:
            report = upload(outgoing, client, ledger, options, progress=bar, cancel=cancel)
            if args.verify and report.accepted:
                accepted_ids = {o.order_id for o in report.outcomes if o.status == "accepted"}
                verification = verify([o for o in outgoing if o.order_id in accepted_ids], client)
        except KeyboardInterrupt:
            cancel.set()
            print(
                "\nStopped. Orders already accepted stay in Northbeam; run again to send the rest.",
                file=err,
            )
            return EXIT_PROBLEMS
        finally:
            client.close()
            if bar:
                bar.finish()

    if report.error:
        print(report.error, file=err)
        if report.accepted == 0:
            # Nothing got through (bad key, host unreachable): the run could not happen.
            return EXIT_CANNOT_RUN

    # 5. Report.
    records = {record.order_id: record for record in valid}
    orders_json: list[dict[str, Any]] = [_skipped(doc, r) for r in invalid]
    for outcome in report.outcomes:
        record = records.get(outcome.order_id)
        status = (
            outcome.status if outcome.status in ("accepted", "failed", "unchanged") else "skipped"
        )
        message = outcome.message
        if outcome.server_errors and record is not None:
            parts = []
            for path, text in outcome.server_errors:
                row, column = doc.cell_of(record, path)
                where = f"row {row}" + (f", column “{column}”" if column else "") if row else path
                parts.append(f"{where}: {text}")
            message = "; ".join(parts)
        if outcome.status == "not_sent":
            message = message or "Not sent (the upload stopped first); run again to send it."
        orders_json.append(
            {
                "order_id": outcome.order_id,
                "status": status,
                "rows": outcome.rows,
                "message": message,
            }
        )
    skipped = sum(1 for o in orders_json if o["status"] == "skipped")
    if verification is not None:
        _print_verification(verification, err)
    if args.format == "json":
        _write_json(
            out, endpoint, report.sent, report.accepted, report.failed, skipped, orders_json
        )
    else:
        print(
            f"{report.accepted} accepted, {report.failed} failed, {skipped} skipped, "
            f"{report.unchanged} unchanged (sent before) — {endpoint}",
            file=out,
        )
        for entry in orders_json:
            if entry["status"] in ("failed", "skipped"):
                rows = ", ".join(str(r) for r in entry["rows"])
                print(
                    f"  {entry['status'].upper()} order {entry['order_id']} (rows {rows}): "
                    f"{entry['message']}",
                    file=out,
                )
    return (
        EXIT_OK if report.failed == 0 and skipped == 0 and not report.cancelled else EXIT_PROBLEMS
    )


def _report_nothing_to_send(
    out: TextIO, fmt: str, endpoint: str, upload_plan: Any, doc: Any, invalid: list[Any]
) -> int:
    orders = [_skipped(doc, r) for r in invalid]
    for item in upload_plan.items:
        orders.append(
            {
                "order_id": item.order_id,
                "status": "unchanged",
                "rows": item.order.rows,
                "message": item.note or "Sent before with exactly these values.",
            }
        )
    if fmt == "json":
        _write_json(out, endpoint, 0, 0, 0, len(invalid), orders)
    else:
        unchanged = len(upload_plan.items)
        print(
            f"Nothing to send to {endpoint}: {unchanged} orders were sent before unchanged "
            f"(use --force to resend them), {len(invalid)} have errors.",
            file=out,
        )
    return EXIT_PROBLEMS if invalid else EXIT_OK


def _print_verification(result: Any, err: TextIO) -> None:
    if result.skipped_reason:
        print(f"Verify: {result.skipped_reason}", file=err)
    elif result.ok:
        print(f"Verify: all {result.checked} accepted orders are in Northbeam as sent.", file=err)
    else:
        if result.missing:
            print(
                f"Verify: {len(result.missing)} accepted orders are not in Northbeam yet: "
                + ", ".join(result.missing[:10])
                + (" …" if len(result.missing) > 10 else ""),
                file=err,
            )
        if result.different:
            print(
                f"Verify: {len(result.different)} orders differ from what was sent: "
                + ", ".join(result.different[:10])
                + (" …" if len(result.different) > 10 else ""),
                file=err,
            )


def _rows(doc: Any, record: Any) -> list[int]:
    return [doc.sheet.row_numbers[i] for i in record.row_indices]


def _skipped(doc: Any, record: Any) -> dict[str, Any]:
    errors = record.errors or [issue for issue in doc.mapping_issues if issue.is_error]
    message = errors[0].message if errors else "Has errors."
    if len(errors) > 1:
        message += f" (+{len(errors) - 1} more)"
    return {
        "order_id": record.order_id or "",
        "status": "skipped",
        "rows": _rows(doc, record),
        "message": message,
    }


def _write_json(
    out: TextIO,
    endpoint: str,
    sent: int,
    accepted: int,
    failed: int,
    skipped: int,
    orders: list[dict[str, Any]],
) -> None:
    json.dump(
        {
            "endpoint": endpoint,
            "sent": sent,
            "accepted": accepted,
            "failed": failed,
            "skipped": skipped,
            "orders": orders,
        },
        out,
        ensure_ascii=False,
        indent=2,
    )
    out.write("\n")


def _print_dry_run(out: TextIO, fmt: str, endpoint: str, upload_plan: Any, invalid: int) -> None:
    counts = upload_plan.counts
    to_send = len(upload_plan.to_send)
    size = upload_plan.bytes_to_send
    if fmt == "json":
        json.dump(
            {
                "endpoint": endpoint,
                "dry_run": True,
                "would_send": to_send,
                "skipped_invalid": invalid,
                "classes": counts,
                "bytes": size,
            },
            out,
            indent=2,
        )
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


def _confirm_production(count: int, err: TextIO) -> bool:
    if not sys.stdin.isatty():
        print("Refusing to send to Production without --yes (no terminal to ask on).", file=err)
        return False
    print(
        f"You are about to send {count} orders to Northbeam PRODUCTION, where they are used "
        "in your live attribution.",
        file=err,
    )
    answer = input("Type UPLOAD to continue: ")
    return answer.strip() == "UPLOAD"


class _ProgressBar:
    """A one-line terminal progress bar with orders/s and time left."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __call__(self, progress: Any) -> None:
        total = max(progress.orders_total, 1)
        done = progress.orders_done
        width = 30
        filled = int(width * done / total)
        eta = f", {progress.eta_seconds:.0f} s left" if progress.eta_seconds else ""
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} orders, "
            f"{progress.orders_per_second:.0f}/s{eta}   "
        )
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("\n")
        self.stream.flush()
