"""Problems found in a file, each tied to the cell it came from and written for a marketer.

Every problem has an `IssueCode` (a `StrEnum`, so `issue.code == "required"` still works) and a
`Severity`. The short title a list of problems shows for a code ("Tax is empty", "Currency “$”
is ambiguous") lives next to the code in `TITLES`, so a new code cannot ship without one (a test
checks that every code has a title). To add a code: add the member to `IssueCode`, its title to
`TITLES`, raise it through the enum, and give it a test case (another test checks that every
code is raised by at least one test).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How much a problem matters; what each level means lives in `_MEANING` below.

    To add a level (say a quieter "changed for you" note): add the member and its row in
    `_MEANING` (a test checks every level has one), give `records.STATUS_OF` the order status it
    leads to, then the places that still draw two levels: the table's icons and filters
    (ui/document/model.py, proxy.py), the problems panel (ui/document/issues_panel.py) and the
    command line's counts (cli/main.py)."""

    ERROR = "error"  # blocks the upload of the order
    WARNING = "warning"  # the order can be sent; the user should look
    NOTE = "note"  # changed for you ("US" is sent as "USA"): listed, not counted as a problem

    @property
    def blocks_upload(self) -> bool:
        """An order with an issue of this level is not sent."""
        return _MEANING[self][0]

    @property
    def is_problem(self) -> bool:
        """Counted as a problem (errors and warnings); notes only say what was changed."""
        return self is not Severity.NOTE

    @property
    def rank(self) -> int:
        """Sort key, most serious first (0)."""
        return _MEANING[self][1]


# Severity → (blocks the upload, rank: most serious first).
_MEANING: dict[Severity, tuple[bool, int]] = {
    Severity.ERROR: (True, 0),
    Severity.WARNING: (False, 1),
    Severity.NOTE: (False, 2),
}


class IssueCode(StrEnum):
    """Every problem the app reports, as a stable snake_case name (the JSON report's `code`)."""

    # A cell whose value cannot be understood (raised by core/orders/values as ValueProblem).
    BLANK = "blank"
    NOT_A_NUMBER = "not_a_number"
    BAD_THOUSANDS_SEPARATOR = "bad_thousands_separator"
    WRONG_DECIMAL_SEPARATOR = "wrong_decimal_separator"
    NOT_A_DATE = "not_a_date"
    DATE_WITHOUT_DAY = "date_without_day"
    TIME_WITHOUT_DATE = "time_without_date"
    INVALID_DATE = "invalid_date"
    WRONG_DATE_ORDER = "wrong_date_order"
    INVALID_TIME = "invalid_time"
    UNKNOWN_TIME_ZONE = "unknown_time_zone"
    NOT_A_YES_NO = "not_a_yes_no"
    AMBIGUOUS_CURRENCY = "ambiguous_currency"
    UNKNOWN_CURRENCY = "unknown_currency"
    UNSUPPORTED_CURRENCY = "unsupported_currency"
    UNKNOWN_COUNTRY = "unknown_country"
    INVALID_EMAIL = "invalid_email"
    INVALID_HASH = "invalid_hash"
    INVALID_IP = "invalid_ip"
    INVALID_PHONE = "invalid_phone"
    # A value that was understood and will be sent in another form ("us" → "USA").
    VALUE_CONVERTED = "value_converted"
    # The file as a whole.
    UNMAPPED_REQUIRED_FIELD = "unmapped_required_field"
    AMBIGUOUS_DECIMAL = "ambiguous_decimal"
    GUESSED_DATE_ORDER = "guessed_date_order"
    # Rules an order must pass (core/orders/rules).
    REQUIRED = "required"
    ORDER_VALUE_CONFLICT = "order_value_conflict"
    DUPLICATE_ORDER_ID = "duplicate_order_id"
    NEGATIVE_NUMBER = "negative_number"
    NUMBER_TOO_LARGE = "number_too_large"
    CUSTOMER_ID_IS_ORDER_ID = "customer_id_is_order_id"
    CUSTOMER_ID_IS_EMAIL = "customer_id_is_email"
    SHARED_CUSTOMER_ID = "shared_customer_id"
    NO_CUSTOMER = "no_customer"
    EMAIL_AND_HASH = "email_and_hash"
    PHONE_AND_HASH = "phone_and_hash"
    TIME_IN_FUTURE = "time_in_future"
    NO_PRODUCTS = "no_products"
    PRODUCT_ID_FROM_NAME = "product_id_from_name"
    DUPLICATE_PRODUCT_LINE = "duplicate_product_line"
    REFUND_INCOMPLETE = "refund_incomplete"
    REFUND_UNKNOWN_PRODUCT = "refund_unknown_product"
    REFUND_EXCEEDS_SOLD = "refund_exceeds_sold"
    DUPLICATE_REFUND = "duplicate_refund"
    ZIP_MISSING = "zip_missing"
    ZIP_LEADING_ZERO = "zip_leading_zero"
    ADDRESS_NOT_SENT = "address_not_sent"
    ORDER_CANCELLED = "order_cancelled"
    REFUND_NOT_SENT = "refund_not_sent"
    TOTALS_MISMATCH = "totals_mismatch"
    # Northbeam's own answer after an upload.
    SERVER_REJECTED = "server_rejected"


