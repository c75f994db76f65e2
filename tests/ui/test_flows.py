"""The whole app driven like a user would, through the main window: open a file with defects,
see the right cells marked, fix, undo, redo, edit, save and reopen; drag and drop; upload to a
real local Northbeam (the stand-in) with statuses and a server rejection painted on its cell;
no keyring; the Production confirmation; recovery after a crash; closing with unsaved edits.

Modal calls (QMessageBox / QFileDialog statics, `choice.ask_choice`, `RecoveryDialog.ask`,
`SettingsDialog.exec`) are replaced by `Dialogs`, which answers from queues and records every
question, so nothing waits on a timer and an unexpected question never blocks a test.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from devtools.standin import StandinServer
from northbeam_desktop.core.local.recovery import RecoveryInfo, RecoveryJournal
from northbeam_desktop.core.local.secrets import (
    KEYRING_UNAVAILABLE_MESSAGE,
    Credentials,
    save_credentials,
)
from northbeam_desktop.core.local.settings import Preferences
from northbeam_desktop.core.northbeam.environments import Environment
from northbeam_desktop.ui.dialogs.settings import SettingsDialog
from northbeam_desktop.ui.dialogs.upload.dialog import STOP_QUESTION, UploadDialog
from northbeam_desktop.ui.document import choice as choice_module
from northbeam_desktop.ui.document.model import OrdersTableModel
from northbeam_desktop.ui.document.proxy import FilterMode
from northbeam_desktop.ui.document.session import DocumentSession, RecoveryDialog
from northbeam_desktop.ui.document.view import BACKGROUND_RECHECK_ROWS, DocumentView
from northbeam_desktop.ui.icons import StatusKind
from northbeam_desktop.ui.main_window import MainWindow
from tests.core import filemakers, orderfiles
from tests.ui.fixtures_document import big_orders_csv

API_KEY = "nbk_test_5d1e0c6a9f2b4e7d8c3a1b0f9e8d7c6b"
CLIENT_ID = "9a8b7c6d-1e2f-4a5b-8c9d-0e1f2a3b4c5d"
WAIT_MS = 20_000

# Columns of the template files (col_index) and the planted defects of template_defects
# (row_index = Excel row - 2).
CUSTOMER_ID, CURRENCY, TOTAL, TAX, QUANTITY, PRICE, COUNTRY = 1, 4, 5, 6, 14, 15, 17
ISSUES = OrdersTableModel.IssuesRole


class Dialogs:
    """Answers for every modal question the app can ask, and a record of what was asked."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.asked: list[tuple[str, str, str]] = []  # (kind, title, text)
        self.answers: dict[str, list[Any]] = defaultdict(list)
        self.recovery_offers: list[list[RecoveryInfo]] = []
        self.settings_fill: Callable[[SettingsDialog], None] | None = None
        mp = monkeypatch
        mp.setattr(QMessageBox, "question", self._question)
        for kind in ("warning", "information", "critical"):
            mp.setattr(QMessageBox, kind, self._noter(kind))
        mp.setattr(QFileDialog, "getSaveFileName", self._file("save"))
        mp.setattr(QFileDialog, "getOpenFileName", self._file("open"))
        mp.setattr(choice_module, "ask_choice", self._choice)
        mp.setattr(RecoveryDialog, "ask", self._recovery)
        mp.setattr(SettingsDialog, "exec", lambda dialog: self._settings(dialog))

    def texts(self, kind: str) -> list[str]:
        return [text for k, _title, text in self.asked if k == kind]

    def _question(self, parent: Any, title: str, text: str, *args: Any) -> Any:
        self.asked.append(("question", title, text))
        queue = self.answers["question"]
        return queue.pop(0) if queue else QMessageBox.StandardButton.Discard

    def _noter(self, kind: str) -> Callable[..., Any]:
        def note(parent: Any, title: str, text: str, *args: Any) -> Any:
            self.asked.append((kind, title, text))
            return QMessageBox.StandardButton.Ok

        return note

    def _file(self, kind: str) -> Callable[..., tuple[str, str]]:
        def ask(parent: Any, caption: str = "", folder: str = "", filters: str = "", *a: Any):
            self.asked.append((kind, caption, folder))
            queue = self.answers[kind]
            return (str(queue.pop(0)), "") if queue else ("", "")

        return ask

    def _choice(self, parent: Any, title: str, text: str, choices: Any, **kwargs: Any) -> str:
        labels = " | ".join(label.replace("&", "") for _key, label in choices)
        self.asked.append(("choice", title, labels))
        queue = self.answers["choice"]
        return queue.pop(0) if queue else kwargs["escape"]

    def _recovery(self, parent: Any, infos: list[RecoveryInfo]) -> tuple[str, RecoveryInfo]:
        self.recovery_offers.append(list(infos))
        queue = self.answers["recovery"]
        return (queue.pop(0) if queue else RecoveryDialog.LATER), infos[0]

    def _settings(self, dialog: SettingsDialog) -> int:
        self.asked.append(("settings", dialog.windowTitle(), ""))
        if self.settings_fill is None:
            return SettingsDialog.DialogCode.Rejected
        self.settings_fill(dialog)
        return dialog.result()


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    return Dialogs(monkeypatch)


@pytest.fixture
def make_window(qtbot: QtBot, dialogs: Dialogs) -> Callable[..., MainWindow]:
    def make(preferences: Preferences | None = None) -> MainWindow:
        window = MainWindow(preferences=preferences or Preferences(timezone="UTC"))
        qtbot.addWidget(window)
        window.resize(1400, 850)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


