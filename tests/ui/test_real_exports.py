"""A shop's own export in the window: the kind of file and how it was read are said, orders the
shop cancelled are shown as such and held back, and Upload → Send Cancelled Orders sends them
(the table, the problems panel, the summary and the Upload dialog follow at once; the choice is
remembered for files with the same columns).

Every test opens our own file shaped like a real Shopify or Etsy export
(`tests/core/realshapes.py`) in the real window; nothing of the app is replaced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from devtools.standin import StandinServer
from northbeam_desktop.core.local.secrets import Credentials
from northbeam_desktop.core.local.settings import Preferences
from northbeam_desktop.core.northbeam.environments import Environment
from northbeam_desktop.core.orders.document import LoadOptions, OrderRecord, load_document
from northbeam_desktop.core.orders.issues import IssueCode, Severity
from northbeam_desktop.ui.dialogs.mapping import MADE_FROM, NOT_IN_FILE, MappingDialog
from northbeam_desktop.ui.dialogs.upload.dialog import UploadDialog
from northbeam_desktop.ui.document.proxy import FilterMode
from northbeam_desktop.ui.document.roles import DISPLAY
from northbeam_desktop.ui.document.view import DocumentView
from northbeam_desktop.ui.main_window import MainWindow
from tests.core import realshapes

WAIT_MS = 20_000
API_KEY = "nbk_test_5d1e0c6a9f2b4e7d8c3a1b0f9e8d7c6b"
CLIENT_ID = "9a8b7c6d-1e2f-4a5b-8c9d-0e1f2a3b4c5d"
NOT_SENT = "Cancelled in your shop — not sent"
SENT = "Cancelled in your shop — sent"


@pytest.fixture
def make_window(qtbot: QtBot) -> Callable[[], MainWindow]:
    def make() -> MainWindow:
        window = MainWindow(preferences=Preferences(timezone="UTC"))
        qtbot.addWidget(window)
        window.resize(1280, 720)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


def open_and_wait(qtbot: QtBot, window: MainWindow, path: Path) -> DocumentView:
    session = window.session
    assert session is not None
    with qtbot.waitSignal(session.document_opened, timeout=WAIT_MS) as blocker:
        assert window.open_file(path)
    view = blocker.args[0]
    assert isinstance(view, DocumentView)
    return view


def send_cancelled_action(window: MainWindow) -> QAction:
    found = [
        a for a in window.upload_menu.actions() if a.objectName() == "SendCancelledOrdersAction"
    ]
    assert len(found) == 1
    return found[0]


def cancelled_order(view: DocumentView) -> OrderRecord:
    record = view.document.order_by_id("6100000000003")  # #1003, cancelled in the shop
    assert record is not None and record.cancelled
    return record


def status_text(view: DocumentView, record: OrderRecord) -> str:
    return str(view.model.data(view.model.index(record.row_indices[0], 0), DISPLAY))


def test_send_cancelled_orders_is_in_the_upload_menu_and_everything_follows_it(
    qtbot: QtBot, tmp_path: Path, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    action = send_cancelled_action(window)
    assert not action.isEnabled()  # no document yet
    assert action.isCheckable()
    assert action.text().replace("&", "") == "Send Cancelled Orders"
    assert "cancelled" in action.statusTip()
    # It sits right below Upload…, where the messages on cancelled orders send the user.
    items = window.upload_menu.actions()
    assert items.index(action) == items.index(window.upload_action) + 1
    # Alt+U, S turns it on: its key is no other item's in the menu.
    keys = [a.text().split("&")[1][0].lower() for a in items if "&" in a.text()]
    assert len(keys) == len(set(keys)) and "s" in keys

    view = open_and_wait(qtbot, window, realshapes.shopify_real_shape(tmp_path))
    doc = view.document
    record = cancelled_order(view)
    panel = view.issues_panel
    assert action.isEnabled() and not action.isChecked()
    assert record.held_back and not doc.is_sendable(record)
    assert status_text(view, record) == NOT_SENT
    note = next(i for i in record.issues if i.code == IssueCode.ORDER_CANCELLED)
    assert "turn on Upload → Send Cancelled Orders" in note.message
    assert panel.summary_label.text() == (
        "7 orders · 5 ready (1 with warnings) · 1 with errors · 1 cancelled in your shop, not sent"
    )
    # The cancelled order is a note, grouped with the values changed for you after every
    # error and warning.
    levels = [group.severity for group in panel.groups_model.groups]
    assert levels == sorted(levels, key=lambda level: level.rank)
    cancelled_group = next(
        g for g in panel.groups_model.groups if g.code == IssueCode.ORDER_CANCELLED
    )
    assert cancelled_group.severity is Severity.NOTE
    assert cancelled_group.orders == 1

    action.trigger()  # Upload → Send Cancelled Orders

    assert action.isChecked()
    assert doc.options.include_cancelled
    assert not record.held_back and doc.is_sendable(record)
    assert status_text(view, record) == SENT
    assert panel.summary_label.text() == (
        "7 orders · 6 ready (1 with warnings, 1 cancelled in your shop) · 1 with errors"
    )
    note = next(i for i in record.issues if i.code == IssueCode.ORDER_CANCELLED)
    assert "it is sent because you chose to send cancelled orders" in note.message
    assert window.statusBar().currentMessage() == (
        "Cancelled orders are sent too: 1 order more ready to upload."
    )
    assert "Not sent" not in view.payload_view.note_label.text()

    action.trigger()  # and off again
    assert not action.isChecked() and record.held_back
    assert status_text(view, record) == NOT_SENT
    assert panel.summary_label.text().endswith("1 cancelled in your shop, not sent")
    assert window.statusBar().currentMessage() == (
        "Cancelled orders are not sent: 1 order held back."
    )


def test_the_choice_is_remembered_for_files_with_the_same_columns(
    qtbot: QtBot, tmp_path: Path, make_window: Callable[[], MainWindow]
) -> None:
    path = realshapes.shopify_real_shape(tmp_path)
    window = make_window()
    view = open_and_wait(qtbot, window, path)
    send_cancelled_action(window).trigger()
    assert view.document.options.include_cancelled

    # Another export of the same shop, opened later in a new window.
    other = tmp_path / "march"
    other.mkdir()
    later = make_window()
    view = open_and_wait(qtbot, later, realshapes.shopify_real_shape(other))
    action = send_cancelled_action(later)
    assert action.isChecked()
    assert view.document.options.include_cancelled
    assert status_text(view, cancelled_order(view)) == SENT
    # A file of another shape keeps the default.
    view = open_and_wait(qtbot, later, realshapes.etsy_items(tmp_path))
    assert not action.isChecked()
    assert not view.document.options.include_cancelled


def test_the_switch_waits_while_the_document_is_read_only(
    qtbot: QtBot, tmp_path: Path, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    view = open_and_wait(qtbot, window, realshapes.shopify_real_shape(tmp_path))
    action = send_cancelled_action(window)
    view.set_read_only(True)  # as while saving or uploading
    action.trigger()
    assert not action.isChecked()
    assert not view.document.options.include_cancelled
    assert cancelled_order(view).held_back
    assert window.statusBar().currentMessage().startswith("Please wait")
    view.set_read_only(False)
    action.trigger()
    assert action.isChecked() and not cancelled_order(view).held_back


def test_the_cancelled_filter_shows_only_cancelled_orders_and_only_when_there_are_some(
    qtbot: QtBot, tmp_path: Path, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    view = open_and_wait(qtbot, window, realshapes.shopify_real_shape(tmp_path))
    button = view.filter_bar.buttons[FilterMode.CANCELLED]
    assert button.isVisibleTo(view)
    assert button.accessibleName() == "Filter: Cancelled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert view.proxy.mode is FilterMode.CANCELLED
    rows = [view.proxy.source_row(r) for r in range(view.proxy.rowCount())]
    assert rows == cancelled_order(view).row_indices
    assert view.filter_bar.count_label.text() == "Showing 1 of 11 rows"
    # Sending cancelled orders keeps them under the filter, now marked as sent.
    send_cancelled_action(window).trigger()
    assert view.proxy.rowCount() == 1
    assert status_text(view, cancelled_order(view)) == SENT

    view = open_and_wait(qtbot, window, realshapes.etsy_items(tmp_path))
    assert not view.filter_bar.buttons[FilterMode.CANCELLED].isVisibleTo(view)


def test_the_status_column_says_the_whole_cancelled_status(
    qtbot: QtBot, tmp_path: Path, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    view = open_and_wait(qtbot, window, realshapes.shopify_real_shape(tmp_path))
    metrics = view.table.fontMetrics()
    assert view.table.columnWidth(0) > metrics.horizontalAdvance(NOT_SENT)
    tooltip = view.model.data(view.model.index(cancelled_order(view).row_indices[0], 0), 3)
    assert "was cancelled in your shop" in tooltip
    # What will be sent says it is not sent, and why.
    view.focus_cell(cancelled_order(view).row_indices[0], 1)
    qtbot.waitUntil(
        lambda: view.payload_view.note_label.text().startswith(
            "Not sent: this order was cancelled in your shop."
        ),
        timeout=WAIT_MS,
    )


def test_the_problems_panel_says_what_kind_of_file_it_is_and_how_it_was_read(
    qtbot: QtBot, tmp_path: Path, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    view = open_and_wait(qtbot, window, realshapes.shopify_real_shape(tmp_path))
    text = view.issues_panel.reading_label.text()
    assert "This looks like a Shopify orders export — columns set for it." in text
    assert "Rows with the same “Name” are one order." in text
    assert "Customer ID is made from the customer's email or phone." in text
    # Its link opens the column mapping (closed again here as a user would).
    opened: list[QWidget] = []

    def close_mapping() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, MappingDialog):
            opened.append(dialog)
            dialog.reject()

    QTimer.singleShot(200, close_mapping)
    view.issues_panel.reading_label.linkActivated.emit("mapping")
    assert len(opened) == 1

    view = open_and_wait(qtbot, window, realshapes.etsy_items(tmp_path))
    label = view.issues_panel.reading_label
    assert "This looks like an Etsy sold-items file (EtsySoldOrderItems)" in label.text()
    assert "Made from other columns: " in label.text()
    assert "Discount amount, Tax, Order total, Shipping cost." in label.text()
    assert "Order total ← made from products + sales tax + shipping − discounts" in (
        label.toolTip()
    )


def test_the_mapping_dialog_names_the_kind_of_file_and_the_fields_made_from_others(
    qtbot: QtBot, tmp_path: Path
) -> None:
    shopify = load_document(realshapes.shopify_real_shape(tmp_path), LoadOptions(timezone="UTC"))
    dialog = MappingDialog.for_document(shopify)
    qtbot.addWidget(dialog)
    text = dialog.reading_label.text()
    assert "This looks like a Shopify orders export — columns set for it." in text
    assert "Customer ID ← made from the customer's email or phone" in text
    dialog.choose("tax", "Taxes")  # chosen by hand
    assert "columns as you chose them" in dialog.reading_label.text()

    etsy = load_document(realshapes.etsy_items(tmp_path), LoadOptions(timezone="UTC"))
    dialog = MappingDialog.for_document(etsy)
    qtbot.addWidget(dialog)
    total = dialog.combos["purchase_total"]
    # A field this kind of file makes is not "required, but no column".
    assert total.currentText() == MADE_FROM
    assert "made from products + sales tax" in dialog.detail_labels["purchase_total"].text()
    assert "Required" not in dialog.detail_labels["purchase_total"].text()
    assert dialog.missing_required() == []
    # Not in my file, then made again: the derivation comes back.
    dialog.choose("purchase_total", None)
    assert total.currentText() == NOT_IN_FILE
    assert "Required, but no column" in dialog.detail_labels["purchase_total"].text()
    total.setCurrentIndex(total.findText(MADE_FROM))
    total.activated.emit(total.currentIndex())
    assert "purchase_total" in dialog.mapping().derived
    assert dialog.missing_required() == []


# ---- the Upload dialog's counts --------------------------------------------------------------


@pytest.fixture
def standin() -> Iterator[StandinServer]:
    with StandinServer(api_key=API_KEY, client_id=CLIENT_ID, budget_bytes=None) as server:
        yield server


def confirm_page(
    qtbot: QtBot,
    view: DocumentView,
    server: StandinServer,
    records: list[OrderRecord] | None = None,
    **kw: Any,
) -> Any:
    doc = view.document
    dialog = UploadDialog(
        doc,
        list(doc.orders) if records is None else records,
        environment=Environment.CUSTOM,
        base_url=server.base_url,
        credentials=Credentials(API_KEY, CLIENT_ID),
        **kw,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.stage in ("confirm", "problem"), timeout=WAIT_MS)
    assert dialog.stage == "confirm"
    return dialog


def test_the_upload_dialog_counts_cancelled_orders_apart_from_errors(
    qtbot: QtBot,
    tmp_path: Path,
    make_window: Callable[[], MainWindow],
    standin: StandinServer,
) -> None:
    window = make_window()
    view = open_and_wait(qtbot, window, realshapes.shopify_real_shape(tmp_path))
    dialog = confirm_page(qtbot, view, standin)
    assert dialog.confirm_page.counts.value("errors") == 1  # #1006: nothing recognises the customer
    assert dialog.confirm_page.counts.value("cancelled") == 1
    assert dialog.confirm_page.counts.rows["cancelled"][0].isVisibleTo(dialog)
    assert dialog.confirm_page.counts.value("send") == 5
    dialog.close()

    send_cancelled_action(window).trigger()
    dialog = confirm_page(qtbot, view, standin)
    assert dialog.confirm_page.counts.value("errors") == 1
    assert dialog.confirm_page.counts.value("cancelled") == 0
    assert not dialog.confirm_page.counts.rows["cancelled"][0].isVisibleTo(dialog)
    assert dialog.confirm_page.counts.value("send") == 6
    dialog.close()


# ---- the problems panel with nothing left to fix, and a file without its columns ---------------


def test_with_only_notes_left_the_panel_says_ready_and_still_shows_the_notes(
    qtbot: QtBot,
    tmp_path: Path,
    make_window: Callable[[], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The edits are not saved: closing the window at the end discards them.
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Discard)
    window = make_window()
    view = open_and_wait(qtbot, window, realshapes.shopify_real_shape(tmp_path))
    doc = view.document
    model = view.model
    # Fix the file's one error (#1006 has no email) and its warning (#1002's refund), by typing.
    no_email = doc.order_by_id("6100000000006")
    refunded = doc.order_by_id("6100000000002")
    assert no_email is not None and refunded is not None
    email = doc.sheet.column_index("Email") + 1
    refund = doc.sheet.column_index("Refunded Amount") + 1
    assert model.setData(model.index(no_email.row_indices[0], email), "fay@example.com")
    assert model.setData(model.index(refunded.row_indices[0], refund), "0.00")
    panel = view.issues_panel
    panel.refresh()
    assert panel.stack.currentWidget() is panel.empty_page
    assert panel.empty_title.text() == "6 orders ready → Upload"
    assert "1 order cancelled in your shop is not sent (Upload → Send Cancelled Orders)." in (
        panel.empty_hint.text()
    )
    assert panel.upload_button.text().replace("&", "") == "Upload 6 orders…"
    assert panel.notes_button.isVisibleTo(panel)
    assert not panel.detail_label.isVisibleTo(panel)  # no "choose a problem" with none listed
    assert "Cancelled in your shop — 1 order" in panel.notes_button.toolTip()
    # The notes are one click away, and stay shown while only notes are left.
    qtbot.mouseClick(panel.notes_button, Qt.MouseButton.LeftButton)
    assert panel.stack.currentWidget() is panel.tree
    assert {g.severity for g in panel.groups_model.groups} == {Severity.NOTE}
    group = next(g for g in panel.groups_model.groups if g.code == IssueCode.ORDER_CANCELLED)
    panel.select_group(group.code, group.col_index)
    assert "Nothing to fix: a note, not a problem." in panel.detail_label.text()
    panel.refresh()
    assert panel.stack.currentWidget() is panel.tree
    # Sending cancelled orders too: every order is ready.
    send_cancelled_action(window).trigger()
    assert view.document.is_sendable(cancelled_order(view))
    assert "7 ready" in panel.summary_label.text()


def test_a_file_missing_many_columns_lists_them_all_without_cutting_them_off(
    qtbot: QtBot, tmp_path: Path, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    view = open_and_wait(qtbot, window, realshapes.shopify_trimmed(tmp_path))
    panel = view.issues_panel
    assert view.document.blocked
    assert panel.empty_title.text() == "Choose the missing column first"
    missing = [i for i in view.document.mapping_issues if i.is_error]
    assert len(missing) >= 4
    scroll = panel.file_issues_scroll
    # The sentences scroll in at most a third of the panel instead of being cut off.
    assert scroll.height() <= max(panel.height() // 3, 120)
    label = panel.file_issues_label
    needed = label.heightForWidth(scroll.viewport().width())
    assert needed > scroll.height()
    assert scroll.verticalScrollBar().maximum() > 0
    assert label.text().count("Required column missing") == len(missing)
    assert "This looks like a Shopify orders export" in panel.reading_label.text()


def test_uploading_only_cancelled_orders_says_how_to_send_them(
    qtbot: QtBot,
    tmp_path: Path,
    make_window: Callable[[], MainWindow],
    standin: StandinServer,
) -> None:
    window = make_window()
    view = open_and_wait(qtbot, window, realshapes.shopify_real_shape(tmp_path))
    dialog = confirm_page(qtbot, view, standin, [cancelled_order(view)])
    assert dialog.confirm_page.counts.value("send") == 0
    assert dialog.confirm_page.counts.value("errors") == 0
    assert dialog.confirm_page.counts.value("cancelled") == 1
    assert not dialog.confirm_page.upload_button.isEnabled()
    assert dialog.confirm_page.nothing_label.text() == (
        "Nothing to send: this order was cancelled in your shop. To send it, close this and "
        "turn on Upload → Send Cancelled Orders."
    )
    dialog.close()
