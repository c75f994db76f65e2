"""Fixes from what the file already knows: the customer ID of the same email, the name, price or
SKU of the same product, the file's currency."""

from __future__ import annotations

from typing import TYPE_CHECKING

from northbeam_desktop.core.orders import values
from northbeam_desktop.core.orders.issues import Issue
from northbeam_desktop.core.orders.quick_fixes.model import QuickFix
from northbeam_desktop.core.orders.records import OrderRecord
from northbeam_desktop.core.orders.rules.identity import derived_customer_id
from northbeam_desktop.core.orders.sheet import CellValue

if TYPE_CHECKING:
    from northbeam_desktop.core.orders.quick_fixes.context import FixContext


def customer_id_fixes(ctx: FixContext, issue: Issue, record: OrderRecord) -> list[QuickFix]:
    doc = ctx.doc
    email = ctx.order_text(record, "customer_email")
    fixes: list[QuickFix] = []
    if email and "customer_id" in doc.columns:
        known = ctx.facts.ids_for_email(email)
        if known:
            customer_id, orders = known
            fixes.append(
                ctx.fix_cells(
                    "same_email",
                    record,
                    "customer_id",
                    customer_id,
                    f"Use {customer_id}",
                    f"{customer_id} is the customer ID of {email} on "
                    f"{orders:,} other order{'s' if orders != 1 else ''} in this file.",
                )
            )
        code = derived_customer_id(email)
        fixes.append(
            ctx.fix_cells(
                "email_code",
                record,
                "customer_id",
                code,
                f"Use {code}",
                "A code made from the customer's email: the same email always gives the "
                "same code, and the email can't be read back from it.",
            )
        )
    return fixes


def product_fixes(ctx: FixContext, issue: Issue, wanted: str) -> list[QuickFix]:
    """A product's empty name, SKU or price, from the same product on other rows."""
    r = issue.row_index
    assert r is not None
    names, prices, skus = ctx.facts.product_index()
    if wanted == "id":
        name = ctx.cell_text(r, "products.name")
        counter = skus.get(name.casefold()) if name else None
        source = f"the product “{name}”"
    else:
        sku = ctx.cell_text(r, "products.id")
        counter = (names if wanted == "name" else prices).get(sku) if sku else None
        source = f"SKU {sku}"
    if not counter:
        return []
    value, count = counter.most_common(1)[0]
    target_key = {"id": "products.id", "name": "products.name", "price": "products.price"}[wanted]
    what = {"id": "SKU", "name": "name", "price": "price"}[wanted]
    stored: CellValue = value
    if wanted == "price":
        stored = float(value)
    why = (
        f"{source} has the {what} {value} on {count:,} other row{'s' if count != 1 else ''} "
        "of this file."
    )
    return [
        ctx.fix_cell(f"same_product_{wanted}", issue, stored, f"Use {value}", why, key=target_key)
    ]


def currency_fixes(ctx: FixContext, issue: Issue, record: OrderRecord) -> list[QuickFix]:
    """The currency this customer, or else this file, uses (when it is one of the codes an
    ambiguous symbol can mean)."""
    overall, by_email = ctx.facts.currency_index()
    email = ctx.order_text(record, "customer_email")
    allowed: set[str] | None = None
    if issue.code == "ambiguous_currency" and issue.col_index is not None:
        raw = ctx.doc.sheet.rows[issue.row_index or 0][issue.col_index]
        allowed = set(values.ambiguous_currency_codes(raw))
    candidates = [
        (by_email.get(email.casefold()) if email else None, "this customer's other orders"),
        (overall, "the other orders of this file"),
    ]
    for counter, where in candidates:
        if not counter:
            continue
        usable = [(c, n) for c, n in counter.most_common() if allowed is None or c in allowed]
        if not usable:
            continue
        code, count = usable[0]
        share = sum(counter.values())
        if count * 2 <= share:
            continue  # no clear majority: let the user choose
        why = f"{code} is the currency of {count:,} of {share:,} of {where}."
        return [ctx.fix_cells("file_currency", record, "currency", code, f"Use {code}", why)]
    return []
