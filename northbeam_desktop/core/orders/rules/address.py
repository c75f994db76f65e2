"""The shipping address.

Rules: an address needs its country (`required`); in a file with no country column at all
(WooCommerce exports that leave it out) the address cannot be sent, and the order goes
without it (`address_not_sent`, a note): the order itself is fine. Without a ZIP / postcode
it is sent with an
empty one (`zip_missing`, a note: changed for you). A ZIP code of 3 or 4 digits in a country
whose codes all have 5 lost its leading zeros when the file went through Excel (Connecticut's
"06084" became 6084, Barcelona's "08290" 8290): it is sent with them again
(`zip_leading_zero`, a note). A ZIP cell with no letter or digit (the `-` shops type where
there are no postcodes, as in Bangladesh) is no postcode: sent empty too, with the same note.
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
CODES = frozenset({IssueCode.ZIP_MISSING, IssueCode.ZIP_LEADING_ZERO, IssueCode.ADDRESS_NOT_SENT})
SCREEN_EXACT = True
COUNTRY = "customer_shipping_address.country_code"
ZIP = "customer_shipping_address.zip"
KEYS = ["address1", "address2", "city", "state", "zip", "country_code"]
# Countries whose postcodes are always 5 digits, some starting with 0.
FIVE_DIGITS = frozenset({"USA", "DEU", "FRA", "ITA", "ESP", "FIN", "MEX"})


def short_zip(country: Any, zip_code: Any) -> bool:
    """A 5-digit ZIP code written as a number that lost its leading zeros (02155 as 2155)."""
    return (
        country in FIVE_DIGITS
        and zip_code.__class__ is str
        and 3 <= len(zip_code) <= 4
        and zip_code.isascii()
        and zip_code.isdigit()
    )


def is_placeholder_zip(value: object) -> bool:
    """A ZIP cell that stands for "none": only dashes, dots, slashes or the like."""
    return isinstance(value, str) and not any(ch.isalnum() for ch in value)


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
    if "country_code" not in address and COUNTRY not in context.order_col:
        first = next(iter(present))
        add(
            context.issue(
                record,
                IssueCode.ADDRESS_NOT_SENT,
                Severity.NOTE,
                "This file has no country column, so the order is sent without its shipping "
                "address (Northbeam needs the country with every address). Add the country "
                "to send addresses.",
                first,
                facts.row_of(first),
                context.order_col.get(first),
            )
        )
        return
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
    if "zip" not in address or is_placeholder_zip(address["zip"]):
        if "zip" in address:
            what, row = f"“{address['zip']}”, which is no postcode", facts.row_of(ZIP)
        else:
            what, row = "empty", facts.row_of(COUNTRY)
        add(
            context.issue(
                record,
                IssueCode.ZIP_MISSING,
                Severity.NOTE,
                f"Shipping ZIP / postcode is {what}; the address is sent without one.",
                ZIP,
                row,
                context.order_col.get(ZIP),
            )
        )
        address["zip"] = ""
    elif short_zip(address["country_code"], address["zip"]):
        padded = address["zip"].zfill(5)
        add(
            context.issue(
                record,
                IssueCode.ZIP_LEADING_ZERO,
                Severity.NOTE,
                f"ZIP code “{address['zip']}” lost its leading zero (Excel drops it when it "
                f"reads ZIP codes as numbers): it is sent as {padded}.",
                ZIP,
                facts.row_of("customer_shipping_address.zip"),
                context.order_col.get(ZIP),
            )
        )
        address["zip"] = padded
    facts.address = ordered(address, KEYS)


def screen(context: CheckContext, screen: Screen) -> None:
    """Candidates with an address but no country, no ZIP (or one that stands for none), or a
    ZIP that lost its leading zeros."""
    if not context.address_keys:
        return
    at_first = screen.at_first
    country = at_first.get(COUNTRY)
    zips = at_first.get(ZIP)
    no_zip: set[Any] = {None}
    if zips is not None:
        no_zip.update(v for v in set(zips) if is_placeholder_zip(v))
    # With a country and a ZIP on every order no address can be incomplete.
    if country is not None and zips is not None and None not in country and no_zip.isdisjoint(zips):
        screen.reject(
            NAME,
            [i for i, (c, z) in enumerate(zip(country, zips, strict=True)) if short_zip(c, z)],
        )
        return
    address_values = [at_first[key] for key in context.address_keys]
    screen.reject(
        NAME,
        [
            i
            for i, cells in enumerate(zip(*address_values, strict=True))
            if any(v is not None for v in cells)
            and (
                country is None
                or country[i] is None
                or zips is None
                or zips[i] in no_zip
                or short_zip(country[i], zips[i])
            )
        ],
    )
