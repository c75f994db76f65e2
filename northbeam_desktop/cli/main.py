"""Headless commands: `northbeam-desktop validate|upload`, `--self-check`, `--version`.

A thin layer over core: it parses arguments, calls the same functions the GUI calls, and prints.
Errors a user can cause end in one clear line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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
        from northbeam_desktop.cli.validate_text import write_problems

        return run_upload(args, report_problems=write_problems)
    parser.print_help()
    return EXIT_OK


def run_validate(args: argparse.Namespace, out: TextIO | None = None) -> int:
    # The report modules import the engine: loaded only when a file is checked.
    from northbeam_desktop.cli.validate_json import write_json_report
    from northbeam_desktop.cli.validate_text import write_text_report
    from northbeam_desktop.core.orders.issues import Severity

    out = out or sys.stdout
    with _collector_paused():
        try:
            doc = load_for_cli(args)
        except UsageError as error:
            print(str(error), file=sys.stderr)
            return EXIT_CANNOT_RUN
        issues = doc.all_issues()
        if args.format == "json":
            write_json_report(doc, str(args.file), issues, out)
        else:
            write_text_report(doc, issues, out)
        blocking = {level for level in Severity if level.blocks_upload}
        has_errors = any(issue.severity in blocking for issue in issues)
        return EXIT_PROBLEMS if has_errors else EXIT_OK


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while one file is read, checked and reported: it
    would only rescan the millions of cells of a big file (~0.2 s) and find nothing to free
    (the document holds no reference cycles; it is freed by reference counting)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def self_check() -> int:
    """Prove a (frozen) build works: see `northbeam_desktop.selfcheck`."""
    from northbeam_desktop.selfcheck import main as self_check_main

    return self_check_main()
