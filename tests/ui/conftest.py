"""GUI tests share the root conftest's app home and in-memory keyring fixtures.

Two questions the app asks in a modal dialog are answered here for every test, the way the
static QMessageBox calls are patched elsewhere: which time zone a file's times are in (the
suggested zone, as a user pressing Enter would) and whether to apply a previewed quick fix for
many orders (Apply). Tests of those dialogs themselves use `zone_answers` / `fix_previews` to see
what was asked, or patch the functions again.
"""

from __future__ import annotations

from typing import Any

import pytest

from northbeam_desktop.ui.dialogs import timezone
from northbeam_desktop.ui.document import quick_fix_preview


@pytest.fixture(autouse=True)
def zone_answers(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every time-zone question asked: (file name, suggested zone); answered with the zone."""
    asked: list[tuple[str, str]] = []

    def answer(
        _parent: Any, file_name: str, default: str, _example: Any = None, **_kwargs: Any
    ) -> str:
        asked.append((file_name, default))
        return default

    monkeypatch.setattr(timezone, "choose_zone", answer)
    return asked


@pytest.fixture(autouse=True)
def fix_previews(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every quick fix previewed (the GroupFix); each is applied, as if Apply were pressed."""
    shown: list[Any] = []

    def apply(_parent: Any, _fixer: Any, fix: Any) -> bool:
        shown.append(fix)
        return True

    monkeypatch.setattr(quick_fix_preview.QuickFixPreviewDialog, "ask", staticmethod(apply))
    return shown
