"""Problems found in a file, each tied to the cell it came from and written for a marketer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"  # blocks the upload of the order
    WARNING = "warning"  # the order can be sent; the user should look


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem.

    `field` is the JSON path inside one order (`tax`, `products[0].price`,
    `customer_shipping_address.country_code`; list indices are 0-based like JSONPath), or a
    file-level name such as `mapping.order_id`. `row` is the 1-based row number as Excel shows it
    and `column` the header text exactly as in the file; both are None when the issue is not tied
    to one cell. `row_index`/`col_index` are the positions in `SheetData.rows` for the GUI.
    """

    code: str
    severity: Severity
    message: str
    field: str
    row: int | None = None
    column: str | None = None
    order_id: str | None = None
    suggestion: str | None = None  # a value that would fix the cell, as text
    row_index: int | None = None
    col_index: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_json(self) -> dict[str, object]:
        """The shape the `validate --format json` contract promises."""
        return {
            "row": self.row,
            "column": self.column,
            "field": self.field,
            "order_id": self.order_id,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
        }
