"""Entry point: `northbeam-desktop` opens the app; `northbeam-desktop validate|upload ...` runs headless.

`python -m northbeam_desktop` behaves the same.
"""

from __future__ import annotations

import sys

HEADLESS_COMMANDS = {"validate", "upload", "--self-check", "--version", "-h", "--help"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in HEADLESS_COMMANDS:
        from northbeam_desktop.cli.main import main as cli_main

        return cli_main(args)
    from northbeam_desktop.ui.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