@pytest.fixture
def standin() -> Iterator[StandinServer]:
    with StandinServer(api_key=API_KEY, client_id=CLIENT_ID, budget_bytes=None) as server:
        yield server


@pytest.fixture
def standin_prefs(standin: StandinServer) -> Preferences:
    """Uploads go to the stand-in (Custom URL)."""
    return Preferences(environment=Environment.CUSTOM, custom_url=standin.base_url, timezone="UTC")


def session_of(window: MainWindow) -> DocumentSession:
    assert window.session is not None
    return window.session


def open_and_wait(qtbot: QtBot, window: MainWindow, path: Path) -> DocumentView:
    with qtbot.waitSignal(session_of(window).document_opened, timeout=WAIT_MS) as blocker:
        assert window.open_file(path)
    view = blocker.args[0]
    assert isinstance(view, DocumentView)
    return view


def cell(view: DocumentView, row: int, col_index: int, role: int = ISSUES) -> Any:
    return view.model.data(view.model.index(row, col_index + 1), role)


def codes(view: DocumentView, row: int, col_index: int) -> list[str]:
    return [issue.code for issue in cell(view, row, col_index)]


def value(view: DocumentView, row: int, col_index: int) -> Any:
    return view.document.sheet.rows[row][col_index]


def journal_files(app_home: Path) -> list[Path]:
    return sorted((app_home / "data" / "recovery").glob("*.journal"))


def select_rows(view: DocumentView, rows: list[int]) -> None:
    selection = QItemSelection()
    for row in rows:
        proxy_row = view.proxy.proxy_row(row)
        selection.select(view.proxy.index(proxy_row, 0), view.proxy.index(proxy_row, 3))
    view.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)


def type_into_cell(qtbot: QtBot, view: DocumentView, row: int, col_index: int, text: str) -> None:
    """Open the cell's editor as a double-click would, type, and press Enter."""
    index = view.proxy.index(view.proxy.proxy_row(row), col_index + 1)
    view.table.setCurrentIndex(index)
    view.table.edit(index)
    editors = [w for w in view.table.viewport().findChildren(QLineEdit) if w.isVisible()]
    assert len(editors) == 1, editors
    editor = editors[0]
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits on the next turn of the event loop.
    qtbot.waitUntil(lambda: view.table.state() != view.table.State.EditingState, timeout=WAIT_MS)


def drop_file(window: MainWindow, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(200, 200),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)


def upload_dialog(qtbot: QtBot, window: MainWindow) -> UploadDialog:
    with qtbot.waitSignal(session_of(window).upload_started, timeout=WAIT_MS) as blocker:
        window.upload_action.trigger()
    dialog = blocker.args[0]
    qtbot.waitUntil(lambda: dialog.stage in ("confirm", "problem"), timeout=WAIT_MS)
    return dialog


