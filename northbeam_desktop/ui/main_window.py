"""The main window: menus, toolbar, status bar, the start page, and where uploads go.

The window is the shell. It knows how to ask for a file (menu, toolbar, drag and drop, recent
files, the command line) and where uploads go (Connection settings, the environment badge). The
open document — loading, the table, saving, recovery, uploading — belongs to its
`DocumentSession` (`window.session`, see `ui/document/session.py`), which plugs into the hooks
declared by `DocumentHost` (`ui/document/host.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, QSize, QStandardPaths, Qt, QUrl
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QToolBar,
    QWidget,
)

from northbeam_desktop import APP_NAME
from northbeam_desktop.core.files.template import write_template
from northbeam_desktop.core.local.appdirs import app_dirs
from northbeam_desktop.core.local.settings import (
    Preferences,
    SessionCredentials,
    load_preferences,
)
from northbeam_desktop.core.northbeam.environments import (
    EndpointError,
    Environment,
    describe_endpoint,
    resolve_endpoint,
)
from northbeam_desktop.ui.document.host import STATUS_TIMEOUT_MS, DocumentHost
from northbeam_desktop.ui.document.loader import SheetChooser, choose_sheet
from northbeam_desktop.ui.document.session import DocumentSession
from northbeam_desktop.ui.environment_badge import EnvironmentBadge
from northbeam_desktop.ui.recent_files import RecentFiles
from northbeam_desktop.ui.start_page import StartPage

if TYPE_CHECKING:
    from northbeam_desktop.core.local.recovery import RecoveryJournal
    from northbeam_desktop.core.orders.mapping import PresetStore

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt")
OPEN_FILE_FILTER = (
    "Order spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv *.tsv *.txt);;"
    "Excel workbooks (*.xlsx *.xlsm *.xls);;"
    "OpenDocument spreadsheets (*.ods);;"
    "Text files (*.csv *.tsv *.txt);;"
    "All files (*)"
)
TEMPLATE_FILE_NAME = "northbeam-orders-template.xlsx"
UI_SETTINGS_FILE = "ui-state.ini"
DEFAULT_WINDOW_SIZE = QSize(1200, 800)


def is_supported_file(path: str | Path) -> bool:
    return Path(path).suffix.lower() in SUPPORTED_SUFFIXES


def unsupported_file_message(path: str | Path) -> str:
    return (
        f"“{Path(path).name}” can't be opened: choose an Excel, OpenDocument or CSV file "
        f"({', '.join(SUPPORTED_SUFFIXES)})."
    )


def default_window_size(available: QSize) -> QSize:
    """1200 × 800, or 90 % of a smaller screen."""
    return DEFAULT_WINDOW_SIZE.boundedTo(available * 0.9)


def ui_settings() -> QSettings:
    """Window geometry, recent files and the last folder: an INI file in the config folder.

    One file on every platform, so `NORTHBEAM_DESKTOP_HOME` moves it with everything else.
    """
    return QSettings(str(app_dirs().config / UI_SETTINGS_FILE), QSettings.Format.IniFormat)


class _ShowWhenFilled(QObject):
    """Keeps a menu's title hidden until something adds an action to the menu."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if isinstance(watched, QMenu) and event.type() in (
            QEvent.Type.ActionAdded,
            QEvent.Type.ActionRemoved,
        ):
            # Both events arrive after the menu's action list has changed.
            watched.menuAction().setVisible(bool(watched.actions()))
        return False


