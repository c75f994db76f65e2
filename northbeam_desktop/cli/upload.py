"""The headless `upload` command: the same steps, uploader and ledger the GUI uses
(`core.northbeam.upload_job`).

    northbeam-desktop upload FILE [--env sandbox|production] [--base-url URL] [--dry-run]
        [--skip-invalid] [--force] [--yes] [--format text|json] [--timezone IANA]
        [--mapping MAPPING.json] [--sheet NAME] [--verify]

Exit 0: every sent order accepted; 1: some failed or were skipped (or the file has errors and
--skip-invalid was not given: nothing is sent then); 2: could not run (file, arguments,
credentials, host unreachable or not answering as Northbeam, the upload record damaged or in
use by another upload), with one sentence on stderr saying why.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from northbeam_desktop.cli.common import (
    EXIT_CANNOT_RUN,
    EXIT_OK,
    EXIT_PROBLEMS,
    UsageError,
    add_file_options,
    load_for_cli,
)

if TYPE_CHECKING:
    from northbeam_desktop.core.local.secrets import Credentials
    from northbeam_desktop.core.northbeam.ledger import Ledger
    from northbeam_desktop.core.northbeam.upload_job import PreparedUpload, UploadTarget
    from northbeam_desktop.core.orders.document import OrderDocument, OrderRecord

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
    from northbeam_desktop.cli.upload_output import skipped_entry, write_json
    from northbeam_desktop.core.local import secrets
    from northbeam_desktop.core.local.settings import load_preferences
    from northbeam_desktop.core.northbeam.environments import (
        EndpointError,
        Environment,
        resolve_endpoint,
    )
    from northbeam_desktop.core.northbeam.ledger import Ledger, LedgerError
    from northbeam_desktop.core.northbeam.upload_job import UploadTarget, sendable

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

    # 2. The file, exactly as the GUI would read it (checked once, hashing included).
    try:
        doc = load_for_cli(
            args, hash_identifiers=prefs.hash_pii, phone_region=prefs.phone_country or None
        )
    except UsageError as error:
        print(str(error), file=err)
        return EXIT_CANNOT_RUN

    # Orders the shop cancelled are held back, not errors: they are simply not sent.
    held_back = {id(record) for record in doc.held_back}
    invalid = [
        record for record in doc.orders if not sendable(doc, record) and id(record) not in held_back
    ]
    if held_back and args.format == "text":
        count = len(held_back)
        print(
            f"{count:,} {'order was' if count == 1 else 'orders were'} cancelled in your shop "
            "and will not be sent; add --include-cancelled to send them too.",
            file=err,
        )
    if invalid and not args.skip_invalid:
        if args.format == "text" and report_problems is not None:
            report_problems(doc, doc.all_issues(), err)
        print(
            f"Nothing was sent: {len(invalid)} of {len(doc.orders)} orders have errors. Fix them, "
            "or add --skip-invalid to send only the valid orders.",
            file=err,
        )
        if args.format == "json":
            entries = [skipped_entry(doc, record) for record in invalid]
            write_json(out, endpoint, (0, 0, 0, len(invalid)), entries)
        return EXIT_PROBLEMS

    # 3. Against the upload record: plan, confirm, send.
    target = UploadTarget(environment, endpoint)
    try:
        with Ledger() as ledger:
            return _plan_and_send(args, doc, target, credentials, ledger, invalid, out)
    except LedgerError as error:  # damaged (moved aside), in use by another upload, unusable
        print(str(error), file=err)
        return EXIT_CANNOT_RUN


def _plan_and_send(
    args: argparse.Namespace,
    doc: OrderDocument,
    target: UploadTarget,
    credentials: Credentials,
    ledger: Ledger,
    invalid: list[OrderRecord],
    out: TextIO,
) -> int:
    from northbeam_desktop.cli import upload_output as output
    from northbeam_desktop.core.northbeam.planning import UploadOptions
    from northbeam_desktop.core.northbeam.upload_job import (
        COMMAND_PROGRAM,
        prepare_upload,
        run_upload,
    )

    err = sys.stderr
    endpoint = target.base_url
    prepared = prepare_upload(doc, doc.orders, target, credentials=credentials, ledger=ledger)
    to_send = prepared.to_send(args.force)
    if args.dry_run:
        output.print_dry_run(out, args.format, endpoint, prepared, args.force, len(invalid))
        return EXIT_OK if not invalid else EXIT_PROBLEMS
    if not to_send:
        output.report_nothing_to_send(out, args.format, endpoint, prepared, doc, invalid)
        return EXIT_PROBLEMS if invalid else EXIT_OK
    if target.is_production and not args.yes and not _confirm_production(to_send, err):
        print("Nothing was sent.", file=err)
        return EXIT_CANNOT_RUN

    options = UploadOptions(
        max_orders_per_batch=max(1, args.batch_size), max_retries=max(0, args.retries)
    )
    console = output.Console.for_args(args.format, _sending_line(prepared, args.force))
    try:
        run = run_upload(
            prepared,
            ledger=ledger,
            program=COMMAND_PROGRAM,
            options=options,
            force=args.force,
            check_after=args.verify,
            progress=console,
        )
    except KeyboardInterrupt:
        console.finish()
        print(
            "Stopped. Orders already accepted stay in Northbeam; run again to send the rest.",
            file=err,
        )
        return EXIT_PROBLEMS
    console.finish()

    report = run.report
    if report.error:
        print(report.error, file=err)
        if report.accepted == 0:
            # Nothing got through (bad key, host unreachable or odd): the run could not happen.
            return EXIT_CANNOT_RUN
    entries = output.order_entries(doc, prepared, report, invalid)
    skipped = sum(1 for entry in entries if entry["status"] == "skipped")
    if run.verification is not None:
        output.print_verification(run.verification, err)
    if args.format == "json":
        counts = (report.sent, report.accepted, report.failed, skipped)
        output.write_json(out, endpoint, counts, entries)
    else:
        output.print_text_result(out, endpoint, report, entries)
    everything = report.failed == 0 and skipped == 0 and not report.cancelled
    return EXIT_OK if everything else EXIT_PROBLEMS


def _sending_line(prepared: PreparedUpload, force: bool) -> str:
    counts = prepared.counts
    unchanged = counts.get("unchanged", 0)
    if force and unchanged:
        tail = f", {unchanged} unchanged (resent: --force)."
    elif unchanged:
        tail = f"; {unchanged} unchanged not resent."
    else:
        tail = "."
    return (
        f"Sending {prepared.to_send(force)} orders to {prepared.target.base_url}: "
        f"{counts.get('new', 0)} new, {counts.get('changed', 0)} changed, "
        f"{counts.get('failed', 0)} that failed before, {counts.get('in_flight', 0)} "
        f"interrupted before{tail}"
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