def upload_and_wait(qtbot: QtBot, dialog: UploadDialog) -> Any:
    assert dialog.confirm_page.upload_button.isEnabled()
    with qtbot.waitSignal(dialog.upload_finished, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.confirm_page.upload_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def close_dialog(qtbot: QtBot, window: MainWindow, dialog: UploadDialog) -> None:
    dialog.reject()
    qtbot.waitUntil(lambda: session_of(window).upload_dialog is None, timeout=WAIT_MS)


# ---- open → marked cells → quick fix → undo → redo → edit → save as → reopen ------------------


def test_open_fix_undo_redo_edit_save_as_and_reopen(
    qtbot: QtBot, make_window, dialogs: Dialogs, tmp_path: Path, app_home: Path
) -> None:
    window = make_window()
    original = orderfiles.template_defects(tmp_path)
    original_bytes = original.read_bytes()
    view = open_and_wait(qtbot, window, original)
    session = session_of(window)

    # Every planted defect is marked on its exact cell, and clean cells carry nothing.
    assert window.windowTitle() == "template_defects.csv[*] — Northbeam Desktop"
    assert not window.isWindowModified()
    assert window.stack.currentWidget() is view
    assert codes(view, 1, CURRENCY) == ["order_value_conflict"]
    assert codes(view, 2, TAX) == ["required"]
    assert codes(view, 3, TOTAL) == ["not_a_number"]
    assert codes(view, 3, COUNTRY) == ["value_converted"]
    assert codes(view, 4, QUANTITY) == ["negative_number"]
    assert codes(view, 5, CUSTOMER_ID) == ["customer_id_is_order_id"]
    assert codes(view, 6, CURRENCY) == ["ambiguous_currency"]
    assert codes(view, 0, CURRENCY) == [] and codes(view, 6, TAX) == []
    assert cell(view, 6, CURRENCY, Qt.ItemDataRole.BackgroundRole) is not None
    assert cell(view, 6, CURRENCY, Qt.ItemDataRole.DecorationRole) is not None
    assert "could be US dollars" in cell(view, 6, CURRENCY, Qt.ItemDataRole.ToolTipRole)
    assert view.model.data(view.model.index(6, 0), OrdersTableModel.StatusRole) is (
        StatusKind.ERROR
    )
    assert "6 orders" in window.statusBar().currentMessage()

    # The Edit, View and Problems menus carry the table's actions, each with a unique mnemonic.
    for menu in (window.edit_menu, window.view_menu, window.problems_menu):
        texts = [a.text() for a in menu.actions() if a.text()]
        letters = [t[t.index("&") + 1].lower() for t in texts if "&" in t]
        assert len(letters) == len(texts) == len(set(letters)), texts
    assert window.edit_menu.menuAction().isVisible()
    assert window.problems_menu.menuAction().isVisible()
    assert view.named_actions["undo"] in window.edit_menu.actions()
    assert view.named_actions["next_problem"] in window.problems_menu.actions()
    assert view.named_actions["previous_problem"] in window.problems_menu.actions()
    assert view.named_actions["undo"].shortcutContext() == Qt.ShortcutContext.WindowShortcut

    # Quick fix from the problems panel: one click, one undo step, journaled at once.
    panel = view.issues_panel
    assert panel.select_group("ambiguous_currency", CURRENCY) is not None
    assert panel.fix_button.text() == "Use USD"
    qtbot.mouseClick(panel.fix_button, Qt.MouseButton.LeftButton)
    assert value(view, 6, CURRENCY) == "USD"
    assert codes(view, 6, CURRENCY) == []
    assert window.isWindowModified()
    assert session.journal.active and len(journal_files(app_home)) == 1

    # Undo from the Edit menu: back to the file as it is on disk, so nothing to recover.
    window.edit_menu.actions()[0].trigger()
    assert value(view, 6, CURRENCY) == "$"
    assert codes(view, 6, CURRENCY) == ["ambiguous_currency"]
    assert not window.isWindowModified()
    assert not session.journal.active and journal_files(app_home) == []

    view.named_actions["redo"].trigger()
    assert value(view, 6, CURRENCY) == "USD"
    assert window.isWindowModified()

    # Type into a cell: only that order is re-checked, and its mark goes away.
    type_into_cell(qtbot, view, 2, TAX, "0")
    assert value(view, 2, TAX) == "0"
    assert codes(view, 2, TAX) == []
    assert view.undo_stack.count() == 2

    # Save As: the original stays untouched; the window now names the new file.
    target = tmp_path / "fixed.csv"
    dialogs.answers["save"].append(target)
    with qtbot.waitSignal(session.saved, timeout=WAIT_MS):
        window.save_as_action.trigger()
        assert view.read_only  # nothing can change while the file is written
        assert not view.model.setData(view.model.index(0, TAX + 1), "1")
    assert not view.read_only
    assert original.read_bytes() == original_bytes
    assert window.windowTitle() == "fixed.csv[*] — Northbeam Desktop"
    assert not window.isWindowModified()
    assert journal_files(app_home) == []
    assert session.save_path == str(target)
    assert "Saved" in window.statusBar().currentMessage()

    # A second Save writes to the same file without asking again.
    type_into_cell(qtbot, view, 4, QUANTITY, "1")
    with qtbot.waitSignal(session.saved, timeout=WAIT_MS):
        window.save_action.trigger()
    assert [k for k, _t, _x in dialogs.asked].count("save") == 1
    assert not [k for k, _t, _x in dialogs.asked if k == "choice"]

    # Reopening the saved file shows the fixes.
    reopened = open_and_wait(qtbot, window, target)
    assert reopened is not view
    assert value(reopened, 6, CURRENCY) == "USD" and codes(reopened, 6, CURRENCY) == []
    assert value(reopened, 2, TAX) == "0" and codes(reopened, 2, TAX) == []
    assert value(reopened, 4, QUANTITY) == "1" and codes(reopened, 4, QUANTITY) == []
    assert codes(reopened, 3, TOTAL) == ["not_a_number"]  # not fixed, still marked
    assert dialogs.texts("warning") == []


def test_f8_and_undo_work_from_anywhere_in_the_window(
    qtbot: QtBot, make_window, tmp_path: Path
) -> None:
    window = make_window()
    view = open_and_wait(qtbot, window, orderfiles.template_defects(tmp_path))
    window.activateWindow()
    qtbot.waitActive(window)
    tree = view.issues_panel.tree
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_F8)  # focus is in the problems list, not the table
    assert view.current_cell() == (1, CURRENCY)
    qtbot.keyClick(view.table, Qt.Key.Key_F8)
    assert view.current_cell() == (2, TAX)
    qtbot.keyClick(view.table, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert view.current_cell() == (1, CURRENCY)

    # No key is bound twice anywhere in the window (Qt ignores an ambiguous key).
    keys = [
        sequence.toString()
        for action in {*window.actions(), *view.named_actions.values()}
        for sequence in action.shortcuts()
    ]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)

    view.issues_panel.apply_quick_fix(view.issues_panel.select_group("ambiguous_currency", 4))
    assert value(view, 6, CURRENCY) == "USD"
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert value(view, 6, CURRENCY) == "$"
    qtbot.keyClick(
        tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert value(view, 6, CURRENCY) == "USD"


def test_first_save_asks_before_replacing_the_original(
    qtbot: QtBot, make_window, dialogs: Dialogs, tmp_path: Path
) -> None:
    window = make_window()
    original = orderfiles.template_defects(tmp_path)
    before = original.read_bytes()
    view = open_and_wait(qtbot, window, original)
    session = session_of(window)
    view.issues_panel.apply_quick_fix(view.issues_panel.select_group("ambiguous_currency", 4))

    dialogs.answers["choice"].append("cancel")
    window.save_action.trigger()
    assert dialogs.asked[-1][1] == "Replace the original file?"
    assert "Replace Original" in dialogs.asked[-1][2] and "Save As" in dialogs.asked[-1][2]
    assert original.read_bytes() == before
    assert window.isWindowModified()

    dialogs.answers["choice"].append("replace")
    with qtbot.waitSignal(session.saved, timeout=WAIT_MS) as saved:
        window.save_action.trigger()
    assert saved.args == [str(original)]
    assert original.read_bytes() != before
    assert "USD" in original.read_text(encoding="utf-8").splitlines()[7]
    assert not window.isWindowModified()


def test_save_asks_before_replacing_a_file_another_program_changed(
    qtbot: QtBot, make_window, dialogs: Dialogs, tmp_path: Path
) -> None:
    window = make_window()
    path = orderfiles.template_defects(tmp_path)
    view = open_and_wait(qtbot, window, path)
    type_into_cell(qtbot, view, 2, TAX, "0")
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # Excel saved it
    changed = path.read_bytes()

    dialogs.answers["choice"].append("replace")
    dialogs.answers["question"].append(QMessageBox.StandardButton.Cancel)
    window.save_action.trigger()
    assert dialogs.asked[-1][1] == "File changed on disk"
    assert path.read_bytes() == changed
    assert window.isWindowModified()

    dialogs.answers["choice"].append("replace")
    dialogs.answers["question"].append(QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(session_of(window).saved, timeout=WAIT_MS):
        window.save_action.trigger()
    assert path.read_bytes() != changed
    assert not window.isWindowModified()


def test_ask_choice_answers_with_the_key_of_the_button_clicked(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def click(label: str) -> Callable[[QMessageBox], int]:
        def exec_(box: QMessageBox) -> int:
            assert box.defaultButton().text() == "Save &As…"
            assert box.escapeButton().text() == "Cancel"
            next(b for b in box.buttons() if b.text() == label).click()
            return 0

        return exec_

    choices = [("replace", "&Replace Original"), ("save_as", "Save &As…"), ("cancel", "Cancel")]
    for label, key in (("&Replace Original", "replace"), ("Cancel", "cancel")):
        monkeypatch.setattr(QMessageBox, "exec", click(label))
        answer = choice_module.ask_choice(
            None, "Replace?", "Replace it?", choices, default="save_as", escape="cancel"
        )
        assert answer == key


def test_save_of_an_ods_file_goes_to_save_as_with_an_xlsx_name(
    qtbot: QtBot, make_window, dialogs: Dialogs, tmp_path: Path
) -> None:
    header = orderfiles.TEMPLATE_HEADER
    path = filemakers.write_ods(
        tmp_path / "orders.ods", {"Orders": [header, *orderfiles.TEMPLATE_CLEAN]}
    )
    window = make_window()
    view = open_and_wait(qtbot, window, path)
    type_into_cell(qtbot, view, 0, TAX, "9")

    window.save_action.trigger()  # no answer queued: the user cancels the file dialog
    kind, caption, suggested = dialogs.asked[-1]
    assert (kind, caption) == ("save", "Save As")
    assert suggested.endswith("orders (corrected).xlsx")
    assert not [k for k, _t, _x in dialogs.asked if k == "choice"]
    assert window.isWindowModified()


def test_saving_a_workbook_as_csv_says_first_what_it_cannot_keep(
    qtbot: QtBot, make_window, dialogs: Dialogs, tmp_path: Path
) -> None:
    path = filemakers.write_xlsx(
        tmp_path / "orders.xlsx",
        {"Orders": [orderfiles.TEMPLATE_HEADER, *orderfiles.TEMPLATE_CLEAN], "Notes": [["x"]]},
    )
    (tmp_path / ".~orders.k2j4x9_a.tmp.xlsx").write_bytes(b"left by a killed save")
    window = make_window()
    session_of(window).loader.sheet_chooser = lambda _parent, _sheets, first: first
    view = open_and_wait(qtbot, window, path)
    qtbot.waitUntil(lambda: sorted(p.name for p in tmp_path.iterdir()) == ["orders.xlsx"])
    type_into_cell(qtbot, view, 0, TAX, "9")
    target = tmp_path / "orders.csv"

    dialogs.answers["save"].append(target)  # the notice is answered Cancel: nothing written
    window.save_as_action.trigger()
    assert dialogs.asked[-1] == (
        "question",
        "Save",
        "A CSV file holds only the values of the sheet “Orders”: the other sheets, the "
        "formulas and the formatting of “orders.xlsx” are not saved in it.",
    )
    assert not target.exists() and window.isWindowModified()

    dialogs.answers["save"].append(target)
    dialogs.answers["question"].append(QMessageBox.StandardButton.Save)
    with qtbot.waitSignal(session_of(window).saved, timeout=WAIT_MS):
        window.save_as_action.trigger()
    assert target.is_file()
    type_into_cell(qtbot, view, 0, TAX, "8")
    asked = len(dialogs.asked)
    with qtbot.waitSignal(session_of(window).saved, timeout=WAIT_MS):
        window.save_action.trigger()  # the same file again: not asked twice
    assert len(dialogs.asked) == asked


def test_a_file_that_cannot_be_read_is_explained_in_a_dialog(
    qtbot: QtBot, make_window, dialogs: Dialogs, tmp_path: Path
) -> None:
    window = make_window()
    bogus = tmp_path / "orders.xlsx"
    bogus.write_bytes(b"PK\x03\x04 this is half of a workbook")
    with qtbot.waitSignal(session_of(window).load_failed, timeout=WAIT_MS) as failed:
        window.open_file(bogus)
    (kind, title, text) = dialogs.asked[-1]
    assert kind == "warning" and title == "Can't open “orders.xlsx”"
    assert text == failed.args[0]
    assert "Traceback" not in text and len(text) > 20
    assert window.stack.currentWidget() is window.start_page
    assert window.start_page.recent_paths() == []
    assert not window.save_action.isEnabled()


def test_export_problems_writes_the_rows_with_problems(
    qtbot: QtBot, make_window, dialogs: Dialogs, tmp_path: Path
) -> None:
    window = make_window()
    open_and_wait(qtbot, window, orderfiles.template_defects(tmp_path))
    target = tmp_path / "to fix"
    dialogs.answers["save"].append(target)
    with qtbot.waitSignal(session_of(window).exported, timeout=WAIT_MS) as exported:
        window.export_problems_action.trigger()
    assert exported.args == [7]
    assert (tmp_path / "to fix.xlsx").is_file()
    assert "7 rows with problems" in window.statusBar().currentMessage()


def test_a_big_file_shows_the_table_first_and_its_problems_right_after(
    qtbot: QtBot, make_window, tmp_path: Path
) -> None:
    path = big_orders_csv(tmp_path, 10_500)  # about 21,000 rows
    window = make_window()
    view = open_and_wait(qtbot, window, path)
    assert len(view.document.sheet.rows) > BACKGROUND_RECHECK_ROWS
    assert view.issues_panel.summary_label.text() == "Finding problems…"
    assert view.issues_panel.groups_model.groups == []
    qtbot.waitUntil(lambda: bool(view.issues_panel.groups_model.groups), timeout=WAIT_MS)
    assert view.issues_panel.summary_label.text().startswith("10,500 orders")
    qtbot.waitUntil(
        lambda: "Opened “orders_10500.csv”" in window.statusBar().currentMessage(),
        timeout=WAIT_MS,
    )
    codes_found = {group.code for group in view.issues_panel.groups_model.groups}
    assert {"ambiguous_currency", "not_a_number", "invalid_email"} <= codes_found


def test_new_preferences_recheck_the_open_document(
    qtbot: QtBot, make_window, tmp_path: Path
) -> None:
    window = make_window()
    view = open_and_wait(qtbot, window, orderfiles.template_clean(tmp_path))
    doc = view.document
    assert doc.payload(doc.orders[0])["customer_email"] == "jane@example.com"
    window.set_preferences(Preferences(timezone="America/New_York", hash_pii=True))
    assert doc.options.hash_identifiers and doc.timezone_name == "America/New_York"
    payload = doc.payload(doc.orders[0])
    assert "customer_email" not in payload
    assert len(payload["hashed_customer_email"]) == 64


# ---- drag and drop ---------------------------------------------------------------------------


def test_dropping_a_file_on_the_window_opens_it(
    qtbot: QtBot, make_window, dialogs: Dialogs, tmp_path: Path
) -> None:
    window = make_window()
    path = orderfiles.template_clean(tmp_path)
    with qtbot.waitSignal(session_of(window).document_opened, timeout=WAIT_MS) as opened:
        drop_file(window, path)
    view = opened.args[0]
    assert window.stack.currentWidget() is view
    assert window.windowTitle() == "template_clean.csv[*] — Northbeam Desktop"
    assert [r.order_id for r in view.document.orders] == ["1001", "1002"]

    # Dropping another file over unsaved edits asks first; Cancel keeps everything.
    type_into_cell(qtbot, view, 0, TAX, "9")
    other = orderfiles.template_defects(tmp_path)
    dialogs.answers["question"].append(QMessageBox.StandardButton.Cancel)
    drop_file(window, other)
    assert "before opening “template_defects.csv”" in dialogs.texts("question")[-1]
    assert session_of(window).view is view and window.isWindowModified()

    with qtbot.waitSignal(session_of(window).document_opened, timeout=WAIT_MS):
        dialogs.answers["question"].append(QMessageBox.StandardButton.Discard)
        drop_file(window, other)
    assert window.windowTitle() == "template_defects.csv[*] — Northbeam Desktop"
    assert not window.isWindowModified()


# ---- uploading -------------------------------------------------------------------------------


def test_upload_turns_rows_uploaded(
    qtbot: QtBot,
    make_window,
    standin: StandinServer,
    standin_prefs: Preferences,
    tmp_path: Path,
    qtmodeltester: Any,
) -> None:
    save_credentials(Environment.CUSTOM, Credentials(API_KEY, CLIENT_ID))
    window = make_window(standin_prefs)
    view = open_and_wait(qtbot, window, orderfiles.template_clean(tmp_path))
    assert window.toolbar_badge.text().startswith("Custom — 127.0.0.1")

    dialog = upload_dialog(qtbot, window)
    assert dialog.stage == "confirm"
    assert dialog.confirm_page.counts.value("send") == 2
    assert view.read_only and not view.named_actions["paste"].isEnabled()
    report = upload_and_wait(qtbot, dialog)

    assert report.accepted == 2 and report.failed == 0
    assert set(standin.stored_orders()) == {"1001", "1002"}
    for row in range(3):
        assert view.model.data(view.model.index(row, 0), OrdersTableModel.StatusRole) is (
            StatusKind.UPLOADED
        )
        assert view.model.data(view.model.index(row, 0)) == "Uploaded"
    assert "2 accepted" in window.statusBar().currentMessage()
    close_dialog(qtbot, window, dialog)
    assert not view.read_only and view.named_actions["paste"].isEnabled()
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.proxy)

    # Uploading again sends nothing: the ledger knows Northbeam has these orders.
    again = upload_dialog(qtbot, window)
    assert (
        again.confirm_page.counts.value("unchanged") == 2
        and again.confirm_page.counts.value("send") == 0
    )
    close_dialog(qtbot, window, again)


def test_server_rejection_paints_the_cell_northbeam_named(
    qtbot: QtBot,
    make_window,
    standin: StandinServer,
    standin_prefs: Preferences,
    tmp_path: Path,
    qtmodeltester: Any,
) -> None:
    save_credentials(Environment.CUSTOM, Credentials(API_KEY, CLIENT_ID))
    window = make_window(standin_prefs)
    view = open_and_wait(qtbot, window, orderfiles.template_clean(tmp_path))
    envelope = {
        "status": "400",
        "response": json.dumps(
            [
                {
                    "order_id": "1001",
                    "message": "Price must be a positive number",
                    "json_path": "$[0].products[0].price",
                }
            ]
        ),
    }
    standin.fail_next(1, status=400, body=json.dumps(envelope))
    dialog = upload_dialog(qtbot, window)
    report = upload_and_wait(qtbot, dialog)

    assert (report.accepted, report.failed) == (1, 1)
    # Order 1001 is rows 2-3; Northbeam named its first product's price: row 2, products_price.
    assert codes(view, 0, PRICE) == ["server_rejected"]
    assert "Price must be a positive number" in cell(view, 0, PRICE)[0].message
    assert cell(view, 0, PRICE, Qt.ItemDataRole.BackgroundRole) is not None
    assert codes(view, 1, PRICE) == [] and codes(view, 0, TAX) == []
    assert view.model.data(view.model.index(0, 0), OrdersTableModel.StatusRole) is (
        StatusKind.FAILED
    )
    assert view.model.data(view.model.index(2, 0), OrdersTableModel.StatusRole) is (
        StatusKind.UPLOADED
    )
    qtmodeltester.check(view.model)

    # Clicking the rejected order in the summary shows that cell in the table.
    item = dialog.done_page.failed_list.topLevelItem(0)
    qtbot.mouseClick(
        dialog.done_page.failed_list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=dialog.done_page.failed_list.visualItemRect(item).center(),
    )
    assert view.current_cell() == (0, PRICE)
    close_dialog(qtbot, window, dialog)

    view.set_filter(FilterMode.FAILED)
    assert view.proxy.source_rows() == [0, 1]
    # The rejection is on the problems list too, and fixing the cell clears Northbeam's mark.
    assert any(g.key == ("server_rejected", PRICE) for g in view.issues_panel.groups_model.groups)
    type_into_cell(qtbot, view, 0, PRICE, "26.00")
    assert codes(view, 0, PRICE) == []


def test_upload_asks_whether_to_send_the_selected_orders(
    qtbot: QtBot,
    make_window,
    dialogs: Dialogs,
    standin: StandinServer,
    standin_prefs: Preferences,
    tmp_path: Path,
) -> None:
    save_credentials(Environment.CUSTOM, Credentials(API_KEY, CLIENT_ID))
    window = make_window(standin_prefs)
    view = open_and_wait(qtbot, window, orderfiles.template_clean(tmp_path))
    select_rows(view, [0, 1])  # both rows of order 1001

    dialogs.answers["choice"].append("cancel")
    window.upload_action.trigger()
    assert dialogs.asked[-1][2] == (
        "Upload the 1 selected order | Upload all 2 valid orders | Cancel"
    )
    assert session_of(window).upload_dialog is None

    dialogs.answers["choice"].append("selected")
    dialog = upload_dialog(qtbot, window)
    assert [r.order_id for r in dialog.records] == ["1001"]
    assert upload_and_wait(qtbot, dialog).accepted == 1
    assert set(standin.stored_orders()) == {"1001"}
    close_dialog(qtbot, window, dialog)


def test_no_keyring_says_so_and_a_session_only_key_uploads(
    qtbot: QtBot,
    make_window,
    dialogs: Dialogs,
    standin: StandinServer,
    standin_prefs: Preferences,
    tmp_path: Path,
    no_keyring: Any,
    memory_keyring: Any,
) -> None:
    window = make_window(standin_prefs)
    view = open_and_wait(qtbot, window, orderfiles.template_clean(tmp_path))

    dialog = upload_dialog(qtbot, window)
    assert dialog.stage == "problem"
    assert KEYRING_UNAVAILABLE_MESSAGE in dialog.problem_page.problem_label.text()
    assert "Traceback" not in dialog.problem_page.problem_label.text()
    assert standin.requests_log == []

    def fill(settings: SettingsDialog) -> None:
        assert settings.credentials.keyring_frame.isVisibleTo(
            settings
        )  # says there is no password store
        assert settings.credentials.session_only_check.isChecked()
        qtbot.keyClicks(settings.credentials.api_key_edit, API_KEY)
        qtbot.keyClicks(settings.credentials.client_id_edit, CLIENT_ID)
        qtbot.mouseClick(settings.save_button, Qt.MouseButton.LeftButton)

    dialogs.settings_fill = fill
    qtbot.mouseClick(dialog.problem_page.problem_settings_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.session_credentials.get(Environment.CUSTOM) is not None, timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: session_of(window).upload_dialog is None, timeout=WAIT_MS)
    assert "Connection settings saved" in window.statusBar().currentMessage()
    assert memory_keyring.calls == []  # nothing went to any password store

    again = upload_dialog(qtbot, window)
    assert again.stage == "confirm"
    assert upload_and_wait(qtbot, again).accepted == 2
    assert view.model.data(view.model.index(0, 0)) == "Uploaded"
    close_dialog(qtbot, window, again)


def test_production_needs_a_deliberate_confirmation(
    qtbot: QtBot, make_window, standin: StandinServer, tmp_path: Path
) -> None:
    save_credentials(Environment.PRODUCTION, Credentials(API_KEY, CLIENT_ID))
    window = make_window(Preferences(environment=Environment.PRODUCTION, timezone="UTC"))
    assert window.toolbar_badge.text() == "PRODUCTION — live data"
    open_and_wait(qtbot, window, orderfiles.template_clean(tmp_path))

    dialog = upload_dialog(qtbot, window)
    assert dialog.stage == "confirm"
    assert dialog.target.is_production
    assert dialog.confirm_page.confirm_frame.isVisibleTo(dialog)
    assert dialog.confirm_page.upload_button.text() == "Upload 2 orders to Production"
    assert not dialog.confirm_page.upload_button.isEnabled()
    qtbot.keyClicks(dialog.confirm_page.confirm_edit, "upload")
    assert dialog.confirm_page.upload_button.isEnabled()
    dialog.confirm_page.confirm_edit.clear()
    qtbot.keyClicks(dialog.confirm_page.confirm_edit, "3")
    assert not dialog.confirm_page.upload_button.isEnabled()
    close_dialog(qtbot, window, dialog)  # nothing is sent to the real Production


def test_closing_during_an_upload_asks_and_closes_when_it_stopped(
    qtbot: QtBot,
    make_window,
    dialogs: Dialogs,
    standin: StandinServer,
    standin_prefs: Preferences,
    tmp_path: Path,
) -> None:
    save_credentials(Environment.CUSTOM, Credentials(API_KEY, CLIENT_ID))
    window = make_window(standin_prefs)
    open_and_wait(qtbot, window, orderfiles.template_clean(tmp_path))
    standin.latency_seconds = 1.0
    dialog = upload_dialog(qtbot, window)
    qtbot.mouseClick(dialog.confirm_page.upload_button, Qt.MouseButton.LeftButton)
    assert dialog.is_uploading

    dialogs.answers["question"].append(QMessageBox.StandardButton.No)  # let it run
    assert not window.close()
    assert dialogs.texts("question")[-1] == STOP_QUESTION
    assert window.isVisible() and dialog.is_uploading

    dialogs.answers["question"].append(QMessageBox.StandardButton.Yes)  # stop it
    assert not window.close()
    assert dialog.is_stopping
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)
    assert session_of(window).upload_dialog is None


# ---- unsaved edits: close prompts and recovery after a crash ---------------------------------


def test_closing_with_unsaved_edits_asks(
    qtbot: QtBot, make_window, dialogs: Dialogs, tmp_path: Path, app_home: Path
) -> None:
    window = make_window()
    view = open_and_wait(qtbot, window, orderfiles.template_defects(tmp_path))
    type_into_cell(qtbot, view, 2, TAX, "0")
    assert journal_files(app_home)

    dialogs.answers["question"].append(QMessageBox.StandardButton.Cancel)
    assert not window.close()
    assert dialogs.asked[-1][1] == "Unsaved changes"
    assert "Save the changes to “template_defects.csv” before closing?" in dialogs.asked[-1][2]
    assert window.isVisible() and window.isWindowModified()

    # Save: the first save of an opened file asks how; Save As, then the window closes.
    dialogs.answers["question"].append(QMessageBox.StandardButton.Save)
    dialogs.answers["choice"].append("save_as")
    dialogs.answers["save"].append(tmp_path / "saved on close.csv")
    assert not window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)
    assert (tmp_path / "saved on close.csv").is_file()
    assert journal_files(app_home) == []