class MainWindow(DocumentHost):
    """The app's window: the shell, and the `DocumentHost` the document layer plugs into.

    `file_open_requested(str)` is emitted with an existing, supported path whenever the user
    asks to open a file (File → Open…, Open Recent, drag and drop, the start page, the command
    line through `open_file`). The hooks the document layer uses (showing the table or the
    "Opening…" page, the status bar, the File and Upload actions, the Edit and Problems menus,
    the recent files, the connection preferences, close guards) are listed in `DocumentHost`.

    `session` is the `DocumentSession` that uses them for the app: it opens what
    `file_open_requested` names, shows the table, saves, journals edits for crash recovery and
    uploads. `journal`, `preset_store` and `sheet_chooser` are passed to it (tests);
    `documents=False` leaves it out (`session` is None), for tests of the shell alone.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
        preferences: Preferences | None = None,
        session_credentials: SessionCredentials | None = None,
        journal: RecoveryJournal | None = None,
        preset_store: PresetStore | None = None,
        sheet_chooser: SheetChooser | None = choose_sheet,
        documents: bool = True,
    ) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else ui_settings()
        self.recent_files = RecentFiles(self.settings)
        self.preferences = preferences if preferences is not None else load_preferences()
        self.session_credentials = (
            session_credentials if session_credentials is not None else SessionCredentials()
        )
        self._close_guards: list[Callable[[], bool]] = []
        self._guide: QWidget | None = None
        self._document_path: str | None = None

        self.setAcceptDrops(True)
        self.setAccessibleName(APP_NAME)
        self.setUnifiedTitleAndToolBarOnMac(True)

        self.start_page = StartPage()
        self.start_page.open_requested.connect(self._on_start_page_open_requested)
        self.start_page.recent_file_chosen.connect(self._on_start_page_recent_file_chosen)
        self.start_page.template_requested.connect(self._on_start_page_template_requested)

        self.stack = QStackedWidget()
        self.stack.setAccessibleName("Main area")
        self.stack.addWidget(self.start_page)
        self.setCentralWidget(self.stack)
        self._document_view: QWidget | None = None

        self._create_actions()
        self._create_menus()
        self._create_toolbar()
        self._create_status_bar()

        self._apply_preferences()
        self.refresh_recent_files()
        self._update_title()
        self.set_document_actions_enabled(False)
        self._restore_window_state()

        self.session: DocumentSession | None = None
        if documents:
            self.session = DocumentSession(
                self, journal=journal, preset_store=preset_store, sheet_chooser=sheet_chooser
            )

    # -- construction --------------------------------------------------------------------------

    def _icon(self, theme: QIcon.ThemeIcon, fallback: QStyle.StandardPixmap) -> QIcon:
        return QIcon.fromTheme(theme, self.style().standardIcon(fallback))

    def _create_actions(self) -> None:
        SP = QStyle.StandardPixmap
        TI = QIcon.ThemeIcon

        self.open_action = QAction(self._icon(TI.DocumentOpen, SP.SP_DialogOpenButton), "&Open…")
        self.open_action.setShortcut(QKeySequence("Ctrl+O"))
        self.open_action.setStatusTip("Open an order spreadsheet")
        self.open_action.triggered.connect(self._on_open_action_triggered)

        self.clear_recent_action = QAction("&Clear Menu")
        self.clear_recent_action.triggered.connect(self._on_clear_recent_action_triggered)

        self.save_action = QAction(self._icon(TI.DocumentSave, SP.SP_DialogSaveButton), "&Save")
        self.save_action.setShortcut(QKeySequence("Ctrl+S"))
        self.save_action.setStatusTip("Save your corrections to the file")

        self.save_as_action = QAction(
            self._icon(TI.DocumentSaveAs, SP.SP_DialogSaveButton), "Save &As…"
        )
        self.save_as_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.save_as_action.setStatusTip("Save your corrections to a new file")

        self.export_problems_action = QAction("&Export Problems…")
        self.export_problems_action.setStatusTip(
            "Save the rows that have problems, with an added Problems column, to fix in Excel"
        )

        self.close_document_action = QAction("&Close")
        self.close_document_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Close))
        self.close_document_action.setStatusTip("Close the file and go back to the start page")

        self.quit_action = QAction(self._icon(TI.ApplicationExit, SP.SP_DialogCloseButton), "&Quit")
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)

        self.upload_action = QAction(self._icon(TI.GoUp, SP.SP_ArrowUp), "&Upload…")
        self.upload_action.setShortcut(QKeySequence("Ctrl+U"))
        self.upload_action.setStatusTip("Upload the valid orders to Northbeam")

        # No standard pixmap looks like "settings"; without a theme icon the text stands alone.
        self.settings_action = QAction(
            QIcon.fromTheme(QIcon.ThemeIcon.DocumentProperties), "&Connection Settings…"
        )
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.setStatusTip("Choose Sandbox or Production and enter your API key")
        self.settings_action.triggered.connect(self._on_settings_action_triggered)

        self.template_action = QAction("Download &Template…")
        self.template_action.setStatusTip("Save an Excel template with Northbeam's order columns")
        self.template_action.triggered.connect(self._on_template_action_triggered)

        self.guide_action = QAction("&User Guide")
        self.guide_action.setShortcuts(
            QKeySequence.keyBindings(QKeySequence.StandardKey.HelpContents)
        )
        self.guide_action.setStatusTip("Read how to open, fix and upload your orders, step by step")
        self.guide_action.triggered.connect(self._on_guide_action_triggered)

        self.about_action = QAction(f"&About {APP_NAME}")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self._on_about_action_triggered)

        self.full_screen_action = QAction("&Full Screen")
        self.full_screen_action.setCheckable(True)
        self.full_screen_action.setShortcut(QKeySequence(QKeySequence.StandardKey.FullScreen))
        self.full_screen_action.toggled.connect(self._on_full_screen_action_toggled)

        for action in (
            self.open_action,
            self.save_action,
            self.save_as_action,
            self.export_problems_action,
            self.quit_action,
            self.upload_action,
            self.settings_action,
            self.template_action,
            self.guide_action,
            self.about_action,
            self.full_screen_action,
        ):
            self.addAction(action)  # shortcuts work even when the menu bar is hidden

    def _create_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.file_menu.addAction(self.open_action)
        self.recent_menu = self.file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.save_action)
        self.file_menu.addAction(self.save_as_action)
        self.file_menu.addAction(self.export_problems_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.close_document_action)
        self.file_menu.addAction(self.quit_action)

        self.edit_menu = bar.addMenu("&Edit")
        self._edit_menu_watcher = _ShowWhenFilled(self)
        self.edit_menu.installEventFilter(self._edit_menu_watcher)
        self.edit_menu.menuAction().setVisible(False)

        self.view_menu = bar.addMenu("&View")

        # Next/previous problem, the panes and the quick fixes of what is selected: filled by
        # the document session, hidden until then.
        self.problems_menu = bar.addMenu("&Problems")
        self._problems_menu_watcher = _ShowWhenFilled(self)
        self.problems_menu.installEventFilter(self._problems_menu_watcher)
        self.problems_menu.menuAction().setVisible(False)

        self.upload_menu = bar.addMenu("&Upload")
        self.upload_menu.addAction(self.upload_action)
        self.upload_menu.addSeparator()
        self.upload_menu.addAction(self.settings_action)

        self.help_menu = bar.addMenu("&Help")
        self.help_menu.addAction(self.guide_action)
        self.help_menu.addAction(self.template_action)
        self.help_menu.addSeparator()
        self.help_menu.addAction(self.about_action)

    def _create_toolbar(self) -> None:
        self.toolbar = QToolBar("Main toolbar")
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setAccessibleName("Main toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setIconSize(QSize(20, 20))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.addAction(self.open_action)
        self.toolbar.addAction(self.save_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.upload_action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.toolbar_badge = EnvironmentBadge()
        self.toolbar_badge.clicked.connect(self._on_environment_badge_clicked)
        self.toolbar.addWidget(self.toolbar_badge)
        self.toolbar.addAction(self.settings_action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

        toggle = self.toolbar.toggleViewAction()
        toggle.setText("&Toolbar")
        self.view_menu.addAction(toggle)
        self.view_menu.addAction(self.full_screen_action)

    def _create_status_bar(self) -> None:
        status = self.statusBar()
        status.setAccessibleName("Status bar")
        # Where uploads go is shown once: in the toolbar's badge, or down here while the
        # toolbar is hidden (View → Toolbar).
        self.status_badge = EnvironmentBadge()
        self.status_badge.clicked.connect(self._on_environment_badge_clicked)
        status.addPermanentWidget(self.status_badge)
        self.status_badge.setVisible(self.toolbar.isHidden())
        self.toolbar.visibilityChanged.connect(self._on_toolbar_visibility_changed)

    # -- public hooks --------------------------------------------------------------------------

    def open_file(self, path: str | Path) -> bool:
        """Ask the document layer to open `path` (see the class docstring).

        Returns False, with the reason in a message box and the status bar, when the file is
        missing or of a kind the app cannot read; nothing is emitted then.
        """
        p = Path(path).expanduser()
        if not is_supported_file(p):
            self._refuse(p, unsupported_file_message(p))
            return False
        if not p.exists():  # a folder, pipe or device goes on: the reader says what it is
            self.forget_recent_file(p)
            self._refuse(p, f"“{p.name}” can't be found at {p.parent}. It may have been moved.")
            return False
        resolved = str(p.resolve())
        self.recent_files.add(resolved)
        self.refresh_recent_files()
        self.settings.setValue("last_folder", str(p.resolve().parent))
        log.info("Open requested: %s", p.name)
        self.file_open_requested.emit(resolved)
        return True

    def forget_recent_file(self, path: str | Path) -> None:
        self.recent_files.remove(path)
        self.refresh_recent_files()

    def remember_recent_file(self, path: str | Path) -> None:
        self.recent_files.add(path)

    def add_page(self, widget: QWidget) -> None:
        self.stack.addWidget(widget)

    def show_page(self, widget: QWidget) -> None:
        self.stack.setCurrentWidget(widget)

    def add_status_widget(self, widget: QWidget) -> None:
        self.statusBar().insertPermanentWidget(0, widget)

    def set_document_view(self, widget: QWidget, path: str | Path | None = None) -> None:
        """Show `widget` (the table) instead of the start page; `path` names the window."""
        if self._document_view is not None and self._document_view is not widget:
            self.stack.removeWidget(self._document_view)
            self._document_view.deleteLater()
        self._document_view = widget
        if self.stack.indexOf(widget) < 0:
            self.stack.addWidget(widget)
        self.stack.setCurrentWidget(widget)
        self._document_path = str(path) if path is not None else None
        self.setWindowFilePath(self._document_path or "")
        self.setWindowModified(False)
        self.set_document_actions_enabled(True)
        self._update_title()

    def document_view(self) -> QWidget | None:
        return self._document_view

    def set_document_path(self, path: str | Path) -> None:
        """The document now lives in `path` (after Save As): retitle the window."""
        self._document_path = str(path)
        self.setWindowFilePath(self._document_path)
        self._update_title()

    def show_start_page(self) -> None:
        """Back to the start page; the document view (if any) is removed and deleted."""
        if self._document_view is not None:
            self.stack.removeWidget(self._document_view)
            self._document_view.deleteLater()
            self._document_view = None
        self._document_path = None
        self.stack.setCurrentWidget(self.start_page)
        self.setWindowFilePath("")
        self.setWindowModified(False)
        self.set_document_actions_enabled(False)
        self.refresh_recent_files()
        self._update_title()

    def add_close_guard(self, guard: Callable[[], bool]) -> None:
        self._close_guards.append(guard)

    def show_status(self, text: str, timeout_ms: int = STATUS_TIMEOUT_MS) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def open_connection_settings(self) -> bool:
        """Upload → Connection Settings…; True when the user saved new settings."""
        from northbeam_desktop.ui.dialogs.settings import SettingsDialog

        dialog = SettingsDialog(self.preferences, self.session_credentials, parent=self)
        try:
            if dialog.exec() != SettingsDialog.DialogCode.Accepted:
                return False
            self.set_preferences(dialog.preferences)
            self.show_status(f"Connection settings saved. Uploads go to {dialog.destination()}.")
            return True
        finally:
            dialog.deleteLater()

    def set_preferences(self, preferences: Preferences) -> None:
        """Use new connection preferences (already saved) and tell the document layer."""
        self.preferences = preferences
        self._apply_preferences()
        self.preferences_changed.emit(preferences)

    # -- internals -----------------------------------------------------------------------------

    def set_document_actions_enabled(self, enabled: bool) -> None:
        """Save, Save As, Export Problems and Upload (off on the start page and while loading)."""
        for action in (
            self.save_action,
            self.save_as_action,
            self.export_problems_action,
            self.upload_action,
            self.close_document_action,
        ):
            action.setEnabled(enabled)

    def _update_title(self) -> None:
        if self._document_path:
            self.setWindowTitle(f"{Path(self._document_path).name}[*] — {APP_NAME}")
        else:
            self.setWindowTitle(APP_NAME)

    def _apply_preferences(self) -> None:
        env = self.preferences.environment
        url = self.preferences.custom_url
        for badge in (self.toolbar_badge, self.status_badge):
            badge.set_environment(env, url)
        where = ""
        if env is Environment.CUSTOM:
            try:
                where = describe_endpoint(resolve_endpoint(env, url))
            except EndpointError:
                where = "(no URL set)"
        self.start_page.set_environment(env, where)

    def refresh_recent_files(self) -> None:
        """Show the recent files (after adding some to `recent_files` directly)."""
        self.start_page.set_recent_files(self.recent_files.paths())

    def _last_folder(self) -> str:
        folder = self.settings.value("last_folder")
        if isinstance(folder, str) and Path(folder).is_dir():
            return folder
        return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)

    def _restore_window_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(default_window_size(self.screen().availableGeometry().size()))
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        self.status_badge.setVisible(self.toolbar.isHidden())

    def _save_window_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()

    def _refuse(self, path: Path, message: str) -> None:
        """A file the user asked for cannot be opened: say why, in the status bar and a box."""
        self.show_status(message)
        QMessageBox.warning(self, f"Can't open “{path.name}”", message)

    def _dropped_paths(self, urls: Iterable[QUrl]) -> list[Path]:
        return [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]

    # -- Qt overrides --------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        for guard in list(self._close_guards):
            if not guard():
                event.ignore()
                return
        self._save_window_state()
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        paths = self._dropped_paths(event.mimeData().urls()) if event.mimeData().hasUrls() else []
        if not paths:
            event.ignore()
            return
        supported = [p for p in paths if is_supported_file(p)]
        if supported:
            self.show_status(f"Drop to open “{supported[0].name}”.", 0)
        else:
            self.show_status(unsupported_file_message(paths[0]), 0)
        self.start_page.set_drag_active(bool(supported))
        event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.start_page.set_drag_active(False)
        self.statusBar().clearMessage()
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        self.start_page.set_drag_active(False)
        paths = self._dropped_paths(event.mimeData().urls()) if event.mimeData().hasUrls() else []
        supported = [p for p in paths if is_supported_file(p)]
        if not supported:
            event.ignore()
            if paths:
                self._refuse(paths[0], unsupported_file_message(paths[0]))
            else:
                self.show_status("Nothing to open.")
            return
        event.acceptProposedAction()
        if self.open_file(supported[0]) and len(paths) > 1:
            self.show_status(
                f"Opened “{supported[0].name}”. Northbeam Desktop opens one file at a time."
            )

    # -- slots ---------------------------------------------------------------------------------

    def _on_open_action_triggered(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "Open order spreadsheet", self._last_folder(), OPEN_FILE_FILTER
        )
        if path:
            self.open_file(path)

    def _on_start_page_open_requested(self) -> None:
        self._on_open_action_triggered()

    def _on_start_page_recent_file_chosen(self, path: str) -> None:
        self.open_file(path)

    def _on_recent_menu_about_to_show(self) -> None:
        self.recent_menu.clear()
        paths = self.recent_files.paths()
        for number, path in enumerate(paths, start=1):
            label = Path(path).name.replace("&", "&&")
            prefix = f"&{number} " if number < 10 else "1&0 "
            action = self.recent_menu.addAction(f"{prefix}{label}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.setData(path)
            action.triggered.connect(self._on_recent_action_triggered)
        if not paths:
            empty = self.recent_menu.addAction("No recent files")
            empty.setEnabled(False)
        self.recent_menu.addSeparator()
        self.recent_menu.addAction(self.clear_recent_action)
        self.clear_recent_action.setEnabled(bool(paths))

    def _on_recent_action_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.open_file(str(action.data()))

    def _on_clear_recent_action_triggered(self) -> None:
        self.recent_files.clear()
        self.refresh_recent_files()

    def _on_settings_action_triggered(self) -> None:
        self.open_connection_settings()

    def _on_environment_badge_clicked(self) -> None:
        self._on_settings_action_triggered()

    def _on_template_action_triggered(self) -> None:
        suggested = str(Path(self._last_folder()) / TEMPLATE_FILE_NAME)
        path, _filter = QFileDialog.getSaveFileName(
            self, "Save the order template", suggested, "Excel workbook (*.xlsx)"
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != ".xlsx":
            # The dialog only confirmed replacing the name as typed; ask for the real one.
            target = target.with_name(target.name + ".xlsx")
            if target.exists():
                answer = QMessageBox.question(
                    self,
                    "Replace file?",
                    f"“{target.name}” already exists. Do you want to replace it?",
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                    QMessageBox.StandardButton.Cancel,
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return
        try:
            write_template(target)
        except OSError as exc:
            QMessageBox.warning(
                self,
                "Template not saved",
                f"The template could not be saved to “{target}”: {exc.strerror or exc}. "
                "Choose another folder and try again.",
            )
            return
        self.settings.setValue("last_folder", str(target.parent))
        self.show_status(f"Template saved to {target}. Fill it in, then open it here to check it.")

    def _on_start_page_template_requested(self) -> None:
        self._on_template_action_triggered()

    def _on_toolbar_visibility_changed(self, visible: bool) -> None:
        self.status_badge.setVisible(not visible)

    def _on_guide_action_triggered(self) -> None:
        from northbeam_desktop.ui.dialogs.guide import UserGuideDialog

        if self._guide is None:
            self._guide = UserGuideDialog(self)
        self._guide.show()
        self._guide.raise_()
        self._guide.activateWindow()

    def _on_about_action_triggered(self) -> None:
        from northbeam_desktop.ui.dialogs.about import AboutDialog

        AboutDialog(self).exec()

    def _on_full_screen_action_toggled(self, checked: bool) -> None:
        if checked:
            self.showFullScreen()
        else:
            self.showNormal()
