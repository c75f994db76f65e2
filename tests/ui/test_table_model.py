"""The order table model and its filter proxy: marked cells, edits through the undo stack,
filters, search and sorting — on the planted defects of `orderfiles.template_defects`."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan, Qt
from PySide6.QtGui import QIcon

from northbeam_desktop.core.orders.document import OrderDocument
from northbeam_desktop.core.orders.issues import Severity
from northbeam_desktop.ui import icons
from northbeam_desktop.ui.document.cell_text import display_text, typed_like
from northbeam_desktop.ui.document.model import OrdersTableModel
from northbeam_desktop.ui.document.proxy import FilterMode, OrdersFilterProxy, sort_key
from northbeam_desktop.ui.icons import StatusKind
from tests.ui.fixtures_document import big_document, defects_document

M = OrdersTableModel

# (row_index, col_index) → (code, severity) planted by orderfiles.template_defects
PLANTED = {
    (1, 4): ("order_value_conflict", Severity.ERROR),
    (2, 6): ("required", Severity.ERROR),
    (3, 5): ("not_a_number", Severity.ERROR),
    (3, 17): ("value_converted", Severity.NOTE),
    (4, 14): ("negative_number", Severity.ERROR),
    (5, 1): ("customer_id_is_order_id", Severity.ERROR),
    (6, 4): ("ambiguous_currency", Severity.ERROR),
}


@pytest.fixture
def doc(tmp_path: Path) -> OrderDocument:
    return defects_document(tmp_path)


@pytest.fixture
def model(qapp: object, doc: OrderDocument) -> OrdersTableModel:
    return OrdersTableModel(doc)


@pytest.fixture
def proxy(model: OrdersTableModel) -> OrdersFilterProxy:
    proxy = OrdersFilterProxy()
    proxy.setSourceModel(model)
    return proxy


def cell(model: OrdersTableModel, row: int, col_index: int, role: int = 0) -> object:
    return model.data(model.index(row, col_index + 1), role)


def test_models_pass_qt_model_tester(qtmodeltester, model, proxy) -> None:
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)
    proxy.set_mode(FilterMode.ERRORS)
    proxy.sort(6, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)
    proxy.set_search_text("cap")
    qtmodeltester.check(proxy)


def test_multi_data_answers_what_data_answers(model, proxy) -> None:
    """Painting asks every role of a cell in one multiData() call; it must say what data()
    says, role for role, through the model and through the (sorted, filtered) proxy."""
    roles = [
        *(int(r) for r in Qt.ItemDataRole if int(r) < int(Qt.ItemDataRole.UserRole)),
        M.IssuesRole,
        M.SeverityRole,
        M.StatusRole,
        M.OrderIdRole,
        M.RowIndexRole,
        int(Qt.ItemDataRole.UserRole) + 99,  # a role nobody answers
    ]
    proxy.sort(5, Qt.SortOrder.DescendingOrder)
    for source in (model, proxy):
        for row in range(source.rowCount()):
            for column in range(source.columnCount()):
                index = source.index(row, column)
                for role in roles:
                    item = QModelRoleData(role)
                    source.multiData(index, QModelRoleDataSpan(item))
                    expected = source.data(index, role)
                    got = item.data()
                    if isinstance(expected, QIcon):
                        assert isinstance(got, QIcon) and got.cacheKey() == expected.cacheKey()
                    else:
                        assert got == expected, (row, column, role)


def test_columns_are_status_then_the_files_own(model, doc) -> None:
    assert model.columnCount() == len(doc.sheet.headers) + 1
    assert model.rowCount() == 7
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Status"
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(1, 19)]
    assert headers == doc.sheet.headers
    # Excel row numbers: the header is row 1
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(7)] == [
        str(n) for n in range(2, 9)
    ]
    tip = model.headerData(7, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "Tax" in tip and "Northbeam's own column name" in tip
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable


def test_problem_cells_are_marked_at_their_exact_cells(model) -> None:
    for row in range(model.rowCount()):
        for col_index in range(18):
            issues = cell(model, row, col_index, M.IssuesRole)
            planted = PLANTED.get((row, col_index))
            if planted is None:
                assert issues == [], (row, col_index, issues)
                assert cell(model, row, col_index, Qt.ItemDataRole.BackgroundRole) is None
                assert cell(model, row, col_index, Qt.ItemDataRole.DecorationRole) is None
                continue
            code, severity = planted
            assert [i.code for i in issues] == [code]
            assert cell(model, row, col_index, M.SeverityRole) is severity
            kind = StatusKind.ERROR if severity is Severity.ERROR else StatusKind.WARNING
            background = cell(model, row, col_index, Qt.ItemDataRole.BackgroundRole)
            # A value changed for you is marked by its icon only, never tinted like a problem.
            assert background == (None if severity is Severity.NOTE else icons.tint(kind))
            icon = cell(model, row, col_index, Qt.ItemDataRole.DecorationRole)
            assert isinstance(icon, QIcon) and not icon.isNull()
            tooltip = cell(model, row, col_index, Qt.ItemDataRole.ToolTipRole)
            assert issues[0].message.split("“")[0] in tooltip
            if issues[0].suggestion:
                assert "Suggested fix" in tooltip and issues[0].suggestion in tooltip


def test_status_column_shows_the_orders_state(model, doc) -> None:
    assert model.data(model.index(6, 0)) == "Error"
    assert model.data(model.index(6, 0), M.StatusRole) is StatusKind.ERROR
    assert model.data(model.index(6, 0), M.OrderIdRole) == "1006"
    assert model.data(model.index(6, 0), M.RowIndexRole) == 6
    tooltip = model.data(model.index(6, 0), Qt.ItemDataRole.ToolTipRole)
    assert "Order 1006 (row 8) can't be sent" in tooltip
    assert "Row 8, currency" in tooltip
    # both rows of order 1001 carry its status (the conflict sits on row 3)
    assert model.data(model.index(0, 0)) == model.data(model.index(1, 0)) == "Error"
    assert [i.code for i in model.data(model.index(1, 0), M.IssuesRole)] == ["order_value_conflict"]


def _same_icon(first: QIcon, second: QIcon) -> bool:
    return first.pixmap(16, 16).toImage() == second.pixmap(16, 16).toImage()


def test_row_header_keeps_the_status_in_sight(model, proxy) -> None:
    # Scrolled sideways the Status column is out of view; the row header never is.
    vertical = Qt.Orientation.Vertical
    decoration, tooltip = Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole
    assert model.headerData(6, vertical) == "8"
    assert _same_icon(model.headerData(6, vertical, decoration), icons.status_icon("error"))
    assert model.headerData(6, vertical, tooltip) == "Row 8 in your file: Error"
    proxy.set_search_text("1006")  # the proxy's first row is the model's seventh
    assert proxy.headerData(0, vertical, tooltip) == "Row 8 in your file: Error"
    assert model.headerData(model.rowCount(), vertical, decoration) is None
    # The icon is shown once per row: in the header, not again in the Status column.
    assert model.data(model.index(6, 0), decoration) is None
    assert model.data(model.index(6, 0)) == "Error"


def test_row_header_repaints_when_an_edit_changes_the_status(model) -> None:
    changed: list[tuple[Qt.Orientation, int, int]] = []
    model.headerDataChanged.connect(lambda *args: changed.append(args))
    assert model.setData(model.index(1, 5), "USD")  # fixes order 1001 (rows 2 and 3)
    assert changed == [(Qt.Orientation.Vertical, 0, 1)]
    assert model.headerData(1, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole) == (
        "Row 3 in your file: Ready"
    )
    icon = model.headerData(1, Qt.Orientation.Vertical, Qt.ItemDataRole.DecorationRole)
    assert _same_icon(icon, icons.status_icon("valid"))


def test_display_keeps_values_as_typed() -> None:
    assert display_text(None) == ""
    assert display_text("1.234,50") == "1.234,50"
    assert display_text(1001) == "1001"
    assert display_text(12.5) == "12.5"
    assert display_text(True) == "TRUE"
    assert display_text(dt.datetime(2026, 3, 8, 13, 45)) == "2026-03-08 13:45:00"
    assert display_text(dt.datetime(2026, 3, 8)) == "2026-03-08"
    assert display_text(dt.date(2026, 3, 8)) == "2026-03-08"
    assert typed_like(12, "15") == 15
    assert typed_like(12.5, "3.25") == 3.25
    assert typed_like("12", "15") == "15"
    assert typed_like(12, "abc") == "abc"


def test_set_data_rechecks_only_that_order_and_repaints_its_rows(model, doc) -> None:
    calls: list[object] = []
    check = doc.checker.check

    def counting_check(record, **options):  # type: ignore[no-untyped-def]
        calls.append(record)
        return check(record, **options)

    doc.checker.check = counting_check  # type: ignore[method-assign]
    changed: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda tl, br, _roles: changed.append((tl.row(), tl.column(), br.row(), br.column()))
    )
    others = {r.order_id: r.issues for r in doc.orders if r.order_id != "1001"}

    # row 3 (index 1) of order 1001 says EUR where row 2 says USD
    assert model.setData(model.index(1, 5), "USD")
    assert [r.order_id for r in calls] == ["1001"]
    assert changed == [(0, 0, 1, 18)]  # both rows of order 1001, every column
    assert cell(model, 1, 4, M.IssuesRole) == []
    assert model.data(model.index(1, 0), M.StatusRole) is StatusKind.VALID
    assert all(r.issues is others[r.order_id] for r in doc.orders if r.order_id != "1001")
    assert model.undo_stack.count() == 1
    # An order value is the order's: typed on one row, every row of the order gets it.
    assert model.undo_stack.undoText() == "Edit currency of order 1001"
    assert [doc.sheet.rows[r][4] for r in (0, 1)] == ["USD", "USD"]

    written: list[list[tuple[int, int, object]]] = []
    model.cells_written.connect(written.append)
    model.undo_stack.redo()  # nothing to redo: no signal
    model.undo_stack.undo()
    assert written == [[(1, 4, "EUR")]]
    model.undo_stack.redo()
    assert written[-1] == [(1, 4, "USD")]

    # unchanged value: no command
    assert not model.setData(model.index(1, 5), "USD")
    assert model.undo_stack.count() == 1

    model.undo_stack.undo()
    assert doc.sheet.rows[1][4] == "EUR"
    assert [i.code for i in cell(model, 1, 4, M.IssuesRole)] == ["order_value_conflict"]


def test_edit_of_an_order_id_moves_the_row_and_repaints_both_orders(model, doc) -> None:
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda tl, br, _r: changed.append((tl.row(), br.row())))
    model.setData(model.index(2, 1), "1001")  # order 1002's only row joins 1001
    rows = set()
    for first, last in changed:
        rows.update(range(first, last + 1))
    assert rows == {0, 1, 2}
    assert doc.order_of_row[2].order_id == "1001"
    assert model.data(model.index(2, 0), M.OrderIdRole) == "1001"


def test_edit_latency_on_20k_rows(qapp, tmp_path: Path) -> None:
    doc = big_document(tmp_path, 10_000)
    assert len(doc.sheet.rows) >= 19_000
    model = OrdersTableModel(doc)
    proxy = OrdersFilterProxy()
    proxy.setSourceModel(model)
    timings = []
    tax = doc.sheet.headers.index("tax") + 1
    for i in range(20):
        row = 100 + i * 500
        index = proxy.index(proxy.proxy_row(row), tax)
        start = time.perf_counter()
        assert proxy.setData(index, f"{i}.00")
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings) * 1000
    print(f"\nedit latency on {len(doc.sheet.rows):,} rows: median {median:.1f} ms")
    assert median < 1000


def test_errors_filter_shows_exactly_the_rows_with_errors(proxy, model, qtbot) -> None:
    # Row 3 (an error in its total) also gets a warning: a purchase in the future.
    when = model.document.sheet.headers.index("time_of_purchase") + 1
    assert model.setData(model.index(3, when), "2030-01-01 10:00")
    proxy.set_mode(FilterMode.ERRORS)
    assert proxy.source_rows() == [1, 2, 3, 4, 5, 6]
    proxy.set_mode(FilterMode.WARNINGS)
    assert proxy.source_rows() == [3]
    proxy.set_mode(FilterMode.ALL)
    assert proxy.source_rows() == list(range(7))
    # vertical header follows the rows shown
    proxy.set_mode(FilterMode.WARNINGS)
    assert proxy.headerData(0, Qt.Orientation.Vertical) == "5"


def test_rows_leave_the_errors_filter_when_fixed(proxy, model, qtbot) -> None:
    proxy.set_mode(FilterMode.ERRORS)
    model.setData(model.index(2, 7), "0")  # order 1002's missing tax
    qtbot.waitUntil(lambda: 2 not in proxy.source_rows())
    assert proxy.source_rows() == [1, 3, 4, 5, 6]


def test_search_selected_and_failed_filters(proxy, model, doc) -> None:
    proxy.set_search_text("CAP")
    assert proxy.source_rows() == [4, 5, 6]
    proxy.set_search_text("jane@")
    assert proxy.source_rows() == [0, 1]
    proxy.set_mode(FilterMode.ERRORS)
    assert proxy.source_rows() == [1]
    proxy.set_search_text("")
    proxy.set_selected_rows({0, 3})
    proxy.set_mode(FilterMode.SELECTED)
    assert proxy.source_rows() == [0, 3]
    doc.record_upload_result(doc.order_by_id("1004"), "failed", "Northbeam said no")
    model.refresh_statuses()
    proxy.set_mode(FilterMode.FAILED)
    assert proxy.source_rows() == [4]
    assert model.data(model.index(4, 0)) == "Upload failed"


def test_search_follows_edits(proxy, model, qtbot) -> None:
    proxy.set_search_text("mug")
    assert proxy.source_rows() == [3]
    model.setData(model.index(4, 14), "Mug")  # row 6's product name
    qtbot.waitUntil(lambda: proxy.source_rows() == [3, 4])


def test_sorting_numbers_text_and_blanks(proxy, model, doc) -> None:
    total = doc.sheet.headers.index("purchase_total") + 1
    proxy.sort(total, Qt.SortOrder.AscendingOrder)
    values = [doc.sheet.rows[r][total - 1] for r in proxy.source_rows()]
    # numbers by value (20 < 45 < 118.25), then text ("abc")
    assert values == ["20", "20", "20", "45.00", "118.25", "118.25", "abc"]
    proxy.sort(total, Qt.SortOrder.DescendingOrder)
    values = [doc.sheet.rows[r][total - 1] for r in proxy.source_rows()]
    assert values == ["abc", "118.25", "118.25", "45.00", "20", "20", "20"]
    tax = doc.sheet.headers.index("tax") + 1
    proxy.sort(tax, Qt.SortOrder.DescendingOrder)
    assert proxy.source_rows()[-1] == 2  # the blank tax goes last either way
    proxy.sort(0, Qt.SortOrder.AscendingOrder)  # status: errors first
    assert model.data(model.index(proxy.source_rows()[0], 0), M.StatusRole) is StatusKind.ERROR
    proxy.sort(-1)
    assert proxy.source_rows() == list(range(7))
    assert sort_key(" ") is None
    assert sort_key("12.5") == (0, 12.5)
    assert sort_key("Mug") == (2, "mug")


def test_filters_stay_fast_on_many_rows(qapp, tmp_path: Path) -> None:
    doc = big_document(tmp_path, 10_000)
    model = OrdersTableModel(doc)
    proxy = OrdersFilterProxy()
    proxy.setSourceModel(model)
    timings = {}
    for name, action in [
        ("errors", lambda: proxy.set_mode(FilterMode.ERRORS)),
        ("all", lambda: proxy.set_mode(FilterMode.ALL)),
        ("search", lambda: proxy.set_search_text("noah")),
        ("sort", lambda: proxy.sort(7, Qt.SortOrder.DescendingOrder)),
    ]:
        start = time.perf_counter()
        action()
        timings[name] = time.perf_counter() - start
    print("\n" + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in timings.items()))
    assert max(timings.values()) < 5
