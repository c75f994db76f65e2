"""The core package must stay Qt-free so the CLI, the tests and the GUI share one engine."""

from __future__ import annotations

import ast
from pathlib import Path

import northbeam_desktop.core as core

CORE_DIR = Path(core.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_imports_no_qt() -> None:
    files = sorted(CORE_DIR.rglob("*.py"))
    assert files, "the core package has no modules"
    offenders = {
        str(path.relative_to(CORE_DIR)): sorted(
            name
            for name in _imported_modules(path)
            if name.split(".")[0] in {"PySide6", "PyQt5", "PyQt6", "shiboken6"}
        )
        for path in files
    }
    offenders = {path: names for path, names in offenders.items() if names}
    assert offenders == {}, f"core modules import Qt: {offenders}"


def test_only_secrets_imports_keyring() -> None:
    users = sorted(
        str(path.relative_to(CORE_DIR))
        for path in CORE_DIR.rglob("*.py")
        if any(name.split(".")[0] == "keyring" for name in _imported_modules(path))
    )
    assert users in ([], ["local/secrets.py"]), (
        f"only core/local/secrets.py may import keyring, found {users}"
    )
