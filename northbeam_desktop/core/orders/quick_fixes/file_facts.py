"""What the whole file knows that a fix can reuse (the same email's customer ID, the same SKU's
name and price, the file's currency)."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from northbeam_desktop.core.orders.quick_fixes.model import is_number, money

EMAIL_LIKE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

if TYPE_CHECKING:
    from northbeam_desktop.core.orders.document import OrderDocument
    from northbeam_desktop.core.orders.records import OrderRecord


class FileFacts:
    """Lookups over the whole file, made on first use: customer IDs by email, names, prices
    and SKUs of each product, the currencies orders use."""

    def __init__(self, doc: OrderDocument) -> None:
        self.doc = doc
        self._ids_by_email: dict[str, Counter[str]] | None = None
        self._products: tuple[dict[str, Counter[str]], ...] | None = None
        self._currencies: tuple[Counter[str], dict[str, Counter[str]]] | None = None

    def ids_for_email(self, email: str) -> tuple[str, int] | None:
        """The customer ID most used with this email on other orders, and on how many."""
        if self._ids_by_email is None:
            self._ids_by_email = {}
            by_email = self._ids_by_email
            for other in self.doc.orders:
                mail = order_text(self.doc, other, "customer_email")
                cid = order_text(self.doc, other, "customer_id")
                if not mail or not cid or cid == other.order_id or EMAIL_LIKE.match(cid):
                    continue
                by_email.setdefault(mail.casefold(), Counter())[cid] += 1
        counter = self._ids_by_email.get(email.casefold())
        if not counter:
            return None
        customer_id, count = counter.most_common(1)[0]
        return customer_id, count

    def product_index(self) -> tuple[dict[str, Counter[str]], ...]:
        """(names by SKU, prices by SKU, SKUs by name (case-folded)) over every row."""
        if self._products is None:
            cols = self.doc.columns
            ids, names, prices = (
                cols.get(k) for k in ("products.id", "products.name", "products.price")
            )
            by_sku_name: dict[str, Counter[str]] = {}
            by_sku_price: dict[str, Counter[str]] = {}
            by_name_sku: dict[str, Counter[str]] = {}
            count = len(self.doc.sheet.rows)
            for r in range(count):
                sku = ids.values[r] if ids is not None else None
                name = names.values[r] if names is not None else None
                price = prices.values[r] if prices is not None else None
                sku = sku if sku.__class__ is str else None
                name = name if name.__class__ is str else None
                if sku and name:
                    by_sku_name.setdefault(sku, Counter())[name] += 1
                    by_name_sku.setdefault(name.casefold(), Counter())[sku] += 1
                if sku and is_number(price) and price >= 0:
                    by_sku_price.setdefault(sku, Counter())[money(price)] += 1
            self._products = (by_sku_name, by_sku_price, by_name_sku)
        return self._products

    def currency_index(self) -> tuple[Counter[str], dict[str, Counter[str]]]:
        if self._currencies is None:
            overall: Counter[str] = Counter()
            by_email: dict[str, Counter[str]] = {}
            column = self.doc.columns.get("currency")
            if column is not None:
                for record in self.doc.orders:
                    code = next(
                        (column.values[r] for r in record.row_indices if column.values[r]), None
                    )
                    if code.__class__ is not str:
                        continue
                    overall[code] += 1
                    mail = order_text(self.doc, record, "customer_email")
                    if mail:
                        by_email.setdefault(mail.casefold(), Counter())[code] += 1
            self._currencies = (overall, by_email)
        return self._currencies


def order_text(doc: OrderDocument, record: OrderRecord, key: str) -> str | None:
    """The first filled cell of `key` on the order's rows, when it is text."""
    column = doc.columns.get(key)
    if column is None:
        return None
    for r in record.row_indices:
        value = column.values[r]
        if value is not None:
            return value if value.__class__ is str else None
    return None


def cell_text(doc: OrderDocument, row: int, key: str) -> str | None:
    """The cell of `key` on `row`, when it is text."""
    column = doc.columns.get(key)
    if column is None:
        return None
    value = column.values[row]
    return value if value.__class__ is str else None
