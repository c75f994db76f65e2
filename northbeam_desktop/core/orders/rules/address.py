"""The shipping address.

Rules: an address needs its country (`required`); without a ZIP / postcode it is sent with an
empty one (`zip_missing`, a note: changed for you).
"""

from __future__ import annotations

from typing import Any

from northbeam_desktop.core.orders.issues import IssueCode, Severity
from northbeam_desktop.core.orders.rules.context import (
    ERROR,
    Add,
    CheckContext,
    OrderFacts,
    Screen,
    ordered,
)

NAME = "address"
CODES = frozenset({IssueCode.ZIP_MISSING})
SCREEN_EXACT = True
COUNTRY = "customer_shipping_address.country_code"
ZIP = "customer_shipping_address.zip"
KEYS = ["address1", "address2", "city", "state", "zip", "country_code"]


def check(context: CheckContext, facts: OrderFacts, add: Add) -> None:
    if not context.address_keys or any(key in facts.bad for key in context.address_keys):
        return
    present: dict[str, Any] = {}
    address: dict[str, Any] = {}
    for key, name in context.address_names:
        value = facts.values.get(key)
        if value is not None:
            present[key] = value
            address[name] = value
    if not address:
        return
    record = facts.record
    if "country_code" not in address:
        add(
            context.issue(
                record,
                IssueCode.REQUIRED,
                ERROR,
                "Shipping country is empty, but this order has a shipping address. "
                "Northbeam needs the country with every address: type a 3-letter code "
                "such as USA, or clear the address cells.",
                COUNTRY,
                facts.row_of(next(iter(present))),
                context.order_col.get(COUNTRY),
            )
        )
        return
    if "zip" not in address:
        add(
            context.issue(
                record,
                IssueCode.ZIP_MISSING,
                Severity.NOTE,
                "Shipping ZIP / postcode is empty; the address is sent without one.",
                ZIP,
                facts.row_of(COUNTRY),
                context.order_col.get(ZIP),
            )
        )
        address["zip"] = ""
    facts.address = ordered(address, KEYS)


def screen(context: CheckContext, screen: Screen) -> None:
    """Candidates with an address but no country or no ZIP."""
    if not context.address_keys:
        return
    at_first = screen.at_first
    country = at_first.get(COUNTRY)
    zips = at_first.get(ZIP)
    # With a country and a ZIP on every order no address can be incomplete.
    if country is not None and zips is not None and None not in country and None not in zips:
        return
    address_values = [at_first[key] for key in context.address_keys]
    screen.reject(
        NAME,
        [
            i
            for i, cells in enumerate(zip(*address_values, strict=True))
            if any(v is not None for v in cells)
            and (country is None or country[i] is None or zips is None or zips[i] is None)
        ],
    )
