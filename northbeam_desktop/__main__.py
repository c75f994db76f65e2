"""Entry point: `northbeam-desktop` opens the app; `northbeam-desktop validate|upload ...` runs headless.

`python -m northbeam_desktop` behaves the same.
"""

from __future__ import annotations

import gc
import sys

HEADLESS_COMMANDS = {"validate", "upload", "--self-check", "--version", "-h", "--help"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in HEADLESS_COMMANDS:
        from northbeam_desktop.cli.main import main as cli_main

        code = cli_main(args)
        if argv is None and args[0] == "validate":
            # This process ends next. What the check built is left in reference cycles, and the
            # interpreter's last collection would walk and free all of it one object at a time
            # (0.4-0.9 s after a 30 MB export, ~2 s after a 100 MB file) just before the OS
            # takes the memory back anyway; frozen, it is skipped. The report is written and
            # flushed by then; validate holds no file or connection open.
            gc.freeze()
        return code
    from northbeam_desktop.ui.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
