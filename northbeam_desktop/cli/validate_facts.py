"""What `validate` says about a file in both formats, worked out once from the document.

The kind of file (platform), the mapping used (each field with its column or what it is made
from, and why), the required fields no column holds (and what the file would need), and the
counts per problem level. The text and JSON writers only word and lay out these facts, so the
two formats cannot disagree. Levels are taken from `Severity` itself, never a fixed pair, so a
new level shows up in both formats by itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from northbeam_desktop.core.orders.fields import (
    ALL_FIELDS,
    DERIVED_CUSTOMER_ID,
    FIELDS_BY_KEY,
    Level,
)
from northbeam_desktop.core.orders.issues import Issue, IssueCode, Severity
from northbeam_desktop.core.orders.mapping import Mapping, suggest_columns
from northbeam_desktop.core.orders.platforms import recognition_sentence

if TYPE_CHECKING:
    from northbeam_desktop.core.orders.document import OrderDocument

# How each level of field is headed in the mapping, in the order shown.
GROUP_TITLES: dict[Level, str] = {
    Level.ORDER: "Order",
    Level.PRODUCT: "Products",
    Level.REFUND: "Refunds",
    Level.ADDRESS: "Shipping address",
    Level.ALTERNATE_ID: "Other order IDs",
    Level.INFO: "Information columns (read to understand the file, not sent)",
}
DERIVED_TITLE = "Made from other columns"

# Severity levels from the most serious down (a level added to `Severity` is included).
LEVELS: tuple[Severity, ...] = tuple(sorted(Severity, key=lambda level: level.rank))


@dataclass(frozen=True, slots=True)
class PlatformFacts:
    key: str  # platforms.py key, or "generic"
    name: str | None  # "Shopify"
    sentence: str  # "This looks like a Shopify orders export."


@dataclass(frozen=True, slots=True)
class MappedField:
    """One field the file's orders get, and where it comes from."""

    key: str
    label: str
    group: str  # a GROUP_TITLES value, or DERIVED_TITLE
    column: str | None  # the header it is read from; None when made from other columns
    derived: str | None  # what it is made from, in words; None when read from a column
    reason: str  # why, in words
    description: str  # the whole explanation in one line (Mapping.describe)


@dataclass(frozen=True, slots=True)
class MissingField:
    """A field Northbeam requires that no column of the file holds."""

    key: str
    label: str
    needs: str | None  # what this kind of file would need (the platform's words), if known
    candidates: tuple[str, ...] = ()  # columns whose names look like it (when no `needs`)


@dataclass(slots=True)
class LevelCounts:
    """Orders and problems counted per level.

    `issues[level]` counts problems of that level (file-level ones included); `orders[level]`
    counts orders whose most serious problem is of that level; `ready` the orders that can be
    sent (none while a required field has no column: `blocked`); `held_back` the orders the
    shop cancelled, which are not sent unless the user asks (`--include-cancelled`).
    """

    rows: int
    total_orders: int
    ready: int  # as the document's summary counts them (`valid_orders`)
    blocked: bool
    held_back: int = 0  # cancelled in the shop, without errors: not sent unless asked
    issues: dict[Severity, int] = field(default_factory=dict)
    orders: dict[Severity, int] = field(default_factory=dict)


def platform_facts(mapping: Mapping) -> PlatformFacts:
    platform = mapping.platform
    return PlatformFacts(
        key=mapping.source,
        name=platform.name if platform is not None else None,
        sentence=recognition_sentence(platform),
    )


def mapped_fields(mapping: Mapping) -> list[MappedField]:
    """Every field the mapping fills, in catalogue order, each with its column and reason."""
    result: list[MappedField] = []
    for spec in ALL_FIELDS:
        match = mapping.matches.get(spec.key)
        description = mapping.describe(spec.key)
        if match is not None and description is not None:
            if match.column == DERIVED_CUSTOMER_ID:
                how = match.note or "made from the customer's email or phone"
                result.append(
                    MappedField(
                        spec.key,
                        spec.label,
                        DERIVED_TITLE,
                        None,
                        "the customer's email or phone",
                        how,
                        f"made from the customer's email or phone. {how}",
                    )
                )
                continue
            reason = mapping.reason_text(match)
            if match.note:
                reason = f"{reason}. {match.note}"
            result.append(
                MappedField(
                    spec.key,
                    spec.label,
                    GROUP_TITLES[spec.level],
                    match.column,
                    None,
                    reason,
                    description,
                )
            )
            continue
        derived = mapping.derived.get(spec.key)
        if derived is not None and description is not None:
            result.append(
                MappedField(
                    spec.key,
                    spec.label,
                    DERIVED_TITLE,
                    None,
                    derived.explanation,
                    "this kind of file has no column for it as such",
                    description,
                )
            )
    return result


def missing_fields(doc: OrderDocument) -> list[MissingField]:
    """The required fields no column of the file holds, as the document found them."""
    mapping = doc.mapping
    result: list[MissingField] = []
    for issue in doc.mapping_issues:
        if issue.code != IssueCode.UNMAPPED_REQUIRED_FIELD:
            continue
        key = issue.field.removeprefix("mapping.")
        spec = FIELDS_BY_KEY.get(key)
        if spec is None:
            continue
        needs = mapping.needs(key)
        # The platform's own words know better than names that merely look alike.
        candidates = () if needs else tuple(suggest_columns(spec, doc.sheet.headers, mapping))
        result.append(MissingField(key, spec.label, needs, candidates))
    return result


def count_levels(doc: OrderDocument, issues: Iterable[Issue]) -> LevelCounts:
    summary = doc.summary()
    counts = LevelCounts(
        rows=summary["rows"],
        total_orders=summary["orders"],
        ready=summary["valid_orders"],
        blocked=doc.blocked,
        held_back=len(doc.held_back),
        issues=dict.fromkeys(LEVELS, 0),
        orders=dict.fromkeys(LEVELS, 0),
    )
    tally = counts.issues
    for issue in issues:
        tally[issue.severity] += 1
    rank = {level: level.rank for level in LEVELS}.__getitem__
    per_order = counts.orders
    for record in doc.orders:
        record_issues = record.issues
        if not record_issues:
            continue
        if len(record_issues) == 1:  # the common case, kept cheap for 100k orders
            per_order[record_issues[0].severity] += 1
        else:
            per_order[min((issue.severity for issue in record_issues), key=rank)] += 1
    return counts


_INDEX = re.compile(r"\[[^\]]*\]")


def field_label(path: str) -> str:
    """A field's name in words from an issue's field path (`products[0].price` → "Product
    price", `mapping.customer_id` → "Customer ID"): a path is never shown to a user."""
    key = _INDEX.sub("", path.removeprefix("mapping."))
    spec = FIELDS_BY_KEY.get(key)
    if spec is not None:
        return spec.label
    first = key.split(".")[0]
    spec = FIELDS_BY_KEY.get(first)
    if spec is not None:
        return spec.label
    return "the order"


def plural(count: int, word: str, words: str | None = None) -> str:
    """ "1 order", "40,000 orders"."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"
