"""Find bundled files (the app icon, the sample order file) wherever the app runs from.

Three layouts exist (the user guide is found the same way, see `guide_path`):

* a PyInstaller build, where everything listed in `build.spec`'s `datas` sits under
  `sys._MEIPASS` (`resources/…` and `northbeam_desktop/data/…`);
* a source checkout or an editable install, where `resources/` sits beside the package;
* a wheel install, where `resources/` is installed as data files under
  `<prefix>/share/northbeam-desktop/resources`.

This module imports no Qt so the command line can use it too.
"""

from __future__ import annotations

import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR_NAME = "data"
RESOURCES_DIR_NAME = "resources"


def _resource_roots() -> list[Path]:
    roots: list[Path] = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        roots.append(Path(bundle) / RESOURCES_DIR_NAME)
    roots.append(PACKAGE_DIR.parent / RESOURCES_DIR_NAME)
    roots.append(Path(sys.prefix) / "share" / "northbeam-desktop" / RESOURCES_DIR_NAME)
    return roots


def resource_path(name: str) -> Path:
    """The path of `name` (e.g. "icon.svg") inside `resources/`.

    Returns the first existing candidate; when none exists the first candidate is returned so
    the caller's error message names a sensible place. Callers treat a missing icon as harmless.
    """
    roots = _resource_roots()
    for root in roots:
        candidate = root / name
        if candidate.exists():
            return candidate
    return roots[0] / name


def guide_path() -> Path | None:
    """The user guide (`docs/USER_GUIDE.md`, its pictures beside it in `screenshots/`): bundled
    under `docs/` by PyInstaller, or in a source checkout; None when this install has none."""
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "docs" / "USER_GUIDE.md")
    candidates.append(PACKAGE_DIR.parent / "docs" / "USER_GUIDE.md")
    return next((path for path in candidates if path.is_file()), None)


def data_path(name: str) -> Path:
    """The path of `name` inside the package's `data/` folder (bundled by pip and PyInstaller)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidate = Path(bundle) / "northbeam_desktop" / DATA_DIR_NAME / name
        if candidate.exists():
            return candidate
    return PACKAGE_DIR / DATA_DIR_NAME / name
