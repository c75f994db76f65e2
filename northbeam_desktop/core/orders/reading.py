"""How a file was read, in words for the app: what kind of file it is, which column keeps an
order's rows together, and the fields made from other columns.

The app shows these above the problems and in the column mapping; `validate --format text`
says the same from the same mapping (`recognition_sentence`, `Mapping.derived`), so the window
and the command line never describe one file differently.

    reading = file_reading(doc.mapping)
    reading.headline()  # "This looks like a Shopify orders export — columns set for it."
    reading.made  # [MadeField("customer_id", "Customer ID", "the customer's email or phone")]
"""

from __future__ import annotations

from dataclasses import dataclass

from northbeam_desktop.core.orders.fields import ALL_FIELDS, DERIVED_CUSTOMER_ID
from northbeam_desktop.core.orders.mapping import Mapping, MatchReason
from northbeam_desktop.core.orders.platforms import recognition_sentence

# How the columns were set when the user (or a saved mapping) chose them.
_CHOSEN_BY = {
    MatchReason.PRESET: "your saved columns for files like this are used",
    MatchReason.USER: "columns as you chose them",
}

# What a customer ID made by the app is made from (as `validate` words it).
CUSTOMER_CODE_SOURCE = "the customer's email or phone"


@dataclass(frozen=True, slots=True)
class MadeField:
    """A field the file has no column for, made from other columns."""

    key: str
    label: str  # "Customer ID"
    made_from: str  # "the customer's email or phone"

    @property
    def text(self) -> str:
        """ "Customer ID ← made from the customer's email or phone"."""
        return f"{self.label} ← made from {self.made_from}"


@dataclass(frozen=True, slots=True)
class FileReading:
    """What the app tells the user about how it read a file (see the module docstring)."""

    platform: str | None  # "Shopify"; None when the columns were matched by their names
    sentence: str  # "This looks like a Shopify orders export."
    group_column: str | None  # the order-number column whose repeats make one order ("Name")
    made: tuple[MadeField, ...]
    chosen_by: MatchReason | None = None  # PRESET or USER when columns were chosen so

    def headline(self) -> str:
        """The sentence and what it meant for the columns, in one line."""
        how = _CHOSEN_BY.get(self.chosen_by) if self.chosen_by is not None else None
        if self.platform is None:
            return f"{how[0].upper()}{how[1:]}." if how else self.sentence
        return f"{self.sentence.rstrip('.')} — {how or 'columns set for it'}."

    @property
    def grouping(self) -> str | None:
        """ "Rows with the same “Name” are one order." (None: rows are kept together by the
        order ID's own column, which needs no word)."""
        if self.group_column is None:
            return None
        return f"Rows with the same “{self.group_column}” are one order."


def made_fields(mapping: Mapping) -> tuple[MadeField, ...]:
    """The fields made from other columns, in the field catalogue's order."""
    made: list[MadeField] = []
    for spec in ALL_FIELDS:
        match = mapping.matches.get(spec.key)
        if match is not None and match.column == DERIVED_CUSTOMER_ID:
            made.append(MadeField(spec.key, spec.label, CUSTOMER_CODE_SOURCE))
            continue
        derived = mapping.derived.get(spec.key)
        if match is None and derived is not None:
            made.append(MadeField(spec.key, spec.label, derived.explanation))
    return tuple(made)


def chosen_by(mapping: Mapping) -> MatchReason | None:
    """USER when a column was chosen by hand, else PRESET when a saved mapping set one, else
    None (every column as the app matched it)."""
    reasons = {match.reason for match in mapping.matches.values()}
    for reason in (MatchReason.USER, MatchReason.PRESET):
        if reason in reasons:
            return reason
    return None


def file_reading(mapping: Mapping) -> FileReading:
    platform = mapping.platform
    return FileReading(
        platform=platform.name if platform is not None else None,
        sentence=recognition_sentence(platform),
        group_column=mapping.column_for("order_number")
        if mapping.group_column() != mapping.column_for("order_id")
        else None,
        made=made_fields(mapping),
        chosen_by=chosen_by(mapping),
    )
