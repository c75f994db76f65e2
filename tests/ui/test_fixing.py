"""Fixing that thinks in orders, driven like a user would: the tax trap, order-level edits, filling
a selection, quick fixes that reuse what the file knows, the keyboard, the time zone, the empty
problems panel, and the layout and wording details around them.

The file is `fixing_defects` (13 planted defects, see tests/core/orderfiles.py); its times carry
no zone, so opening it through the window asks for one (answered by tests/ui/conftest.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QMenu,
    QWidget,
)
from pytestqt.qtbot import QtBot

from northbeam_desktop.core.local.settings import Preferences
from northbeam_desktop.core.orders.document import LoadOptions, OrderDocument, load_document
from northbeam_desktop.core.orders.mapping import PresetStore
from northbeam_desktop.ui.dialogs import timezone as timezone_module
from northbeam_desktop.ui.document.issues_panel import IssuesPanel
from northbeam_desktop.ui.document.proxy import FilterMode
from northbeam_desktop.ui.document.quick_fix_preview import QuickFixPreviewDialog
from northbeam_desktop.ui.document.view import DocumentView
from northbeam_desktop.ui.main_window import MainWindow
from tests.core import orderfiles
from tests.ui.fixtures_document import NOW

WAIT_MS = 10_000


def header(doc: OrderDocument, name: str) -> int:
    return doc.sheet.headers.index(name)


def rows_of(doc: OrderDocument, order_id: str) -> list[int]:
    record = doc.order_by_id(order_id)
    assert record is not None
    return list(record.row_indices)


def sent(doc: OrderDocument, order_id: str) -> dict[str, Any]:
    record = doc.order_by_id(order_id)
    assert record is not None
    return doc.payload(record)


@pytest.fixture
def doc(tmp_path: Path) -> OrderDocument:
    return load_document(
        orderfiles.fixing_defects(tmp_path), LoadOptions(timezone="America/New_York", now=NOW)
    )


@pytest.fixture
def view(qtbot: QtBot, doc: OrderDocument, tmp_path: Path) -> DocumentView:
    view = DocumentView(doc, preset_store=PresetStore(tmp_path / "presets"))
    qtbot.addWidget(view)
    view.resize(1280, 700)
    view.show()
    qtbot.waitExposed(view)
    return view


def select(view: DocumentView, cells: list[tuple[int, int]]) -> None:
    selection = QItemSelection()
    for row, col_index in cells:
        index = view.proxy.index(view.proxy.proxy_row(row), col_index + 1)
        selection.select(index, index)
    model = view.table.selectionModel()
    model.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    first = cells[0]
    model.setCurrentIndex(
        view.proxy.index(view.proxy.proxy_row(first[0]), first[1] + 1),
        QItemSelectionModel.SelectionFlag.NoUpdate,
    )


def type_over(qtbot: QtBot, view: DocumentView, text: str, *, ctrl: bool = False) -> None:
    """Type over the current cell as a user does (the first key opens the editor), then Enter
    (Ctrl+Enter with `ctrl`)."""
    view.table.setFocus()
    qtbot.keyClicks(view.table, text[0])
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, text[1:])
    modifier = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(editor, Qt.Key.Key_Return, modifier)
    qtbot.waitUntil(lambda: view.table.state() != view.table.State.EditingState, timeout=WAIT_MS)


def visible_fixes(panel: IssuesPanel) -> list[str]:
    return [b.full_text() for b in panel.fix_buttons if b.isVisibleTo(panel)]


# ---- 2. the tax trap ------------------------------------------------------------------------


def test_the_tax_trap_offers_the_derived_tax_and_never_a_lower_total(
    view: DocumentView, qtbot: QtBot
) -> None:
    doc, panel = view.document, view.issues_panel
    tax = header(doc, "tax")
    panel.select_group("required", tax)
    assert visible_fixes(panel) == ["Use 20.32", "Use 0"]
    assert "234.95" in panel.detail_label.text()  # says where 20.32 comes from
    assert "Row 5 · order 3003 · tax: empty → “20.32”" in panel.detail_label.text()
    # Take the trap's first step anyway: 0, then the mismatch warning's fixes.
    qtbot.mouseClick(panel.fix_buttons[1], Qt.MouseButton.LeftButton)
    assert sent(doc, "3003")["tax"] == 0
    mismatch = panel.select_group("totals_mismatch", header(doc, "purchase_total"))
    assert mismatch is not None
    assert visible_fixes(panel)[0] == "Set tax to 20.32"
    assert "20.32 more than" in panel.detail_label.text()
    total = header(doc, "purchase_total")
    for fix in panel.fixes_for_selection():
        assert all(c != total for _r, c, _v in fix.changes)  # the total is never touched
    qtbot.mouseClick(panel.fix_button, Qt.MouseButton.LeftButton)
    assert sent(doc, "3003")["tax"] == 20.32 and sent(doc, "3003")["purchase_total"] == 234.95
    assert doc.order_by_id("3003").issues == []  # type: ignore[union-attr]


def test_no_button_anywhere_lowers_a_total(view: DocumentView) -> None:
    doc, panel = view.document, view.issues_panel
    before = {r.order_id: sent(doc, r.order_id).get("purchase_total") for r in doc.valid_orders}
    for row in range(panel.groups_model.rowCount()):
        group = panel.groups_model.groups[row]
        panel.select_group(group.code, group.col_index)
        for number in range(len(panel.fixes_for_selection())):
            start = view.undo_stack.index()
            assert panel.apply_selected_fix(number)
            for order_id, total in before.items():
                if total is not None:
                    assert sent(doc, order_id)["purchase_total"] >= total
            view.undo_stack.setIndex(start)
            panel.refresh()
            panel.select_group(group.code, group.col_index)


# ---- 1. the order is the unit of editing ----------------------------------------------------


def test_order_level_edit_on_row_3_of_a_3_row_order_changes_every_row_and_undoes_at_once(
    view: DocumentView, qtbot: QtBot
) -> None:
    doc = view.document
    currency = header(doc, "currency")
    first, second, third = rows_of(doc, "3004")
    messages: list[str] = []
    view.status_message.connect(messages.append)
    view.focus_cell(third, currency)
    type_over(qtbot, view, "USD")
    assert [doc.sheet.rows[r][currency] for r in (first, second, third)] == ["USD"] * 3
    assert doc.order_by_id("3004").issues == []  # type: ignore[union-attr]  # no new conflict
    assert (
        messages[-1] == "Currency set to USD on all 3 rows of order 3004, so the order stays whole."
    )
    assert view.undo_stack.count() == 1
    view.undo_stack.undo()
    assert [doc.sheet.rows[r][currency] for r in (first, second, third)] == ["$"] * 3
    # A product line stays one row: its price is its own.
    price = header(doc, "products_price")
    view.focus_cell(third, price)
    type_over(qtbot, view, "9.00")
    assert [doc.sheet.rows[r][price] for r in (first, second, third)] == ["25.00", "20.00", "9.00"]


def test_typing_with_several_cells_selected_fills_them_all_with_ctrl_enter(
    view: DocumentView, qtbot: QtBot
) -> None:
    doc = view.document
    when = header(doc, "time_of_purchase")
    cells = [(rows_of(doc, "3006")[0], when), (rows_of(doc, "3007")[0], when)]
    select(view, cells)
    type_over(qtbot, view, "2026-04-01 09:00:00", ctrl=True)
    assert [doc.sheet.rows[r][c] for r, c in cells] == ["2026-04-01 09:00:00"] * 2
    assert view.undo_stack.count() == 1  # one step for the whole selection
    select(view, cells)
    type_over(qtbot, view, "2026-04-02 09:00:00")  # plain Enter fills them too
    assert [doc.sheet.rows[r][c] for r, c in cells] == ["2026-04-02 09:00:00"] * 2
    view.undo_stack.undo()
    view.undo_stack.undo()
    assert [doc.sheet.rows[r][c] for r, c in cells] == ["2026-03-10 10:00:00"] * 2


# ---- 2. reusing what the file knows ---------------------------------------------------------


def test_customer_id_of_a_known_email_and_a_skus_name_and_price(
    view: DocumentView, qtbot: QtBot
) -> None:
    doc, panel = view.document, view.issues_panel
    panel.select_group("customer_id_is_email", header(doc, "customer_id"))
    assert visible_fixes(panel)[0] == "Use 49990"
    assert "49990 is the customer ID of bob@example.com" in panel.detail_label.text()
    qtbot.mouseClick(panel.fix_button, Qt.MouseButton.LeftButton)
    assert sent(doc, "3005")["customer_id"] == "49990"

    panel.select_group("required", header(doc, "products_name"))
    assert visible_fixes(panel) == ["Use Coffee mug"]
    qtbot.mouseClick(panel.fix_button, Qt.MouseButton.LeftButton)
    panel.select_group("not_a_number", header(doc, "products_price"))
    assert visible_fixes(panel)[0] == "Use 25.00"
    qtbot.mouseClick(panel.fix_button, Qt.MouseButton.LeftButton)
    assert sent(doc, "3006")["products"][0]["name"] == "Coffee mug"
    assert sent(doc, "3007")["products"][0]["price"] == 25.0


def test_a_fix_for_many_orders_is_previewed_first(
    qtbot: QtBot, tmp_path: Path, fix_previews: list[Any]
) -> None:
    rows = [list(r) for r in orderfiles.TEMPLATE_CLEAN]
    tax = orderfiles.TEMPLATE_HEADER.index("tax")
    for row in rows:
        row[tax] = ""
    path = orderfiles.write_csv(tmp_path / "no_tax.csv", orderfiles.TEMPLATE_HEADER, rows)
    doc = load_document(path, LoadOptions(timezone="UTC", now=NOW))
    view = DocumentView(doc)
    qtbot.addWidget(view)
    panel = view.issues_panel
    group = panel.select_group("required", tax)
    assert group is not None
    assert panel.fix_button.full_text() == "Use the tax each order's total leaves (2 orders)…"
    assert "you see each one before it is applied" in panel.detail_label.text()
    fix = panel.group_fix(group)
    assert fix is not None
    dialog = QuickFixPreviewDialog(panel.fixer, fix)
    qtbot.addWidget(dialog)
    assert dialog.list.topLevelItemCount() == 3
    first = dialog.list.topLevelItem(0)
    assert [first.text(n) for n in range(5)] == ["2", "1001", "tax", "empty", "8.25"]
    assert "Changes 3 cells on 2 orders" in dialog.summary_label.text()
    assert dialog.apply_button.isDefault() and dialog.apply_button.text() == "Apply to 2 orders"
    # Cancelled: nothing changes. Applied: one undo step.
    panel.confirm_fix = lambda *_args: False
    assert not panel.apply_quick_fix(group)
    assert doc.sheet.rows[0][tax] is None
    panel.confirm_fix = lambda _parent, _fixer, shown: fix_previews.append(shown) or True
    assert panel.apply_quick_fix(group)
    assert fix_previews and fix_previews[-1].orders == 2
    assert [doc.sheet.rows[r][tax] for r in range(3)] == ["8.25", "8.25", "0.00"]
    assert view.undo_stack.count() == 1


# ---- 3. the keyboard and the menus ----------------------------------------------------------


def test_f6_and_enter_fix_problems_without_the_mouse(view: DocumentView, qtbot: QtBot) -> None:
    doc, panel, tree = view.document, view.issues_panel, view.issues_panel.tree
    view.focus_cell(0, 0)
    assert view.table.hasFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F6)
    assert tree.hasFocus()
    first = panel.current_group()
    assert first is not None and panel.fixes_for_selection()  # the first problem, selected
    fixed = len(doc.all_issues())
    qtbot.keyClick(tree, Qt.Key.Key_Return)  # its first fix
    assert len(doc.all_issues()) < fixed
    assert first.key not in {g.key for g in panel.groups_model.groups}
    assert tree.hasFocus() and panel.current_group() is not None  # on to the next problem
    # Down to a problem without a quick fix; Enter (and Space) take the table to its cell.
    while panel.current_group().code != "invalid_email":  # type: ignore[union-attr]
        qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert visible_fixes(panel) == []
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert view.table.hasFocus()
    assert view.current_cell() == (rows_of(doc, "3015")[0], header(doc, "customer_email"))
    # F6 on: what will be sent, then the table again; Shift+F6 back.
    qtbot.keyClick(view.table, Qt.Key.Key_F6)
    qtbot.keyClick(tree, Qt.Key.Key_F6)
    assert view.payload_view.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
    assert view.table.hasFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert view.payload_view.isAncestorOf(QApplication.focusWidget())


def test_a_problem_cells_context_menu_and_the_problems_menu_offer_its_fixes(
    view: DocumentView,
) -> None:
    doc = view.document
    row, col = rows_of(doc, "3003")[0], header(doc, "tax")
    menu = view.table_menu(view.proxy.index(view.proxy.proxy_row(row), col + 1))
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts[:2] == ["Use 20.32 for Tax", "Use 0 for Tax"]
    assert view.named_actions["copy"].text() in texts  # editing follows
    view.focus_cell(row, col)
    owner = QMenu()
    assert [a.text() for a in view.fix_actions(owner)] == ["Use 20.32 for Tax", "Use 0 for Tax"]
    view.fix_actions(owner)[0].trigger()
    QApplication.processEvents()
    assert sent(doc, "3003")["tax"] == 20.32


def test_every_control_has_a_name_for_screen_readers(view: DocumentView) -> None:
    nameless = []
    for widget in view.findChildren(QWidget):
        if not widget.isVisibleTo(view):
            continue
        if isinstance(widget, QAbstractButton) and not (widget.text() or widget.accessibleName()):
            nameless.append(widget)
        if isinstance(widget, QLineEdit | QComboBox) and not widget.accessibleName():
            if widget.parent() is not None and isinstance(widget.parent(), QComboBox):
                continue  # a combo box's own line edit: the combo box carries the name
            if not view.table.isAncestorOf(widget):
                nameless.append(widget)
    assert nameless == []


# ---- 5. state after edits -------------------------------------------------------------------


def test_an_edited_row_stays_in_the_filter_until_the_user_moves_on(
    view: DocumentView, qtbot: QtBot
) -> None:
    doc = view.document
    view.set_filter(FilterMode.WARNINGS)
    # Order 3013's total does not add up (a warning) because its shipping is empty.
    row, shipping = rows_of(doc, "3013")[0], header(doc, "shipping_cost")
    assert row in view.proxy.source_rows()
    view.focus_cell(row, shipping)
    type_over(qtbot, view, "5.00")
    qtbot.wait(50)
    assert doc.order_by_id("3013").issues == []  # type: ignore[union-attr]
    assert row in view.proxy.source_rows()  # still there, under the cursor
    assert view.current_cell() == (row, shipping)
    other = next(r for r in view.proxy.source_rows() if r != row)
    view.focus_cell(other, 0)
    qtbot.waitUntil(lambda: row not in view.proxy.source_rows(), timeout=WAIT_MS)


def test_details_follow_the_selection_and_never_keep_a_stale_fix(view: DocumentView) -> None:
    panel = view.issues_panel
    panel.select_group("required", header(view.document, "tax"))
    assert panel.fix_button.isVisibleTo(panel)
    panel.tree.selectionModel().clearSelection()
    assert not panel.fix_button.isVisibleTo(panel)
    assert "Choose a problem" in panel.detail_label.text()


def test_a_fixed_order_loses_its_upload_failed_status(view: DocumentView, qtbot: QtBot) -> None:
    doc = view.document
    record = doc.order_by_id("3008")
    assert record is not None
    quantity = header(doc, "products_quantity")
    doc.record_upload_result(record, "failed", "Northbeam said no", [])
    view.refresh_after_upload()
    row = record.row_indices[0]
    assert view.model.data(view.model.index(row, 0)) == "Upload failed"
    view.focus_cell(row, quantity)
    type_over(qtbot, view, "1")
    assert view.model.data(view.model.index(row, 0)) == "Ready"


def test_an_empty_problems_panel_says_what_to_do_next(qtbot: QtBot, tmp_path: Path) -> None:
    doc = load_document(orderfiles.template_clean(tmp_path), LoadOptions(timezone="UTC", now=NOW))
    view = DocumentView(doc)
    qtbot.addWidget(view)
    view.resize(1280, 700)
    view.show()
    qtbot.waitExposed(view)
    panel = view.issues_panel
    assert panel.stack.currentWidget() is panel.empty_page
    assert panel.empty_title.text() == "All 2 orders ready → Upload"
    assert panel.upload_button.text() == "&Upload 2 orders…"
    # F6 goes from the table to the button (what it visits, in order).
    assert view.panes()[:2] == [view.table, panel.upload_button]
    with qtbot.waitSignal(view.upload_requested):
        qtbot.mouseClick(panel.upload_button, Qt.MouseButton.LeftButton)


def test_long_problem_titles_elide_with_the_whole_title_in_the_tooltip(
    view: DocumentView,
) -> None:
    panel = view.issues_panel
    group = panel.select_group("customer_id_is_order_id", header(view.document, "customer_id"))
    assert group is not None
    index = panel.groups_model.index(panel.groups_model.groups.index(group), 0)
    assert panel.tree.textElideMode() == Qt.TextElideMode.ElideRight
    tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert group.title in tooltip


# ---- 4. the time zone, through the window ---------------------------------------------------


def test_the_zone_is_asked_once_per_file_shape_shown_and_changed(
    qtbot: QtBot, tmp_path: Path, zone_answers: list[tuple[str, str]], monkeypatch: Any
) -> None:
    window = MainWindow(preferences=Preferences(timezone="UTC"))
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    session = window.session
    assert session is not None
    path = orderfiles.fixing_defects(tmp_path)

    def open_file() -> DocumentView:
        with qtbot.waitSignal(session.document_opened, timeout=WAIT_MS) as blocker:
            assert window.open_file(path)
        return blocker.args[0]

    view = open_file()
    assert zone_answers == [("fixing_defects.csv", "UTC")]
    status = window.statusBar().currentMessage()
    assert status.endswith("Times without a zone are read as UTC.")
    assert session.zone_button.isVisibleTo(window)
    assert session.zone_button.text() == "Times: UTC"
    assert "read as UTC" in view.issues_panel.zone_label.text()
    # A file of the same shape: not asked again, the remembered zone is used.
    session.close_document()
    view = open_file()
    assert len(zone_answers) == 1
    assert "as for files like this before" in window.statusBar().currentMessage()
    # One click on the status bar's zone: the file is checked again in the new zone.
    monkeypatch.setattr(timezone_module, "choose_zone", lambda *_a, **_k: "Europe/Berlin")
    qtbot.mouseClick(session.zone_button, Qt.MouseButton.LeftButton)
    doc = view.document
    assert doc.timezone_name == "Europe/Berlin"
    assert json.loads(json.dumps(sent(doc, "3001")))["time_of_purchase"].endswith("+01:00")
    assert session.zone_button.text() == "Times: Europe/Berlin"
    assert "Europe/Berlin" in view.issues_panel.zone_label.text()
    assert window.statusBar().currentMessage() == (
        "Times without a zone are now read as Europe/Berlin."
    )
    session.close_document(discard=True)
    open_file()
    assert len(zone_answers) == 1  # remembered: Europe/Berlin from now on
    assert session.view is not None and session.view.document.timezone_name == "Europe/Berlin"


def test_a_file_whose_times_say_their_zone_is_not_asked_about(
    qtbot: QtBot, tmp_path: Path, zone_answers: list[tuple[str, str]]
) -> None:
    window = MainWindow(preferences=Preferences(timezone="UTC"))
    qtbot.addWidget(window)
    session = window.session
    assert session is not None
    with qtbot.waitSignal(session.document_opened, timeout=WAIT_MS):
        window.open_file(orderfiles.template_clean(tmp_path))
    assert zone_answers == []
    assert not session.zone_button.isVisibleTo(window)


# ---- 7. save only with changes --------------------------------------------------------------


def test_save_is_off_until_something_changed(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(preferences=Preferences(timezone="UTC"))
    qtbot.addWidget(window)
    session = window.session
    assert session is not None
    with qtbot.waitSignal(session.document_opened, timeout=WAIT_MS) as blocker:
        window.open_file(orderfiles.fixing_defects(tmp_path))
    view = blocker.args[0]
    assert not window.save_action.isEnabled() and window.save_as_action.isEnabled()
    view.issues_panel.select_group("negative_number", header(view.document, "products_quantity"))
    view.issues_panel.apply_selected_fix()
    assert window.save_action.isEnabled()
    view.undo_stack.undo()
    assert not window.save_action.isEnabled()
