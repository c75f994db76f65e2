"""Mapping presets remember the time zone of files whose times do not say it, and whether
cancelled orders are sent for files of a shape."""

from __future__ import annotations

import json
from pathlib import Path

from northbeam_desktop.core.orders.mapping import (
    PresetStore,
    auto_map,
    mapping_from_preset,
    preset_has_fields,
    preset_include_cancelled,
    preset_timezone,
)

HEADERS = ["order_id", "customer_id", "time_of_purchase", "purchase_total", "tax"]


def test_a_new_shape_has_no_zone(tmp_path: Path) -> None:
    assert PresetStore(tmp_path).timezone_for(HEADERS) is None


def test_zone_alone_is_remembered_without_a_mapping(tmp_path: Path) -> None:
    store = PresetStore(tmp_path)
    path = store.remember_timezone(HEADERS, "Europe/Berlin")
    assert store.timezone_for(HEADERS) == "Europe/Berlin"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert not preset_has_fields(data)
    # A zone-only preset maps the columns exactly as no preset would.
    mapping, notes = mapping_from_preset(data, HEADERS)
    assert notes == []
    assert mapping.matches == auto_map(HEADERS).matches


def test_saving_a_mapping_keeps_the_remembered_zone(tmp_path: Path) -> None:
    store = PresetStore(tmp_path)
    store.remember_timezone(HEADERS, "Europe/Berlin")
    mapping = auto_map(HEADERS)
    mapping.set("purchase_total", "tax")
    store.remember(mapping, HEADERS)
    data = store.find(HEADERS)
    assert data is not None
    assert preset_has_fields(data)
    assert data["fields"]["purchase_total"] == "tax"
    assert preset_timezone(data) == "Europe/Berlin"


def test_zone_given_with_the_mapping_wins_and_the_mapping_survives_a_new_zone(
    tmp_path: Path,
) -> None:
    store = PresetStore(tmp_path)
    mapping = auto_map(HEADERS)
    store.remember(mapping, HEADERS, timezone="America/Chicago")
    assert store.timezone_for(HEADERS) == "America/Chicago"
    store.remember_timezone(HEADERS, "Asia/Tokyo")
    data = store.find(HEADERS)
    assert data is not None
    assert preset_timezone(data) == "Asia/Tokyo"
    assert data["fields"] == mapping.to_preset()["fields"]


def test_a_blank_or_odd_zone_is_no_zone() -> None:
    assert preset_timezone({"fields": {}, "timezone": "  "}) is None
    assert preset_timezone({"fields": {}, "timezone": 3}) is None
    assert preset_timezone({"fields": {}}) is None


def test_sending_cancelled_orders_is_remembered_per_shape_beside_zone_and_mapping(
    tmp_path: Path,
) -> None:
    store = PresetStore(tmp_path)
    assert store.include_cancelled_for(HEADERS) is None
    store.remember_timezone(HEADERS, "Europe/Berlin")
    store.remember_include_cancelled(HEADERS, True)
    assert store.include_cancelled_for(HEADERS) is True
    assert store.timezone_for(HEADERS) == "Europe/Berlin"
    data = store.find(HEADERS)
    assert data is not None
    assert not preset_has_fields(data)  # the columns are still mapped as usual
    # Saving a mapping for the shape keeps the choice; choosing again replaces it.
    mapping = auto_map(HEADERS)
    mapping.set("purchase_total", "tax")
    store.remember(mapping, HEADERS)
    assert store.include_cancelled_for(HEADERS) is True
    store.remember_include_cancelled(HEADERS, False)
    data = store.find(HEADERS)
    assert data is not None
    assert data["fields"]["purchase_total"] == "tax"
    assert preset_include_cancelled(data) is False
    assert PresetStore(tmp_path).include_cancelled_for(["other", "columns"]) is None


def test_an_odd_cancelled_choice_is_no_choice() -> None:
    assert preset_include_cancelled({"fields": {}, "include_cancelled": "yes"}) is None
    assert preset_include_cancelled({"fields": {}}) is None
    assert preset_include_cancelled(None) is None
