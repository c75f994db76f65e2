"""The side panel that lists every problem of a document, grouped by kind, with quick fixes.

Issues are grouped by (code, column), errors first, each group titled in plain words with how
many orders it concerns ("Tax is empty — 12 orders", "Currency “$” is ambiguous — 37 orders").
Problems with the file as a whole (a required field no column holds, a column whose decimal
separator or day/month order had to be guessed) sit above the list with a button that opens the
column mapping. Clicking an issue moves the table to its cell (`issue_activated`).

A group whose issues all carry a suggested value, or whose values will be converted on the way
to Northbeam (“us” → “USA”), offers a quick fix ("Use USD for all 37", "Convert 2-letter
countries to 3-letter (21 cells)"). The fix writes the cells through one `SetCellsCommand`, so
one Ctrl+Z takes it back. For order-level values the fix also rewrites the order's other rows
that hold the same value, so the order stays consistent.

The list is rebuilt a moment after edits (not on every keystroke), from `doc.all_issues()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop.core.orders.document import OrderDocument
from northbeam_desktop.core.orders.fields import FIELDS_BY_KEY, Kind, Level
from northbeam_desktop.core.orders.issues import Issue, Severity, issue_title
from northbeam_desktop.core.orders.records import Bad, OrderStatus
from northbeam_desktop.core.orders.sheet import CellValue
from northbeam_desktop.ui import icons
from northbeam_desktop.ui.document.commands import SetCellsCommand, cells_word, set_cells_text
from northbeam_desktop.ui.document.model import (  # the role numbers, shared with the table
    _ACCESSIBLE,
    _ALIGNMENT,
    _DECORATION,
    _DISPLAY,
    _FONT,
    _TOOLTIP,
    _USER,
    OrdersTableModel,
    display_text,
    escape_html,
)
from northbeam_desktop.ui.icons import StatusKind

AnyIndex = QModelIndex | QPersistentModelIndex

_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _short(text: str, limit: int = 16) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote_values(values: list[str]) -> str:
    shown = [f"“{_short(v)}”" if v else "empty" for v in values[:2]]
    text = ", ".join(shown)
    return text + ", …" if len(values) > 2 else text


def orders_phrase(count: int) -> str:
    return f"{count:,} order" if count == 1 else f"{count:,} orders"


@dataclass(slots=True)
class IssueGroup:
    """Issues of one kind in one column."""

    code: str
    col_index: int | None
    severity: Severity
    label: str  # the field's name for messages
    issues: list[Issue] = field(default_factory=list)
    title: str = ""
    orders: int = 0
    fix_label: str | None = None

    @property
    def key(self) -> tuple[str, int | None]:
        return (self.code, self.col_index)

    @property
    def text(self) -> str:
        return f"{self.title} — {orders_phrase(self.orders)}"

    @property
    def rows(self) -> list[int]:
        return sorted({i.row_index for i in self.issues if i.row_index is not None})


def group_issues(doc: OrderDocument, model: OrdersTableModel) -> list[IssueGroup]:
    """Every order issue of the document in groups, errors first, then the largest groups."""
    groups: dict[tuple[str, int | None], IssueGroup] = {}
    for record in doc.orders:
        for issue in record.issues:
            key = (issue.code, issue.col_index)
            group = groups.get(key)
            if group is None:
                if issue.col_index is not None:
                    label = model.field_label(issue.col_index)
                else:
                    label = _field_label(issue.field)
                group = IssueGroup(issue.code, issue.col_index, issue.severity, label)
                groups[key] = group
            elif issue.is_error and group.severity is not Severity.ERROR:
                group.severity = Severity.ERROR
            group.issues.append(issue)
    result = list(groups.values())
    for group in result:
        _describe(doc, model, group)
    result.sort(key=lambda g: (g.severity is not Severity.ERROR, -g.orders, g.title))
    return result


def _field_label(path: str) -> str:
    key = path.split("[")[0].split(".")[0]
    spec = FIELDS_BY_KEY.get(key)
    return spec.label if spec else key.replace("_", " ").capitalize()


def _describe(doc: OrderDocument, model: OrdersTableModel, group: IssueGroup) -> None:
    group.orders = len(
        {id(doc.order_of_row[i.row_index]) for i in group.issues if i.row_index is not None}
    ) or len(group.issues)
    rows = doc.sheet.rows
    raw: list[str] = []
    if group.col_index is not None:
        seen: set[str] = set()
        for issue in group.issues:
            if issue.row_index is None:
                continue
            text = display_text(rows[issue.row_index][group.col_index])
            if text not in seen:
                seen.add(text)
                raw.append(text)
                if len(raw) > 3:
                    break
    label = group.label
    code = group.code
    if code == "value_converted":
        group.title = _converted_title(doc, group, raw)
    else:
        group.title = issue_title(code, label=label, values=_quote_values(raw))
    group.fix_label = _fix_label(doc, model, group, raw)


def _converted_value(doc: OrderDocument, row: int, col_index: int) -> str | None:
    """The value a cell is sent as (“us” → “USA”), as text; None if it has none."""
    column = next((c for c in doc.columns.values() if c.index == col_index), None)
    if column is None:
        return None
    value = column.values[row]
    if value is None or value.__class__ is Bad:
        return None
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return display_text(value)


def _converted_title(doc: OrderDocument, group: IssueGroup, raw: list[str]) -> str:
    first = group.issues[0]
    if group.col_index is None or first.row_index is None:
        return f"{group.label} will be changed when sent"
    if len(raw) == 1:
        after = _converted_value(doc, first.row_index, group.col_index)
        return f"{group.label} “{_short(raw[0])}” is sent as “{after}”"
    return f"{group.label} will be sent differently ({_quote_values(raw)})"


def _fix_label(
    doc: OrderDocument, model: OrdersTableModel, group: IssueGroup, raw: list[str]
) -> str | None:
    placed = [i for i in group.issues if i.row_index is not None and i.col_index is not None]
    if not placed or len(placed) != len(group.issues):
        return None
    n = group.orders
    if group.code == "value_converted":
        match = model.field_match(group.col_index) if group.col_index is not None else None
        kind = FIELDS_BY_KEY[match.field_key].kind if match else None
        cells = cells_word(len(fix_changes(doc, model, group)))
        if kind is Kind.COUNTRY:
            if raw and all(len(v) == 2 and v.isalpha() for v in raw):
                return f"Convert 2-letter countries to 3-letter ({cells})"
            return f"Convert countries to 3-letter codes ({cells})"
        if kind is Kind.CURRENCY:
            return f"Write currencies as 3-letter codes ({cells})"
        return f"Write the values as they will be sent ({cells})"
    suggestions = {i.suggestion for i in placed}
    if None in suggestions:
        return None
    if len(suggestions) == 1:
        value = next(iter(suggestions))
        return f"Use {value} for all {n:,}" if n > 1 else f"Use {value}"
    return f"Apply the suggested values to all {n:,}" if n > 1 else "Apply the suggested value"


def fix_changes(
    doc: OrderDocument, model: OrdersTableModel, group: IssueGroup
) -> list[tuple[int, int, CellValue]]:
    """The cells a group's quick fix writes. Order-level values are rewritten on every row of
    the order that holds the same value, so the order's rows keep agreeing."""
    rows = doc.sheet.rows
    changes: dict[tuple[int, int], CellValue] = {}
    for issue in group.issues:
        r, c = issue.row_index, issue.col_index
        if r is None or c is None:
            continue
        if group.code == "value_converted":
            value: CellValue = _converted_value(doc, r, c)
            if value is None:
                continue
        elif issue.suggestion is not None:
            value = issue.suggestion
        else:
            continue
        targets = [r]
        match = model.field_match(c)
        record = doc.order_of_row[r]
        if (
            match is not None
            and record is not None
            and FIELDS_BY_KEY[match.field_key].level in (Level.ORDER, Level.ADDRESS)
        ):
            same = rows[r][c]
            targets = [x for x in record.row_indices if x == r or rows[x][c] == same]
        for x in targets:
            changes[(x, c)] = value
    return [(r, c, v) for (r, c), v in changes.items()]


