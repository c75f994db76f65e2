"""A cell value that cannot be understood, with a sentence that says why."""

from __future__ import annotations

from northbeam_desktop.core.orders.issues import IssueCode


class ValueProblem(Exception):
    """A cell value that cannot be understood.

    `code` is a stable snake_case identifier, `message` a whole sentence for a marketer and
    `suggestion` a replacement value (as text) that would be accepted, when one exists.
    """

    def __init__(self, code: IssueCode | str, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.code = IssueCode(code)  # a code that is not an IssueCode fails right here
        self.message = message
        self.suggestion = suggestion

    def __repr__(self) -> str:
        return f"ValueProblem({self.code!r}, {self.message!r}, suggestion={self.suggestion!r})"
