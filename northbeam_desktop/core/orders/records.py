"""What the engine knows about each order and each cell it could not read.

Shared by the document (which groups rows into `OrderRecord`s), the rules (which give each
record its issues and status) and the GUI; it imports nothing of theirs, so none of them
has to reach into another for these types.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from northbeam_desktop.core.orders.issues import Issue, Severity
from northbeam_desktop.core.orders.values import ValueProblem


class OrderStatus(StrEnum):
    VALID = "valid"
    WARNING = "warning"
    ERROR = "error"


class Bad:
    """A cell whose value could not be understood; holds the reason."""

    __slots__ = ("problem",)

    def __init__(self, problem: ValueProblem) -> None:
        self.problem = problem

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Bad({self.problem.code})"


class OrderRecord:
    """One order: the rows it came from, its problems, and its status.

    A plain slotted class rather than a dataclass: tens of thousands are made per load, and
    the issue lists start as one shared empty list.
    """

    __slots__ = (
        "cancelled",
        "held_back",
        "issues",
        "order_id",
        "row_indices",
        "server_issues",
        "status",
        "upload_message",
        "upload_status",
    )

    def __init__(self, order_id: str | None, row_indices: list[int]) -> None:
        self.order_id = order_id
        self.row_indices = row_indices
        self.issues: list[Issue] = NO_ISSUES
        self.status = OrderStatus.VALID
        self.upload_status: str | None = None  # after an upload: accepted / failed / ...
        self.upload_message: str | None = None
        self.server_issues: list[Issue] = NO_ISSUES  # Northbeam's own rejections
        self.cancelled = False  # cancelled in the shop (set by the order_info rules)
        self.held_back = False  # cancelled, and the user did not choose to send such orders

    def __repr__(self) -> str:
        return f"OrderRecord({self.order_id!r}, rows={self.row_indices}, {self.status.value})"

    @property
    def has_errors(self) -> bool:
        return self.status is OrderStatus.ERROR

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.is_error]

    def set_issues(self, issues: list[Issue]) -> None:
        """Store an order's issues (its own and Northbeam's) and the status they give it."""
        if not issues:
            self.issues = NO_ISSUES
            self.status = OrderStatus.VALID
            return
        self.issues = issues
        self.status = status_of(issues)


# The status an order gets from its most serious issue.
STATUS_OF: dict[Severity, OrderStatus] = {
    Severity.ERROR: OrderStatus.ERROR,
    Severity.WARNING: OrderStatus.WARNING,
    Severity.NOTE: OrderStatus.VALID,
}


def status_of(issues: Sequence[Issue]) -> OrderStatus:
    """An order with any error cannot be sent; with only warnings it can; notes alone leave
    it valid."""
    if not issues:
        return OrderStatus.VALID
    worst = min((issue.severity for issue in issues), key=lambda severity: severity.rank)
    return STATUS_OF[worst]


NO_ISSUES: list[Issue] = []  # shared, never mutated: assign a new list to change
