"""What every headless command shares: exit codes, the one-line usage error, the file options,
and opening a file exactly as the GUI does.

Commands import this module; it imports no command, so `main` (the parser) and the commands
never import each other in a circle.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from northbeam_desktop.core.orders.document import OrderDocument

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_CANNOT_RUN = 2


class UsageError(Exception):
    """Wrong arguments or an unreadable file: reported in one line, exit code 2."""


def add_file_options(parser: argparse.ArgumentParser) -> None:
    """FILE, --sheet, --mapping, --timezone and --include-cancelled: how every command is told
    what to read."""
    parser.add_argument("file", metavar="FILE", help="the .xlsx, .xls, .ods, .csv or .tsv file")
    parser.add_argument(
        "--sheet", metavar="NAME", help="sheet to read (default: the first with data)"
    )
    parser.add_argument("--mapping", metavar="MAPPING.json", help="a saved column mapping")
    parser.add_argument(
        "--timezone",
        metavar="IANA",
        help="time zone for dates without one, e.g. America/New_York (default: this computer's)",
    )
    parser.add_argument(
        "--include-cancelled",
        action="store_true",
        help="send orders your shop cancelled too (by default they are held back)",
    )


def load_for_cli(
    args: argparse.Namespace,
    *,
    hash_identifiers: bool = False,
    phone_region: str | None = None,
) -> OrderDocument:
    """Open the file as the GUI would; raise UsageError with a one-line reason when we can't.

    Hashing and the phone country are options of the load, so the file is checked once with
    them (switching them on afterwards would check the whole file a second time).
    """
    from northbeam_desktop.core.orders.document import LoadOptions, OrderDocument, load_document
    from northbeam_desktop.core.orders.mapping import load_preset, mapping_from_preset
    from northbeam_desktop.core.orders.readers import ReadError, read_file
    from northbeam_desktop.core.orders.timezones import resolve_timezone

    try:
        resolve_timezone(args.timezone)
    except ValueError as error:
        raise UsageError(str(error)) from None
    preset = None
    if args.mapping:
        try:
            preset = load_preset(args.mapping)
        except ValueError as error:
            raise UsageError(str(error)) from None
    options = LoadOptions(
        sheet=args.sheet,
        timezone=args.timezone,
        hash_identifiers=hash_identifiers,
        include_cancelled=getattr(args, "include_cancelled", False),
    )
    if phone_region:
        options.phone_region = phone_region
    try:
        if preset is None:
            return load_document(args.file, options)
        sheet = read_file(args.file, args.sheet)
        mapping, notes = mapping_from_preset(preset, sheet.headers, sheet.rows)
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        options.mapping = mapping
        return OrderDocument(sheet, options)
    except ReadError as error:
        raise UsageError(str(error)) from None
