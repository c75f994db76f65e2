"""An order's money as the file has it, with blank or unreadable amounts told apart."""

from __future__ import annotations

from dataclasses import dataclass

from northbeam_desktop.core.orders.quick_fixes.model import MONEY_PARTS


class Missing:
    """An amount that is blank or could not be read."""

    __slots__ = ()


MISSING = Missing()


Amount = float | Missing


@dataclass(slots=True)
class OrderAmounts:
    """The money of one order as the file has it; `items` is None when a line is incomplete."""

    total: Amount
    tax: Amount
    shipping: Amount
    discount: Amount
    items: float | None
    mapped: set[str]  # which of the money fields have a column

    def known(self, key: str) -> float | None:
        value = {
            "purchase_total": self.total,
            "tax": self.tax,
            "shipping_cost": self.shipping,
            "discount_amount": self.discount,
        }[key]
        if isinstance(value, Missing):
            # An unmapped part is sent as nothing (0); a mapped blank one is unknown, except a
            # discount, which is optional (blank means none).
            if key not in self.mapped or key == "discount_amount":
                return 0.0
            return None
        return value

    def parts(self) -> float | None:
        """products + tax + shipping − discount, when all are known."""
        tax, shipping, discount = (self.known(k) for k in MONEY_PARTS)
        if self.items is None or tax is None or shipping is None or discount is None:
            return None
        return self.items + tax + shipping - discount
