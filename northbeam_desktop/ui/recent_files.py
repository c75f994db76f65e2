"""The newest-first list of files the user opened, kept between runs (File → Open Recent, the
start page)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QSettings

MAX_RECENT_FILES = 10


def _as_str_list(value: object) -> list[str]:
    """QSettings hands back a list, a single string or None depending on the backend."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, Iterable):
        return [str(item) for item in value if item]
    return []


class RecentFiles:
    """The newest-first list of opened files (at most `MAX_RECENT_FILES`), kept in QSettings.

    Files that no longer exist are dropped whenever the list is read.
    """

    KEY = "recent_files"

    def __init__(self, settings: QSettings, limit: int = MAX_RECENT_FILES) -> None:
        self.settings = settings
        self.limit = limit

    def paths(self) -> list[str]:
        stored = _as_str_list(self.settings.value(self.KEY))
        existing = [path for path in stored if Path(path).is_file()]
        if existing != stored:
            self._write(existing)
        return existing

    def add(self, path: str | Path) -> list[str]:
        normalized = str(Path(path).resolve())
        paths = [p for p in self.paths() if p != normalized]
        paths.insert(0, normalized)
        del paths[self.limit :]
        self._write(paths)
        return paths

    def remove(self, path: str | Path) -> None:
        normalized = str(Path(path).resolve())
        stored = _as_str_list(self.settings.value(self.KEY))
        self._write([p for p in stored if p != normalized])

    def clear(self) -> None:
        self._write([])

    def _write(self, paths: list[str]) -> None:
        self.settings.setValue(self.KEY, paths)
        self.settings.sync()
