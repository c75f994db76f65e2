"""The main window as a user meets it: start page, opening files, recent files, drag and drop,
where uploads go, the title, closing, and Help → Download template.

These test the shell alone (`documents=False`: no file is actually loaded); the whole app, with
documents, is driven in test_flows.py."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QMimeData, QPointF, QSize, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from northbeam_desktop.core.files.template import ORDERS_SHEET, template_columns
from northbeam_desktop.core.local.appdirs import app_dirs
from northbeam_desktop.core.local.settings import Preferences
from northbeam_desktop.core.northbeam.environments import Environment
from northbeam_desktop.ui.dialogs.about import AboutDialog
from northbeam_desktop.ui.main_window import MainWindow, default_window_size
from northbeam_desktop.ui.recent_files import MAX_RECENT_FILES


@pytest.fixture
def warnings_shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Message boxes the window showed (texts); nothing waits for a click."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))
    return shown


@pytest.fixture
def window(qtbot: QtBot, warnings_shown: list[str]) -> MainWindow:
    win = MainWindow(preferences=Preferences(), documents=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def make_file(folder: Path, name: str, text: str = "order_id,tax\n1001,0\n") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def recent_menu_entries(window: MainWindow) -> list[str]:
    window.recent_menu.aboutToShow.emit()
    return [str(a.data()) for a in window.recent_menu.actions() if a.data()]


def drop(window: MainWindow, *paths: Path) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    return event


def test_window_starts_on_the_start_page(window: MainWindow) -> None:
    assert window.stack.currentWidget() is window.start_page
    assert window.windowTitle() == "Northbeam Desktop"
    assert window.start_page.title_label.text() == "Drop your order spreadsheet here"
    assert not window.save_action.isEnabled()
    assert not window.upload_action.isEnabled()
    assert window.open_action.shortcut().toString() == "Ctrl+O"
    assert window.settings_action.shortcut().toString() == "Ctrl+,"
    assert window.upload_action.shortcut().toString() == "Ctrl+U"
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "&Problems", "&Upload", "&Help"]
    # Nothing fake in Edit: it stays hidden until the table adds Undo/Redo.
    assert window.edit_menu.actions() == []
    assert not window.edit_menu.menuAction().isVisible()
    assert not window.problems_menu.menuAction().isVisible()
    # Help leads to the user guide (F1 on most platforms).
    assert window.help_menu.actions()[0] is window.guide_action
    assert "Sandbox" in window.start_page.environment_label.text()


def test_edit_menu_appears_when_the_document_layer_adds_actions(window: MainWindow) -> None:
    undo = QAction("&Undo", window)
    redo = QAction("&Redo", window)
    window.edit_menu.addAction(undo)
    assert window.edit_menu.menuAction().isVisible()
    window.edit_menu.addAction(redo)
    window.edit_menu.removeAction(undo)
    assert window.edit_menu.menuAction().isVisible()
    window.edit_menu.removeAction(redo)
    assert not window.edit_menu.menuAction().isVisible()


def test_open_file_emits_the_path_and_remembers_it(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    path = make_file(tmp_path, "march orders.csv")
    with qtbot.waitSignal(window.file_open_requested) as blocker:
        assert window.open_file(path)
    assert blocker.args == [str(path.resolve())]
    assert window.start_page.recent_paths() == [str(path.resolve())]
    assert recent_menu_entries(window) == [str(path.resolve())]


def test_open_action_asks_with_the_file_dialog(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_file(tmp_path, "orders.xlsx")
    asked: list[str] = []

    def fake_dialog(parent, caption, folder, filters):
        asked.append(filters)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake_dialog)
    with qtbot.waitSignal(window.file_open_requested) as blocker:
        window.open_action.trigger()
    assert blocker.args == [str(path.resolve())]
    assert "*.xlsx" in asked[0] and "*.csv" in asked[0]


def test_start_page_button_and_recent_entry_open_files(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_file(tmp_path, "a.csv")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(first), ""))
    with qtbot.waitSignal(window.file_open_requested):
        qtbot.mouseClick(window.start_page.open_button, Qt.MouseButton.LeftButton)
    button = window.start_page.recent_buttons[0]
    assert button.text() == "a.csv"
    with qtbot.waitSignal(window.file_open_requested) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert blocker.args == [str(first.resolve())]


def test_recent_files_are_newest_first_capped_and_pruned(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    paths = [make_file(tmp_path, f"orders-{n:02d}.csv") for n in range(MAX_RECENT_FILES + 2)]
    for path in paths:
        window.open_file(path)
    entries = recent_menu_entries(window)
    assert len(entries) == MAX_RECENT_FILES
    assert entries[0] == str(paths[-1].resolve())
    assert str(paths[0].resolve()) not in entries

    paths[-1].unlink()  # moved away since it was opened
    entries = recent_menu_entries(window)
    assert str(paths[-1].resolve()) not in entries
    assert entries[0] == str(paths[-2].resolve())
    labels = [a.text() for a in window.recent_menu.actions() if a.data()]
    assert labels[0] == "&1 orders-10.csv"

    window.clear_recent_action.trigger()
    assert recent_menu_entries(window) == []
    assert window.start_page.recent_paths() == []
    assert window.start_page.recent_empty_label.isVisibleTo(window.start_page)


def test_recent_files_survive_a_restart(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    path = make_file(tmp_path, "kept.csv")
    window.open_file(path)
    window.close()
    again = MainWindow(preferences=Preferences(), documents=False)
    qtbot.addWidget(again)
    assert again.start_page.recent_paths() == [str(path.resolve())]


def test_opening_a_missing_recent_file_explains_and_forgets_it(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, warnings_shown: list[str]
) -> None:
    path = make_file(tmp_path, "gone.csv")
    window.open_file(path)
    path.unlink()
    with qtbot.assertNotEmitted(window.file_open_requested):
        assert not window.open_file(path)
    assert "can't be found" in window.statusBar().currentMessage()
    assert warnings_shown == [window.statusBar().currentMessage()]
    assert window.start_page.recent_paths() == []


def test_dropping_a_csv_opens_it(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    path = make_file(tmp_path, "dropped.csv")
    with qtbot.waitSignal(window.file_open_requested) as blocker:
        event = drop(window, path)
    assert event.isAccepted()
    assert blocker.args == [str(path.resolve())]


def test_dropping_an_exe_is_refused_with_a_message(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, warnings_shown: list[str]
) -> None:
    path = make_file(tmp_path, "setup.exe", "MZ")
    with qtbot.assertNotEmitted(window.file_open_requested):
        event = drop(window, path)
    assert not event.isAccepted()
    message = window.statusBar().currentMessage()
    assert "setup.exe" in message and "can't be opened" in message and ".xlsx" in message
    assert warnings_shown == [message]
    assert window.start_page.recent_paths() == []


def test_dragging_over_the_window_says_what_will_happen(window: MainWindow, tmp_path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(make_file(tmp_path, "orders.tsv")))])
    event = QDragEnterEvent(
        window.rect().center(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dragEnterEvent(event)
    assert event.isAccepted()
    assert window.start_page.drop_zone.is_active()
    assert "orders.tsv" in window.statusBar().currentMessage()


def test_dropping_several_files_opens_the_first_supported_one(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    exe = make_file(tmp_path, "tool.exe", "MZ")
    csv = make_file(tmp_path, "b.csv")
    xlsx = make_file(tmp_path, "c.xlsx")
    with qtbot.waitSignal(window.file_open_requested) as blocker:
        drop(window, exe, csv, xlsx)
    assert blocker.args == [str(csv.resolve())]
    assert "one file at a time" in window.statusBar().currentMessage()


@pytest.mark.parametrize(
    ("env", "url", "expected"),
    [
        (Environment.SANDBOX, "", "Sandbox — test only"),
        (Environment.PRODUCTION, "", "PRODUCTION — live data"),
        (Environment.CUSTOM, "http://127.0.0.1:8765/v2", "Custom — 127.0.0.1:8765"),
        (Environment.CUSTOM, "", "Custom — no URL set"),
    ],
)
def test_environment_badge_shows_where_uploads_go(
    window: MainWindow, qtbot: QtBot, env: Environment, url: str, expected: str
) -> None:
    with qtbot.waitSignal(window.preferences_changed):
        window.set_preferences(Preferences(environment=env, custom_url=url))
    for badge in (window.toolbar_badge, window.status_badge):
        assert badge.text() == expected
        assert expected in badge.accessibleName()
    # One badge in sight: the toolbar's, or the status bar's while the toolbar is hidden.
    assert window.toolbar_badge.isVisibleTo(window)
    assert not window.status_badge.isVisibleTo(window)
    window.toolbar.toggleViewAction().trigger()
    assert window.status_badge.isVisibleTo(window)
    assert not window.toolbar_badge.isVisibleTo(window)


def test_production_badge_looks_different_from_sandbox(window: MainWindow) -> None:
    sandbox_style = window.status_badge.styleSheet()
    window.set_preferences(Preferences(environment=Environment.PRODUCTION))
    production_style = window.status_badge.styleSheet()
    assert production_style != sandbox_style
    assert "#c2410c" in production_style and "bold" in production_style
    assert "Production" in window.start_page.environment_label.text()


def test_document_view_hook_sets_title_and_actions(window: MainWindow, tmp_path: Path) -> None:
    table = QLabel("the table")
    window.set_document_view(table, tmp_path / "march.xlsx")
    assert window.stack.currentWidget() is table
    assert window.windowTitle() == "march.xlsx[*] — Northbeam Desktop"
    assert window.save_action.isEnabled() and window.upload_action.isEnabled()
    window.setWindowModified(True)
    assert window.isWindowModified()

    window.show_start_page()
    assert window.stack.currentWidget() is window.start_page
    assert window.windowTitle() == "Northbeam Desktop"
    assert not window.isWindowModified()
    assert not window.save_action.isEnabled()


def test_close_guard_can_keep_the_window_open(window: MainWindow) -> None:
    answers = [False, True]
    window.add_close_guard(lambda: answers.pop(0))
    assert not window.close()
    assert window.isVisible()
    assert window.close()


def test_window_geometry_is_restored(window: MainWindow, qtbot: QtBot) -> None:
    window.resize(720, 520)
    window.close()
    again = MainWindow(preferences=Preferences(), documents=False)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (720, 520)


def test_first_start_opens_at_a_comfortable_size(window: MainWindow) -> None:
    available = window.screen().availableGeometry().size()
    assert window.size() == default_window_size(available)
    assert default_window_size(QSize(2560, 1440)) == QSize(1200, 800)
    assert default_window_size(QSize(1366, 768)) == QSize(1200, 691)


def test_download_template_saves_the_workbook(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = tmp_path / "my template"  # typed without .xlsx
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(chosen), ""))
    window.template_action.trigger()
    written = tmp_path / "my template.xlsx"
    workbook = openpyxl.load_workbook(written)
    header = [cell.value for cell in workbook[ORDERS_SHEET][1]]
    assert header == template_columns()
    assert "Template saved" in window.statusBar().currentMessage()


def test_download_template_asks_before_replacing_a_file_the_dialog_did_not_see(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = tmp_path / "orders.xlsx"
    existing.write_bytes(b"keep me")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(tmp_path / "orders"), ""))
    questions: list[str] = []

    def refuse(parent, title, text, *args):
        questions.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", refuse)
    window.template_action.trigger()
    assert questions and "orders.xlsx" in questions[0]
    assert existing.read_bytes() == b"keep me"


def test_template_that_cannot_be_written_is_explained(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "no such folder" / "t.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text)
    )
    window.template_action.trigger()
    assert warnings and "could not be saved" in warnings[0]


def test_about_dialog_names_versions(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.versions_label.text()
    assert "Northbeam Desktop 0." in text
    assert "Qt 6." in text and "PySide6 6." in text
    # Where everything lives, as README's "For users" promises (the tests' home folder here).
    dirs = app_dirs(create=False)
    for line in (
        f"Settings: {dirs.config}",
        f"Upload history and recovery files: {dirs.data}",
        f"Logs: {dirs.log}",
    ):
        assert line in text.splitlines()
    assert "Password store: " in text


def test_controls_have_accessible_names(window: MainWindow) -> None:
    page = window.start_page
    for widget in (
        page.open_button,
        page.template_button,
        page.drop_zone,
        window.toolbar_badge,
        window.status_badge,
        window.toolbar,
    ):
        assert widget.accessibleName(), widget


def test_menu_mnemonics_are_unique(window: MainWindow, tmp_path: Path) -> None:
    window.open_file(make_file(tmp_path, "a.csv"))
    window.recent_menu.aboutToShow.emit()
    menus = [window.menuBar(), *(a.menu() for a in window.menuBar().actions() if a.menu())]
    menus.append(window.recent_menu)
    for menu in menus:
        texts = [a.text() for a in menu.actions() if a.text()]
        letters = [t[t.index("&") + 1].lower() for t in texts if "&" in t]
        assert len(letters) == len(set(letters)), texts
        assert len(letters) == len(texts), texts  # every entry has one
