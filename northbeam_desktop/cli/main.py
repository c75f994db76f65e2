"""Headless commands: `northbeam-desktop validate|upload`, `--self-check`, `--version`.

A thin layer over core: it parses arguments, calls the same functions the GUI calls, and prints.
Errors a user can cause end in one clear line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import NoReturn, TextIO

from northbeam_desktop import __version__
from northbeam_desktop.cli.common import (
    EXIT_CANNOT_RUN,
    EXIT_OK,
    EXIT_PROBLEMS,
    UsageError,
    add_file_options,
    load_for_cli,
)
from northbeam_desktop.cli.upload import add_upload_parser, run_upload


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="northbeam-desktop",
        description="Check order spreadsheets and upload them to Northbeam. "
        "Run without a command to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"northbeam-desktop {__version__}")
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="print versions, the Qt platform and keyring backend, and read a bundled sample",
    )
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    validate = commands.add_parser("validate", help="check a file and list every problem")
    add_file_options(validate)
    validate.add_argument("--format", choices=("text", "json"), default="text")
    add_upload_parser(commands)
    return parser


def prepare_output_streams() -> None:
    """Make printing unable to crash the command.

    The windowed Windows build has no console at all (stdout is None), and a Windows console
    redirected to a file or pipe writes cp1252, which has no “…” or “→”: a character it cannot
    write becomes "?" instead of a traceback.
    """
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
        elif hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    prepare_output_streams()
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`): not an error worth a traceback.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130


def _main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        print(str(error), file=sys.stderr)
        return EXIT_CANNOT_RUN
    if args.self_check:
        return self_check()
    if args.command == "validate":
        return run_validate(args)
    if args.command == "upload":
        return run_upload(args, report_problems=write_text_report)
    parser.print_help()
    return EXIT_OK


def run_validate(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        doc = load_for_cli(args)
    except UsageError as error:
        print(str(error), file=sys.stderr)
        return EXIT_CANNOT_RUN
    issues = doc.all_issues()
    summary = doc.summary()
    if args.format == "json":
        report = {
            "file": str(args.file),
            "sheet": doc.sheet.sheet,
            "rows": summary["rows"],
            "orders": summary["orders"],
            "valid_orders": summary["valid_orders"],
            "issues": [issue.to_json() for issue in issues],
        }
        json.dump(report, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        write_text_report(doc, issues, out)
    return EXIT_PROBLEMS if any(issue.is_error for issue in issues) else EXIT_OK


def write_text_report(doc, issues, out: TextIO, examples: int = 3) -> None:
    """A summary grouped by kind of problem with counts, then the first few of each kind."""
    summary = doc.summary()
    where = f"{doc.sheet.path}" + (f" (sheet “{doc.sheet.sheet}”)" if doc.sheet.sheet else "")
    out.write(f"{where}\n")
    out.write(
        f"{summary['rows']} rows, {summary['orders']} orders, "
        f"{summary['valid_orders']} ready to upload.\n"
    )
    errors = sum(1 for issue in issues if issue.is_error)
    warnings = len(issues) - errors
    if not issues:
        out.write("No problems found.\n")
        return
    out.write(f"{errors} errors (must be fixed), {warnings} warnings (worth a look).\n\n")
    groups: dict[tuple[str, str, str], list] = defaultdict(list)
    for issue in issues:
        label = issue.column or issue.field
        groups[(issue.severity.value, issue.code, label)].append(issue)
    order = sorted(groups, key=lambda key: (key[0] != "error", -len(groups[key])))
    for key in order:
        members = groups[key]
        severity, code, label = key
        orders = Counter(issue.order_id for issue in members if issue.order_id)
        if orders:
            counted = f"{len(orders)} order" + ("s" if len(orders) != 1 else "")
        else:
            counted = f"{len(members)}×"
        out.write(f"{severity.upper()}: {_describe(code)} — {label} — {counted}\n")
        for issue in members[:examples]:
            cell = f"row {issue.row}" if issue.row else "file"
            out.write(f"    {cell}: {issue.message}\n")
        if len(members) > examples:
            out.write(f"    … and {len(members) - examples} more\n")


_CODE_WORDS = {
    "required": "empty required value",
    "order_value_conflict": "rows of one order disagree",
    "duplicate_order_id": "order ID used twice",
    "value_converted": "value converted",
    "unmapped_required_field": "required column missing",
    "totals_mismatch": "totals don't add up",
}


def _describe(code: str) -> str:
    return _CODE_WORDS.get(code, code.replace("_", " "))


def self_check() -> int:
    """Prove a (frozen) build works: see `northbeam_desktop.selfcheck`."""
    from northbeam_desktop.selfcheck import main as self_check_main

    return self_check_main()
