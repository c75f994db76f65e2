"""Understanding one cell: text, numbers, dates, yes/no values, currencies, countries, emails.

Every function here is pure and cheap; the engine calls them once per distinct raw value of a
column (100k-row files are normal), so the tables and regular expressions are built once at
import time. When a value cannot be understood the function raises `ValueProblem` whose
`message` is a whole sentence for a marketer: it quotes the value, says what is wrong with it and
how to fix it. `code` is an `IssueCode` the engine and the tests rely on, and `suggestion`, when
there is one, is a replacement value (as text) that would be accepted.

Decisions that depend on a whole column (is the decimal separator a point or a comma? are
`03/08/2026` dates month/day or day/month?) are made by `infer_number_format` and
`infer_date_format` from all values of the column, never from one cell; each returns a sentence
of evidence the GUI can show next to the column.

One module per kind of value: `text` (and the helpers all share), `numbers` and
`number_formats`, `dates` and `date_formats`, `yes_no`, `currency`, `country`, `identity`
(email, SHA-256 hash, IP address); `converters` says which one reads each kind of field.
This package imports its modules; they import each other directly, never the package.
"""

from northbeam_desktop.core.orders.values.converters import (
    SIMPLE_CONVERTERS,
    Converter,
    convert_identifier,
    convert_text,
)
from northbeam_desktop.core.orders.values.country import COUNTRY_ALPHA3, normalize_country
from northbeam_desktop.core.orders.values.currency import (
    ACCEPTED_CURRENCIES,
    ambiguous_currency_codes,
    normalize_currency,
)
from northbeam_desktop.core.orders.values.date_formats import (
    infer_date_format,
    times_without_zone,
)
from northbeam_desktop.core.orders.values.dates import DateFormat, parse_datetime
from northbeam_desktop.core.orders.values.identity import is_sha256_hex, looks_like_email
from northbeam_desktop.core.orders.values.number_formats import infer_number_format
from northbeam_desktop.core.orders.values.numbers import DOT_DECIMAL, NumberFormat, parse_number
from northbeam_desktop.core.orders.values.problems import ValueProblem
from northbeam_desktop.core.orders.values.text import to_iso, to_text
from northbeam_desktop.core.orders.values.yes_no import parse_bool

__all__ = [
    "ACCEPTED_CURRENCIES",
    "COUNTRY_ALPHA3",
    "DOT_DECIMAL",
    "SIMPLE_CONVERTERS",
    "Converter",
    "DateFormat",
    "NumberFormat",
    "ValueProblem",
    "ambiguous_currency_codes",
    "convert_identifier",
    "convert_text",
    "infer_date_format",
    "infer_number_format",
    "is_sha256_hex",
    "looks_like_email",
    "normalize_country",
    "normalize_currency",
    "parse_bool",
    "parse_datetime",
    "parse_number",
    "times_without_zone",
    "to_iso",
    "to_text",
]
