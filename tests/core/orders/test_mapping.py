"""Columns to fields (core/orders/mapping.py): known exports, synonyms in several languages,
presets found again for files with the same columns."""

from __future__ import annotations

from pathlib import Path

from northbeam_desktop.core.orders.fields import DERIVED_CUSTOMER_ID
from northbeam_desktop.core.orders.mapping import (
    Mapping,
    MatchReason,
    auto_map,
    header_signature,
    mapping_from_preset,
)
from northbeam_desktop.core.orders.readers import read_file
from tests.core import orderfiles


def test_exported_problem_file_finds_the_same_preset() -> None:
    headers = ["Bestellnummer", "Kunde", "Total"]
    assert header_signature(headers) == header_signature(["Excel row", "Problems", *headers])


def test_german_french_spanish_headers_map_automatically() -> None:
    mapping = auto_map(
        [
            "Bestellnummer",
            "Kundennummer",
            "Bestelldatum",
            "Währung",
            "Gesamtbetrag",
            "MwSt",
            "Versandkosten",
            "Artikelnummer",
            "Artikel",
            "Menge",
            "Preis",
        ]
    )
    assert mapping.missing_required() == []
    assert mapping.column_for("order_id") == "Bestellnummer"
    assert mapping.column_for("products.price") == "Preis"
    assert auto_map(["Commande", "Prix unitaire"]).column_for("products.price") == "Prix unitaire"


def test_the_template_maps_every_column_by_its_own_name(tmp_path: Path) -> None:
    sheet = read_file(orderfiles.template_clean(tmp_path))
    mapping = auto_map(sheet.headers)
    assert mapping.missing_required() == []
    assert mapping.column_for("products.price") == "products_price"
    assert mapping.column_for("customer_shipping_address.zip") == "customer_shipping_address_zip"


def test_a_shopify_export_gets_a_customer_code_made_from_the_email(tmp_path: Path) -> None:
    mapping = auto_map(read_file(orderfiles.shopify_export(tmp_path)).headers)
    assert mapping.column_for("customer_id") == DERIVED_CUSTOMER_ID
    assert mapping.matches["customer_id"].reason is MatchReason.DERIVED


def test_a_preset_names_the_columns_it_could_not_find() -> None:
    headers = ["Beleg-Nr.", "Kunde"]
    mapping, notes = mapping_from_preset(
        {"fields": {"order_id": "Beleg-Nr.", "tax": "MwSt"}}, headers
    )
    assert isinstance(mapping, Mapping) and mapping.column_for("order_id") == "Beleg-Nr."
    assert mapping.column_for("tax") is None
    assert notes and "MwSt" in notes[0]
