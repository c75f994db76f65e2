"""The problems list's data: issues grouped by kind and column, each group titled in plain
words with how many orders it concerns, and the tree model the panel shows them in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from northbeam_desktop.core.orders.document import OrderDocument
from northbeam_desktop.core.orders.fields import FIELDS_BY_KEY
from northbeam_desktop.core.orders.issues import Issue, Severity, issue_title
from northbeam_desktop.core.orders.quick_fixes import (
    GroupFix,
    converted_text,
)
from northbeam_desktop.core.orders.records import OrderStatus
from northbeam_desktop.core.orders.sheet import CellValue
from northbeam_desktop.ui import icons
from northbeam_desktop.ui.document.cell_text import (
    display_text,
    escape_html,
)
from northbeam_desktop.ui.document.model import OrdersTableModel
from northbeam_desktop.ui.document.order_status import SEVERITY_KIND
from northbeam_desktop.ui.document.roles import (
    ACCESSIBLE,
    ALIGNMENT,
    DECORATION,
    DISPLAY,
    FONT,
    TOOLTIP,
    USER,
)

AnyIndex = QModelIndex | QPersistentModelIndex

_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def short_text(text: str, limit: int = 16) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote_values(values: list[str]) -> str:
    shown = [f"“{short_text(v)}”" if v else "empty" for v in values[:2]]
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
    # The group's quick fix, filled in by the panel when the group is first shown (computing it
    # for every group on every refresh would cost a big file dearly); None: it has none.
    fix: GroupFix | None = None
    fix_known: bool = False

    @property
    def fix_label(self) -> str | None:
        return self.fix.label if self.fix is not None else None

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
    """Every order issue of the document in groups, errors first, then the largest groups;
    values changed for you (notes) last."""
    groups: dict[tuple[str, int | None], IssueGroup] = {}
    noted = [issue for record in doc.orders for issue in record.issues]
    for issue in [*noted, *doc.note_issues]:
        key = (issue.code, issue.col_index)
        group = groups.get(key)
        if group is None:
            if issue.col_index is not None:
                label = model.field_label(issue.col_index)
            else:
                label = _field_label(issue.field)
            group = IssueGroup(issue.code, issue.col_index, issue.severity, label)
            groups[key] = group
        elif issue.severity.rank < group.severity.rank:
            group.severity = issue.severity
        group.issues.append(issue)
    result = list(groups.values())
    for group in result:
        _describe(doc, model, group)
    result.sort(key=lambda g: (g.severity.rank, -g.orders, g.title))
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
    if group.code == "value_converted" and group.col_index is not None:
        # A value changed for you is noted once, at its first cell: count every order with it.
        index = group.col_index
        changed = {rows[i.row_index][index] for i in group.issues if i.row_index is not None}
        group.orders = len(
            {id(doc.order_of_row[r]) for r, row in enumerate(rows) if row[index] in changed}
        )
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


def _converted_title(doc: OrderDocument, group: IssueGroup, raw: list[str]) -> str:
    first = group.issues[0]
    if group.col_index is None or first.row_index is None:
        return f"{group.label} will be changed when sent"
    if len(raw) == 1:
        after = converted_text(doc, first.row_index, group.col_index)
        return f"{group.label} “{short_text(raw[0])}” is sent as “{after}”"
    return f"{group.label} will be sent differently ({_quote_values(raw)})"


class IssueGroupsModel(QAbstractItemModel):
    """Groups (top level) and their issues (children) for the panel's tree.

    Column 0 says what is wrong ("Tax is empty"; for an issue: "Row 4 · order 1002"), column 1
    how much ("12 orders"; for an issue: the cell's value), so the count stays visible when a
    long title is elided in a narrow panel.
    """

    GroupRole = USER + 1  # IssueGroup of the row (also on children)
    IssueRole = USER + 2  # Issue of a child row
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

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
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
        if role == DISPLAY:
            return group.title if column == 0 else orders_phrase(group.orders)
        if role == ACCESSIBLE:
            return group.text
        if role == DECORATION and column == 0:
            return icons.status_icon(SEVERITY_KIND[group.severity])
        if role == TOOLTIP:
            text = f"<b>{escape_html(group.text)}</b><br>{escape_html(group.issues[0].message)}"
            if group.fix_label:
                text += f"<br><i>Quick fix:</i> {escape_html(group.fix_label)}"
            return f"<qt>{text}</qt>"
        if role == FONT and group.severity is Severity.ERROR and column == 0:
            return self._bold
        if role == ALIGNMENT and column == 1:
            return _ALIGN_RIGHT
        return None

    def _issue_data(self, issue: Issue, column: int, role: int) -> Any:
        if role == DISPLAY:
            if column == 1:
                return self._value_of(issue)
            where = f"Row {issue.row}" if issue.row is not None else "Order"
            if issue.order_id:
                where += f" · order {issue.order_id}"
            return where
        if role == TOOLTIP:
            text = escape_html(issue.message)
            if issue.suggestion:
                text += f"<br><i>Suggested fix:</i> {escape_html(issue.suggestion)}"
            return f"<qt>{text}</qt>"
        if role == DECORATION and column == 0:
            return icons.status_icon(SEVERITY_KIND[issue.severity])
        if role == ALIGNMENT and column == 1:
            return _ALIGN_RIGHT
        return None

    def _value_of(self, issue: Issue) -> str:
        r, c = issue.row_index, issue.col_index
        if r is None or c is None or r >= len(self._rows):
            return ""
        text = display_text(self._rows[r][c])
        return f"“{short_text(text, 24)}”" if text else "empty"

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def summary_text(doc: OrderDocument) -> str:
    """'1,204 orders · 1,160 ready (17 with warnings) · 37 with errors · 7 cancelled in your
    shop, not sent'.

    "Ready" counts every order that can be sent, warnings included, and cancelled orders when
    the user chose to send them (then said in the brackets)."""
    ready = errors = warnings = held = sent_cancelled = 0
    for record in doc.orders:
        if record.status is OrderStatus.ERROR:
            errors += 1
        elif record.held_back:
            held += 1
        elif doc.is_sendable(record):
            ready += 1
            warnings += record.status is OrderStatus.WARNING
            sent_cancelled += record.cancelled
    if doc.blocked:
        return f"{len(doc.orders):,} orders · none can be sent until the columns are chosen"
    notes = []
    if warnings:
        notes.append(f"{warnings:,} with warnings")
    if sent_cancelled:
        notes.append(f"{sent_cancelled:,} cancelled in your shop")
    with_notes = f" ({', '.join(notes)})" if notes else ""
    parts = [orders_phrase(len(doc.orders)), f"{ready:,} ready{with_notes}"]
    parts.append(f"{errors:,} with errors")
    if held:
        parts.append(f"{held:,} cancelled in your shop, not sent")
    return " · ".join(parts)