def test_closing_and_discarding_leaves_nothing_to_recover(
    qtbot: QtBot, make_window, dialogs: Dialogs, tmp_path: Path, app_home: Path
) -> None:
    window = make_window()
    view = open_and_wait(qtbot, window, orderfiles.template_defects(tmp_path))
    type_into_cell(qtbot, view, 2, TAX, "0")
    dialogs.answers["question"].append(QMessageBox.StandardButton.Discard)
    assert window.close()
    assert journal_files(app_home) == []
    assert RecoveryJournal().pending() == []


def test_recovery_after_a_crash_restores_every_edit(
    qtbot: QtBot, make_window, dialogs: Dialogs, tmp_path: Path, app_home: Path
) -> None:
    path = orderfiles.template_defects(tmp_path)
    crashed = make_window()
    view = open_and_wait(qtbot, crashed, path)
    view.issues_panel.apply_quick_fix(view.issues_panel.select_group("ambiguous_currency", 4))
    type_into_cell(qtbot, view, 2, TAX, "0")
    view.table.selectionModel().select(
        view.proxy.index(5, 1), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    assert view.delete_selected_rows()  # Excel row 7 (order 1005)
    view.undo_stack.undo()  # the delete is undone: journaled as rows put back
    view.table.selectionModel().select(
        view.proxy.index(4, 1), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    assert view.delete_selected_rows()  # Excel row 6 (order 1004) stays deleted
    expected_rows = list(view.document.sheet.row_numbers)
    expected_cells = [list(row) for row in view.document.sheet.rows]
    # The crash: the process dies without closing anything (the OS releases the lock).
    session_of(crashed).journal.close()
    assert len(journal_files(app_home)) == 1

    window = make_window()
    dialogs.answers["recovery"].append(RecoveryDialog.RESTORE)
    with qtbot.waitSignal(session_of(window).restored, timeout=WAIT_MS) as restored:
        assert session_of(window).offer_recovery()
    (offer,) = dialogs.recovery_offers
    assert len(offer) == 1 and offer[0].file_name == "template_defects.csv"
    assert "template_defects.csv" in offer[0].describe()
    assert restored.args[0].skipped == 0
    view = session_of(window).view
    assert view is not None
    assert view.document.sheet.row_numbers == expected_rows
    assert [list(row) for row in view.document.sheet.rows] == expected_cells
    assert value(view, 5, CURRENCY) == "USD"  # row index 5 now holds Excel row 8
    assert codes(view, 2, TAX) == []
    assert window.isWindowModified()
    assert window.windowTitle() == "template_defects.csv[*] — Northbeam Desktop"
    restored_text = window.statusBar().currentMessage()
    count = restored.args[0].applied
    assert restored_text.startswith(f"Restored {count} change")
    # "Check them" for several changes, "Check it" for one (never "1 change. Check them").
    assert restored_text.endswith(
        "Check it, then save." if count == 1 else "Check them, then save."
    )

    # Still recoverable until saved; saving ends the journal.
    assert session_of(window).journal.active
    dialogs.answers["save"].append(tmp_path / "recovered.csv")
    with qtbot.waitSignal(session_of(window).saved, timeout=WAIT_MS):
        window.save_as_action.trigger()
    assert journal_files(app_home) == []
    assert not window.isWindowModified()


def test_a_chosen_column_mapping_survives_a_crash_and_a_save(
    qtbot: QtBot, make_window, dialogs: Dialogs, tmp_path: Path, app_home: Path
) -> None:
    path = orderfiles.template_defects(tmp_path)
    crashed = make_window()
    view = open_and_wait(qtbot, crashed, path)
    chosen = view.document.mapping.copy()
    chosen.set("order_tags", None)
    view.apply_mapping(chosen, "Europe/Berlin")  # what OK in the mapping dialog does
    # No cell was edited, yet the choice is on disk; the file itself is not "modified".
    assert len(journal_files(app_home)) == 1 and not crashed.isWindowModified()
    session_of(crashed).journal.close()  # the crash

    window = make_window()
    dialogs.answers["recovery"].append(RecoveryDialog.RESTORE)
    with qtbot.waitSignal(session_of(window).restored, timeout=WAIT_MS):
        assert session_of(window).offer_recovery()
    view = session_of(window).view
    assert view is not None
    assert "order_tags" not in view.document.mapping.matches
    assert view.document.timezone_name == "Europe/Berlin"

    # Saving writes the cells; the mapping is not in the file, so a journal keeps it.
    type_into_cell(qtbot, view, 2, TAX, "0")
    dialogs.answers["save"].append(tmp_path / "saved.csv")
    with qtbot.waitSignal(session_of(window).saved, timeout=WAIT_MS):
        window.save_as_action.trigger()
    (journal,) = journal_files(app_home)
    # Held by this running window, so not offered as left behind by a crash.
    assert all(info.journal_path != journal for info in RecoveryJournal().pending())
    session_of(window).journal.close()  # a crash after the save
    (left,) = RecoveryJournal().pending()
    assert left.source_path == str(tmp_path / "saved.csv") and left.edit_count == 1


def test_a_clean_close_after_choosing_a_mapping_leaves_nothing_to_recover(
    qtbot: QtBot, make_window, dialogs: Dialogs, tmp_path: Path, app_home: Path
) -> None:
    window = make_window()
    view = open_and_wait(qtbot, window, orderfiles.template_defects(tmp_path))
    chosen = view.document.mapping.copy()
    chosen.set("order_tags", None)
    view.apply_mapping(chosen)
    assert len(journal_files(app_home)) == 1
    assert window.close()  # nothing unsaved in the file: no question
    assert dialogs.asked == []
    assert journal_files(app_home) == []


def test_recovery_offer_can_discard_or_wait(
    qtbot: QtBot, make_window, dialogs: Dialogs, tmp_path: Path, app_home: Path
) -> None:
    path = orderfiles.template_defects(tmp_path)
    for _ in range(2):
        crashed = make_window()
        view = open_and_wait(qtbot, crashed, path)
        type_into_cell(qtbot, view, 2, TAX, "0")
        session_of(crashed).journal.close()
    assert len(journal_files(app_home)) == 2

    window = make_window()
    dialogs.answers["recovery"] += [RecoveryDialog.DISCARD, RecoveryDialog.LATER]
    assert not session_of(window).offer_recovery()
    assert [len(offer) for offer in dialogs.recovery_offers] == [2, 1]
    assert len(journal_files(app_home)) == 1  # one discarded, one kept for later
    assert session_of(window).view is None


def test_recovery_dialog_lists_the_changes(qtbot: QtBot, tmp_path: Path) -> None:
    journal = RecoveryJournal(tmp_path / "recovery")
    source = orderfiles.template_defects(tmp_path)
    journal.start(source, None)
    journal.record_sets([(4, "tax", "0"), (8, "currency", "USD")])
    journal.close()
    (info,) = journal.pending()
    dialog = RecoveryDialog([info])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.list.count() == 1
    assert dialog.list.item(0).text().startswith("2 unsaved changes to “template_defects.csv”")
    assert dialog.restore_button.isDefault()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.choice == RecoveryDialog.RESTORE and dialog.chosen() is info
    again = RecoveryDialog([info])
    qtbot.addWidget(again)
    again.show()
    qtbot.keyClick(again, Qt.Key.Key_Escape)
    assert again.choice == RecoveryDialog.LATER


def test_file_close_returns_to_the_start_page_asking_about_unsaved_edits(
    qtbot: QtBot, make_window, dialogs: Dialogs, tmp_path: Path, app_home: Path
) -> None:
    window = make_window()
    view = open_and_wait(qtbot, window, orderfiles.template_defects(tmp_path))
    assert window.close_document_action.isEnabled()
    type_into_cell(qtbot, view, 2, TAX, "0")

    dialogs.answers["question"].append(QMessageBox.StandardButton.Cancel)
    window.close_document_action.trigger()
    assert "before closing it?" in dialogs.asked[-1][2]
    assert window.isWindowModified()  # still open, edits kept

    dialogs.answers["question"].append(QMessageBox.StandardButton.Discard)
    window.close_document_action.trigger()
    assert not window.isWindowModified()
    assert not window.close_document_action.isEnabled()
    assert journal_files(app_home) == []
    # Closing an unmodified file asks nothing.
    asked = len(dialogs.asked)
    open_and_wait(qtbot, window, orderfiles.template_clean(tmp_path))
    window.close_document_action.trigger()
    assert len(dialogs.asked) == asked
    assert not window.close_document_action.isEnabled()