# The title of a group of problems with one code in one column. `{label}` is the field's name
# ("Tax"), `{values}` up to two of the cell values concerned, quoted (left out when empty).
TITLES: dict[IssueCode, str] = {
    IssueCode.BLANK: "{label} is empty",
    IssueCode.NOT_A_NUMBER: "{label} is not a number ({values})",
    IssueCode.BAD_THOUSANDS_SEPARATOR: "{label} has a misplaced thousands separator ({values})",
    IssueCode.WRONG_DECIMAL_SEPARATOR: "{label} uses the other decimal separator ({values})",
    IssueCode.NOT_A_DATE: "{label} is not a date ({values})",
    IssueCode.DATE_WITHOUT_DAY: "{label} has no day ({values})",
    IssueCode.TIME_WITHOUT_DATE: "{label} has a time but no date ({values})",
    IssueCode.INVALID_DATE: "{label} is not a real date ({values})",
    IssueCode.WRONG_DATE_ORDER: "{label} has day and month the other way round ({values})",
    IssueCode.INVALID_TIME: "{label} has an impossible time ({values})",
    IssueCode.UNKNOWN_TIME_ZONE: "{label} has a time zone that is not understood ({values})",
    IssueCode.NOT_A_YES_NO: "{label} is not yes or no ({values})",
    IssueCode.AMBIGUOUS_CURRENCY: "Currency {values} is ambiguous",
    IssueCode.UNKNOWN_CURRENCY: "Currency {values} is not understood",
    IssueCode.UNSUPPORTED_CURRENCY: "Currency {values} is not accepted by Northbeam",
    IssueCode.UNKNOWN_COUNTRY: "{label} {values} is not understood",
    IssueCode.INVALID_EMAIL: "{label} is not an email address",
    IssueCode.INVALID_HASH: "{label} is not a SHA-256 hash",
    IssueCode.INVALID_IP: "{label} is not an IP address ({values})",
    IssueCode.INVALID_PHONE: "{label} is not a phone number ({values})",
    IssueCode.VALUE_CONVERTED: "{label} will be changed when sent",
    IssueCode.UNMAPPED_REQUIRED_FIELD: "No column is chosen for {label}",
    IssueCode.AMBIGUOUS_DECIMAL: "{label}: decimal separator guessed",
    IssueCode.GUESSED_DATE_ORDER: "{label}: day/month order guessed",
    IssueCode.REQUIRED: "{label} is empty",
    IssueCode.ORDER_VALUE_CONFLICT: "{label} differs between rows of one order",
    IssueCode.DUPLICATE_ORDER_ID: "Order ID used by two different orders",
    IssueCode.NEGATIVE_NUMBER: "{label} is negative",
    IssueCode.NUMBER_TOO_LARGE: "{label} is too large",
    IssueCode.CUSTOMER_ID_IS_ORDER_ID: "Customer ID is the same as the order ID",
    IssueCode.CUSTOMER_ID_IS_EMAIL: "Customer ID is an email address",
    IssueCode.SHARED_CUSTOMER_ID: "Customer ID {values} is shared by many customers",
    IssueCode.NO_CUSTOMER: "No email or phone to recognise the customer",
    IssueCode.EMAIL_AND_HASH: "Both an email and a hashed email",
    IssueCode.PHONE_AND_HASH: "Both a phone number and a hashed phone number",
    IssueCode.TIME_IN_FUTURE: "Time of purchase is in the future",
    IssueCode.NO_PRODUCTS: "Order has no products",
    IssueCode.PRODUCT_ID_FROM_NAME: "Product ID is empty (the name is sent instead)",
    IssueCode.DUPLICATE_PRODUCT_LINE: "Same product twice in one order",
    IssueCode.REFUND_INCOMPLETE: "Refund is incomplete ({label} is empty)",
    IssueCode.REFUND_UNKNOWN_PRODUCT: "Refunded product is not in the order",
    IssueCode.REFUND_EXCEEDS_SOLD: "More units refunded than sold",
    IssueCode.DUPLICATE_REFUND: "The same refund twice",
    IssueCode.ZIP_MISSING: "Shipping ZIP / postcode is empty",
    IssueCode.ZIP_LEADING_ZERO: "ZIP code lost its leading zero",
    IssueCode.ADDRESS_NOT_SENT: "Shipping address is not sent (no country column)",
    IssueCode.ORDER_CANCELLED: "Cancelled in your shop",
    IssueCode.REFUND_NOT_SENT: "Refunded amount is not sent",
    IssueCode.TOTALS_MISMATCH: "Order total doesn't add up",
    IssueCode.SERVER_REJECTED: "Rejected by Northbeam",
}


def issue_title(code: str, *, label: str, values: str = "") -> str:
    """The title for a group of problems with `code` ("Tax is empty"); `values` is the quoted
    sample of cell values, dropped with its brackets when empty. Raises ValueError for a code
    that is not an `IssueCode`."""
    title = TITLES[IssueCode(code)]
    return title.format(label=label, values=values).replace(" ()", "").replace("  ", " ")


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem.

    `field` is the JSON path inside one order (`tax`, `products[0].price`,
    `customer_shipping_address.country_code`; list indices are 0-based like JSONPath), or a
    file-level name such as `mapping.order_id`. `row` is the 1-based row number as Excel shows it
    and `column` the header text exactly as in the file; both are None when the issue is not tied
    to one cell. `row_index`/`col_index` are the positions in `SheetData.rows` for the GUI.
    """

    code: IssueCode
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
        """The order cannot be sent while it has this issue."""
        return self.severity.blocks_upload

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
