"""The document workspace driven like a user would: problems panel and quick fixes with undo and
redo, F8, filters, bulk edits, the JSON preview, re-mapping, and opening files off the GUI
thread. (docs/screenshots/make_screenshots.py makes the pictures for the docs.)"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from northbeam_desktop.core.orders.document import LoadOptions, OrderDocument
from northbeam_desktop.core.orders.issues import Severity
from northbeam_desktop.core.orders.mapping import PresetStore
from northbeam_desktop.ui.document import view as document_view_module
from northbeam_desktop.ui.document.find_replace import FindReplaceDialog
from northbeam_desktop.ui.document.issue_groups import IssueGroupsModel
from northbeam_desktop.ui.document.loader import DocumentLoader, SheetPickerDialog
from northbeam_desktop.ui.document.model import OrdersTableModel
from northbeam_desktop.ui.document.proxy import FilterMode
from northbeam_desktop.ui.icons import StatusKind
from tests.core import orderfiles
from tests.ui.fixtures_document import (
    NOW,
    big_document,
    defects_document,
    open_document,
)

CURRENCY = 4  # col_index of "currency" in the template files
TAX = 6


@pytest.fixture
def make_view(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    def make(doc: OrderDocument, width: int = 1400, height: int = 800):  # type: ignore[no-untyped-def]
        view = document_view_module.DocumentView(
            doc, preset_store=PresetStore(tmp_path / "presets")
        )
        qtbot.addWidget(view)
        view.resize(width, height)
        view.show()
        qtbot.waitExposed(view)
        return view

    return make


@pytest.fixture
def view(make_view, tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_view(defects_document(tmp_path))


def select_cells(view, cells: list[tuple[int, int]]) -> None:  # type: ignore[no-untyped-def]
    """Select (row_index, col_index) cells in the table as a user would."""
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


def raw(view, row: int, col_index: int) -> object:  # type: ignore[no-untyped-def]
    return view.document.sheet.rows[row][col_index]


# ---- problems panel and quick fixes -------------------------------------------------------


def test_problems_panel_groups_issues_in_plain_words(view, qtmodeltester) -> None:
    panel = view.issues_panel
    qtmodeltester.check(panel.groups_model)
    texts = [g.text for g in panel.groups_model.groups]
    assert "Currency “$” is ambiguous — 1 order" in texts
    assert "Tax is empty — 1 order" in texts
    assert "Order total is not a number (“abc”) — 1 order" in texts
    assert "Shipping country “us” is sent as “USA” — 1 order" in texts
    # errors first, the value changed for you (a note) last
    assert texts[-1].startswith("Shipping country")
    assert panel.groups_model.groups[-1].severity is Severity.NOTE
    assert panel.summary_label.text() == ("6 orders · 0 ready · 6 with errors")
    assert panel.file_frame.isHidden()
    tax = panel.select_group("required", TAX)
    child = panel.groups_model.index(
        0, 0, panel.groups_model.index(panel.groups_model.groups.index(tax), 0)
    )
    assert child.data() == "Row 4 · order 1002"
    assert child.siblingAtColumn(1).data() == "empty"
    assert child.data(IssueGroupsModel.IssueRole).code == "required"
    group_index = panel.groups_model.index(panel.groups_model.groups.index(tax), 0)
    assert group_index.data() == "Tax is empty"
    assert group_index.siblingAtColumn(1).data() == "1 order"


def test_blocked_file_shows_every_order_as_an_error(make_view, tmp_path: Path) -> None:
    path = orderfiles.european_csv(tmp_path)
    # Both orders in the future, so both have a warning for the Warnings filter to show.
    path.write_bytes(path.read_bytes().replace(b".2026", b".2036"))
    view = make_view(open_document(path))
    assert view.document.blocked
    assert view.model.data(view.model.index(0, 0), OrdersTableModel.StatusRole) is (
        StatusKind.ERROR
    )
    tooltip = view.model.data(view.model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert "Nothing can be sent yet" in tooltip


def test_clicking_an_issue_jumps_to_its_cell(view, qtbot) -> None:
    panel = view.issues_panel
    group = panel.select_group("ambiguous_currency", CURRENCY)
    row = panel.groups_model.groups.index(group)
    panel.tree.expand(panel.groups_model.index(row, 0))
    child = panel.groups_model.index(0, 0, panel.groups_model.index(row, 0))
    with qtbot.waitSignal(panel.issue_activated) as signal:
        qtbot.mouseClick(
            panel.tree.viewport(),
            Qt.MouseButton.LeftButton,
            pos=panel.tree.visualRect(child).center(),
        )
    assert signal.args == [6, CURRENCY]
    assert view.current_cell() == (6, CURRENCY)


def test_quick_fix_undo_redo(view) -> None:
    panel = view.issues_panel
    group = panel.select_group("ambiguous_currency", CURRENCY)
    assert group.fix_label == "Use USD"
    assert panel.fix_button.isVisibleTo(panel) and panel.fix_button.text() == "Use USD"
    panel.fix_button.click()
    assert raw(view, 6, CURRENCY) == "USD"
    assert view.model.data(view.model.index(6, CURRENCY + 1), OrdersTableModel.IssuesRole) == []
    assert view.undo_stack.undoText() == "Set Currency to USD in 1 cell"
    assert view.named_actions["undo"].text() == "&Undo Set Currency to USD in 1 cell"
    view.named_actions["undo"].trigger()
    assert raw(view, 6, CURRENCY) == "$"
    codes = [
        i.code
        for i in view.model.data(view.model.index(6, CURRENCY + 1), OrdersTableModel.IssuesRole)
    ]
    assert codes == ["ambiguous_currency"]
    view.named_actions["redo"].trigger()
    assert raw(view, 6, CURRENCY) == "USD"


def test_quick_fix_for_many_orders_is_one_undo_step(make_view, tmp_path: Path) -> None:
    doc = big_document(tmp_path, 400)
    view = make_view(doc)
    currency = doc.sheet.headers.index("currency")
    panel = view.issues_panel
    group = panel.select_group("ambiguous_currency", currency)
    n = group.orders
    assert n == 5  # k % 97 == 5 for k < 400: 5, 102, 199, 296, 393
    assert group.fix_label == f"Use USD for all {n}"
    before = [(r, raw(view, r, currency)) for r in range(len(doc.sheet.rows))]
    dollar_rows = [r for r, v in before if v == "$"]
    assert len(dollar_rows) > n  # every line of those orders says "$"
    assert panel.apply_quick_fix(group)
    assert all(raw(view, r, currency) == "USD" for r in dollar_rows)
    assert view.undo_stack.undoText() == f"Set Currency to USD in {len(dollar_rows)} cells"
    assert panel.select_group("ambiguous_currency", currency) is None
    view.undo_stack.undo()
    assert [(r, raw(view, r, currency)) for r in range(len(doc.sheet.rows))] == before
    view.undo_stack.redo()
    assert all(raw(view, r, currency) == "USD" for r in dollar_rows)


def test_quick_fix_converts_two_letter_countries(make_view, tmp_path: Path) -> None:
    view = make_view(big_document(tmp_path, 200))
    country = view.document.sheet.headers.index("customer_shipping_address_country_code")
    panel = view.issues_panel
    group = panel.select_group("value_converted", country)
    us_cells = [r for r, row in enumerate(view.document.sheet.rows) if row[country] == "us"]
    assert group.fix_label == f"Use USA for all {group.orders}"
    panel.apply_quick_fix(group)
    assert all(raw(view, r, country) == "USA" for r in us_cells)
    assert panel.select_group("value_converted", country) is None
    view.undo_stack.undo()
    assert all(raw(view, r, country) == "us" for r in us_cells)


def test_file_level_problems_offer_the_mapping(make_view, tmp_path: Path, monkeypatch) -> None:
    path = orderfiles.european_csv(tmp_path)
    # Both orders in the future, so both have a warning for the Warnings filter to show.
    path.write_bytes(path.read_bytes().replace(b".2026", b".2036"))
    view = make_view(open_document(path))
    panel = view.issues_panel
    assert panel.file_frame.isVisibleTo(panel)
    assert "No column of this file holds Order ID" in panel.file_issues_label.text()
    assert "none can be sent" in panel.summary_label.text()
    opened: list[bool] = []
    monkeypatch.setattr(view, "edit_mapping", lambda: opened.append(True))
    panel.mapping_button.click()
    assert opened == [True]


# ---- navigation, filters ------------------------------------------------------------------


def test_f8_walks_problem_cells_in_view_order(view, qtbot) -> None:
    # Problem cells only: row 3's "us" (sent as "USA") is a note, not a problem.
    expected = [(1, 4), (2, 6), (3, 5), (4, 14), (5, 1), (6, 4)]
    view.table.setFocus()
    seen = []
    for _ in range(len(expected) + 1):
        qtbot.keyClick(view.table, Qt.Key.Key_F8)
        seen.append(view.current_cell())
    assert seen == [*expected, expected[0]]  # wraps around
    qtbot.keyClick(view.table, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert view.current_cell() == expected[-1]
    qtbot.keyClick(view.table, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert view.current_cell() == expected[-2]
    # proxy order: sorted by order ID, descending
    view.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    view.table.setCurrentIndex(view.proxy.index(0, 0))
    view.named_actions["next_problem"].trigger()
    assert view.current_cell() == (6, 4)
    view.named_actions["next_problem"].trigger()
    assert view.current_cell() == (5, 1)


def test_filter_buttons_and_search(view, qtbot) -> None:
    view.filter_bar.buttons[FilterMode.ERRORS].click()
    assert view.proxy.mode is FilterMode.ERRORS
    assert view.proxy.source_rows() == [1, 2, 3, 4, 5, 6]
    assert view.filter_bar.count_label.text() == "Showing 6 of 7 rows"
    qtbot.keyClicks(view.filter_bar.search_edit, "cap")
    qtbot.waitUntil(lambda: view.proxy.source_rows() == [4, 5, 6])
    view.filter_bar.search_edit.clear()
    qtbot.waitUntil(lambda: view.proxy.search_text == "")
    view.filter_bar.buttons[FilterMode.ALL].click()
    select_cells(view, [(0, 0), (3, 0)])
    view.filter_bar.buttons[FilterMode.SELECTED].click()
    assert view.proxy.source_rows() == [0, 3]
    # jumping to a hidden row shows every row again
    view.focus_cell(2, TAX)
    assert view.proxy.mode is FilterMode.ALL
    assert view.filter_bar.buttons[FilterMode.ALL].isChecked()
    assert view.current_cell() == (2, TAX)


def test_ctrl_f_focuses_the_search(view, qtbot) -> None:
    view.table.setFocus()
    view.named_actions["find"].trigger()
    assert view.filter_bar.search_edit.hasFocus()


# ---- bulk edits ---------------------------------------------------------------------------


def test_delete_rows_and_undo(view) -> None:
    doc = view.document
    before = [list(row) for row in doc.sheet.rows]
    select_cells(view, [(2, 0), (4, 0), (5, 3)])
    assert view.selected_rows() == [2, 4, 5]
    view.named_actions["delete_rows"].trigger()
    assert doc.sheet.row_numbers == [2, 3, 5, 8]
    assert view.model.rowCount() == view.proxy.rowCount() == 4
    assert view.undo_stack.undoText() == "Delete 3 rows"
    assert view.model.headerData(2, Qt.Orientation.Vertical) == "5"
    view.undo_stack.undo()
    assert doc.sheet.row_numbers == [2, 3, 4, 5, 6, 7, 8]
    assert doc.sheet.rows == before
    assert [i.code for i in doc.issues_for_cell(6, CURRENCY)] == ["ambiguous_currency"]
    view.undo_stack.redo()
    assert doc.sheet.row_numbers == [2, 3, 5, 8]


def test_fill_down_and_undo(view) -> None:
    select_cells(view, [(0, TAX), (1, TAX), (2, TAX)])
    view.named_actions["fill_down"].trigger()
    assert [raw(view, r, TAX) for r in range(3)] == ["8.25", "8.25", "8.25"]
    assert view.undo_stack.undoText() == "Fill down Tax in 2 cells"
    view.undo_stack.undo()
    assert [raw(view, r, TAX) for r in range(3)] == ["8.25", "8.25", None]
    # a single cell takes the value from the row above
    select_cells(view, [(2, TAX)])
    view.fill_down()
    assert raw(view, 2, TAX) == "8.25"


def test_find_and_replace_in_column_and_undo(view) -> None:
    assert view.count_matches(CURRENCY, "usd") == 5
    assert view.count_matches(CURRENCY, "usd", match_case=True) == 0
    assert view.replace_in_column(CURRENCY, "$", "USD", whole_cell=True) == 1
    assert raw(view, 6, CURRENCY) == "USD"
    assert view.replace_in_column(CURRENCY, "us", "EU") == 6
    assert [raw(view, r, CURRENCY) for r in range(7)] == ["EUD", "EUR"] + ["EUD"] * 5
    assert view.undo_stack.undoText() == "Replace us with EU in Currency (6 cells)"
    view.undo_stack.undo()
    assert raw(view, 6, CURRENCY) == "USD"
    view.undo_stack.undo()
    assert raw(view, 6, CURRENCY) == "$"


def test_find_and_replace_dialog(view, qtbot) -> None:
    select_cells(view, [(0, CURRENCY)])
    dialog = FindReplaceDialog(view, CURRENCY, view)
    qtbot.addWidget(dialog)
    assert dialog.column_combo.currentText() == "currency"
    dialog.find_edit.setText("$")
    dialog.replace_edit.setText("USD")
    dialog.whole_cell_box.setChecked(True)
    assert dialog.count_label.text() == "1 cell match"
    dialog.replace_button.click()
    assert raw(view, 6, CURRENCY) == "USD"
    assert dialog.count_label.text() == "Replaced in 1 cell."


def test_set_value_for_selected_cells_paste_and_clear(view, monkeypatch) -> None:
    select_cells(view, [(r, CURRENCY) for r in range(7)])
    monkeypatch.setattr(document_view_module.QInputDialog, "getText", lambda *a, **k: ("usd", True))
    view.named_actions["set_value"].trigger()
    assert [raw(view, r, CURRENCY) for r in range(7)] == ["usd"] * 7
    assert view.undo_stack.undoText() == "Set Currency to usd in 7 cells"
    view.paste("USD")
    assert [raw(view, r, CURRENCY) for r in range(7)] == ["USD"] * 7
    select_cells(view, [(6, TAX)])
    view.paste("1\t2\n3\t4")
    assert raw(view, 6, TAX) == "1" and raw(view, 6, TAX + 1) == "2"
    view.named_actions["clear_cells"].trigger()
    assert raw(view, 6, TAX) is None
    view.undo_stack.undo()
    assert raw(view, 6, TAX) == "1"


def test_copy_selection(view) -> None:
    select_cells(view, [(0, 0), (0, 1), (1, 0), (1, 1)])
    view.copy_selection()
    assert QApplication.clipboard().text() == "1001\tC-1\n1001\tC-1"


def test_typing_in_a_cell_edits_through_the_undo_stack(view, qtbot) -> None:
    index = view.proxy.index(2, TAX + 1)
    view.table.setCurrentIndex(index)
    view.table.setFocus()
    qtbot.keyClicks(view.table, "0")  # typing over a cell opens its editor
    editor = view.table.findChild(QLineEdit)
    assert editor is not None and editor.text() == "0"
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Qt commits on the next event loop turn
    qtbot.waitUntil(lambda: raw(view, 2, TAX) == "0")
    assert view.undo_stack.undoText() == "Edit tax in row 4"
    assert view.document.order_of_row[2].status.value == "valid"


# ---- what will be sent --------------------------------------------------------------------


def test_payload_view_shows_json_for_a_valid_order(make_view, tmp_path: Path, qtbot) -> None:
    doc = open_document(orderfiles.template_clean(tmp_path))
    view = make_view(doc)
    view.focus_cell(1, 0)
    qtbot.waitUntil(lambda: view.payload_view.record is doc.orders[0])
    view.payload_view.refresh()
    assert not view.payload_view.showing_errors()
    assert json.loads(view.payload_view.text()) == doc.payload(doc.orders[0])
    assert view.payload_view.order_label.text() == "— order 1001, rows 2–3"
    assert view.payload_view.note_label.isHidden()


def test_payload_view_shows_hashes_when_hashing_is_on(make_view, tmp_path: Path) -> None:
    doc = open_document(orderfiles.template_clean(tmp_path), hash_identifiers=True)
    view = make_view(doc)
    view.payload_view.show_record(doc.orders[0])
    payload = json.loads(view.payload_view.text())
    assert "customer_email" not in payload
    assert len(payload["hashed_customer_email"]) == 64
    assert "SHA-256" in view.payload_view.note_label.text()


def test_payload_view_lists_errors_instead_of_json(view, qtbot) -> None:
    view.focus_cell(3, 5)
    qtbot.waitUntil(lambda: view.payload_view.showing_errors())
    text = view.payload_view.text()
    assert "Order 1003 can't be sent until this is fixed" in text
    assert "“abc” is not an amount" in text
    assert "{" not in text
    # fixing the cell shows the JSON
    view.proxy.setData(view.proxy.index(3, 6), "37")
    qtbot.waitUntil(lambda: not view.payload_view.showing_errors())
    assert json.loads(view.payload_view.text())["purchase_total"] == 37


# ---- upload results, mapping, signals -----------------------------------------------------


def test_refresh_after_upload_paints_statuses(view) -> None:
    doc = view.document
    record = doc.order_by_id("1002")
    doc.record_upload_result(record, "failed", "Northbeam said no", [("tax", "is required")])
    view.refresh_after_upload()
    assert view.model.data(view.model.index(2, 0)) == "Upload failed"
    assert view.model.data(view.model.index(2, 0), OrdersTableModel.StatusRole) is StatusKind.FAILED
    codes = [
        i.code for i in view.model.data(view.model.index(2, TAX + 1), OrdersTableModel.IssuesRole)
    ]
    assert "server_rejected" in codes
    view.set_filter(FilterMode.FAILED)
    assert view.proxy.source_rows() == [2]
    assert view.selected_records() == []
    select_cells(view, [(2, 0)])
    assert view.selected_records() == [record]


def test_document_changed_and_selection_changed(view, qtbot) -> None:
    with qtbot.waitSignal(view.document_changed):
        view.proxy.setData(view.proxy.index(2, TAX + 1), "0")
    with qtbot.waitSignal(view.document_changed):
        view.undo_stack.undo()
    with qtbot.waitSignal(view.selection_changed):
        select_cells(view, [(0, 0)])


def test_apply_mapping_rechecks_the_file(make_view, tmp_path: Path) -> None:
    path = orderfiles.european_csv(tmp_path)
    # Both orders in the future, so both have a warning for the Warnings filter to show.
    path.write_bytes(path.read_bytes().replace(b".2026", b".2036"))
    view = make_view(open_document(path))
    assert view.document.blocked
    mapping = view.document.mapping.copy()
    mapping.set("order_id", "Beleg-Nr.")
    with_signal = []
    view.document_changed.connect(lambda: with_signal.append(True))
    view.apply_mapping(mapping, "Europe/Berlin")
    assert not view.document.blocked
    assert view.document.timezone_name == "Europe/Berlin"
    assert [r.order_id for r in view.document.orders] == ["A-1", "A-2"]
    assert "none can be sent" not in view.issues_panel.summary_label.text()
    assert with_signal == [True]


def test_big_files_are_rechecked_off_the_gui_thread(
    make_view, tmp_path, qtbot, monkeypatch
) -> None:
    monkeypatch.setattr(document_view_module, "BACKGROUND_RECHECK_ROWS", 0)
    path = orderfiles.european_csv(tmp_path)
    # Both orders in the future, so both have a warning for the Warnings filter to show.
    path.write_bytes(path.read_bytes().replace(b".2026", b".2036"))
    view = make_view(open_document(path))
    view.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # "Kunde": K-2 first
    view.set_filter(FilterMode.WARNINGS)
    mapping = view.document.mapping.copy()
    mapping.set("order_id", "Beleg-Nr.")
    view.apply_mapping(mapping)
    assert view.busy
    assert view.model.rowCount() == 0  # nothing is read while the document is rebuilt
    assert not view.named_actions["fill_down"].isEnabled()
    qtbot.waitUntil(lambda: not view.busy, timeout=10_000)
    assert view.model.rowCount() == 2
    assert [r.order_id for r in view.document.orders] == ["A-1", "A-2"]
    assert view.proxy.source_rows() == [1, 0]  # still sorted and filtered
    assert view.named_actions["fill_down"].isEnabled()


# ---- opening files ------------------------------------------------------------------------


def _two_sheet_workbook(folder: Path) -> Path:
    path = orderfiles.xlsx_with_dates_and_title(folder)
    workbook = openpyxl.load_workbook(path)
    notes = workbook.create_sheet("Notes", 0)
    notes["A1"] = "Read me"
    notes["A2"] = "These are my notes"
    workbook.save(path)
    return path


def test_loader_reads_and_checks_off_the_gui_thread(qtbot, tmp_path: Path) -> None:
    loader = DocumentLoader(preset_store=PresetStore(tmp_path / "presets"))
    messages: list[str] = []
    loader.progress.connect(messages.append)
    with qtbot.waitSignal(loader.loaded, timeout=10_000) as signal:
        loader.load(orderfiles.template_defects(tmp_path), LoadOptions(timezone="UTC", now=NOW))
    doc = signal.args[0]
    assert isinstance(doc, OrderDocument)
    assert len(doc.orders) == 6
    assert messages == ["Reading template_defects.csv…", "Checking 7 rows…"]
    assert not loader.busy


def test_loader_reports_read_errors_in_their_own_words(qtbot, tmp_path: Path) -> None:
    loader = DocumentLoader()
    with qtbot.waitSignal(loader.failed, timeout=10_000) as signal:
        loader.load(tmp_path / "missing.csv")
    assert "missing.csv" in signal.args[0]
    assert "Traceback" not in signal.args[0]


def test_loader_hides_unexpected_errors_and_logs_them(qtbot, tmp_path, monkeypatch, caplog) -> None:
    from northbeam_desktop.ui.document import loader as loader_module

    def broken(*_args: object) -> None:
        raise KeyError("products.price")

    monkeypatch.setattr(loader_module, "OrderDocument", broken)
    caplog.set_level(logging.ERROR)
    loader = DocumentLoader()
    with qtbot.waitSignal(loader.failed, timeout=10_000) as signal:
        loader.load(orderfiles.template_clean(tmp_path), LoadOptions(timezone="UTC"))
    message = signal.args[0]
    assert message.startswith("Something went wrong while checking template_clean.csv.")
    assert "KeyError" not in message and "products.price" not in message
    assert any("KeyError" in (r.exc_text or "") for r in caplog.records)


def test_loader_asks_which_sheet(qtbot, tmp_path: Path) -> None:
    path = _two_sheet_workbook(tmp_path)
    asked: list[tuple[list[str], str | None]] = []

    def chooser(_parent, sheets, default):  # type: ignore[no-untyped-def]
        asked.append((list(sheets), default))
        return "Orders"

    loader = DocumentLoader(sheet_chooser=chooser)
    with qtbot.waitSignal(loader.loaded, timeout=10_000) as signal:
        loader.load(path, LoadOptions(timezone="UTC"))
    assert asked == [(["Notes", "Orders"], "Notes")]  # the first sheet with data
    assert signal.args[0].sheet.sheet == "Orders"
    assert [r.order_id for r in signal.args[0].orders] == ["1001", "1002"]

    loader = DocumentLoader(sheet_chooser=lambda *_a: None)
    with qtbot.waitSignal(loader.cancelled, timeout=10_000):
        loader.load(path, LoadOptions(timezone="UTC"))


def test_sheet_picker_defaults_to_the_first_sheet_with_data(qtbot) -> None:
    dialog = SheetPickerDialog(["Cover", "Orders", "Lists"], "Orders")
    qtbot.addWidget(dialog)
    assert dialog.chosen() == "Orders"
    dialog.list.setCurrentRow(2)
    assert dialog.chosen() == "Lists"


# ---- the screenshot -----------------------------------------------------------------------


def test_a_file_with_errors_renders(make_view, tmp_path: Path, qtbot) -> None:
    doc = big_document(tmp_path, 2_000)
    view = make_view(doc, 1600, 900)
    target = next(i for i in doc.all_issues() if i.code == "ambiguous_currency")
    view.focus_cell(target.row_index, target.col_index)
    view.issues_panel.select_group("ambiguous_currency", target.col_index)
    qtbot.waitUntil(lambda: view.payload_view.showing_errors())
    assert view.grab().save(str(tmp_path / "table_errors.png"))
