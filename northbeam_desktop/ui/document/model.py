"""The order table: the user's own spreadsheet, cell for cell, with every problem marked.

`OrdersTableModel` is a thin, virtualized view of an `OrderDocument`: it keeps no per-cell
objects, and `data()` answers each call from the sheet's row list and the row's order
(`doc.order_of_row`), so a 100,000-row file costs nothing to show. Column 0 is a Status column
(ready / warning / error / uploaded / upload failed, in words and colour; the row header beside
it carries the status icon, once, and stays in sight when the table scrolls sideways); columns
1… are the file's columns exactly as they are in the file (`sheet_column()` and `table_column()`
convert between the two numberings). The vertical header shows Excel's row numbers.

Problem cells get a soft tint **and** an icon (colour-blind users), the messages in the tooltip,
and their `Issue` objects under `IssuesRole`. Edits go through the undo stack (`SetCellsCommand`
in `ui/document/commands.py`), which calls `apply_cells`: the engine stores the value and
re-checks only the orders involved, and `dataChanged` is emitted for exactly the rows of those
orders. Deleting rows and putting them back (`delete_rows`, `restore_rows`) re-check the whole
file and report it with `rows_deleted` / `rows_restored` (for the recovery journal).

Role handling is dispatched to one small helper per role (`_display`, `_tooltip`, …). Roles are
compared as plain ints: Qt passes ints, and comparing them with enum members is many times slower.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QPalette, QUndoStack
from PySide6.QtWidgets import QApplication

from northbeam_desktop.core.orders.document import OrderDocument, OrderRecord
from northbeam_desktop.core.orders.fields import FIELDS_BY_KEY, Kind
from northbeam_desktop.core.orders.issues import Issue, Severity
from northbeam_desktop.core.orders.mapping import FieldMatch
from northbeam_desktop.core.orders.sheet import CellValue
from northbeam_desktop.ui import icons
from northbeam_desktop.ui.document.cell_text import display_text, escape_html, typed_like
from northbeam_desktop.ui.document.commands import DeletedRow, SetCellsCommand
from northbeam_desktop.ui.document.order_status import (
    SEVERITY_KIND,
    STATUS_TEXT,
    issues_html,
    status_kind,
    worst_severity,
)
from northbeam_desktop.ui.document.roles import (
    ACCESSIBLE,
    ALIGNMENT,
    BACKGROUND,
    DECORATION,
    DISPLAY,
    EDIT,
    FONT,
    FOREGROUND,
    TOOLTIP,
    USER,
)
from northbeam_desktop.ui.icons import StatusKind

AnyIndex = QModelIndex | QPersistentModelIndex


# Column 0 of the table is the Status column; table column n > 0 shows sheet column n - 1.
STATUS_COLUMN = 0


def sheet_column(column: int) -> int:
    """The sheet column (`col_index`) shown in table column `column`; -1 for the Status column."""
    return column - 1


def table_column(col_index: int | None) -> int:
    """The table column showing sheet column `col_index`; the Status column for -1 or None."""
    return STATUS_COLUMN if col_index is None or col_index < 0 else col_index + 1


_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_ALIGN_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class OrdersTableModel(QAbstractTableModel):
    """The user's sheet plus a Status column, over an `OrderDocument`. See the module docstring."""

    IssuesRole = USER + 1  # list[Issue] of the cell (status column: all of the row's order)
    SeverityRole = USER + 2  # Severity of the cell's worst issue, or None
    StatusRole = USER + 3  # StatusKind of the row's order
    OrderIdRole = USER + 4  # the row's order ID (str | None)
    RowIndexRole = USER + 5  # the row's index in doc.sheet.rows

    orders_changed = Signal(list)  # the OrderRecords an edit re-checked
    edit_note = Signal(str)  # what an edit did beyond the typed cell, for the status bar
    cells_written = Signal(list)  # [(row_index, col_index, value)] just stored (edit/undo/redo)
    rows_deleted = Signal(list)  # Excel row numbers of the rows a command just deleted
    rows_restored = Signal(list)  # [(Excel row number, values)] an undo just put back
    document_reset = Signal()  # rows or mapping changed: everything was rebuilt

    def __init__(
        self,
        document: OrderDocument,
        undo_stack: QUndoStack | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._doc = document
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self._dark = icons.is_dark()
        self._suspended = False
        # While saving or uploading the document must not change: typing is refused (the
        # document view also disables its editing actions).
        self.read_only = False
        self._bold = QFont()
        self._bold.setBold(True)
        self._roles: dict[int, Callable[[int, int], Any]] = {
            DISPLAY: self._display,
            EDIT: self._edit,
            TOOLTIP: self._tooltip,
            BACKGROUND: self._background,
            FOREGROUND: self._foreground,
            DECORATION: self._decoration,
            FONT: self._font,
            ALIGNMENT: self._alignment,
            ACCESSIBLE: self._accessible,
            self.IssuesRole: self._issues,
            self.SeverityRole: self._severity,
            self.StatusRole: self._status,
            self.OrderIdRole: self._order_id,
            self.RowIndexRole: self._row_index,
        }
        self._index_columns()

    # ---- the document ----------------------------------------------------------------------

    @property
    def document(self) -> OrderDocument:
        return self._doc

    def set_document(self, document: OrderDocument) -> None:
        """Show another document (the undo stack is cleared: its commands name old cells)."""
        self.beginResetModel()
        self._doc = document
        self._index_columns()
        self.endResetModel()
        self.undo_stack.clear()
        self.document_reset.emit()

    def reset_document(self) -> None:
        """After rows were deleted/inserted or the mapping changed (a full rebuild)."""
        self.beginResetModel()
        self._index_columns()
        self.endResetModel()
        self.document_reset.emit()

    @property
    def suspended(self) -> bool:
        return self._suspended

    def set_suspended(self, suspended: bool) -> None:
        """Show no rows while the document is rebuilt on another thread (a re-mapping of a
        big file); the view must not read the document half-way through."""
        if suspended == self._suspended:
            return
        self.beginResetModel()
        self._suspended = suspended
        if not suspended:
            self._index_columns()
        self.endResetModel()
        if not suspended:
            self.document_reset.emit()

    def _index_columns(self) -> None:
        """Per-column lookups (a few dozen entries, never per cell)."""
        doc = self._doc
        headers = doc.sheet.headers
        self._headers = headers
        self._match_of: dict[int, FieldMatch] = {}
        for match in doc.mapping.matches.values():
            if match.column in headers:
                self._match_of[headers.index(match.column)] = match
        self._numeric = {
            index
            for index, match in self._match_of.items()
            if FIELDS_BY_KEY[match.field_key].kind is Kind.NUMBER
        }
        self._column_issues: dict[int, list[Issue]] = {}
        for issue in doc.file_issues:
            if issue.col_index is not None:
                self._column_issues.setdefault(issue.col_index, []).append(issue)

    def field_match(self, col_index: int) -> FieldMatch | None:
        """The mapping of a sheet column, if it is sent to Northbeam."""
        return self._match_of.get(col_index)

    def field_label(self, col_index: int) -> str:
        """The Northbeam field name of a column for messages ("Currency"), else its header."""
        match = self._match_of.get(col_index)
        return FIELDS_BY_KEY[match.field_key].label if match else self._headers[col_index]

    # ---- Qt model API ----------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        if parent.isValid() or self._suspended:
            return 0
        return len(self._doc.sheet.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers) + 1

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        return self.cell_data(index.row(), index.column(), role)

    def cell_data(self, row: int, column: int, role: int) -> Any:
        """`data()` without a QModelIndex (the filter proxy calls this directly)."""
        handler = self._roles.get(role)
        return handler(row, column) if handler is not None else None

    def multiData(
        self, index: AnyIndex, roleDataSpan: QModelRoleDataSpan | QModelRoleData
    ) -> None:  # Qt override
        # Qt passes a span of roles (PySide's type stubs do not say it is a sequence).
        roles = cast(Sequence[QModelRoleData], roleDataSpan)
        if not index.isValid():
            for position in range(len(roles)):
                roles[position].clearData()
            return
        self.fill_roles(index.row(), index.column(), roles)

    def fill_roles(self, row: int, column: int, roles: Sequence[QModelRoleData]) -> None:
        """Answer every role Qt asks for one cell in one call. The item delegate asks for about
        eight roles per painted cell; one Python call instead of eight keeps painting fast, and
        keeps it fast when a background thread competes for the interpreter lock."""
        handlers = self._roles
        for position in range(len(roles)):
            item = roles[position]
            handler = handlers.get(item.role())
            if handler is None:
                item.clearData()
            else:
                item.setData(handler(row, column))

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return self.cell_flags(index.column())

    @staticmethod
    def cell_flags(column: int) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if column != STATUS_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = EDIT) -> bool:
        if (
            not index.isValid()
            or int(role) != EDIT
            or index.column() == STATUS_COLUMN
            or self.read_only
        ):
            return False
        row, col_index = index.row(), sheet_column(index.column())
        old = self._doc.sheet.rows[row][col_index]
        if value is None:
            new: CellValue = None
        elif isinstance(value, str):
            new = typed_like(old, value)
        else:
            new = value
        if (new == old and new.__class__ is old.__class__) or (new in ("", None) and old is None):
            return False
        excel_row = self._doc.sheet.row_numbers[row]
        changes, note = self.whole_orders([(row, col_index, new)])
        whole = len(changes) > 1
        rows = self._doc.sheet.rows
        changes = [
            (r, c, v)
            for r, c, v in changes
            if (r, c) == (row, col_index)
            or rows[r][c] != v
            or rows[r][c].__class__ is not v.__class__
        ]
        if whole:
            text = f"Edit {self._headers[col_index]} of {self._order_name(row)}"
        else:
            text = f"Edit {self._headers[col_index]} in row {excel_row}"
        self.undo_stack.push(SetCellsCommand(self, changes, text))
        if note:
            self.edit_note.emit(note)
        return True

    def whole_orders(
        self, changes: Sequence[tuple[int, int, CellValue]]
    ) -> tuple[list[tuple[int, int, CellValue]], str]:
        """Edits of order-level cells (customer, totals, tax, shipping, currency, date,
        address) spread to every row of their order, so an order never disagrees with itself;
        returns the changes and a sentence saying so ("" when nothing was added). A cell
        written explicitly keeps its own value."""
        doc = self._doc
        explicit = {(r, c): v for r, c, v in changes}
        result = dict(explicit)
        spread: dict[tuple[int, int], int] = {}  # (first added row, column) -> rows added
        records: set[int] = set()
        for (row, col), value in explicit.items():
            if not doc.is_order_level(col):
                continue
            targets = doc.order_level_rows(row, col)
            added = [r for r in targets if (r, col) not in result]
            for r in added:
                result[(r, col)] = value
            if row not in targets:
                # A Shopify continuation line: the order's value lives on its first row.
                result.pop((row, col), None)
                added.append(row)
            if added or row not in targets:
                record = doc.order_of_row[row]
                records.add(id(record))
                spread[(row, col)] = len(targets)
        final = [(r, c, v) for (r, c), v in result.items()]
        if not spread:
            return final, ""
        if len(spread) == 1:
            (row, col), count = next(iter(spread.items()))
            label = self.field_label(col)
            value = explicit[(row, col)]
            shown = display_text(value) or "empty"
            rows = "its row" if count == 1 else f"all {count} rows"
            what = f"{label} set to {shown}" if value not in (None, "") else f"{label} cleared"
            return final, f"{what} on {rows} of {self._order_name(row)}, so the order stays whole."
        return final, (
            f"The order values you changed were written on every row of their "
            f"{len(records):,} order{'s' if len(records) != 1 else ''}, so each order stays "
            "whole."
        )

    def _order_name(self, row: int) -> str:
        record = self._doc.order_of_row[row]
        return f"order {record.order_id}" if record is not None and record.order_id else "the order"

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        role = int(role)
        if orientation == Qt.Orientation.Vertical:
            if self._suspended:
                return None
            return self._row_header(section, role)
        if section == STATUS_COLUMN:
            return self._status_header(role)
        col_index = sheet_column(section)
        if not 0 <= col_index < len(self._headers):
            return None
        match = self._match_of.get(col_index)
        if role == DISPLAY:
            return self._headers[col_index]
        if role == TOOLTIP:
            return self._header_tooltip(col_index, match)
        if role == DECORATION and col_index in self._column_issues:
            return icons.status_icon(StatusKind.WARNING)
        if role == FONT and match is None:
            font = QFont()
            font.setItalic(True)
            return font
        if role == FOREGROUND and match is None:
            palette = QApplication.palette()
            return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
        return None

    def _status_header(self, role: int) -> Any:
        if role == DISPLAY:
            return "Status"
        if role == TOOLTIP:
            return (
                "<qt>Whether the order of this row can be sent: <b>Ready</b>, <b>Warning</b> "
                "(can be sent, but check it), <b>Error</b> (fix it first), <b>Uploaded</b> or "
                "<b>Upload failed</b>.</qt>"
            )
        return None

    def _header_tooltip(self, col_index: int, match: FieldMatch | None) -> str:
        header = escape_html(self._headers[col_index])
        if match is None:
            text = (
                f"<b>{header}</b> is not sent to Northbeam: no Northbeam field uses this "
                "column. Choose Edit mapping… to use it."
            )
        else:
            spec = FIELDS_BY_KEY[match.field_key]
            text = (
                f"<b>{header}</b> is sent as Northbeam's <b>{escape_html(spec.label)}</b> "
                f"(<code>{escape_html(spec.key)}</code>).<br>"
                f"Matched because: {escape_html(match.explanation)}.<br>"
                f"<i>{escape_html(spec.description)}</i>"
            )
        for issue in self._column_issues.get(col_index, []):
            text += f"<br><br><b>Check:</b> {escape_html(issue.message)}"
        return f"<qt>{text}</qt>"

    def _row_header(self, row: int, role: int) -> Any:
        """The row header: the row's number in the file and its status icon. The icon is there
        so the status stays in sight when the table is scrolled sideways past the Status column."""
        numbers = self._doc.sheet.row_numbers
        if not 0 <= row < len(numbers):
            return None
        if role == DISPLAY:
            return str(numbers[row])
        if role == DECORATION:
            return icons.status_icon(status_kind(self._doc.order_of_row[row], self._doc.blocked))
        if role == TOOLTIP:
            return f"Row {numbers[row]} in your file: {self._status_text(row)}"
        return None

    # ---- role helpers (row = sheet row, column = model column) -------------------------------

    def _display(self, row: int, column: int) -> Any:
        if column == STATUS_COLUMN:
            return self._status_text(row)
        return display_text(self._doc.sheet.rows[row][sheet_column(column)])

    def _edit(self, row: int, column: int) -> Any:
        if column == STATUS_COLUMN:
            return None
        return display_text(self._doc.sheet.rows[row][sheet_column(column)])

    def _status_text(self, row: int) -> str:
        record = self._doc.order_of_row[row]
        kind = status_kind(record, self._doc.blocked)
        if record is not None and kind in (StatusKind.ERROR, StatusKind.WARNING):
            wanted = Severity.ERROR if kind is StatusKind.ERROR else Severity.WARNING
            count = sum(1 for issue in record.issues if issue.severity is wanted)
            word = "error" if kind is StatusKind.ERROR else "warning"
            return f"{count} {word}{'s' if count != 1 else ''}" if count > 1 else word.title()
        return STATUS_TEXT[kind]

    def _tooltip(self, row: int, column: int) -> Any:
        doc = self._doc
        if column == STATUS_COLUMN:
            return self._status_tooltip(row)
        issues = doc.issues_for_cell(row, sheet_column(column))
        if issues:
            return issues_html(issues)
        return None

    def _status_tooltip(self, row: int) -> str:
        doc = self._doc
        record = doc.order_of_row[row]
        if record is None:
            return ""
        rows = [doc.sheet.row_numbers[r] for r in record.row_indices]
        name = f"Order {escape_html(record.order_id)}" if record.order_id else "This order"
        where = f"row {rows[0]}" if len(rows) == 1 else f"rows {rows[0]}–{rows[-1]}"
        kind = status_kind(record, self._doc.blocked)
        head = {
            StatusKind.VALID: f"{name} ({where}) is ready to send.",
            StatusKind.WARNING: f"{name} ({where}) can be sent; please check:",
            StatusKind.ERROR: f"{name} ({where}) can't be sent until these are fixed:",
            StatusKind.UPLOADED: f"{name} ({where}) was uploaded to Northbeam.",
            StatusKind.FAILED: f"{name} ({where}) was not accepted by Northbeam.",
            # The order's own note says why it is (not) sent and where the switch is.
            StatusKind.SKIPPED: f"{name} ({where}) was cancelled in your shop:",
            StatusKind.NOTE: f"{name} ({where}) was cancelled in your shop:",
        }[kind]
        body = ""
        if record.upload_message and kind is StatusKind.FAILED:
            body += f"<p>{escape_html(record.upload_message)}</p>"
        if record.issues:
            body += issues_html(record.issues, with_place=True)[4:-5]
        if doc.blocked:
            body += (
                "<p><b>Nothing can be sent yet:</b> a column Northbeam requires is not chosen. "
                "Use Edit mapping…</p>"
            )
        return f"<qt><p>{head}</p>{body}</qt>"

    def _background(self, row: int, column: int) -> Any:
        if column == STATUS_COLUMN:
            kind = self._kind(row)
            return None if kind is StatusKind.VALID else icons.tint(kind)
        severity = worst_severity(self._doc.issues_for_cell(row, sheet_column(column)))
        if severity is None or severity is Severity.NOTE:
            return None  # a value changed for you has its icon, not a problem's tint
        return icons.tint(StatusKind.ERROR if severity is Severity.ERROR else StatusKind.WARNING)

    def _kind(self, row: int) -> StatusKind:
        return status_kind(self._doc.order_of_row[row], self._doc.blocked)

    def _foreground(self, row: int, column: int) -> Any:
        if column != STATUS_COLUMN:
            return None
        kind = self._kind(row)
        if kind is StatusKind.VALID:
            return None  # the calm, common case keeps the palette's text colour
        return icons.text_colour(kind, self._dark)

    def _decoration(self, row: int, column: int) -> Any:
        if column == STATUS_COLUMN:
            return None  # the row header carries the status icon; the column says it in words
        severity = worst_severity(self._doc.issues_for_cell(row, sheet_column(column)))
        if severity is None:
            return None
        return icons.status_icon(SEVERITY_KIND[severity])

    def _font(self, row: int, column: int) -> Any:
        if column == STATUS_COLUMN and self._kind(row) in (
            StatusKind.ERROR,
            StatusKind.FAILED,
        ):
            return self._bold
        return None

    def _alignment(self, row: int, column: int) -> Any:
        return _ALIGN_RIGHT if sheet_column(column) in self._numeric else _ALIGN_LEFT

    def _accessible(self, row: int, column: int) -> Any:
        if column == STATUS_COLUMN:
            return None
        issues = self._doc.issues_for_cell(row, sheet_column(column))
        if not issues:
            return None
        value = display_text(self._doc.sheet.rows[row][sheet_column(column)]) or "empty"
        return f"{value}. " + " ".join(issue.message for issue in issues)

    def _issues(self, row: int, column: int) -> list[Issue]:
        if column == STATUS_COLUMN:
            return self._doc.issues_for_row(row)
        return self._doc.issues_for_cell(row, sheet_column(column))

    def _severity(self, row: int, column: int) -> Severity | None:
        return worst_severity(self._issues(row, column))

    def _status(self, row: int, column: int) -> StatusKind:
        return self._kind(row)

    def _order_id(self, row: int, column: int) -> str | None:
        record = self._doc.order_of_row[row]
        return record.order_id if record is not None else None

    def _row_index(self, row: int, column: int) -> int:
        return row

    # ---- editing ---------------------------------------------------------------------------

    def apply_cells(self, changes: Sequence[tuple[int, int, CellValue]]) -> list[OrderRecord]:
        """Write cells through the engine (only their orders are re-checked) and repaint the
        rows of every order involved. Used by the undo commands; call those instead."""
        doc = self._doc
        touched: dict[int, OrderRecord] = {}
        rows: set[int] = set()
        for row, _col_index, _value in changes:
            rows.add(row)
        for record in doc.set_cells(changes):
            touched[id(record)] = record
        for record in touched.values():
            rows.update(record.row_indices)
        self._emit_rows_changed(rows)
        self.cells_written.emit(list(changes))
        records = list(touched.values())
        self.orders_changed.emit(records)
        return records

    def delete_rows(self, row_indices: Sequence[int]) -> list[DeletedRow]:
        """Remove rows (a full re-check) and return what `restore_rows` needs to put them back.
        Used by the undo commands; call those instead."""
        doc = self._doc
        sheet = doc.sheet
        deleted = [(i, list(sheet.rows[i]), sheet.row_numbers[i]) for i in sorted(row_indices)]
        doc.delete_rows([i for i, _, _ in deleted])
        self.reset_document()
        self.rows_deleted.emit([number for _, _, number in deleted])
        return deleted

    def restore_rows(self, deleted: Sequence[DeletedRow]) -> None:
        """Put deleted rows back where they were, with their Excel row numbers."""
        doc = self._doc
        sheet = doc.sheet
        runs: list[list[DeletedRow]] = []
        for entry in deleted:
            if runs and entry[0] == runs[-1][-1][0] + 1:
                runs[-1].append(entry)
            else:
                runs.append([entry])
        # Earlier runs go straight back into the lists; the last one through the engine,
        # which then re-checks the whole document once (not once per run).
        for run in runs[:-1]:
            at = run[0][0]
            sheet.rows[at:at] = [list(cells) for _, cells, _ in run]
            sheet.row_numbers[at:at] = [number for _, _, number in run]
        if runs:
            last = runs[-1]
            doc.insert_rows(
                last[0][0], [cells for _, cells, _ in last], [number for _, _, number in last]
            )
        self.reset_document()
        self.rows_restored.emit([(number, list(cells)) for _, cells, number in deleted])

    def _emit_rows_changed(
        self, rows: Iterable[int], roles: Sequence[int] = (), last_column: int | None = None
    ) -> None:
        ordered = sorted(rows)
        if not ordered:
            return
        runs: list[tuple[int, int]] = []
        start = previous = ordered[0]
        for row in ordered[1:]:
            if row != previous + 1:
                runs.append((start, previous))
                start = row
            previous = row
        runs.append((start, previous))
        if len(runs) > 64:  # a bulk edit: one signal over the span beats thousands
            runs = [(ordered[0], ordered[-1])]
        last = self.columnCount() - 1 if last_column is None else last_column
        for first, end in runs:
            self.dataChanged.emit(self.index(first, 0), self.index(end, last), list(roles))
        # The row header shows the status too (its icon); headers repaint only when told.
        self.headerDataChanged.emit(Qt.Orientation.Vertical, ordered[0], ordered[-1])

    def _status_roles(self) -> list[int]:
        # Statuses and markers changed, the values did not (no EditRole: the filter proxy
        # keeps its search index).
        return [
            DISPLAY,
            DECORATION,
            TOOLTIP,
            BACKGROUND,
            FOREGROUND,
            FONT,
            ACCESSIBLE,
            self.IssuesRole,
            self.SeverityRole,
            self.StatusRole,
        ]

    def refresh_statuses(self) -> None:
        """Repaint every cell (after an upload painted statuses and server rejections)."""
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(self.rowCount() - 1, self.columnCount() - 1),
                self._status_roles(),
            )
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, self.rowCount() - 1)
        self.orders_changed.emit([])

    def refresh_records(self, records: Iterable[OrderRecord], *, status_only: bool = False) -> None:
        """Repaint only the rows of these orders (an upload batch changed their status or
        painted Northbeam's answer on their cells); cheap enough to call per batch.
        `status_only`: only their Status cells changed (accepted orders), so only those are
        repainted."""
        if self._suspended:
            return
        rows: set[int] = set()
        for record in records:
            rows.update(record.row_indices)
        self._emit_rows_changed(rows, self._status_roles(), last_column=0 if status_only else None)

    def update_palette(self, palette: QPalette | None = None) -> None:
        """The view's palette changed (light/dark switch): recolour the status texts."""
        self._dark = icons.is_dark(palette)
        self.refresh_statuses()
