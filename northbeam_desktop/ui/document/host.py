"""The main window as the document layer sees it.

`DocumentHost` declares the hooks the document session uses: where to show the table and the
"Opening…" page, the status bar, the File and Upload actions, the Edit, Problems and Upload
menus, the recent files, the connection preferences and the close guards. `MainWindow` is the one
implementation. The document layer depends on these hooks and never on the window itself, so
the window can create its session without the two importing each other.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from northbeam_desktop.core.local.settings import Preferences, SessionCredentials

STATUS_TIMEOUT_MS = 8000


class DocumentHost(QMainWindow):
    """A main window that can hold one open document (see the module docstring).

    Signals: `file_open_requested(str)` with an existing, supported path whenever the user asks
    to open a file; `preferences_changed(Preferences)` after Connection settings are saved.
    """

    file_open_requested = Signal(str)
    preferences_changed = Signal(object)

    # The current connection choices.
    preferences: Preferences
    session_credentials: SessionCredentials
    # Disabled on the start page; the session connects their `triggered`.
    save_action: QAction
    save_as_action: QAction
    export_problems_action: QAction
    upload_action: QAction
    close_document_action: QAction
    # Hidden until the session adds the document's actions.
    edit_menu: QMenu
    problems_menu: QMenu
    # Upload and Connection Settings; the session adds the document's Send Cancelled Orders.
    upload_menu: QMenu

    def show_status(self, text: str, timeout_ms: int = STATUS_TIMEOUT_MS) -> None:
        """A transient message in the status bar (0: until the next one)."""
        raise NotImplementedError

    def add_status_widget(self, widget: QWidget) -> None:
        """A permanent widget at the left of the status bar's permanent area."""
        raise NotImplementedError

    def add_page(self, widget: QWidget) -> None:
        """A page for the central area (e.g. "Opening…"), not shown yet."""
        raise NotImplementedError

    def show_page(self, widget: QWidget) -> None:
        """Show a page added with `add_page` (or the document view) in the central area."""
        raise NotImplementedError

    def set_document_view(self, widget: QWidget, path: str | Path | None = None) -> None:
        """Show the document's view instead of the start page; `path` names the window."""
        raise NotImplementedError

    def set_document_path(self, path: str | Path) -> None:
        """The document now lives in `path` (after Save As): retitle the window."""
        raise NotImplementedError

    def show_start_page(self) -> None:
        """Back to the start page; the document view (if any) is removed and deleted."""
        raise NotImplementedError

    def set_document_actions_enabled(self, enabled: bool) -> None:
        """Save, Save As, Export Problems, Upload and Close."""
        raise NotImplementedError

    def remember_recent_file(self, path: str | Path) -> None:
        """Put `path` first in the recent files."""
        raise NotImplementedError

    def forget_recent_file(self, path: str | Path) -> None:
        """Drop `path` from the recent files (it could not be opened)."""
        raise NotImplementedError

    def add_close_guard(self, guard: Callable[[], bool]) -> None:
        """Before the window closes `guard()` is called; False keeps the window open."""
        raise NotImplementedError

    def open_connection_settings(self) -> bool:
        """Connection settings; True when the user saved new settings."""
        raise NotImplementedError
