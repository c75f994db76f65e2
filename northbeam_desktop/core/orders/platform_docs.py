"""docs/PLATFORMS.md, written from core/orders/platforms.py so the page never says other than
the app does: per platform, which of its columns give which Northbeam field, what is made from
other columns, and what its export cannot give (with what to do).

    python -m northbeam_desktop.core.orders.platform_docs > docs/PLATFORMS.md

tests/test_platform_docs.py fails when the page and the platforms differ.
"""

from __future__ import annotations

from collections.abc import Iterable

from northbeam_desktop.core.orders.fields import ALL_FIELDS, FIELDS_BY_KEY, Level
from northbeam_desktop.core.orders.platforms import PLATFORMS, Platform

INTRO = """\
# Which columns are read, per shop platform

Northbeam Desktop recognises the kind of export from its column names and says so when it
opens a file (“This looks like an Etsy sold-items file (EtsySoldOrderItems)”). For each kind
below: the columns each Northbeam field is read from (when several are listed, the first one
the file has wins, unless the field is marked *most filled*, where the column filled on most
rows wins), the values made from other columns, and what the export cannot give, with what to
do about it. Columns not listed here are still matched by their names (see the column
mapping); a `--mapping` file or the mapping dialog can change any choice.

This page is written from the program's own list of platforms
(`northbeam_desktop/core/orders/platforms.py`); a test fails when the two differ. To write it
again: `python -m northbeam_desktop.core.orders.platform_docs > docs/PLATFORMS.md`.
"""

_LEVEL_TITLES = {
    Level.ORDER: "Order",
    Level.PRODUCT: "Products (one per row)",
    Level.ADDRESS: "Shipping address",
    Level.INFO: "Read to understand the file, not sent",
    Level.REFUND: "Refunds",
    Level.ALTERNATE_ID: "Other order IDs",
}


def render() -> str:
    """The whole page."""
    parts = [INTRO]
    for platform in PLATFORMS:
        parts.append(_platform(platform))
    return "\n".join(parts).rstrip() + "\n"


def _platform(platform: Platform) -> str:
    lines = [f"## {platform.name}: {platform.export}", ""]
    lines.append(
        "Recognised by: "
        + _names(platform.markers)
        + f" (at least {platform.min_markers} of them"
        + (f"; always {_names(platform.required)}" if platform.required else "")
        + ")."
    )
    lines.append("")
    lines.extend(_columns_table(platform))
    if platform.derived:
        lines += ["", "| Northbeam field | Made from |", "|---|---|"]
        for derived in platform.derived:
            label = FIELDS_BY_KEY[derived.field_key].label
            made_from = f" ({_names(derived.columns)})" if derived.columns else ""
            lines.append(f"| {label} | {derived.explanation}{made_from} |")
    if platform.order_number:
        lines += [
            "",
            f"An order's rows are kept together by {_names(platform.order_number)}, so a "
            "line that repeats it belongs to its order even where the order ID is only on the "
            "order's first row.",
        ]
    if platform.cancelled_statuses:
        lines += [
            "",
            "Cancelled (not sent unless you choose to send cancelled orders): a status of "
            + _names(sorted(platform.cancelled_statuses))
            + ".",
        ]
    limits = _limits(platform)
    if limits:
        lines += ["", "What this export cannot give, and what to do:", ""]
        lines.extend(f"- {text}" for text in limits)
    return "\n".join(lines) + "\n"


def _columns_table(platform: Platform) -> list[str]:
    rows = ["| Northbeam field | Columns read |", "|---|---|"]
    if not platform.columns:
        # Northbeam's own template: every field has the column named after it.
        for spec in ALL_FIELDS:
            if spec.level is not Level.INFO and spec.template_column:
                rows.append(f"| {spec.label} | `{spec.template_column}` |")
        return rows
    current: Level | None = None
    for spec in sorted(
        (s for s in ALL_FIELDS if s.key in platform.columns),
        key=lambda s: list(_LEVEL_TITLES).index(s.level),
    ):
        if spec.level is not current:
            current = spec.level
            rows.append(f"| **{_LEVEL_TITLES[current]}** | |")
        columns = _names(platform.columns[spec.key], joiner=", else ")
        if spec.key in platform.prefer_filled:
            columns += " (*most filled*)"
        note = platform.notes.get(spec.key)
        rows.append(f"| {spec.label} | {columns}{'. ' + note if note else ''} |")
    return rows


def _limits(platform: Platform) -> list[str]:
    said: dict[str, list[str]] = {}
    for key, text in platform.missing.items():
        said.setdefault(text, []).append(FIELDS_BY_KEY[key].label)
    limits = [f"{', '.join(labels)}: {text}" for text, labels in said.items()]
    if platform.blank_customer:
        column = _names(_customer_columns(platform), joiner=" or ")
        limits.append(f"An empty {column}: " + platform.blank_customer.format(column=column))
    return limits


def _customer_columns(platform: Platform) -> tuple[str, ...]:
    derived = [d.columns for d in platform.derived if d.field_key == "customer_id"]
    return platform.columns.get("customer_id") or (derived[0] if derived else ("customer",))


def _names(names: Iterable[str], joiner: str = ", ") -> str:
    return joiner.join(f"“{name}”" for name in names)


if __name__ == "__main__":  # pragma: no cover - the command in the module docstring
    print(render(), end="")
