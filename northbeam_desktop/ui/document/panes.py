"""The document view's panes: the order table on the left, the problems panel above what will
be sent on the right (`build_splitter`), and F6 / Shift+F6 moving the focus between them
(`focus_next_pane`)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QSplitter, QWidget

from northbeam_desktop.ui.document.issues_panel import IssuesPanel
from northbeam_desktop.ui.document.payload_view import PayloadView

__all__ = ["build_splitter", "focus_next_pane", "pane_widgets"]


def build_splitter(
    table: QWidget, issues_panel: IssuesPanel, payload_view: PayloadView
) -> QSplitter:
    side = QSplitter(Qt.Orientation.Vertical)
    side.setObjectName("SideSplitter")
    side.addWidget(issues_panel)
    side.addWidget(payload_view)
    side.setStretchFactor(0, 3)
    side.setStretchFactor(1, 2)
    side.setChildrenCollapsible(False)
    side.setMinimumWidth(300)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setObjectName("MainSplitter")
    splitter.addWidget(table)
    splitter.addWidget(side)
    splitter.setStretchFactor(0, 1)
    splitter.setStretchFactor(1, 0)
    splitter.setChildrenCollapsible(False)
    splitter.setSizes([1100, 440])
    return splitter


def pane_widgets(table: QWidget, panel: IssuesPanel, payload: PayloadView) -> list[QWidget]:
    """What F6 visits, in order: the table, the problems list (or its Upload button when
    nothing is left to fix), what will be sent."""
    problems: QWidget = panel.tree
    if panel.stack.currentWidget() is panel.empty_page:
        problems = panel.upload_button if panel.upload_button.isVisible() else panel.empty_page
    details = payload.errors_view if payload.showing_errors() else payload.json_view
    return [table, problems, details]


def focus_next_pane(panes: list[QWidget], panel: IssuesPanel, backwards: bool = False) -> QWidget:
    """The pane after (before) the one with the focus gets it; returns it. Entering the
    problems list with nothing chosen chooses the first problem."""
    focus = QApplication.focusWidget()
    current = next(
        (
            n
            for n, pane in enumerate(panes)
            if focus is not None and (focus is pane or pane.isAncestorOf(focus))
        ),
        None,
    )
    if current is None:
        current = -1 if not backwards else 0
    target = panes[(current + (-1 if backwards else 1)) % len(panes)]
    if target is panel.tree and not panel.current_group():
        groups = panel.groups_model
        if groups.rowCount():
            panel.tree.selectionModel().setCurrentIndex(
                groups.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
    target.setFocus(Qt.FocusReason.ShortcutFocusReason)
    return target