class IssueGroupsModel(QAbstractItemModel):
    """Groups (top level) and their issues (children) for the panel's tree.

    Column 0 says what is wrong ("Tax is empty"; for an issue: "Row 4 · order 1002"), column 1
    how much ("12 orders"; for an issue: the cell's value), so the count stays visible when a
    long title is elided in a narrow panel.
    """

    GroupRole = _USER + 1  # IssueGroup of the row (also on children)
    IssueRole = _USER + 2  # Issue of a child row
    COLUMNS = 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[IssueGroup] = []
        self._rows: list[list[CellValue]] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_groups(self, groups: list[IssueGroup], rows: list[list[CellValue]]) -> None:
        """Show these groups; `rows` are the sheet's rows (for the values of the cells)."""
        self.beginResetModel()
        self._groups = groups
        self._rows = rows
        self.endResetModel()

    @property
    def groups(self) -> list[IssueGroup]:
        return self._groups

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not 0 <= column < self.COLUMNS or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row >= len(self._groups):
                return QModelIndex()
            return self.createIndex(row, column, 0)
        if parent.internalId() != 0 or parent.column() != 0:
            return QModelIndex()
        if parent.row() >= len(self._groups) or row >= len(self._groups[parent.row()].issues):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: AnyIndex | None = None) -> Any:  # type: ignore[override]
        if index is None:  # QObject.parent()
            return QObject.parent(self)
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()].issues)
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return self.COLUMNS

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def group_of(self, index: AnyIndex) -> IssueGroup | None:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._groups[index.row()]
        return self._groups[index.internalId() - 1]

    def issue_of(self, index: AnyIndex) -> Issue | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._groups[index.internalId() - 1].issues[index.row()]

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        role = int(role)
        group = self.group_of(index)
        issue = self.issue_of(index)
        if group is None:
            return None
        if role == self.GroupRole:
            return group
        if role == self.IssueRole:
            return issue
        if issue is None:
            return self._group_data(group, index.column(), role)
        return self._issue_data(issue, index.column(), role)

    def _group_data(self, group: IssueGroup, column: int, role: int) -> Any:
        if role == _DISPLAY:
            return group.title if column == 0 else orders_phrase(group.orders)
        if role == _ACCESSIBLE:
            return group.text
        if role == _DECORATION and column == 0:
            return icons.status_icon(
                StatusKind.ERROR if group.severity is Severity.ERROR else StatusKind.WARNING
            )
        if role == _TOOLTIP:
            text = f"<b>{escape_html(group.text)}</b><br>{escape_html(group.issues[0].message)}"
            if group.fix_label:
                text += f"<br><i>Quick fix:</i> {escape_html(group.fix_label)}"
            return f"<qt>{text}</qt>"
        if role == _FONT and group.severity is Severity.ERROR and column == 0:
            return self._bold
        if role == _ALIGNMENT and column == 1:
            return _ALIGN_RIGHT
        return None

    def _issue_data(self, issue: Issue, column: int, role: int) -> Any:
        if role == _DISPLAY:
            if column == 1:
                return self._value_of(issue)
            where = f"Row {issue.row}" if issue.row is not None else "Order"
            if issue.order_id:
                where += f" · order {issue.order_id}"
            return where
        if role == _TOOLTIP:
            text = escape_html(issue.message)
            if issue.suggestion:
                text += f"<br><i>Suggested fix:</i> {escape_html(issue.suggestion)}"
            return f"<qt>{text}</qt>"
        if role == _DECORATION and column == 0:
            return icons.status_icon(StatusKind.ERROR if issue.is_error else StatusKind.WARNING)
        if role == _ALIGNMENT and column == 1:
            return _ALIGN_RIGHT
        return None

    def _value_of(self, issue: Issue) -> str:
        r, c = issue.row_index, issue.col_index
        if r is None or c is None or r >= len(self._rows):
            return ""
        text = display_text(self._rows[r][c])
        return f"“{_short(text, 24)}”" if text else "empty"

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def summary_text(doc: OrderDocument) -> str:
    """'1,204 orders · 1,150 ready · 37 with errors · 17 with warnings'."""
    ready = errors = warnings = 0
    for record in doc.orders:
        status = record.status
        if status is OrderStatus.ERROR:
            errors += 1
        elif status is OrderStatus.WARNING:
            warnings += 1
        else:
            ready += 1
    if doc.blocked:
        return f"{len(doc.orders):,} orders · none can be sent until the columns are chosen"
    parts = [orders_phrase(len(doc.orders)), f"{ready:,} ready"]
    parts.append(f"{errors:,} with errors")
    parts.append(f"{warnings:,} with warnings")
    return " · ".join(parts)


