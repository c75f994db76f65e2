"""All families together (rules/__init__.py): the column-wise prescreen must call an order clean
exactly when the per-order check finds nothing, on every fixture and on files damaged at random
in many ways. Each family's own agreement is proved in its test_rules_<family>.py."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from northbeam_desktop.core.orders.document import LoadOptions, OrderDocument
from northbeam_desktop.core.orders.readers import read_file
from northbeam_desktop.core.orders.rules import (
    FAMILIES,
    money,
    order_values,
    products,
    refunds,
    totals,
)
from tests.core import orderfiles
from tests.core.orders.rulecases import (
    ADDRESS_COLUMNS,
    ALTERNATE_COLUMNS,
    DIGEST,
    IDENTITY_COLUMNS,
    REFUND_COLUMNS,
    damaged_doc,
)

NOW = dt.datetime(2026, 11, 26, tzinfo=dt.UTC)

BAD_VALUES = {
    "order_id": ["", "1001"],
    "customer_id": ["", "x@example.com", "1001", "C-1"],
    "time_of_purchase": ["", "yesterday", "2030-01-01T00:00:00Z", "31/02/2026"],
    "customer_email": ["", "not-an-email", "a@b.co"],
    "currency": ["", "$", "usd", "BYN", "EUR"],
    "purchase_total": ["", "abc", "-5", "1e20", "999.99", "118.25"],
    "tax": ["", "x", "-1", "0"],
    "shipping_cost": ["", "-3", "10.00"],
    "discount_codes": ["A,A", "B"],
    "discount_amount": ["", "-1", "abc"],
    "is_recurring_order": ["maybe", "TRUE", ""],
    "products_id": ["", "SKU-1", "SKU-2"],
    "products_name": ["", "Thing"],
    "products_quantity": ["", "-1", "two", "3"],
    "products_price": ["", "-2", "x", "60.00"],
    "customer_shipping_address_zip": ["", "02134"],
    "customer_shipping_address_country_code": ["", "us", "Atlantis", "USA"],
}


def check_agreement(doc: OrderDocument) -> None:
    checker = doc.checker
    consistent = checker.consistent_orders(doc.orders)
    clean = checker.prescreen(doc.orders, consistent)
    screen = checker.screen(doc.orders, consistent)
    assert screen is not None and screen.clean() == clean
    # Orders with a refund or an alternate ID always take the careful path, issues or not.
    always_careful = {
        screen.candidates[i]
        for family in FAMILIES
        if not family.SCREEN_EXACT
        for i in screen.rejected_by.get(family.NAME, ())
    }
    for record in doc.orders:
        issues = checker.check(record, consistent=record in consistent)
        if record in clean:
            assert issues == [], (record, issues)
        elif (len(record.row_indices) == 1 or record in consistent) and (
            record not in always_careful
        ):
            # Orders whose rows disagree somewhere are always left to the careful path.
            assert issues != [], record
        if record in consistent:
            careful = checker.check(record)  # the careful path agrees with the fast one
            assert [i.code for i in careful] == [i.code for i in issues]


@pytest.mark.parametrize(
    "make",
    [
        orderfiles.template_clean,
        orderfiles.template_defects,
        orderfiles.shopify_export,
        orderfiles.xlsx_with_dates_and_title,
    ],
)
def test_prescreen_agrees_on_fixtures(tmp_path: Path, make) -> None:
    sheet = read_file(make(tmp_path))
    check_agreement(OrderDocument(sheet, LoadOptions(timezone="UTC", now=NOW)))


@pytest.mark.parametrize("seed", range(40))
def test_prescreen_agrees_on_damaged_files_with_every_kind_of_column(
    tmp_path: Path, seed: int
) -> None:
    columns = (*IDENTITY_COLUMNS, *REFUND_COLUMNS, *ALTERNATE_COLUMNS, *ADDRESS_COLUMNS)
    damage = {
        **BAD_VALUES,
        "hashed_customer_email": ["", DIGEST],
        "customer_phone_number": ["+1 415 555 2671", ""],
        "refunds_product_id": ["SKU-1", "SKU-9"],
        "refunds_quantity": ["1", "5"],
        "alternate_order_ids_type": ["legacy"],
        "alternate_order_ids_id": ["A-1"],
        "customer_shipping_address_city": ["Boston", ""],
    }
    refund = dict(zip(REFUND_COLUMNS, ("SKU-1", "1", "25", "30", "2026-03-15"), strict=True))
    check_agreement(damaged_doc(tmp_path, seed, damage, columns=columns, fill=refund))


def test_families_run_in_an_order_that_feeds_later_ones() -> None:
    names = [family.NAME for family in FAMILIES]
    assert names[0] == order_values.NAME  # everyone reads the order values
    assert names.index(products.NAME) < names.index(refunds.NAME)  # sold quantities
    assert names.index(products.NAME) < names.index(totals.NAME)  # the products' subtotal
    assert names.index(money.NAME) < names.index(totals.NAME)  # the sendable amounts
    assert len(set(names)) == len(names)


def test_hashing_sends_every_order_to_the_careful_check(tmp_path: Path) -> None:
    sheet = read_file(orderfiles.template_clean(tmp_path))
    doc = OrderDocument(sheet, LoadOptions(timezone="UTC", now=NOW, hash_identifiers=True))
    checker = doc.checker
    assert checker.prescreen(doc.orders, checker.consistent_orders(doc.orders)) == set()
    assert all(not record.issues for record in doc.orders)


@pytest.mark.parametrize("seed", range(80))
def test_prescreen_agrees_on_randomly_damaged_files(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    rows = []
    for n in range(40):
        base = list(orderfiles.TEMPLATE_CLEAN[n % 3])
        base[0] = str(2000 + n // 2)  # pairs of rows per order, values repeated
        rows.append(base)
    for _ in range(rng.randrange(1, 12)):
        row = rng.randrange(len(rows))
        column = rng.choice(list(BAD_VALUES))
        rows[row][orderfiles.TEMPLATE_HEADER.index(column)] = rng.choice(BAD_VALUES[column])
    path = orderfiles.write_csv(tmp_path / f"damaged_{seed}.csv", orderfiles.TEMPLATE_HEADER, rows)
    check_agreement(OrderDocument(read_file(path), LoadOptions(timezone="UTC", now=NOW)))
