"""The side panel that lists every problem of a document, grouped by kind, with quick fixes.

Issues are grouped by (code, column), errors first, each group titled in plain words with how
many orders it concerns ("Tax is empty — 12 orders", "Currency “$” is ambiguous — 37 orders").
Problems with the file as a whole (a required field no column holds, a column whose decimal
separator or day/month order had to be guessed) sit above the list with a button that opens the
column mapping; so does the time zone used for times written without one, with a link to change
it. Under the summary, how the file was read: the kind of file ("This looks like a Shopify
orders export — columns set for it"), the column that keeps an order's rows together and the
fields made from other columns (`core/orders/reading.py`), with a link to the column mapping.
Values changed for you and cancelled orders (notes, not problems) come last. With no problem left the list gives way to what to do next ("All 46 orders ready" and an
Upload button).

Quick fixes come from `core/orders/quick_fixes/` (derived from the rest of the order, or from
what the file knows; never lowering a total). The problem selected in the list shows what is
wrong, why the fix is what it is, and which cells it changes; its fixes are buttons below, the
best first. A fix "for all N" orders is previewed cell by cell (`QuickFixPreviewDialog`) before
it is applied. Every fix is one `SetCellsCommand`, so one Ctrl+Z takes it back, and the list then
moves on to the next problem.

Keyboard: F6 (in the document view) comes here; arrows choose a problem, Enter applies its first
fix (or goes to its cell when it has none), Space goes to its cell, the context-menu key lists
every fix; Tab reaches the fix buttons.

The list is rebuilt a moment after edits (not on every keystroke), from `doc.all_issues()`;
the groups, their titles and the tree model are in `issue_groups.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop.core.orders.document import OrderDocument
from northbeam_desktop.core.orders.issues import Issue, Severity
from northbeam_desktop.core.orders.quick_fixes import (
    CellChange,
    GroupFix,
    QuickFix,
    QuickFixer,
)
from northbeam_desktop.core.orders.reading import file_reading
from northbeam_desktop.ui import icons
from northbeam_desktop.ui.document.cell_text import (
    cells_word,
    escape_html,
    set_cells_text,
)
from northbeam_desktop.ui.document.commands import SetCellsCommand
from northbeam_desktop.ui.document.eliding_button import ElidingButton
from northbeam_desktop.ui.document.issue_groups import (
    IssueGroup,
    IssueGroupsModel,
    group_issues,
    orders_phrase,
    summary_text,
)
from northbeam_desktop.ui.document.model import OrdersTableModel
from northbeam_desktop.ui.document.order_status import was_uploaded
from northbeam_desktop.ui.document.quick_fix_preview import QuickFixPreviewDialog
from northbeam_desktop.ui.icons import StatusKind

MAX_FIX_BUTTONS = 3
PREVIEW_LINES = 4  # cells listed under one order's fix; more are counted


def _ask_preview(parent: QWidget | None, fixer: QuickFixer, fix: GroupFix) -> bool:
    return QuickFixPreviewDialog.ask(parent, fixer, fix)


class IssuesPanel(QWidget):
    """Summary, file-level problems and grouped issues with quick fixes."""

    issue_activated = Signal(int, int)  # row_index, col_index (-1: the row as a whole)
    rows_requested = Signal(list)  # "Show these rows": sheet row indices
    mapping_requested = Signal()  # "Edit mapping…" under the file-level problems
    upload_requested = Signal()  # "Upload …" when nothing is left to fix
    zone_change_requested = Signal()  # "Change…" next to the time zone used
    fix_applied = Signal(str)  # a fix was applied: what changed, for the status bar

    def __init__(
        self, model: OrdersTableModel, parent: QWidget | None = None, *, refresh: bool = True
    ) -> None:
        """`refresh=False` leaves the list empty ("Finding problems…") until `refresh()`:
        for a big file the window shows the table first and groups the problems after."""
        super().__init__(parent)
        self.setObjectName("IssuesPanel")
        self.setAccessibleName("Problems")
        self._model = model
        self._fixer: QuickFixer | None = None
        self._shown_fixes: Sequence[QuickFix | GroupFix] = []
        self._refreshed = refresh
        # Asked before a fix for many orders is applied; replaceable (tests, scripts).
        self.confirm_fix: Callable[[QWidget | None, QuickFixer, GroupFix], bool] = _ask_preview
        self.groups_model = IssueGroupsModel(self)

        self.summary_label = QLabel()
        self.summary_label.setObjectName("IssuesSummary")
        self.summary_label.setAccessibleName("Summary")
        self.summary_label.setWordWrap(True)
        font = self.summary_label.font()
        font.setBold(True)
        self.summary_label.setFont(font)

        self.reading_label = QLabel()
        self.reading_label.setObjectName("FileReading")
        self.reading_label.setAccessibleName("How the file was read")
        self.reading_label.setWordWrap(True)
        self.reading_label.setTextFormat(Qt.TextFormat.RichText)
        self.reading_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.reading_label.linkActivated.connect(self._on_reading_label_link_activated)

        self.zone_label = QLabel()
        self.zone_label.setObjectName("ZoneNotice")
        self.zone_label.setAccessibleName("Time zone for times without one")
        self.zone_label.setWordWrap(True)
        self.zone_label.setTextFormat(Qt.TextFormat.RichText)
        self.zone_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.zone_label.linkActivated.connect(self._on_zone_label_link_activated)
        self.zone_label.hide()

        self.file_frame = QFrame()
        self.file_frame.setObjectName("FileIssues")
        self.file_frame.setFrameShape(QFrame.Shape.StyledPanel)
        file_layout = QVBoxLayout(self.file_frame)
        file_layout.setContentsMargins(8, 8, 8, 8)
        self.file_issues_label = QLabel()
        self.file_issues_label.setAccessibleName("Problems with the whole file")
        self.file_issues_label.setWordWrap(True)
        self.file_issues_label.setTextFormat(Qt.TextFormat.RichText)
        self.mapping_button = QPushButton("Edit &mapping…")
        self.mapping_button.setToolTip("Choose which column holds which Northbeam field")
        self.mapping_button.setAccessibleName("Edit the column mapping")
        self.mapping_button.clicked.connect(self._on_mapping_button_clicked)
        # Several missing columns are many sentences: they scroll instead of being cut off.
        self.file_issues_scroll = QScrollArea()
        self.file_issues_scroll.setObjectName("FileIssuesScroll")
        self.file_issues_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.file_issues_scroll.setWidgetResizable(True)
        self.file_issues_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.file_issues_scroll.setWidget(self.file_issues_label)
        file_layout.addWidget(self.file_issues_scroll)
        file_layout.addWidget(self.mapping_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.tree = QTreeView()
        self.tree.setObjectName("IssuesTree")
        self.tree.setAccessibleName("Problems by kind")
        self.tree.setAccessibleDescription(
            "Enter applies the selected problem's first quick fix; Space goes to its cell."
        )
        self.tree.setHeaderHidden(True)
        self.tree.setModel(self.groups_model)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._on_tree_context_menu_requested)
        self.tree.installEventFilter(self)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.clicked.connect(self._on_tree_clicked)
        self.tree.doubleClicked.connect(self._on_tree_double_clicked)
        self.tree.selectionModel().selectionChanged.connect(self._on_tree_selection_changed)
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current_changed)

        self.empty_page = self._build_empty_page()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.empty_page)

        self.detail_label = QLabel()
        self.detail_label.setObjectName("IssueDetail")
        self.detail_label.setAccessibleName("What to do")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextFormat(Qt.TextFormat.RichText)
        self.detail_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        self.fix_buttons: list[ElidingButton] = []
        for number in range(MAX_FIX_BUTTONS):
            button = ElidingButton()
            button.setObjectName("QuickFixButton" if number == 0 else f"QuickFixButton{number}")
            button.clicked.connect(self._make_fix_slot(number))
            button.hide()
            self.fix_buttons.append(button)
        self.fix_button = self.fix_buttons[0]
        self.show_rows_button = QPushButton("Show these rows")
        self.show_rows_button.setToolTip("Show only the rows with this problem")
        self.show_rows_button.setAccessibleName("Show only the rows with this problem")
        self.show_rows_button.clicked.connect(self._on_show_rows_button_clicked)
        buttons = QGridLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.setHorizontalSpacing(6)
        buttons.setVerticalSpacing(4)
        for number, button in enumerate(self.fix_buttons):
            buttons.addWidget(button, number, 0, Qt.AlignmentFlag.AlignLeft)
        buttons.addWidget(self.show_rows_button, 0, 1, Qt.AlignmentFlag.AlignTop)
        buttons.setColumnStretch(0, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.reading_label)
        layout.addWidget(self.zone_label)
        layout.addWidget(self.file_frame)
        layout.addWidget(self.stack, 1)
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

    def _build_empty_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("NoProblems")
        page.setAccessibleName("No problems")
        self.empty_icon = QLabel()
        self.empty_icon.setPixmap(icons.status_icon(StatusKind.VALID).pixmap(40, 40))
        self.empty_icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_title = QLabel()
        self.empty_title.setObjectName("NoProblemsTitle")
        self.empty_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_title.setWordWrap(True)
        font = self.empty_title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.empty_title.setFont(font)
        self.empty_hint = QLabel()
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setWordWrap(True)
        self.upload_button = QPushButton()
        self.upload_button.setObjectName("UploadFromProblems")
        self.upload_button.clicked.connect(self._on_upload_button_clicked)
        # Notes (values changed for you, cancelled orders) are not problems, but can be seen.
        self.notes_button = QPushButton()
        self.notes_button.setObjectName("ShowNotes")
        self.notes_button.setFlat(True)
        self.notes_button.clicked.connect(self._on_notes_button_clicked)
        self._notes_wanted = False
        box = QVBoxLayout(page)
        box.addStretch(1)
        box.addWidget(self.empty_icon)
        box.addWidget(self.empty_title)
        box.addWidget(self.empty_hint)
        box.addWidget(self.upload_button, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addWidget(self.notes_button, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addStretch(2)
        return page

    # ---- refreshing ------------------------------------------------------------------------

    def schedule_refresh(self) -> None:
        self._refresh_timer.start()

    @property
    def fixer(self) -> QuickFixer:
        """Quick fixes for the document as it is now (rebuilt after every refresh)."""
        if self._fixer is None or self._fixer.doc is not self._model.document:
            self._fixer = QuickFixer(self._model.document)
        return self._fixer

    def refresh(self) -> None:
        """Regroup every issue (keeps the open groups and the selected one; when the selected
        problem is gone, the one now in its place is selected, so fixing goes on from there)."""
        self._refresh_timer.stop()
        if self._model.suspended:
            return  # the document is being rebuilt; refreshed again when it is back
        self._refreshed = True
        self._fixer = None
        doc = self._model.document
        selected = self._selected_index()
        current = self.groups_model.group_of(selected)
        current_key = current.key if current else None
        current_row = selected.parent().row() if selected.parent().isValid() else selected.row()
        was_child = selected.isValid() and selected.parent().isValid()
        issue = self.groups_model.issue_of(selected)
        had_focus = self.tree.hasFocus()
        expanded = {
            g.key
            for row, g in enumerate(self.groups_model.groups)
            if self.tree.isExpanded(self.groups_model.index(row, 0))
        }
        self.summary_label.setText(summary_text(doc))
        self._show_reading(doc)
        self._show_file_issues(doc)
        self.groups_model.set_groups(group_issues(doc, self._model), doc.sheet.rows)
        groups = self.groups_model.groups
        target = None
        for row, group in enumerate(groups):
            index = self.groups_model.index(row, 0)
            if group.key in expanded:
                self.tree.setExpanded(index, True)
            if group.key == current_key:
                target = index
                if was_child and issue is not None:
                    target = self._child_like(index, group, issue)
        if target is None and selected.isValid() and groups:
            target = self.groups_model.index(min(max(current_row, 0), len(groups) - 1), 0)
        if target is not None:
            self._select(target)
        self._show_empty_state(doc)
        if had_focus and not self.tree.isVisible() and self.upload_button.isVisible():
            self.upload_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show_detail()

    def _child_like(self, parent: QModelIndex, group: IssueGroup, issue: Issue) -> QModelIndex:
        """The child of a regrouped group for the same cell as `issue` (else the group)."""
        for row, other in enumerate(group.issues):
            if (other.row_index, other.col_index) == (issue.row_index, issue.col_index):
                return self.groups_model.index(row, 0, parent)
        return parent

    def _show_empty_state(self, doc: OrderDocument) -> None:
        # Values changed for you are not problems: with only those left, the file is ready.
        groups = self.groups_model.groups
        empty = all(g.severity is Severity.NOTE for g in groups)
        if not empty or (groups and self._notes_wanted):
            self.stack.setCurrentWidget(self.tree)
            return
        self.stack.setCurrentWidget(self.empty_page)
        notes = sum(len(g.issues) for g in groups)
        self.notes_button.setVisible(bool(notes))
        if notes:
            label = f"Show {len(groups)} note{'s' if len(groups) != 1 else ''} (not problems)…"
            self.notes_button.setText(label)
            self.notes_button.setAccessibleName(label.rstrip("…"))
            self.notes_button.setToolTip(
                "<qt>" + "<br>".join(escape_html(g.text) for g in groups) + "</qt>"
            )
        kind = StatusKind.ERROR if doc.blocked else StatusKind.VALID
        self.empty_icon.setPixmap(icons.status_icon(kind).pixmap(40, 40))
        # Cancelled orders held back are not "left to fix": they are neither ready nor counted.
        held = len(doc.held_back)
        orders = len(doc.orders) - held
        uploaded = sum(1 for r in doc.orders if was_uploaded(r))
        show_upload = False
        if doc.blocked:
            title = "Choose the missing column first"
            hint = "No order can be sent until every required field has a column (see above)."
        elif not orders and held:
            title = "Every order was cancelled in your shop"
            hint = (
                "Cancelled orders are not sent. To send them, turn on Upload → Send Cancelled "
                "Orders."
            )
        elif not orders:
            title = "No orders in this file"
            hint = "Open a file with order rows, or type them into this one."
        elif uploaded == orders:
            title = f"All {orders_phrase(orders)} are uploaded"
            hint = "Northbeam has them all. Change an order and upload again to send it anew."
        else:
            every = f"All {orders_phrase(orders)}" if orders > 1 else "The order"
            if held:  # not "all": the cancelled ones are not among them
                every = orders_phrase(orders)
            title = f"{every} ready → Upload"
            hint = "Nothing is left to fix. Check what will be sent, then upload (Ctrl+U)."
            show_upload = True
            label = f"&Upload {orders_phrase(orders)}…" if orders > 1 else "&Upload the order…"
            self.upload_button.setText(label)
            self.upload_button.setAccessibleName(label.replace("&", "").rstrip("…"))
        if held and orders:
            hint += (
                f" {orders_phrase(held)} cancelled in your shop "
                f"{'is' if held == 1 else 'are'} not sent (Upload → Send Cancelled Orders)."
            )
        self.empty_title.setText(title)
        self.empty_hint.setText(hint)
        self.upload_button.setVisible(show_upload)

    def _show_file_issues(self, doc: OrderDocument) -> None:
        issues = [i for i in doc.file_issues if i.severity.is_problem]
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
        self._fit_file_issues()

    def _fit_file_issues(self) -> None:
        """As tall as the file's problems need, up to a third of the panel (then it scrolls)."""
        scroll = self.file_issues_scroll
        width = max(scroll.viewport().width(), 120)
        needed = self.file_issues_label.heightForWidth(width)
        limit = max(self.height() // 3, 120)
        scroll.setFixedHeight(max(1, min(needed, limit)))

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt override
        super().resizeEvent(event)
        if not self.file_frame.isHidden():
            self._fit_file_issues()

    def _show_reading(self, doc: OrderDocument) -> None:
        """What kind of file this is and how its columns were read, with a link to them."""
        reading = file_reading(doc.mapping)
        parts = [escape_html(reading.headline())]
        if reading.grouping:
            parts.append(escape_html(reading.grouping))
        if 0 < len(reading.made) <= 2:
            parts.extend(
                escape_html(f"{made.label} is made from {made.made_from}.") for made in reading.made
            )
        elif reading.made:  # a list of names; what each is made from is in the tooltip
            names = ", ".join(made.label for made in reading.made)
            parts.append(escape_html(f"Made from other columns: {names}."))
        self.reading_label.setText(" ".join(parts) + " <a href='mapping'>Check the columns…</a>")
        self.reading_label.setToolTip(
            "<qt>" + "<br>".join(escape_html(made.text) for made in reading.made) + "</qt>"
            if reading.made
            else ""
        )

    def set_zone_notice(self, text: str | None) -> None:
        """Say which time zone times without one are read in (None: the file has no such
        times); the text ends with a "Change…" link."""
        self.zone_label.setVisible(bool(text))
        if text:
            self.zone_label.setText(f"{escape_html(text)} <a href='zone'>Change…</a>")

    # ---- the selected group ----------------------------------------------------------------

    def _selected_index(self) -> QModelIndex:
        """The selected row of the list (column 0), or an invalid index: the details follow the
        selection, so clearing it never leaves a stale fix on screen."""
        rows = self.tree.selectionModel().selectedRows(0)
        return rows[0] if rows else QModelIndex()

    def _select(self, index: QModelIndex) -> None:
        self.tree.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.tree.scrollTo(index)

    def current_group(self) -> IssueGroup | None:
        return self.groups_model.group_of(self._selected_index())

    def current_issue(self) -> Issue | None:
        return self.groups_model.issue_of(self._selected_index())

    def select_group(self, code: str, col_index: int | None) -> IssueGroup | None:
        """Make the group of `code` in column `col_index` current (tests, keyboard users)."""
        for row, group in enumerate(self.groups_model.groups):
            if group.key == (code, col_index):
                self._select(self.groups_model.index(row, 0))
                return group
        return None

    def select_issue(self, issue: Issue) -> bool:
        """Select the problem of one cell in the list (its group opened)."""
        for row, group in enumerate(self.groups_model.groups):
            if group.key != (issue.code, issue.col_index):
                continue
            parent = self.groups_model.index(row, 0)
            child = self._child_like(parent, group, issue)
            self.tree.setExpanded(parent, True)
            self._select(child)
            return True
        return False

    def group_fix(self, group: IssueGroup) -> GroupFix | None:
        """The group's quick fix (computed the first time it is asked for)."""
        if not group.fix_known:
            group.fix = self.fixer.group_fix(group.issues)
            group.fix_known = True
        return group.fix

    def fixes_for_selection(self) -> Sequence[QuickFix | GroupFix]:
        """The fixes the buttons offer for the selected problem, the best first."""
        index = self._selected_index()
        group = self.groups_model.group_of(index)
        if group is None:
            return []
        issue = self.groups_model.issue_of(index)
        if issue is None:
            fix = self.group_fix(group)
            if fix is None:
                return []
            if fix.orders == 1 and len(group.issues) == 1:
                return list(self.fixer.fixes_for(group.issues[0]))[:MAX_FIX_BUTTONS]
            return [fix]
        return list(self.fixer.fixes_for(issue))[:MAX_FIX_BUTTONS]

    def fixes_for_cell(self, row_index: int, col_index: int) -> list[tuple[Issue, QuickFix]]:
        """Every fix of every problem of one cell (the table's context menu, the Fix menu)."""
        doc = self._model.document
        issues = doc.issues_for_cell(row_index, col_index) if col_index >= 0 else []
        if col_index < 0:
            issues = doc.issues_for_row(row_index)
        return [(issue, fix) for issue in issues for fix in self.fixer.fixes_for(issue)]

    def _show_detail(self) -> None:
        index = self._selected_index()
        group = self.groups_model.group_of(index)
        issue = self.groups_model.issue_of(index)
        self._shown_fixes = []
        if group is None:
            if not self._refreshed:
                text = ""
            elif self.groups_model.groups and self.stack.currentWidget() is self.tree:
                text = (
                    "<i>Choose a problem to see what to do. Enter applies its fix; Space goes "
                    "to its cell.</i>"
                )
            else:
                text = ""
            self.detail_label.setText(text)
            self.detail_label.setVisible(bool(text))
            for button in self.fix_buttons:
                button.hide()
            self.show_rows_button.hide()
            return
        shown = issue or group.issues[0]
        text = escape_html(shown.message)
        if issue is None and len(group.issues) > 1:
            text = f"For example, row {shown.row}: {text}" if shown.row else text
        fixes = self.fixes_for_selection()
        self._shown_fixes = fixes
        if fixes:
            text += self._fix_html(fixes[0])
        elif group.code == "totals_mismatch":
            text += (
                "<br><i>No quick fix yet: fix this order's other problems first (an empty tax "
                "or shipping, an unreadable price); then its parts can be checked.</i>"
            )
        elif shown.severity is Severity.NOTE:
            text += (
                "<br><i>Nothing to fix: a note, not a problem. Space or a click shows the cell.</i>"
            )
        elif shown.row_index is not None:
            text += "<br><i>Type the right value in the cell: Space or a click takes you there.</i>"
        self.detail_label.setText(text)
        self.detail_label.setVisible(True)
        read_only = self._model.read_only
        for number, button in enumerate(self.fix_buttons):
            if number >= len(fixes):
                button.hide()
                continue
            fix = fixes[number]
            label = fix.label + ("…" if isinstance(fix, GroupFix) and fix.orders > 1 else "")
            button.set_full_text(label)
            button.setToolTip(f"{label}\n{fix.explanation}")
            button.setAccessibleName(f"Quick fix: {label.rstrip('…')}")
            button.setAccessibleDescription(fix.explanation)
            button.setDefault(number == 0)
            button.setEnabled(not read_only)
            button.show()
        self.show_rows_button.setVisible(bool(group.rows))

    def _fix_html(self, fix: QuickFix | GroupFix) -> str:
        """Why the first fix is what it is, and which cells it changes."""
        html = f"<br><b>Quick fix:</b> {escape_html(fix.explanation)}"
        if isinstance(fix, GroupFix) and fix.orders > 1:
            cells = cells_word(len(fix.changes))
            html += (
                f"<br>It changes {cells} on {orders_phrase(fix.orders)}; you see each one "
                "before it is applied."
            )
            return html
        lines = self.fixer.preview_lines(fix.changes)
        listed = "<br>".join(escape_html(line.text()) for line in lines[:PREVIEW_LINES])
        more = len(lines) - PREVIEW_LINES
        if more > 0:
            listed += f"<br>…and {cells_word(more)} more"
        return f"{html}<br><span style='font-size:small'>{listed}</span>"

    def set_read_only(self, read_only: bool) -> None:
        """Quick fixes are off while the document is saved or uploaded."""
        for button in self.fix_buttons:
            button.setEnabled(not read_only)

    # ---- applying fixes ----------------------------------------------------------------------

    def apply_quick_fix(self, group: IssueGroup) -> bool:
        """Apply the group's fix "for all" (previewed first when it changes several orders);
        False if it has none, the user cancelled, or the document is read-only just now."""
        fix = self.group_fix(group)
        if fix is None:
            return False
        return self.apply_fix(fix, group.label)

    def apply_fix(self, fix: QuickFix | GroupFix, label: str | None = None) -> bool:
        """Write one fix through one undoable command (a fix for several orders is previewed
        first); the status bar is told what changed."""
        model = self._model
        if model.read_only or not fix.changes:
            return False
        previewed = isinstance(fix, GroupFix) and fix.orders > 1
        if previewed and not self.confirm_fix(self.window(), self.fixer, fix):  # type: ignore[arg-type]
            return False
        changes: list[CellChange] = list(fix.changes)
        rows = model.document.sheet.rows
        real = [
            (r, c, v)
            for r, c, v in changes
            if rows[r][c] != v or rows[r][c].__class__ is not v.__class__
        ]
        if not real:
            return False
        columns = {c for _, c, _ in real}
        what = label or (model.field_label(next(iter(columns))) if len(columns) == 1 else None)
        values = {value for _, _, value in real}
        if len(columns) == 1 and len(values) == 1:
            text = set_cells_text(
                model.field_label(next(iter(columns))), next(iter(values)), len(real)
            )
        else:
            text = f"Quick fix: {fix.label} ({cells_word(len(real))})"
        model.undo_stack.push(SetCellsCommand(model, real, text))
        self.refresh()
        orders = fix.orders if isinstance(fix, GroupFix) else 1
        done = f"{text} — {orders_phrase(orders)} fixed." if what else f"{text}."
        self.fix_applied.emit(done)
        return True

    def apply_selected_fix(self, number: int = 0) -> bool:
        """The selected problem's fix (the first one: Enter); False when it has none."""
        fixes = self.fixes_for_selection()
        if number >= len(fixes):
            return False
        return self.apply_fix(fixes[number], self._selected_label())

    def _selected_label(self) -> str | None:
        group = self.current_group()
        return group.label if group is not None else None

    def go_to_cell(self) -> bool:
        """Show the selected problem's cell in the table (the table gets the focus)."""
        index = self._selected_index()
        group = self.groups_model.group_of(index)
        if group is None:
            return False
        issue = self.groups_model.issue_of(index) or group.issues[0]
        if issue.row_index is None:
            return False
        col = issue.col_index if issue.col_index is not None else -1
        self.issue_activated.emit(issue.row_index, col)
        return True

    def context_menu(self) -> QMenu:
        """Every fix of the selected problem, then Go to Cell and Show These Rows."""
        menu = QMenu(self)
        fixes = self.fixes_for_selection()
        index = self._selected_index()
        issue = self.groups_model.issue_of(index)
        group = self.groups_model.group_of(index)
        if issue is not None:
            fixes = list(self.fixer.fixes_for(issue))
        elif group is not None and len(group.issues) == 1:
            fixes = list(self.fixer.fixes_for(group.issues[0]))
        for fix in fixes:
            label = fix.label + ("…" if isinstance(fix, GroupFix) and fix.orders > 1 else "")
            action = menu.addAction(label.replace("&", "&&"))
            action.setToolTip(fix.explanation)
            action.setEnabled(not self._model.read_only)
            action.triggered.connect(self._make_apply_slot(fix))
        if fixes:
            menu.addSeparator()
        go = menu.addAction("&Go to Cell")
        go.setEnabled(group is not None)
        go.triggered.connect(self.go_to_cell)
        show = menu.addAction("&Show These Rows")
        show.setEnabled(group is not None and bool(group.rows))
        show.triggered.connect(self._on_show_rows_button_clicked)
        return menu

    def _make_apply_slot(self, fix: QuickFix | GroupFix) -> Callable[[], None]:
        def slot() -> None:
            self.apply_fix(fix, self._selected_label())

        return slot

    def _make_fix_slot(self, number: int) -> Callable[[], None]:
        def slot() -> None:
            if number < len(self._shown_fixes):
                self.apply_fix(self._shown_fixes[number], self._selected_label())

        return slot

    # ---- Qt overrides and slots --------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if watched is self.tree and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:  # type: ignore[attr-defined]
                return False
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if not self.apply_selected_fix():
                    self.go_to_cell()
                return True
            if key == Qt.Key.Key_Space:
                self.go_to_cell()
                return True
        return False

    def _on_model_orders_changed(self, _records: list[Any]) -> None:
        self.schedule_refresh()

    def _on_tree_selection_changed(self, *_args: object) -> None:
        self._show_detail()

    def _on_tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        # Arrow keys move the current row; keep the selection (and the details) with it.
        if current.isValid() and not self.tree.selectionModel().isRowSelected(
            current.row(), current.parent()
        ):
            self._select(current)

    def _on_tree_clicked(self, index: QModelIndex) -> None:
        self._activate(index)

    def _on_tree_double_clicked(self, index: QModelIndex) -> None:
        self._activate(index)

    def _activate(self, index: QModelIndex) -> None:
        group = self.groups_model.group_of(index)
        if group is None:
            return
        issue = self.groups_model.issue_of(index) or group.issues[0]
        if issue.row_index is not None:
            col = issue.col_index if issue.col_index is not None else -1
            self.issue_activated.emit(issue.row_index, col)

    def _on_tree_context_menu_requested(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        if index.isValid():
            self._select(index.siblingAtColumn(0))
        self.context_menu().exec(self.tree.viewport().mapToGlobal(pos))

    def _on_show_rows_button_clicked(self) -> None:
        group = self.current_group()
        if group is not None:
            self.rows_requested.emit(group.rows)

    def _on_mapping_button_clicked(self) -> None:
        self.mapping_requested.emit()

    def _on_upload_button_clicked(self) -> None:
        self.upload_requested.emit()

    def _on_notes_button_clicked(self) -> None:
        self._notes_wanted = True
        self.stack.setCurrentWidget(self.tree)
        if self.groups_model.groups:
            self._select(self.groups_model.index(0, 0))
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_reading_label_link_activated(self, _link: str) -> None:
        self.mapping_requested.emit()

    def _on_zone_label_link_activated(self, _link: str) -> None:
        self.zone_change_requested.emit()