class IssuesPanel(QWidget):
    """Summary, file-level problems and grouped issues with quick fixes."""

    issue_activated = Signal(int, int)  # row_index, col_index (-1: the row as a whole)
    rows_requested = Signal(list)  # "Show these rows": sheet row indices
    mapping_requested = Signal()  # "Edit mapping…" under the file-level problems

    def __init__(
        self, model: OrdersTableModel, parent: QWidget | None = None, *, refresh: bool = True
    ) -> None:
        """`refresh=False` leaves the list empty ("Finding problems…") until `refresh()`:
        for a big file the window shows the table first and groups the problems after."""
        super().__init__(parent)
        self.setObjectName("IssuesPanel")
        self.setAccessibleName("Problems")
        self._model = model
        self.groups_model = IssueGroupsModel(self)

        self.summary_label = QLabel()
        self.summary_label.setObjectName("IssuesSummary")
        self.summary_label.setWordWrap(True)
        font = self.summary_label.font()
        font.setBold(True)
        self.summary_label.setFont(font)

        self.file_frame = QFrame()
        self.file_frame.setObjectName("FileIssues")
        self.file_frame.setFrameShape(QFrame.Shape.StyledPanel)
        file_layout = QVBoxLayout(self.file_frame)
        file_layout.setContentsMargins(8, 8, 8, 8)
        self.file_issues_label = QLabel()
        self.file_issues_label.setWordWrap(True)
        self.file_issues_label.setTextFormat(Qt.TextFormat.RichText)
        self.mapping_button = QPushButton("Edit &mapping…")
        self.mapping_button.setToolTip("Choose which column holds which Northbeam field")
        self.mapping_button.clicked.connect(self._on_mapping_button_clicked)
        file_layout.addWidget(self.file_issues_label)
        file_layout.addWidget(self.mapping_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.tree = QTreeView()
        self.tree.setObjectName("IssuesTree")
        self.tree.setAccessibleName("Problems by kind")
        self.tree.setHeaderHidden(True)
        self.tree.setModel(self.groups_model)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setAllColumnsShowFocus(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.clicked.connect(self._on_tree_clicked)
        self.tree.activated.connect(self._on_tree_activated)
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current_changed)

        self.detail_label = QLabel()
        self.detail_label.setObjectName("IssueDetail")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextFormat(Qt.TextFormat.RichText)
        self.detail_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.fix_button = QPushButton()
        self.fix_button.setObjectName("QuickFixButton")
        self.fix_button.clicked.connect(self._on_fix_button_clicked)
        self.show_rows_button = QPushButton("Show these rows")
        self.show_rows_button.setToolTip("Show only the rows with this problem")
        self.show_rows_button.clicked.connect(self._on_show_rows_button_clicked)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.fix_button)
        buttons.addWidget(self.show_rows_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.file_frame)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail_label)
        layout.addLayout(buttons)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(150)
        self._refresh_timer.timeout.connect(self.refresh)
        model.orders_changed.connect(self._on_model_orders_changed)
        model.document_reset.connect(self.refresh)
        if refresh:
            self.refresh()
        else:
            self.summary_label.setText("Finding problems…")
            self.file_frame.hide()
            self._show_detail()

    # ---- refreshing ------------------------------------------------------------------------

    def schedule_refresh(self) -> None:
        self._refresh_timer.start()

    def refresh(self) -> None:
        """Regroup every issue (keeps the open groups and the current group)."""
        self._refresh_timer.stop()
        if self._model.suspended:
            return  # the document is being rebuilt; refreshed again when it is back
        doc = self._model.document
        current = self.current_group()
        current_key = current.key if current else None
        expanded = {
            g.key
            for row, g in enumerate(self.groups_model.groups)
            if self.tree.isExpanded(self.groups_model.index(row, 0))
        }
        self.summary_label.setText(summary_text(doc))
        self._show_file_issues(doc)
        self.groups_model.set_groups(group_issues(doc, self._model), doc.sheet.rows)
        for row, group in enumerate(self.groups_model.groups):
            index = self.groups_model.index(row, 0)
            if group.key in expanded:
                self.tree.setExpanded(index, True)
            if group.key == current_key:
                self.tree.setCurrentIndex(index)
        if not self.groups_model.groups:
            self.tree.setToolTip("")
        self._show_detail()

    def _show_file_issues(self, doc: OrderDocument) -> None:
        issues = doc.file_issues
        self.file_frame.setVisible(bool(issues))
        if not issues:
            return
        parts = []
        for issue in issues:
            colour = "#c62828" if issue.is_error else "#a66a00"
            if icons.is_dark(self.palette()):
                colour = "#ff8a80" if issue.is_error else "#ffcd5a"
            word = "Required column missing" if issue.is_error else "Please check"
            where = f" ({escape_html(issue.column)})" if issue.column else ""
            parts.append(
                f"<p style='margin:0 0 6px 0'><b style='color:{colour}'>{word}{where}:</b> "
                f"{escape_html(issue.message)}</p>"
            )
        self.file_issues_label.setText("".join(parts))

    # ---- the current group -----------------------------------------------------------------

    def current_group(self) -> IssueGroup | None:
        return self.groups_model.group_of(self.tree.currentIndex())

    def select_group(self, code: str, col_index: int | None) -> IssueGroup | None:
        """Make the group of `code` in column `col_index` current (tests, keyboard users)."""
        for row, group in enumerate(self.groups_model.groups):
            if group.key == (code, col_index):
                self.tree.setCurrentIndex(self.groups_model.index(row, 0))
                return group
        return None

    def _show_detail(self) -> None:
        index = self.tree.currentIndex()
        group = self.groups_model.group_of(index)
        issue = self.groups_model.issue_of(index)
        if group is None:
            self.detail_label.setText(
                "<i>No problems found.</i>"
                if not self.groups_model.groups
                else "<i>Choose a problem to see what to do.</i>"
            )
            self.fix_button.hide()
            self.show_rows_button.hide()
            return
        shown = issue or group.issues[0]
        text = escape_html(shown.message)
        if issue is None and len(group.issues) > 1:
            text = f"For example, row {shown.row}: {text}" if shown.row else text
        self.detail_label.setText(text)
        self.fix_button.setVisible(bool(group.fix_label))
        self.fix_button.setText(group.fix_label or "")
        self.show_rows_button.setVisible(bool(group.rows))

    def set_read_only(self, read_only: bool) -> None:
        """Quick fixes are off while the document is saved or uploaded."""
        self.fix_button.setEnabled(not read_only)

    def apply_quick_fix(self, group: IssueGroup) -> bool:
        """Write the group's fix through one undoable command; False if it has none (or the
        document is read-only just now)."""
        if not group.fix_label or self._model.read_only:
            return False
        model = self._model
        changes = fix_changes(model.document, model, group)
        if not changes:
            return False
        values = {value for _, _, value in changes}
        if len(values) == 1:
            text = set_cells_text(group.label, next(iter(values)), len(changes))
        else:
            text = f"{group.fix_label.split(' (')[0]} in {cells_word(len(changes))}"
        model.undo_stack.push(SetCellsCommand(model, changes, text))
        self.refresh()
        return True

    # ---- slots -----------------------------------------------------------------------------

    def _on_model_orders_changed(self, _records: list[Any]) -> None:
        self.schedule_refresh()

    def _on_tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail()

    def _on_tree_clicked(self, index: QModelIndex) -> None:
        self._activate(index)

    def _on_tree_activated(self, index: QModelIndex) -> None:
        self._activate(index)

    def _activate(self, index: QModelIndex) -> None:
        group = self.groups_model.group_of(index)
        if group is None:
            return
        issue = self.groups_model.issue_of(index) or group.issues[0]
        if issue.row_index is not None:
            col = issue.col_index if issue.col_index is not None else -1
            self.issue_activated.emit(issue.row_index, col)

    def _on_fix_button_clicked(self) -> None:
        group = self.current_group()
        if group is not None:
            self.apply_quick_fix(group)

    def _on_show_rows_button_clicked(self) -> None:
        group = self.current_group()
        if group is not None:
            self.rows_requested.emit(group.rows)

    def _on_mapping_button_clicked(self) -> None:
        self.mapping_requested.emit()
