"""What a quick fix is: the cells it writes, its label and why; shared wording helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeGuard

from northbeam_desktop.core.orders import values
from northbeam_desktop.core.orders.issues import Issue
from northbeam_desktop.core.orders.sheet import CellValue

CellChange = tuple[int, int, CellValue]  # (row_index, col_index, new value)
MONEY_PARTS = ("tax", "shipping_cost", "discount_amount")


@dataclass(frozen=True, slots=True)
class QuickFix:
    """One way to fix one problem."""

    kind: str  # where the value comes from ("derived_tax", "same_email", …): fixes of one
    # kind are offered together "for all N"
    label: str  # the button: "Use 20.32", "Set tax to 20.32"
    explanation: str  # one or two sentences: why this value
    changes: tuple[CellChange, ...]  # every cell written (all rows of the order)
    value: str  # the value, as text

    @property
    def rows(self) -> list[int]:
        return sorted({row for row, _, _ in self.changes})


@dataclass(slots=True)
class GroupFix:
    """The best fix of each problem of a group, applied together as one undoable step."""

    label: str  # "Use 0 for all 132", "Use the tax each total leaves, for 12 orders"
    explanation: str
    changes: list[CellChange]
    orders: int  # how many orders change
    fixed: int  # how many of the group's problems it fixes
    total: int  # how many problems the group has
    items: list[tuple[Issue, QuickFix]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ChangeLine:
    """One cell of a preview: "Row 4 · order 2001 · Tax: empty → 20.32"."""

    row: int  # Excel row number
    order_id: str | None
    column: str  # the column's header
    before: str  # "" when empty
    after: str

    def text(self) -> str:
        order = f" · order {self.order_id}" if self.order_id else ""
        before = f"“{self.before}”" if self.before else "empty"
        after = f"“{self.after}”" if self.after else "empty"
        return f"Row {self.row}{order} · {self.column}: {before} → {after}"


def money(value: float) -> str:
    """An amount as it is written into a cell: two decimals, no thousands separator."""
    text = f"{round(value, 2):.2f}"
    return "0.00" if text == "-0.00" else text


def shown(value: float) -> str:
    return f"{value:,.2f}"


def orders_phrase(count: int) -> str:
    return f"{count:,} order" if count == 1 else f"{count:,} orders"


def is_number(value: object) -> TypeGuard[int | float]:
    """A cell that holds a number (not a bool, which Python counts as an int)."""
    return value.__class__ in (int, float)


def text_of(value: CellValue) -> str:
    if isinstance(value, float):
        return money(value)
    return values.to_text(value) or ""
