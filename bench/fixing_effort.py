"""How many clicks and keystrokes it takes to fix every planted defect of a template file.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/fixing_effort.py [--file orders.csv]

A simulated shop owner who knows the right value of every cell (`FIXING_EXPECTED` of
`tests/core/orderfiles.py`, the 13 defects of `fixing_defects`) fixes the file in the real
document view, at 1280 × 720, with real mouse clicks and key presses (QTest), and counts them:

* **mouse**: for each problem the panel lists (errors first, as shown), take the panel's quick
  fix when it gives the right value (select the problem if it is not selected, click the fix,
  confirm a preview); otherwise click the problem (the table jumps to its cell) and type the
  right value, then Enter. A fix that would give a wrong value (the revenue trap) is never
  counted: this user knows better, and pays for it in typing.
* **keyboard** (only with a keyboard path through the panel): F6 to the problems list, arrows
  to the problem, Enter for its fix; typing as above otherwise.

New problems an edit creates (a value typed on one row of a multi-row order) are fixed the same
way and counted too. The run ends when no planted problem is left, then checks that every order
sends the right values and that no purchase total went down.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("NORTHBEAM_DESKTOP_HOME", tempfile.mkdtemp(prefix="nb-effort-"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow

from northbeam_desktop.core.orders.document import LoadOptions, load_document


@dataclass
class Tally:
    clicks: int = 0
    keys: int = 0
    log: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        self.log.append(text)


class User:
    """Real input through QTest, counted."""

    def __init__(self, tally: Tally) -> None:
        self.tally = tally

    def click(self, widget: Any, pos: Any = None) -> None:
        self.tally.clicks += 1
        if pos is None:
            QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
        else:
            QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
        settle()

    def key(self, widget: Any, key: Qt.Key, modifier: Any = Qt.KeyboardModifier.NoModifier) -> None:
        self.tally.keys += 1  # a chord (Ctrl+Enter) is one keystroke
        QTest.keyClick(widget, key, modifier)
        settle()

    def type(self, widget: Any, text: str) -> None:
        """Type into whatever has the focus (the first key opens the cell's editor)."""
        for char in text:
            self.tally.keys += 1
            QTest.keyClicks(QApplication.focusWidget() or widget, char)
            QApplication.processEvents()
        settle()


def settle() -> None:
    app = QApplication.instance()
    for _ in range(3):
        app.processEvents()
    QTest.qWait(170)  # the problems panel regroups 150 ms after an edit
    app.processEvents()


def expected_text(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def planted(doc: Any, expected: dict[tuple[str, str], object]) -> list[Any]:
    orders = {order_id for order_id, _ in expected}
    return [i for r in doc.orders if r.order_id in orders for i in r.issues]


def target_value(issue: Any, expected: dict[tuple[str, str], object]) -> object | None:
    """The right value of an issue's cell: by its order and path, or the order's value of the
    same field (a conflict a typed edit created on another row)."""
    key = (issue.order_id, issue.field)
    if key in expected:
        return expected[key]
    base = issue.field.split(".")[0].split("[")[0]
    for (order_id, path), value in expected.items():
        if order_id == issue.order_id and path.split(".")[0].split("[")[0] == base:
            return value
    return None


def right(doc: Any, expected: dict[tuple[str, str], object], order_id: str) -> bool:
    record = doc.order_by_id(order_id)
    payload = doc.payload(record)
    for (oid, path), value in expected.items():
        if oid != order_id:
            continue
        got: Any = payload
        try:
            for part in path.replace("[0]", ".0").split("."):
                got = got[int(part)] if part.isdigit() else got[part]
        except (KeyError, IndexError):
            return False
        if got != value:
            return False
    return True


def fix_buttons(panel: Any) -> list[Any]:
    buttons = getattr(panel, "fix_buttons", None) or [panel.fix_button]
    return [b for b in buttons if b.isVisible() and b.isEnabled()]


def run(path: Path, keyboard: bool) -> Tally:
    from northbeam_desktop.ui.document.view import DocumentView
    from tests.core.orderfiles import FIXING_EXPECTED

    expected = dict(FIXING_EXPECTED)
    doc = load_document(path, LoadOptions(timezone="America/New_York"))
    totals_before = {r.order_id: _total(doc, r) for r in doc.orders}
    window = QMainWindow()
    view = DocumentView(doc)
    window.setCentralWidget(view)
    window.resize(1280, 720)
    window.show()
    settle()
    panel = view.issues_panel
    tree = panel.tree
    tally = Tally()
    user = User(tally)
    confirm = getattr(panel, "confirm_fix", None)
    if confirm is not None:

        def confirm_by_enter(*_args: Any) -> bool:
            tally.keys += 1 if keyboard else 0
            tally.clicks += 0 if keyboard else 1
            return True

        panel.confirm_fix = confirm_by_enter
    in_panel = False
    for _step in range(60):
        problems = planted(doc, expected)
        if not problems:
            break
        groups = panel.groups_model.groups
        group_row = next(
            (n for n, g in enumerate(groups) if any(i in problems for i in g.issues)), None
        )
        if group_row is None:
            break
        group = groups[group_row]
        issue = next(i for i in group.issues if i in problems)
        index = panel.groups_model.index(group_row, 0)
        wanted = target_value(issue, expected)
        # Would the panel's fix give the right value? (Tried and undone uncounted: this user
        # knows what the fix would write.)
        good_fix = None
        was = tree.currentIndex()
        was_row = was.row() if was.isValid() and not was.parent().isValid() else None
        if tree.currentIndex() != index:
            tree.setCurrentIndex(index)
            settle()
            selected_by_user = False
        else:
            selected_by_user = True
        for number, button in enumerate(fix_buttons(panel)):
            undo_index = view.undo_stack.index()
            if confirm is not None:
                panel.confirm_fix = lambda *_a: True
            button.click()
            settle()
            ok = view.undo_stack.index() != undo_index and right(doc, expected, issue.order_id)
            ok = ok and _not_lowered(doc, totals_before)
            view.undo_stack.setIndex(undo_index)
            settle()
            if confirm is not None:
                panel.confirm_fix = confirm_by_enter
            if ok:
                good_fix = number
                break
        # Put the selection back where the user left it (the trial moved it).
        if selected_by_user or was_row is not None:
            tree.setCurrentIndex(panel.groups_model.index(was_row or group_row, 0))
        else:
            tree.setCurrentIndex(QModelIndex())
        settle()
        if good_fix is not None:
            if keyboard:
                if not in_panel:
                    user.key(view.table, Qt.Key.Key_F6)
                    in_panel = True
                rows = _rows_between(tree, index)
                for _ in range(abs(rows)):
                    user.key(tree, Qt.Key.Key_Down if rows > 0 else Qt.Key.Key_Up)
                if tree.currentIndex() != index:
                    tree.setCurrentIndex(index)  # landed by the arrows above
                if good_fix == 0:
                    user.key(tree, Qt.Key.Key_Return)
                else:
                    for _ in range(good_fix + 1):
                        user.key(tree, Qt.Key.Key_Tab)
                    user.key(fix_buttons(panel)[good_fix], Qt.Key.Key_Space)
            else:
                if tree.currentIndex() != index:
                    user.click(tree.viewport(), tree.visualRect(index).center())
                user.click(fix_buttons(panel)[good_fix])
            tally.note(f"{issue.order_id} {issue.code}: quick fix")
            continue
        if wanted is None:
            tally.note(f"{issue.order_id} {issue.code}: no right value known; stopped")
            break
        # Type it: go to the cell, type the value, Enter.
        if keyboard:
            if in_panel:
                rows = _rows_between(tree, index)
                for _ in range(abs(rows)):
                    user.key(tree, Qt.Key.Key_Down if rows > 0 else Qt.Key.Key_Up)
                tree.setCurrentIndex(index)
                user.key(tree, Qt.Key.Key_Space if _space_goes_to_cell(panel) else Qt.Key.Key_F6)
                view.focus_cell(issue.row_index, issue.col_index)
                in_panel = False
            else:
                user.key(view.table, Qt.Key.Key_F8)
                view.focus_cell(issue.row_index, issue.col_index)
        else:
            user.click(tree.viewport(), tree.visualRect(index).center())
            view.focus_cell(issue.row_index, issue.col_index)  # where the click took the table
        user.type(view.table, expected_text(wanted))
        editor = QApplication.focusWidget()
        user.key(editor, Qt.Key.Key_Return)
        tally.note(f"{issue.order_id} {issue.code}: typed {expected_text(wanted)}")
    left = planted(doc, expected)
    wrong = [o for o in {oid for oid, _ in expected} if not right(doc, expected, o)]
    lowered = not _not_lowered(doc, totals_before)
    tally.note(f"left: {[(i.order_id, i.code) for i in left]}; wrong: {wrong}; lowered: {lowered}")
    window.close()
    return tally


def _rows_between(tree: Any, index: Any) -> int:
    current = tree.currentIndex()
    if not current.isValid():
        return index.row() + 1
    if current.parent().isValid():
        return index.row() - current.parent().row()
    return index.row() - current.row()


def _space_goes_to_cell(panel: Any) -> bool:
    return hasattr(panel, "go_to_cell")


def _total(doc: Any, record: Any) -> float | None:
    column = doc.columns.get("purchase_total")
    value = column.values[record.row_indices[0]] if column else None
    return float(value) if value.__class__ in (int, float) else None


def _not_lowered(doc: Any, before: dict[str | None, float | None]) -> bool:
    """No order's total is below what it was (a total that was unreadable may become one)."""
    for record in doc.orders:
        old, new = before.get(record.order_id), _total(doc, record)
        if old is not None and (new is None or new < old - 0.005):
            return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, help="the 13-defect file (made if not given)")
    parser.add_argument("--keyboard", action="store_true", help="keyboard only")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    path = args.file
    if path is None:
        from tests.core.orderfiles import fixing_defects

        path = fixing_defects(Path(tempfile.mkdtemp()))
    tally = run(path, args.keyboard)
    for line in tally.log:
        print(line)
    print(f"clicks: {tally.clicks}  keystrokes: {tally.keys}  total: {tally.clicks + tally.keys}")
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
