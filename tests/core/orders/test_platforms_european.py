"""A shop's own export after European Excel saved it again (`;`, Windows-1252, "1.234,50",
"08.03.2026", leading zeros dropped): the same orders as the original."""

from __future__ import annotations

from pathlib import Path

import pytest

from northbeam_desktop.core.orders.document import LoadOptions, OrderDocument
from northbeam_desktop.core.orders.issues import IssueCode
from northbeam_desktop.core.orders.readers import read_file
from tests.core import realshapes


def _document(path: Path) -> OrderDocument:
    return OrderDocument(read_file(path), LoadOptions(timezone="UTC"))


@pytest.mark.parametrize(
    "make",
    [
        realshapes.etsy_items_quirks,
        realshapes.etsy_items,
        realshapes.squarespace_orders,
        realshapes.amazon_orders,
    ],
)
def test_excel_s_german_copy_sends_the_same_orders(tmp_path: Path, make) -> None:
    original = _document(make(tmp_path))
    resaved = _document(realshapes.resaved_by_german_excel(make(tmp_path)))
    assert resaved.sheet.source.delimiter == ";"
    assert resaved.mapping.source == original.mapping.source
    sent = {r.order_id: original.payload(r) for r in original.orders if not r.has_errors}
    again = {r.order_id: resaved.payload(r) for r in resaved.orders if not r.has_errors}
    assert sent and again == sent


def test_accents_survive_windows_1252(tmp_path: Path) -> None:
    doc = _document(realshapes.resaved_by_german_excel(realshapes.etsy_items_quirks(tmp_path)))
    assert doc.sheet.source.encoding == "cp1252"
    order = doc.order_by_id("1869649072")
    assert order is not None
    address = doc.payload(order)["customer_shipping_address"]
    assert (address["city"], address["zip"]) == ("Cerdanyola del Vallès", "08290")


def test_a_zip_code_excel_turned_into_a_number_gets_its_zero_back(tmp_path: Path) -> None:
    doc = _document(realshapes.resaved_by_german_excel(realshapes.etsy_items(tmp_path)))
    notes = [i for r in doc.orders for i in r.issues if i.code == IssueCode.ZIP_LEADING_ZERO]
    assert notes and all("“2134”" in i.message and "02134" in i.message for i in notes)
    assert {doc.payload(r)["customer_shipping_address"]["zip"] for r in doc.orders} == {"02134"}
